/**
 * The simulator's timeline in the person's language: one line per record of the engine — what it did, the
 * conditions with their values, the settings it resolved, what it would have sent — as `describeTimeline`
 * (shared/engine/describe.ts) says it for the CLI, in English the same words but for the events and the
 * signing order, which read as the simulator's menus name them. Moments come through `when`, so the screen
 * shows them in the language and the session's time zone.
 */
import type { Author, EffectRequest, TimelineRecord } from '../../../shared/engine/types.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { i18n } from '../i18n/index.js'
import { documentWord, engineReason, rowText } from './sim-reasons.js'
import { eventName } from './sim-text.js'

// i18n-dynamic: simulator:channel.
// i18n-dynamic: simulator:order.

type Vars = Record<string, unknown>
const t = (key: string, vars: Vars = {}) => i18n.t(key, vars)

function names(graph: Graph) {
  const stages = new Map(graph.pipeline.stages.map((s) => [s.id, s.name]))
  const nodes = new Map(graph.pipeline.stages.flatMap((s) => [...s.rules, ...s.triggers]).map((n) => [n.id, n.title]))
  return {
    stage: (id: string | null) => (id && stages.get(id)) ?? id ?? t('simulator:noStage'),
    node: (id: string) => nodes.get(id) ?? id,
  }
}

/** Who did something: "by u-anna", "by the API", "by trigger x, as responsible". */
export function byText(by: Author): string {
  switch (by.kind) {
    case 'user':
      return t('simulator:by.user', { id: by.id })
    case 'api':
      return by.id ? t('simulator:by.apiAs', { id: by.id }) : t('simulator:by.api')
    case 'rule':
      return t('simulator:by.rule', { node: by.node })
    case 'trigger':
      return t('simulator:by.trigger', {
        node: by.node,
        as: by.as === 'responsible' ? t('simulator:by.responsible') : by.as,
      })
    case 'system':
      return t('simulator:by.system')
  }
}

const channel = (c: string) => t(`simulator:channel.${c}`, { defaultValue: c })

/** What a rule would have sent or made, in a few words. */
export function effectText(request: EffectRequest): string {
  switch (request.kind) {
    case 'email': {
      const email = t('simulator:effect.email', { to: request.to, subject: request.subject })
      return request.attachments.length
        ? t('simulator:effect.withAttachments', { effect: email, attachments: request.attachments.join(', ') })
        : email
    }
    case 'sms':
      return t('simulator:effect.sms', { to: request.to, text: request.text })
    case 'documentLink':
      return t('simulator:effect.documentLink', {
        document: request.document,
        channel: channel(request.channel),
        to: request.to,
      })
    case 'createDocument':
      return request.withSignatureAndStamp
        ? t('simulator:effect.documentSigned', { template: request.template })
        : t('simulator:effect.document', { template: request.template })
    case 'sendForSigning':
      return t('simulator:effect.forSigning', {
        template: request.template,
        signer: request.companySigner,
        client: request.client.name || t('simulator:theClient'),
        channel: channel(request.channel),
        order: t(`simulator:order.${request.signingOrder}`, { defaultValue: request.signingOrder }),
      })
    case 'notification':
      return t('simulator:effect.notification', { to: request.to.join(', '), text: request.text })
    case 'task':
      return t('simulator:effect.task', { responsible: request.responsible, title: request.title })
  }
}

/** What a record says, without its moment and element (the line's other two columns). */
export function recordText(r: TimelineRecord, graph: Graph, when: (iso: string) => string): string {
  const n = names(graph)
  switch (r.type) {
    case 'element.added':
      return t('simulator:line.added', { stage: n.stage(r.stage) })
    case 'stage.entered':
      return t('simulator:line.entered', { stage: n.stage(r.stage), by: byText(r.by) })
    case 'stage.left':
      return t('simulator:line.left', { stage: n.stage(r.stage) })
    case 'run.requested':
      return t('simulator:line.runRequested', { stage: n.stage(r.stage), by: byText(r.by) })
    case 'rule.scheduled':
      return t('simulator:line.scheduled', { node: n.node(r.node), due: when(r.dueAt), reason: engineReason(r.reason) })
    case 'rule.started':
      return t('simulator:line.started', { node: n.node(r.node) })
    case 'rule.skipped':
      return t('simulator:line.skipped', { node: n.node(r.node), reason: engineReason(r.reason) })
    case 'rule.cancelled':
      return t('simulator:line.cancelled', { node: n.node(r.node), reason: engineReason(r.reason) })
    case 'rule.finished': {
      const outputs = Object.entries(r.outputs)
      return outputs.length
        ? t('simulator:line.doneWith', {
            node: n.node(r.node),
            outputs: outputs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', '),
          })
        : t('simulator:line.done', { node: n.node(r.node) })
    }
    case 'rule.failed':
      return t('simulator:line.failed', { node: n.node(r.node), error: engineReason(r.error) })
    case 'rule.notRun':
      return t('simulator:line.notRun', { node: n.node(r.node), reason: engineReason(r.reason) })
    case 'rule.retried':
      return t('simulator:line.retried', { node: n.node(r.node), by: byText(r.by) })
    case 'condition.evaluated':
      return t('simulator:line.condition', {
        node: n.node(r.node),
        result: r.result ? t('simulator:true') : t('simulator:false'),
        rows: r.rows
          .map((row) => `${rowText(row)} → ${row.result ? t('simulator:true') : t('simulator:false')}`)
          .join('; '),
      })
    case 'settings.resolved':
      return t('simulator:line.settings', { node: n.node(r.node), settings: JSON.stringify(r.settings) })
    case 'variable.changed':
      return t('simulator:line.variable', {
        variable: r.variable,
        before: JSON.stringify(r.before),
        after: JSON.stringify(r.after),
      })
    case 'field.changed':
      return t('simulator:line.field', {
        field: r.field,
        before: JSON.stringify(r.before),
        after: JSON.stringify(r.after),
        by: byText(r.by),
      })
    case 'effect.requested':
      return t('simulator:line.wouldSend', { effect: effectText(r.request) })
    case 'effect.finished':
      return r.result.status === 'failed'
        ? t('simulator:line.effectFailed', { error: engineReason(r.result.error) })
        : t('simulator:line.effectDone')
    case 'event.received':
      return r.event.documentType
        ? t('simulator:line.eventOf', { event: eventName(r.event.type), document: documentWord(r.event.documentType) })
        : t('simulator:line.event', { event: eventName(r.event.type) })
    case 'trigger.considered':
      return r.fired
        ? t('simulator:line.fired', { node: n.node(r.node), stage: n.stage(r.stage), reason: engineReason(r.reason) })
        : t('simulator:line.notFired', {
            node: n.node(r.node),
            stage: n.stage(r.stage),
            reason: engineReason(r.reason),
          })
    case 'log':
      return t('simulator:line.log', { text: r.text })
    case 'loop.stopped':
      return t('simulator:line.loopStopped', {
        count: r.moves,
        stages: r.stages.map((s) => t('simulator:quoted', { text: n.stage(s) })).join(', '),
      })
    case 'error':
      return t('simulator:line.error', { message: engineReason(r.message) })
  }
}

export interface TimelineLine {
  seq: number
  /** The moment, as `when` says it. */
  when: string
  element: string
  text: string
}

/** The timeline's lines, each with its moment (in the language and time zone of `when`) and its element. */
export function timelineLines(
  records: readonly TimelineRecord[],
  graph: Graph,
  when: (iso: string) => string,
): TimelineLine[] {
  return records.map((r) => ({ seq: r.seq, when: when(r.at), element: r.element, text: recordText(r, graph, when) }))
}
