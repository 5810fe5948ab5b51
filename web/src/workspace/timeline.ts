/**
 * An element's history in words for its page: stage moves, what rules did and sent, signing events and field
 * changes — what happened, not the engine's inner steps (conditions evaluated, settings resolved), which the
 * designer's simulator shows instead. Names come from the flow version the element runs; people's names
 * from the users list. The sentences are the app's language's (or the one asked for); names, reasons the
 * engine gave and values stay as they are.
 */
import type { TFunction } from 'i18next'
import type { EffectRequest, Json } from '../../../shared/engine/types.js'
import type { Graph } from '../../../shared/graph/graph.js'
import type { Language } from '../../../shared/i18n/languages.js'
import { i18n } from '../i18n/index.js'

export interface Line {
  seq: number
  at: string
  text: string
  tone: 'move' | 'rule' | 'sent' | 'event' | 'change' | 'problem'
}

interface HistoryLike {
  seq: number
  at: string
  type: string
  record: Record<string, Json>
}

/** What an event the flow heard means, in words ("signed by the company"). */
function eventWords(t: TFunction, type: string | undefined): string {
  switch (type) {
    case 'signedByCompany':
      return t('workspace:timeline.event.signedByCompany')
    case 'signedByClient':
      return t('workspace:timeline.event.signedByClient')
    case 'signedByAll':
      return t('workspace:timeline.event.signedByAll')
    case 'documentViewed':
      return t('workspace:timeline.event.documentViewed')
    case 'signingRefused':
      return t('workspace:timeline.event.signingRefused')
    case 'signingExpired':
      return t('workspace:timeline.event.signingExpired')
    case 'documentCreated':
      return t('workspace:timeline.event.documentCreated')
    case 'webhook':
      return t('workspace:timeline.event.webhook')
    case 'invoicePaid':
      return t('workspace:timeline.event.invoicePaid')
    case undefined:
    case '':
      return t('workspace:timeline.event.unknown')
    default:
      return type
  }
}

/** A document type as the timeline names it ("contract"). */
function documentWord(t: TFunction, type: string): string {
  switch (type) {
    case 'contract':
      return t('workspace:timeline.document.contract')
    case 'invoice':
      return t('workspace:timeline.document.invoice')
    case 'commercialOffer':
      return t('workspace:timeline.document.commercialOffer')
    case 'act':
      return t('workspace:timeline.document.act')
    case 'other':
      return t('workspace:timeline.document.other')
    default:
      return type
  }
}

const channelWord = (t: TFunction, channel: string) =>
  channel === 'sms' ? t('workspace:timeline.channel.sms') : t('workspace:timeline.channel.email')

export function elementTimeline(
  history: readonly HistoryLike[],
  graph: Graph | undefined,
  people: ReadonlyMap<string, string> = new Map(),
  language?: Language,
): Line[] {
  const t: TFunction = language ? i18n.getFixedT(language) : i18n.t.bind(i18n)
  const stage = (id: Json | undefined) =>
    graph?.pipeline.stages.find((s) => s.id === id)?.name ??
    (id === undefined || id === null ? t('workspace:timeline.noStage') : String(id))
  const node = (id: Json | undefined) => {
    for (const s of graph?.pipeline.stages ?? []) {
      const found = [...s.rules, ...s.triggers].find((n) => n.id === id)
      if (found) return found.title
    }
    return String(id)
  }
  const person = (id: string) => people.get(id) ?? id
  /** Who did it ("by Jean Dupont", "by the rule “…”"), or undefined when nobody is named. */
  const by = (author: Json | undefined): string | undefined => {
    const a = author as { kind?: string; id?: string; node?: string } | null | undefined
    if (!a) return undefined
    if (a.kind === 'user' && a.id) return t('workspace:timeline.by.user', { name: person(a.id.replace(/^user:/, '')) })
    if (a.kind === 'rule' && a.node) return t('workspace:timeline.by.rule', { rule: node(a.node) })
    if (a.kind === 'trigger' && a.node) return t('workspace:timeline.by.trigger', { trigger: node(a.node) })
    if (a.kind === 'api') return t('workspace:timeline.by.api')
    return undefined
  }
  const value = (v: Json | undefined) =>
    v === null || v === undefined ? t('workspace:timeline.nothing') : JSON.stringify(v)
  const out: Line[] = []
  for (const h of history) {
    const r = h.record
    const line = (text: string, tone: Line['tone']) => out.push({ seq: h.seq, at: h.at, text, tone })
    const rule = node(r.node)
    switch (h.type) {
      case 'element.added':
        line(
          r.stage ? t('workspace:timeline.createdIn', { stage: stage(r.stage) }) : t('workspace:timeline.created'),
          'move',
        )
        break
      case 'stage.entered': {
        const who = by(r.by)
        line(
          who
            ? t('workspace:timeline.movedBy', { stage: stage(r.stage), by: who })
            : t('workspace:timeline.moved', { stage: stage(r.stage) }),
          'move',
        )
        break
      }
      case 'rule.finished':
        line(t('workspace:timeline.rule.done', { rule }), 'rule')
        break
      case 'rule.skipped':
        line(t('workspace:timeline.rule.skipped', { rule, reason: String(r.reason) }), 'rule')
        break
      case 'rule.failed':
        line(t('workspace:timeline.rule.failed', { rule, error: String(r.error) }), 'problem')
        break
      case 'rule.cancelled':
        line(t('workspace:timeline.rule.cancelled', { rule, reason: String(r.reason) }), 'rule')
        break
      case 'rule.notRun':
        line(t('workspace:timeline.rule.notRun', { rule, reason: String(r.reason) }), 'rule')
        break
      case 'rule.retried': {
        const who = by(r.by)
        line(
          who
            ? t('workspace:timeline.rule.retriedBy', { rule, by: who })
            : t('workspace:timeline.rule.retried', { rule }),
          'rule',
        )
        break
      }
      case 'rule.scheduled':
        if (Date.parse(String(r.dueAt)) > Date.parse(h.at)) {
          line(t('workspace:timeline.rule.waits', { rule, reason: String(r.reason) }), 'rule')
        }
        break
      case 'effect.requested':
        line(sent(t, r.request as unknown as EffectRequest, person), 'sent')
        break
      case 'effect.finished': {
        const result = r.result as { status?: string; error?: string } | null
        if (result?.status === 'failed') {
          line(t('workspace:timeline.sendingFailed', { rule, error: result.error ?? '' }), 'problem')
        }
        break
      }
      case 'event.received': {
        const event = r.event as { type?: string; documentType?: string } | null
        const words = eventWords(t, event?.type)
        line(
          event?.documentType
            ? t('workspace:timeline.documentEvent', { document: documentWord(t, event.documentType), event: words })
            : words,
          'event',
        )
        break
      }
      case 'trigger.considered':
        if (r.fired === true) line(t('workspace:timeline.triggerFired', { trigger: rule }), 'event')
        break
      case 'field.changed': {
        const who = by(r.by)
        const change = { field: String(r.field), before: value(r.before), after: value(r.after) }
        line(
          who
            ? t('workspace:timeline.fieldChangedBy', { ...change, by: who })
            : t('workspace:timeline.fieldChanged', change),
          'change',
        )
        break
      }
      case 'loop.stopped':
        line(t('workspace:timeline.loopStopped'), 'problem')
        break
      case 'error':
        line(String(r.message), 'problem')
        break
      default:
    }
  }
  return out
}

function sent(t: TFunction, request: EffectRequest, person: (id: string) => string): string {
  switch (request.kind) {
    case 'email':
      return t('workspace:timeline.sent.email', { to: request.to, subject: request.subject })
    case 'sms':
      return t('workspace:timeline.sent.sms', { to: request.to, text: request.text })
    case 'documentLink':
      return t('workspace:timeline.sent.documentLink', { channel: channelWord(t, request.channel), to: request.to })
    case 'createDocument':
      return t('workspace:timeline.sent.createDocument', { template: request.template })
    case 'sendForSigning':
      return t('workspace:timeline.sent.sendForSigning', {
        template: request.template,
        signer: person(request.companySigner),
        client: request.client.name || t('workspace:timeline.theClient'),
        channel: channelWord(t, request.channel),
      })
    case 'notification':
      return t('workspace:timeline.sent.notification', {
        people: request.to.map(person).join(', '),
        text: request.text,
      })
    case 'task':
      return t('workspace:timeline.sent.task', { person: person(request.responsible), title: request.title })
    default:
      return t('workspace:timeline.sent.other')
  }
}
