/** The timeline in words, as `signflow simulate` prints it and the simulator lists it. */
import type { Graph } from '../graph/graph.js'
import { formatLocal } from './calendar.js'
import { describeRow } from './conditions.js'
import type { Author, EffectRequest, TimelineRecord, WorkingCalendar } from './types.js'

function names(graph: Graph) {
  const stages = new Map(graph.pipeline.stages.map((s) => [s.id, s.name]))
  const nodes = new Map(graph.pipeline.stages.flatMap((s) => [...s.rules, ...s.triggers]).map((n) => [n.id, n.title]))
  return {
    stage: (id: string | null) => `"${(id && stages.get(id)) ?? id ?? 'no stage'}"`,
    node: (id: string) => `"${nodes.get(id) ?? id}"`,
  }
}

function who(by: Author): string {
  switch (by.kind) {
    case 'user':
      return `by ${by.id}`
    case 'api':
      return `by the API${by.id ? ` (${by.id})` : ''}`
    case 'rule':
      return `by rule ${by.node}`
    case 'trigger':
      return `by trigger ${by.node}, as ${by.as}`
    case 'system':
      return 'by the system'
  }
}

function effect(request: EffectRequest): string {
  switch (request.kind) {
    case 'email':
      return `email to ${request.to}: "${request.subject}"${request.attachments.length ? ` + ${request.attachments.join(', ')}` : ''}`
    case 'sms':
      return `SMS to ${request.to}: "${request.text}"`
    case 'documentLink':
      return `link to ${request.document} by ${request.channel} to ${request.to}`
    case 'createDocument':
      return `document from ${request.template}${request.withSignatureAndStamp ? ', with signature and stamp' : ''}`
    case 'sendForSigning':
      return `${request.template} for signing by ${request.companySigner} and ${request.client.name || 'the client'} (${request.channel}, ${request.signingOrder})`
    case 'notification':
      return `notification to ${request.to.join(', ')}: "${request.text}"`
    case 'task':
      return `task for ${request.responsible}: "${request.title}"`
  }
}

/** One line per record: local time, element, what happened. */
export function describeTimeline(
  records: readonly TimelineRecord[],
  graph: Graph,
  calendar: WorkingCalendar,
): string[] {
  const n = names(graph)
  return records.map((r) => {
    const when = formatLocal(Date.parse(r.at), calendar).replace(/ \(.*\)$/, '')
    const what = ((): string => {
      switch (r.type) {
        case 'element.added':
          return `added, standing in ${n.stage(r.stage)}`
        case 'stage.entered':
          return `→ entered ${n.stage(r.stage)} ${who(r.by)}`
        case 'stage.left':
          return `← left ${n.stage(r.stage)}`
        case 'run.requested':
          return `run requested for elements already in ${n.stage(r.stage)} ${who(r.by)}`
        case 'rule.scheduled':
          return `  ◷ ${n.node(r.node)} due ${formatLocal(Date.parse(r.dueAt), calendar)}: ${r.reason}`
        case 'rule.started':
          return `  ▶ ${n.node(r.node)} started`
        case 'rule.skipped':
          return `  ⤼ ${n.node(r.node)} skipped: ${r.reason}`
        case 'rule.cancelled':
          return `  ✕ ${n.node(r.node)} cancelled: ${r.reason}`
        case 'rule.finished': {
          const outputs = Object.entries(r.outputs)
          return `  ✓ ${n.node(r.node)} done${outputs.length ? ` (${outputs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})` : ''}`
        }
        case 'rule.failed':
          return `  ✗ ${n.node(r.node)} failed: ${r.error}`
        case 'rule.notRun':
          return `  – ${n.node(r.node)} not run: ${r.reason}`
        case 'rule.retried':
          return `  ↻ ${n.node(r.node)} retried ${who(r.by)}`
        case 'condition.evaluated':
          return `    condition of ${n.node(r.node)}: ${r.result ? 'true' : 'false'} (${r.rows.map((row) => `${describeRow(row)} → ${row.result}`).join('; ')})`
        case 'settings.resolved':
          return `    settings of ${n.node(r.node)}: ${JSON.stringify(r.settings)}`
        case 'variable.changed':
          return `    variable ${r.variable}: ${JSON.stringify(r.before)} → ${JSON.stringify(r.after)}`
        case 'field.changed':
          return `  field ${r.field}: ${JSON.stringify(r.before)} → ${JSON.stringify(r.after)} ${who(r.by)}`
        case 'effect.requested':
          return `    ✉ would send ${effect(r.request)}`
        case 'effect.finished':
          return r.result.status === 'failed' ? `    effect failed: ${r.result.error}` : '    effect done'
        case 'event.received':
          return `⚑ event ${r.event.type}${r.event.documentType ? ` (${r.event.documentType})` : ''}`
        case 'trigger.considered':
          return `  ${r.fired ? '⚡' : '·'} trigger ${n.node(r.node)} on ${n.stage(r.stage)}: ${r.fired ? 'fired' : 'not fired'}, ${r.reason}`
        case 'log':
          return `  log: ${r.text}`
        case 'loop.stopped':
          return `  ⛔ loop stopped after ${r.moves} moves between ${r.stages.map((s) => n.stage(s)).join(', ')}`
        case 'error':
          return `  ⛔ ${r.message}`
      }
    })()
    return `${when}  ${r.element}  ${what}`
  })
}
