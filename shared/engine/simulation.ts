/**
 * The dry run: the engine with a virtual clock, deterministic ids, and effects that are only
 * recorded (the outbox), never sent. Used by the designer's simulator, `signflow simulate`
 * and `signflow test`.
 */
import type { Graph } from '../graph/graph.js'
import type { DocumentType } from '../graph/vocabulary.js'
import { DOCUMENT_TYPES } from '../graph/vocabulary.js'
import { Engine } from './engine.js'
import type { EffectRequest, EffectResult, ElementSnapshot, Json, WorkingCalendar } from './types.js'

/** An effect that would have happened: the email, SMS, document, task or notification. */
export interface OutboxItem {
  effect: string
  element: string
  at: string
  request: EffectRequest
  result: EffectResult
}

export interface SimulationOptions {
  graph: Graph
  /** Where the virtual clock starts (ISO text or milliseconds). */
  start: string | number
  calendar?: WorkingCalendar
  /** The document type each template makes; otherwise guessed from the template id ("tpl-invoice"). */
  templates?: ReadonlyMap<string, DocumentType>
  /** Effect kinds that fail, to rehearse failures ("email", "sms", …). */
  failing?: ReadonlySet<EffectRequest['kind']>
}

function documentTypeOf(template: string, templates?: ReadonlyMap<string, DocumentType>): DocumentType {
  const known = templates?.get(template)
  if (known) return known
  const lower = template.toLowerCase()
  if (lower.includes('offer')) return 'commercialOffer'
  return DOCUMENT_TYPES.find((t) => lower.includes(t.toLowerCase())) ?? 'other'
}

export class Simulation {
  readonly engine: Engine
  readonly outbox: OutboxItem[] = []
  private clock: number
  private readonly counters = new Map<string, number>()

  constructor(private readonly options: SimulationOptions) {
    this.clock = typeof options.start === 'number' ? options.start : Date.parse(options.start)
    if (Number.isNaN(this.clock)) throw new Error(`not a moment: ${String(options.start)}`)
    this.engine = new Engine({
      graph: options.graph,
      ...(options.calendar ? { calendar: options.calendar } : {}),
      ports: {
        now: () => this.clock,
        newId: (kind) => this.nextId(kind),
        perform: (element, request, effect) => this.perform(element, request, effect),
      },
    })
  }

  get now(): number {
    return this.clock
  }

  private nextId(kind: string): string {
    const n = (this.counters.get(kind) ?? 0) + 1
    this.counters.set(kind, n)
    return `${kind}-${n}`
  }

  private perform(element: ElementSnapshot, request: EffectRequest, effect: string): EffectResult {
    let result: EffectResult
    if (this.options.failing?.has(request.kind)) {
      result = { status: 'failed', error: `${request.kind} failed (simulated)` }
    } else {
      result = { status: 'done', outputs: this.outputsFor(request) }
    }
    this.outbox.push({ effect, element: element.id, at: new Date(this.clock).toISOString(), request, result })
    return result
  }

  /** What a real runtime would answer, made up deterministically. */
  private outputsFor(request: EffectRequest): Record<string, Json> {
    switch (request.kind) {
      case 'createDocument':
      case 'sendForSigning': {
        const id = this.nextId('document')
        const type = documentTypeOf(request.template, this.options.templates)
        const number = `${type.toUpperCase().slice(0, 3)}-${String(this.counters.get('document')).padStart(4, '0')}`
        const outputs: Record<string, Json> = {
          documentId: id,
          documentNumber: number,
          documentType: type,
          publicLink: `https://signflow.example/d/${id}`,
          pdf: `${id}.pdf`,
        }
        if (request.kind === 'sendForSigning') {
          outputs.clientSigningLink = `https://signflow.example/s/${id}/client`
        }
        return outputs
      }
      case 'email':
      case 'sms':
      case 'documentLink':
        return { messageId: this.nextId('message') }
      case 'task':
        return { taskId: this.nextId('task') }
      case 'notification':
        return {}
    }
  }

  /** Moves the virtual clock to `t`, running every rule that falls due on the way, in order. */
  advanceTo(t: number): void {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const due = this.engine.nextDueAt()
      if (due === undefined || due > t) break
      this.clock = Math.max(this.clock, due)
      this.engine.runDue()
    }
    this.clock = Math.max(this.clock, t)
    this.engine.runDue()
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.clock + ms)
  }

  /** Jumps to the next due rule, if any. Returns whether there was one. */
  advanceToNext(): boolean {
    const due = this.engine.nextDueAt()
    if (due === undefined) return false
    this.advanceTo(due)
    return true
  }

  /** Runs until nothing is waiting (at most `limit` jumps: a flow may wait for ever by design). */
  runToEnd(limit = 10_000): void {
    for (let i = 0; i < limit && this.advanceToNext(); i++) {
      // each jump runs what falls due
    }
  }
}
