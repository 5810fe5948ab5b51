/**
 * An element's history in words for its page: stage moves, what rules did and sent, signing events and field
 * changes — what happened, not the engine's inner steps (conditions evaluated, settings resolved), which the
 * designer's simulator shows instead. Names come from the flow version the element runs; people's names
 * from the users list.
 */
import type { EffectRequest, Json } from '../../../shared/engine/types.js'
import type { Graph } from '../../../shared/graph/graph.js'

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

const EVENTS: Record<string, string> = {
  signedByCompany: 'signed by the company',
  signedByClient: 'signed by the client',
  signedByAll: 'signed by everyone',
  documentViewed: 'the document was opened',
  signingRefused: 'signing was declined',
  signingExpired: 'the signing link expired',
  documentCreated: 'a document was made',
  webhook: 'a webhook was called',
  invoicePaid: 'the invoice was paid',
}

const DOCUMENT_WORDS: Record<string, string> = {
  contract: 'contract',
  invoice: 'invoice',
  commercialOffer: 'offer',
  act: 'act',
  other: 'document',
}

export function elementTimeline(
  history: readonly HistoryLike[],
  graph: Graph | undefined,
  people: ReadonlyMap<string, string> = new Map(),
): Line[] {
  const stage = (id: Json | undefined) =>
    `“${graph?.pipeline.stages.find((s) => s.id === id)?.name ?? String(id ?? 'no stage')}”`
  const node = (id: Json | undefined) => {
    for (const s of graph?.pipeline.stages ?? []) {
      const found = [...s.rules, ...s.triggers].find((n) => n.id === id)
      if (found) return `“${found.title}”`
    }
    return `“${String(id)}”`
  }
  const person = (id: string) => people.get(id) ?? id
  const by = (author: Json | undefined): string => {
    const a = author as { kind?: string; id?: string; node?: string } | null | undefined
    if (!a) return ''
    if (a.kind === 'user' && a.id) return ` by ${person(a.id.replace(/^user:/, ''))}`
    if (a.kind === 'rule' && a.node) return ` by the rule ${node(a.node)}`
    if (a.kind === 'trigger' && a.node) return ` by the trigger ${node(a.node)}`
    if (a.kind === 'api') return ' through the API'
    return ''
  }
  const out: Line[] = []
  for (const h of history) {
    const r = h.record
    const line = (text: string, tone: Line['tone']) => out.push({ seq: h.seq, at: h.at, text, tone })
    switch (h.type) {
      case 'element.added':
        line(`Created${r.stage ? ` in ${stage(r.stage)}` : ''}`, 'move')
        break
      case 'stage.entered':
        line(`Moved to ${stage(r.stage)}${by(r.by)}`, 'move')
        break
      case 'rule.finished':
        line(`${node(r.node)} done`, 'rule')
        break
      case 'rule.skipped':
        line(`${node(r.node)} skipped: ${String(r.reason)}`, 'rule')
        break
      case 'rule.failed':
        line(`${node(r.node)} failed: ${String(r.error)}`, 'problem')
        break
      case 'rule.cancelled':
        line(`${node(r.node)} cancelled: ${String(r.reason)}`, 'rule')
        break
      case 'rule.notRun':
        line(`${node(r.node)} did not run: ${String(r.reason)}`, 'rule')
        break
      case 'rule.retried':
        line(`${node(r.node)} retried${by(r.by)}`, 'rule')
        break
      case 'rule.scheduled':
        if (Date.parse(String(r.dueAt)) > Date.parse(h.at)) line(`${node(r.node)} waits: ${String(r.reason)}`, 'rule')
        break
      case 'effect.requested':
        line(sent(r.request as unknown as EffectRequest, person), 'sent')
        break
      case 'effect.finished': {
        const result = r.result as { status?: string; error?: string } | null
        if (result?.status === 'failed') line(`${node(r.node)}: sending failed: ${result.error ?? ''}`, 'problem')
        break
      }
      case 'event.received': {
        const event = r.event as { type?: string; documentType?: string } | null
        const doc = event?.documentType ? `${DOCUMENT_WORDS[event.documentType] ?? event.documentType}: ` : ''
        line(`${doc}${EVENTS[event?.type ?? ''] ?? event?.type ?? 'an event'}`, 'event')
        break
      }
      case 'trigger.considered':
        if (r.fired === true) line(`The trigger ${node(r.node)} fired`, 'event')
        break
      case 'field.changed':
        line(`${String(r.field)} changed from ${value(r.before)} to ${value(r.after)}${by(r.by)}`, 'change')
        break
      case 'loop.stopped':
        line('Stopped an endless loop of moves between stages', 'problem')
        break
      case 'error':
        line(String(r.message), 'problem')
        break
      default:
    }
  }
  return out
}

const value = (v: Json | undefined) => (v === null || v === undefined ? 'nothing' : JSON.stringify(v))

function sent(request: EffectRequest, person: (id: string) => string): string {
  switch (request.kind) {
    case 'email':
      return `Email to ${request.to}: “${request.subject}”`
    case 'sms':
      return `SMS to ${request.to}: “${request.text}”`
    case 'documentLink':
      return `Document link by ${request.channel === 'sms' ? 'SMS' : 'email'} to ${request.to}`
    case 'createDocument':
      return `Document made from ${request.template}`
    case 'sendForSigning':
      return `${request.template} sent for signing: ${person(request.companySigner)} for us, ${request.client.name || 'the client'} by ${request.channel === 'sms' ? 'SMS' : 'email'}`
    case 'notification':
      return `Notified ${request.to.map(person).join(', ')}: “${request.text}”`
    case 'task':
      return `Task for ${person(request.responsible)}: “${request.title}”`
    default:
      return 'Something was sent'
  }
}
