/**
 * The engine: executes a published (or draft) rule graph for elements, deterministically.
 *
 * Inputs are method calls (an element enters a stage, an event happens, a field changes, time
 * passes, an effect finishes). Every consequence is appended to the timeline. The clock, ids
 * and effects are ports, so the simulator (virtual clock, recorded effects) and the runtime
 * (real clock, mail, PDFs) run this same code. See docs/engine.md.
 *
 * @example
 * const engine = new Engine({ graph, ports })
 * engine.addElement({ id: 'deal-1', stage: 'new', fields: { amount: 6000 } })
 * engine.moveToStage('deal-1', 'invoice', { kind: 'user', id: 'u-anna' })
 * engine.runDue() // runs what is due at ports.now()
 */
import TinyQueue from 'tinyqueue'
import { getCatalogEntry } from '../catalog/index.js'
import { checkFormula, createFormulaEnvironment } from '../expressions/formula.js'
import { type FieldDef, fieldIndex } from '../graph/fields.js'
import type { Graph, RuleNode, Stage, TriggerNode } from '../graph/graph.js'
import type { Reference } from '../graph/schema-parts.js'
import type { ValueType } from '../graph/vocabulary.js'
import { addDuration, momentOf, nextWorkingMoment } from './calendar.js'
import { compileCondition, describeRow, isEmptyValue } from './conditions.js'
import {
  type Author,
  DEFAULT_CALENDAR,
  type EffectRequest,
  type EffectResult,
  type ElementSnapshot,
  type EngineEvent,
  type EnginePorts,
  type Json,
  type TimelineEntry,
  type TimelineRecord,
  type WorkingCalendar,
} from './types.js'
import { nestFields, resolveValue, roundMoney, type Scope, toText } from './values.js'

export interface EngineOptions {
  graph: Graph
  ports: EnginePorts
  calendar?: WorkingCalendar
  /** Automatic moves one input may cause before the engine calls it a loop. */
  maxMovesPerInput?: number
  /** Called with every record as it is made (the runtime stores them). */
  onRecord?: (record: TimelineRecord) => void
}

type RunState = 'pending' | 'scheduled' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled' | 'notRun'

interface RuleRun {
  state: RunState
  /** The effect a running rule waits for. */
  effect?: string
  /** For "wait until a condition": when it gives up. */
  waitDeadline?: number
  dueAt?: number
}

/** One stay of an element in a stage: its rules' runs and their outputs. */
interface Entry {
  epoch: number
  stage: number
  runs: RuleRun[]
  outputs: Map<string, Json>
}

interface ElementState {
  id: string
  stage: number | null
  fields: Map<string, Json>
  variables: Map<string, Json>
  entry: Entry | null
  scope?: Scope
}

interface Job {
  id: number
  dueAt: number
  element: string
  epoch: number
  rule: number
  kind: 'start' | 'waitEnd'
}

type RuleOutcome =
  | { status: 'done'; outputs: Record<string, Json> }
  | { status: 'failed'; error: string }
  | { status: 'running' }

const TERMINAL: ReadonlySet<RunState> = new Set(['done', 'skipped', 'failed', 'cancelled', 'notRun'])

/** Values for formulas: CEL sees plain objects; JSON has no bigints or dates. */
function fromCel(value: unknown): Json {
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(fromCel)
  if (value === undefined) return null
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, Json> = {}
    for (const [k, v] of Object.entries(value)) out[k] = fromCel(v)
    return out
  }
  return value as Json
}

export class Engine {
  readonly timeline: TimelineRecord[] = []
  private readonly graph: Graph
  private readonly ports: EnginePorts
  private readonly calendar: WorkingCalendar
  private readonly maxMoves: number
  private readonly onRecord: ((record: TimelineRecord) => void) | undefined
  private readonly stages: Stage[]
  private readonly stageIndex = new Map<string, number>()
  private readonly fields: Map<string, FieldDef>
  private readonly constants = new Map<string, Json>()
  private readonly elements = new Map<string, ElementState>()
  private readonly queue = new TinyQueue<Job>([], (a, b) => a.dueAt - b.dueAt || a.id - b.id)
  private readonly ready: Job[] = []
  private readonly waitingEffects = new Map<string, { element: string; epoch: number; rule: number }>()
  private readonly roundRobin = new Map<string, number>()
  private formulaEnv: ReturnType<typeof createFormulaEnvironment> | undefined
  private seq = 0
  private jobSeq = 0
  private epochSeq = 0
  private movesThisInput: Array<string> = []
  private draining = false
  private isoFor = Number.NaN
  private iso = ''

  constructor(options: EngineOptions) {
    this.graph = options.graph
    this.ports = options.ports
    this.calendar = options.calendar ?? DEFAULT_CALENDAR
    this.maxMoves = options.maxMovesPerInput ?? 100
    this.onRecord = options.onRecord
    this.stages = options.graph.pipeline.stages
    this.stages.forEach((s, i) => {
      if (!this.stageIndex.has(s.id)) this.stageIndex.set(s.id, i)
    })
    this.fields = fieldIndex(options.graph.elementType, options.graph.fields)
    for (const c of options.graph.constants) if (!this.constants.has(c.id)) this.constants.set(c.id, c.value)
  }

  // ------------------------------------------------------------ inputs

  /** Registers an element standing in a stage. Its stage's rules do not run (they run on entry only). */
  addElement(element: ElementSnapshot): void {
    const variables = new Map<string, Json>()
    for (const v of this.graph.variables) variables.set(v.id, v.default ?? (v.multiple ? [] : null))
    const stage = element.stage === null ? null : (this.stageIndex.get(element.stage) ?? null)
    this.elements.set(element.id, {
      id: element.id,
      stage,
      fields: new Map(Object.entries(element.fields)),
      variables,
      entry: null,
    })
    this.record(element.id, { type: 'element.added', stage: element.stage })
  }

  /** A person, an API call or the runtime moves an element: it enters the stage and the stage's rules start. */
  moveToStage(elementId: string, stageId: string, by: Author): void {
    this.input(() => {
      const el = this.element(elementId)
      const target = this.stageIndex.get(stageId)
      if (target === undefined) throw new Error(`no stage "${stageId}" in this flow`)
      this.enter(el, target, by)
    })
  }

  /** "Run for elements already here": starts the stage's rules for an element standing in it, recorded as such. */
  runForElementHere(elementId: string, by: Author): void {
    this.input(() => {
      const el = this.element(elementId)
      if (el.stage === null) throw new Error(`element "${elementId}" stands in no stage`)
      const stage = this.stages[el.stage]
      this.record(el.id, { type: 'run.requested', stage: stage?.id ?? '', by })
      this.startEntry(el, el.stage)
    })
  }

  /** Something happened to the element (signed, viewed, paid, a webhook): triggers may move it. */
  fireEvent(elementId: string, event: EngineEvent): void {
    this.input(() => this.event(this.element(elementId), event))
  }

  /** A field changed (by a person or the API). No rule starts; "field changed" triggers may move the element. */
  changeField(elementId: string, field: string, value: Json, by: Author): void {
    this.input(() => this.setField(this.element(elementId), field, value, by))
  }

  /** Runs every rule that is due at `ports.now()`. */
  runDue(): void {
    this.input(() => {
      const now = this.ports.now()
      while (this.queue.length > 0 && (this.queue.peek()?.dueAt ?? Number.POSITIVE_INFINITY) <= now) {
        const job = this.queue.pop()
        if (job) this.ready.push(job)
      }
    })
  }

  /** When the next rule is due, if any is waiting (cancelled ones included; they are dropped when due). */
  nextDueAt(): number | undefined {
    return this.queue.peek()?.dueAt
  }

  /** An effect that answered `pending` has finished (the runtime calls this). */
  completeEffect(effectId: string, result: EffectResult): void {
    this.input(() => {
      const waiting = this.waitingEffects.get(effectId)
      if (!waiting) return
      this.waitingEffects.delete(effectId)
      const el = this.element(waiting.element)
      const entry = el.entry
      const rule = this.ruleAt(waiting.epoch, el, waiting.rule)
      if (!entry || !rule) return
      this.record(el.id, { type: 'effect.finished', node: rule.id, effect: effectId, result })
      const run = entry.runs[waiting.rule]
      if (!run) return
      if (result.status === 'failed') {
        if (run.state === 'running') this.fail(el, entry, waiting.rule, result.error)
        return
      }
      if (result.status !== 'done') return
      const outputs = result.outputs ?? {}
      this.rememberDocument(el, rule, outputs)
      // A "create document" that did not wait for its PDF finished already; the document still counts.
      if (run.state === 'running') this.finish(el, entry, waiting.rule, outputs)
      this.announceDocument(el, rule, outputs)
    })
  }

  /** The element as it stands now (fields and stage), for the simulator and the runtime. */
  snapshot(elementId: string): ElementSnapshot {
    const el = this.element(elementId)
    return {
      id: el.id,
      stage: el.stage === null ? null : (this.stages[el.stage]?.id ?? null),
      fields: Object.fromEntries(el.fields),
    }
  }

  variables(elementId: string): Record<string, Json> {
    return Object.fromEntries(this.element(elementId).variables)
  }

  /** The state of each rule of the element's current stage ("waiting until …", "done", "skipped"). */
  ruleStates(elementId: string): Array<{ node: string; state: RunState; dueAt?: string }> {
    const el = this.element(elementId)
    const entry = el.entry
    const stage = entry ? this.stages[entry.stage] : undefined
    if (!entry || !stage) return []
    return stage.rules.map((rule, i) => {
      const run = entry.runs[i]
      return {
        node: rule.id,
        state: run?.state ?? 'pending',
        ...(run?.dueAt !== undefined && run.state === 'scheduled' ? { dueAt: new Date(run.dueAt).toISOString() } : {}),
      }
    })
  }

  // ------------------------------------------------------------ the input loop

  /** Every input runs to quiescence: its consequences (rules due now, moves, triggers) happen before it returns. */
  private input(action: () => void): void {
    if (this.draining) {
      action()
      return
    }
    this.draining = true
    this.movesThisInput = []
    try {
      action()
      for (let job = this.ready.shift(); job; job = this.ready.shift()) this.runJob(job)
    } finally {
      this.draining = false
    }
  }

  private element(id: string): ElementState {
    const el = this.elements.get(id)
    if (!el) throw new Error(`no element "${id}"`)
    return el
  }

  private record(element: string, entry: TimelineEntry): void {
    // The hot path of a busy runtime: one ISO text per distinct moment, no copy of the entry.
    const record = entry as TimelineRecord
    record.seq = ++this.seq
    record.at = this.isoAt(this.ports.now())
    record.element = element
    this.timeline.push(record)
    this.onRecord?.(record)
  }

  /** ISO text of a moment, remembered for the last moment asked (most records share one). */
  private isoAt(t: number): string {
    if (t !== this.isoFor) {
      this.isoFor = t
      this.iso = new Date(t).toISOString()
    }
    return this.iso
  }

  private ruleAt(epoch: number, el: ElementState, index: number): RuleNode | undefined {
    if (!el.entry || el.entry.epoch !== epoch) return undefined
    return this.stages[el.entry.stage]?.rules[index]
  }

  // ------------------------------------------------------------ stages

  private enter(el: ElementState, target: number, by: Author): void {
    const stage = this.stages[target]
    if (!stage) return
    if (by.kind === 'rule' || by.kind === 'trigger') {
      this.movesThisInput.push(stage.id)
      if (this.movesThisInput.length > this.maxMoves) {
        const loop = [...new Set(this.movesThisInput.slice(-20))].sort(
          (a, b) => (this.stageIndex.get(a) ?? 0) - (this.stageIndex.get(b) ?? 0),
        )
        this.record(el.id, { type: 'loop.stopped', stages: loop, moves: this.movesThisInput.length - 1 })
        this.record(el.id, {
          type: 'error',
          message: `Stopped after ${this.maxMoves} automatic moves caused by one input: the element keeps moving between ${loop.map((s) => `"${this.stages[this.stageIndex.get(s) ?? -1]?.name ?? s}"`).join(', ')}.`,
        })
        return
      }
    }
    const from = el.stage === null ? null : (this.stages[el.stage]?.id ?? null)
    if (el.stage !== null && el.entry) this.leave(el, stage.id)
    el.stage = target
    el.fields.set('stage', stage.id)
    this.record(el.id, { type: 'stage.entered', stage: stage.id, from, by })
    this.startEntry(el, target)
  }

  private leave(el: ElementState, to: string): void {
    const entry = el.entry
    const stage = entry ? this.stages[entry.stage] : undefined
    if (!entry || !stage) return
    stage.rules.forEach((rule, i) => {
      const run = entry.runs[i]
      if (run && !TERMINAL.has(run.state)) {
        run.state = 'cancelled'
        if (run.effect) this.waitingEffects.delete(run.effect)
        this.record(el.id, {
          type: 'rule.cancelled',
          stage: stage.id,
          node: rule.id,
          reason: `the element left "${stage.name}" for "${this.stages[this.stageIndex.get(to) ?? -1]?.name ?? to}"`,
        })
      }
    })
    this.record(el.id, { type: 'stage.left', stage: stage.id, to })
    el.entry = null
  }

  private startEntry(el: ElementState, stageIdx: number): void {
    const stage = this.stages[stageIdx]
    if (!stage) return
    if (el.entry) this.leave(el, stage.id)
    const entry: Entry = {
      epoch: ++this.epochSeq,
      stage: stageIdx,
      runs: stage.rules.map(() => ({ state: 'pending' as RunState })),
      outputs: new Map(),
    }
    el.entry = entry
    stage.rules.forEach((rule, i) => {
      if (i === 0 || rule.execution === 'parallel') this.schedule(el, entry, i)
    })
  }

  // ------------------------------------------------------------ scheduling

  /** Works out when a rule is due (its time setting, working hours, a moment already passed) and queues it. */
  private schedule(el: ElementState, entry: Entry, index: number): void {
    const stage = this.stages[entry.stage]
    const rule = stage?.rules[index]
    const run = entry.runs[index]
    if (!stage || !rule || !run) return
    const now = this.ports.now()
    const time = rule.time
    let due = now
    let reason = 'immediately'
    switch (time.mode) {
      case 'immediately':
        break
      case 'delay':
        due = addDuration(now, time.delay, this.calendar)
        reason = `after ${amountOf(time.delay)}`
        break
      case 'relative': {
        const base = momentOf(el.fields.get(time.field), this.calendar, time.at)
        if (base === undefined) {
          run.state = 'skipped'
          this.record(el.id, {
            type: 'rule.skipped',
            stage: stage.id,
            node: rule.id,
            reason: `"${time.field}" is empty, so the time relative to it is unknown`,
          })
          this.next(el, entry, index)
          return
        }
        due = addDuration(base, time.offset, this.calendar)
        reason = `${amountOf({ ...time.offset, amount: Math.abs(time.offset.amount) })} ${time.offset.amount < 0 ? 'before' : 'after'} ${time.field}`
        break
      }
      case 'at': {
        const at = momentOf(resolveValue(time.at, this.scope(el)), this.calendar)
        if (at !== undefined) {
          due = at
          reason = 'at a set moment'
        }
        break
      }
    }
    if (time.workingHours) {
      const adjusted = nextWorkingMoment(due, this.calendar)
      if (adjusted !== due) reason += ', moved into working hours'
      due = adjusted
    }
    if (due < now) {
      reason += '; that moment has passed, so at once'
      due = now
    }
    run.state = 'scheduled'
    run.dueAt = due
    this.record(el.id, {
      type: 'rule.scheduled',
      stage: stage.id,
      node: rule.id,
      dueAt: this.isoAt(due),
      reason,
    })
    const job: Job = { id: ++this.jobSeq, dueAt: due, element: el.id, epoch: entry.epoch, rule: index, kind: 'start' }
    if (due <= now) this.ready.push(job)
    else this.queue.push(job)
  }

  /** After rule `index` finished or was skipped, the next rule starts if it runs "after the previous". */
  private next(el: ElementState, entry: Entry, index: number): void {
    const stage = this.stages[entry.stage]
    const following = stage?.rules[index + 1]
    if (following && following.execution === 'afterPrevious' && entry.runs[index + 1]?.state === 'pending') {
      this.schedule(el, entry, index + 1)
    }
  }

  private runJob(job: Job): void {
    const el = this.elements.get(job.element)
    const entry = el?.entry
    if (!el || !entry || entry.epoch !== job.epoch) return // cancelled: it was recorded when the element left
    const run = entry.runs[job.rule]
    const stage = this.stages[entry.stage]
    const rule = stage?.rules[job.rule]
    if (!run || !rule || !stage) return
    if (job.kind === 'waitEnd') {
      if (run.state === 'running') {
        const timedOut = rule.type === 'wait' && rule.settings.until.mode === 'condition'
        this.finish(el, entry, job.rule, timedOut ? { timedOut: true } : {})
      }
      return
    }
    if (run.state !== 'scheduled') return
    if (rule.disabled) {
      run.state = 'skipped'
      this.record(el.id, { type: 'rule.skipped', stage: stage.id, node: rule.id, reason: 'the rule is disabled' })
      this.next(el, entry, job.rule)
      return
    }
    if (rule.condition) {
      const { result, rows } = compileCondition(rule.condition).evaluate(this.scope(el), this.ports.now())
      this.record(el.id, { type: 'condition.evaluated', node: rule.id, result, rows })
      if (!result) {
        run.state = 'skipped'
        const failed = rows.filter((r) => !r.result).map(describeRow)
        this.record(el.id, {
          type: 'rule.skipped',
          stage: stage.id,
          node: rule.id,
          reason: `condition false: ${failed.join('; ') || 'no row holds'}`,
        })
        this.next(el, entry, job.rule)
        return
      }
    }
    run.state = 'running'
    this.record(el.id, { type: 'rule.started', stage: stage.id, node: rule.id })
    let outcome: RuleOutcome
    try {
      outcome = this.execute(el, entry, job.rule, rule)
    } catch (error) {
      outcome = { status: 'failed', error: error instanceof Error ? error.message : String(error) }
    }
    if (el.entry !== entry) return // the rule moved the element: this stay is over
    if (outcome.status === 'done') {
      this.finish(el, entry, job.rule, outcome.outputs)
      this.announceDocument(el, rule, outcome.outputs)
    } else if (outcome.status === 'failed') this.fail(el, entry, job.rule, outcome.error)
  }

  private finish(el: ElementState, entry: Entry, index: number, outputs: Record<string, Json>): void {
    const run = entry.runs[index]
    const stage = this.stages[entry.stage]
    const rule = stage?.rules[index]
    if (!run || !stage || !rule) return
    run.state = 'done'
    for (const [name, value] of Object.entries(outputs)) entry.outputs.set(`${rule.id}\u0000${name}`, value)
    this.record(el.id, { type: 'rule.finished', stage: stage.id, node: rule.id, outputs })
    this.next(el, entry, index)
  }

  /** A failed rule stops its "after previous" chain; parallel rules go on. */
  private fail(el: ElementState, entry: Entry, index: number, error: string): void {
    const run = entry.runs[index]
    const stage = this.stages[entry.stage]
    const rule = stage?.rules[index]
    if (!run || !stage || !rule) return
    run.state = 'failed'
    this.record(el.id, { type: 'rule.failed', stage: stage.id, node: rule.id, error })
    for (let i = index + 1; i < stage.rules.length; i++) {
      const following = stage.rules[i]
      const followingRun = entry.runs[i]
      if (following?.execution !== 'afterPrevious' || followingRun?.state !== 'pending') break
      followingRun.state = 'notRun'
      this.record(el.id, {
        type: 'rule.notRun',
        stage: stage.id,
        node: following.id,
        reason: `"${rule.title}" before it failed`,
      })
    }
  }

  // ------------------------------------------------------------ values

  /** What values of this element resolve against; made once per element (it reads the current stay). */
  private scope(el: ElementState): Scope {
    if (el.scope) return el.scope
    const constants = this.constants
    const typeOf = (ref: Reference) => this.typeOf(ref)
    el.scope = {
      field: (path) => (path === 'id' ? el.id : (el.fields.get(path) ?? null)),
      constant: (id) => constants.get(id) ?? null,
      variable: (id) => el.variables.get(id) ?? null,
      output: (node, name) => el.entry?.outputs.get(`${node}\u0000${name}`) ?? null,
      typeOf,
    }
    return el.scope
  }

  /** The declared type of what a reference points at (for formatting amounts in texts). */
  private typeOf(ref: Reference): ValueType | undefined {
    switch (ref.kind) {
      case 'field':
        return this.fields.get(ref.path)?.type
      case 'constant':
        return this.graph.constants.find((c) => c.id === ref.id)?.type
      case 'variable':
        return this.graph.variables.find((v) => v.id === ref.id)?.type
      case 'output': {
        const rule = this.stages.flatMap((s) => s.rules).find((r) => r.id === ref.node)
        return rule ? ruleOutputs(rule).find((o) => o.name === ref.output)?.type : undefined
      }
    }
  }

  private text(el: ElementState, value: Parameters<typeof resolveValue>[0] | undefined): string {
    return value === undefined ? '' : toText(resolveValue(value, this.scope(el)))
  }

  // ------------------------------------------------------------ rules

  private execute(el: ElementState, entry: Entry, index: number, rule: RuleNode): RuleOutcome {
    const scope = this.scope(el)
    const resolve = (v: Parameters<typeof resolveValue>[0]) => resolveValue(v, scope)
    switch (rule.type) {
      case 'createDocument': {
        const s = rule.settings
        const fields: Record<string, Json> = {}
        for (const f of s.fields) fields[f.name] = resolve(f.value)
        return this.effect(el, entry, index, rule, {
          kind: 'createDocument',
          template: s.template,
          fields,
          withSignatureAndStamp: s.withSignatureAndStamp,
          publicLink: s.publicLink,
          waitForPdf: s.waitForPdf,
          ...(s.myCompany ? { myCompany: s.myCompany } : {}),
        })
      }
      case 'sendDocumentForSigning': {
        const s = rule.settings
        return this.effect(el, entry, index, rule, {
          kind: 'sendForSigning',
          template: s.template,
          companySigner: this.text(el, s.companySigner),
          channel: s.channel,
          signingOrder: s.signingOrder,
          client: {
            name: toText(scope.field('client.name')),
            email: toText(scope.field('client.email')),
            phone: toText(scope.field('client.phone')),
          },
        })
      }
      case 'changeRequisites': {
        const s = rule.settings
        const changed: Record<string, Json> = {}
        for (const row of s.values) {
          const path =
            row.field === 'address'
              ? `client.requisites.address.${s.addressType}.full`
              : row.field.startsWith('address.')
                ? `client.requisites.address.${s.addressType}.${row.field.slice('address.'.length)}`
                : `client.requisites.${row.field}`
          const value = resolve(row.value)
          changed[path] = value
          this.setField(el, path, value, { kind: 'rule', node: rule.id })
          if (el.entry !== entry) return { status: 'done', outputs: {} }
        }
        this.record(el.id, { type: 'settings.resolved', node: rule.id, settings: changed })
        return { status: 'done', outputs: {} }
      }
      case 'getRequisites': {
        const s = rule.settings
        const outputs: Record<string, Json> = {}
        for (const output of getCatalogEntry(rule.type)?.kind === 'rule' ? ruleOutputs(rule) : []) {
          const name = output.name
          const path = name.startsWith('address')
            ? `client.requisites.address.${s.addressType}.${name === 'address' ? 'full' : name.charAt(7).toLowerCase() + name.slice(8)}`
            : `client.requisites.${name}`
          outputs[name] = scope.field(path)
        }
        return { status: 'done', outputs }
      }
      case 'sendEmail': {
        const s = rule.settings
        const attachments = s.attachments
          .flatMap((a) => resolve(a))
          .filter((a): a is string => typeof a === 'string' && a !== '')
        return this.effect(el, entry, index, rule, {
          kind: 'email',
          ...(s.from ? { from: this.text(el, s.from) } : {}),
          to: this.text(el, s.to),
          subject: this.text(el, s.subject),
          body: this.text(el, s.body),
          format: s.format,
          attachments,
        })
      }
      case 'sendSms':
        return this.effect(el, entry, index, rule, {
          kind: 'sms',
          to: this.text(el, rule.settings.to),
          text: this.text(el, rule.settings.text),
        })
      case 'sendDocumentLink': {
        const s = rule.settings
        return this.effect(el, entry, index, rule, {
          kind: 'documentLink',
          document: this.text(el, s.document),
          channel: s.channel,
          to: toText(scope.field(s.channel === 'email' ? 'client.email' : 'client.phone')),
          ...(s.message ? { message: this.text(el, s.message) } : {}),
        })
      }
      case 'addNotification':
        return this.effect(el, entry, index, rule, {
          kind: 'notification',
          to: rule.settings.to.flatMap((v) => resolve(v)).filter((v): v is string => typeof v === 'string' && v !== ''),
          text: this.text(el, rule.settings.text),
        })
      case 'notifySupervisor':
        return this.effect(el, entry, index, rule, {
          kind: 'notification',
          to: [toText(scope.field('supervisor'))].filter((v) => v !== ''),
          text: this.text(el, rule.settings.text),
        })
      case 'createTask': {
        const s = rule.settings
        return this.effect(el, entry, index, rule, {
          kind: 'task',
          title: this.text(el, s.title),
          ...(s.description ? { description: this.text(el, s.description) } : {}),
          responsible: this.text(el, s.responsible),
          ...(s.deadline
            ? { deadline: new Date(addDuration(this.ports.now(), s.deadline, this.calendar)).toISOString() }
            : {}),
          checklist: s.checklist,
        })
      }
      case 'changeStage': {
        const target = this.stageIndex.get(rule.settings.stage)
        if (target === undefined) return { status: 'failed', error: `no stage "${rule.settings.stage}"` }
        const run = entry.runs[index]
        if (run) run.state = 'done'
        this.record(el.id, {
          type: 'rule.finished',
          stage: this.stages[entry.stage]?.id ?? '',
          node: rule.id,
          outputs: {},
        })
        this.enter(el, target, { kind: 'rule', node: rule.id })
        return { status: 'running' }
      }
      case 'changeResponsible': {
        const assign = rule.settings.assign
        let user: string
        if (assign.mode === 'user') user = this.text(el, assign.user)
        else {
          const turn = this.roundRobin.get(rule.id) ?? 0
          this.roundRobin.set(rule.id, turn + 1)
          user = assign.users[turn % assign.users.length] ?? ''
        }
        if (user === '') return { status: 'failed', error: 'no user to make responsible' }
        this.setField(el, 'responsible', user, { kind: 'rule', node: rule.id })
        return { status: 'done', outputs: { responsible: user } }
      }
      case 'modifyFields': {
        for (const row of rule.settings.values) {
          const value = resolve(row.value)
          const before = el.fields.get(row.field) ?? null
          const next =
            row.mode === 'append'
              ? [...(Array.isArray(before) ? before : before === null ? [] : [before]), value]
              : value
          this.setField(el, row.field, next as Json, { kind: 'rule', node: rule.id })
          if (el.entry !== entry) return { status: 'done', outputs: {} }
        }
        return { status: 'done', outputs: {} }
      }
      case 'wait': {
        const until = rule.settings.until
        const run = entry.runs[index]
        if (!run) return { status: 'failed', error: 'internal: no run' }
        if (until.mode === 'condition' && compileCondition(until.condition).evaluate(scope, this.ports.now()).result) {
          return { status: 'done', outputs: { timedOut: false } }
        }
        const end = addDuration(
          this.ports.now(),
          until.mode === 'duration' ? until.duration : until.timeout,
          this.calendar,
        )
        run.waitDeadline = end
        this.queue.push({
          id: ++this.jobSeq,
          dueAt: end,
          element: el.id,
          epoch: entry.epoch,
          rule: index,
          kind: 'waitEnd',
        })
        return { status: 'running' }
      }
      case 'setVariable':
        this.setVariable(el, rule.id, rule.settings.variable, resolve(rule.settings.value))
        return { status: 'done', outputs: {} }
      case 'calculate': {
        const result = this.calculate(el, entry, rule.settings.formula, rule.settings.resultType)
        if (rule.settings.variable) this.setVariable(el, rule.id, rule.settings.variable, result)
        return { status: 'done', outputs: { result } }
      }
      case 'writeToLog':
        this.record(el.id, { type: 'log', node: rule.id, text: this.text(el, rule.settings.text) })
        return { status: 'done', outputs: {} }
      default: {
        const unhandled: never = rule
        throw new Error(`the engine cannot run ${JSON.stringify(unhandled)}`)
      }
    }
  }

  /** Writes a variable and records it before and after (only the variable that changed). */
  private setVariable(el: ElementState, node: string, id: string, value: Json): void {
    const before = el.variables.get(id) ?? null
    el.variables.set(id, value)
    this.record(el.id, { type: 'variables.changed', node, before: { [id]: before }, after: { [id]: value } })
  }

  private calculate(el: ElementState, entry: Entry, formula: string, resultType: ValueType): Json {
    this.formulaEnv ??= createFormulaEnvironment({
      fields: [...this.fields.values()].map((f) => [f.path, f.type, f.multiple] as [string, ValueType, boolean]),
      constants: this.graph.constants.map((c) => [c.id, c.type, c.multiple ?? false] as [string, ValueType, boolean]),
      variables: this.graph.variables.map((v) => [v.id, v.type, v.multiple ?? false] as [string, ValueType, boolean]),
    })
    const problem = checkFormula(this.formulaEnv, formula, resultType)
    if (problem) throw new Error(`formula: ${problem.message}`)
    const outputs: Record<string, Record<string, Json>> = {}
    for (const [key, value] of entry.outputs) {
      const [node = '', name = ''] = key.split('\u0000')
      outputs[node] ??= {}
      ;(outputs[node] as Record<string, Json>)[name] = value
    }
    const typed = (entries: Iterable<[string, Json]>, types: Map<string, ValueType>) =>
      nestFields(
        [...entries]
          .filter(([, v]) => v !== null)
          .map(
            ([k, v]) =>
              [k, types.get(k) === 'date' || types.get(k) === 'datetime' ? toTimestamp(v) : v] as [string, Json],
          ),
      )
    const fieldTypes = new Map([...this.fields.values()].map((f) => [f.path, f.type]))
    const constTypes = new Map(this.graph.constants.map((c) => [c.id, c.type]))
    const varTypes = new Map(this.graph.variables.map((v) => [v.id, v.type]))
    const value = fromCel(
      this.formulaEnv.evaluate(formula, {
        element: typed(el.fields, fieldTypes),
        constants: typed(this.constants, constTypes),
        variables: typed(el.variables, varTypes),
        outputs,
      }),
    )
    if (resultType === 'money' && typeof value === 'number') return roundMoney(value)
    if (resultType === 'date' && typeof value === 'string') return value.slice(0, 10)
    return value
  }

  /** Asks the outside world to act, records the request, and turns its answer into the rule's outcome. */
  private effect(el: ElementState, entry: Entry, index: number, rule: RuleNode, request: EffectRequest): RuleOutcome {
    const effectId = this.ports.newId('effect')
    this.record(el.id, { type: 'effect.requested', node: rule.id, effect: effectId, request })
    const result = this.ports.perform(this.snapshot(el.id), request, effectId)
    if (result.status === 'pending') {
      const run = entry.runs[index]
      if (run) run.effect = effectId
      this.waitingEffects.set(effectId, { element: el.id, epoch: entry.epoch, rule: index })
      // "create document" without "wait for PDF" lets the next rule start before the PDF exists.
      if (rule.type === 'createDocument' && !rule.settings.waitForPdf) return { status: 'done', outputs: {} }
      return { status: 'running' }
    }
    this.record(el.id, { type: 'effect.finished', node: rule.id, effect: effectId, result })
    if (result.status === 'failed') return { status: 'failed', error: result.error }
    const outputs = result.outputs ?? {}
    this.rememberDocument(el, rule, outputs)
    return { status: 'done', outputs }
  }

  /** A document made by a rule becomes the element's last document (fields `lastDocument.*`). */
  private rememberDocument(el: ElementState, rule: RuleNode, outputs: Record<string, Json>): void {
    if (rule.type !== 'createDocument' && rule.type !== 'sendDocumentForSigning') return
    const fields: Record<string, string> = {
      documentId: 'lastDocument.id',
      documentNumber: 'lastDocument.number',
      documentType: 'lastDocument.type',
      publicLink: 'lastDocument.publicLink',
      clientSigningLink: 'lastDocument.clientSigningLink',
      pdf: 'lastDocument.pdf',
    }
    for (const [name, path] of Object.entries(fields)) {
      const value = outputs[name]
      if (value !== undefined) el.fields.set(path, value)
    }
  }

  /** After the rule has finished, "document created" triggers hear of the new document. */
  private announceDocument(el: ElementState, rule: RuleNode, outputs: Record<string, Json>): void {
    if (rule.type !== 'createDocument' && rule.type !== 'sendDocumentForSigning') return
    const type = outputs.documentType
    this.event(el, {
      type: 'documentCreated',
      ...(typeof type === 'string' ? { documentType: type as NonNullable<EngineEvent['documentType']> } : {}),
    })
  }

  // ------------------------------------------------------------ fields and events

  private setField(el: ElementState, field: string, value: Json, by: Author): void {
    const before = el.fields.get(field) ?? null
    if (JSON.stringify(before) === JSON.stringify(value)) return
    el.fields.set(field, value)
    this.record(el.id, { type: 'field.changed', field, before, after: value, by })
    this.checkWaits(el)
    this.event(el, { type: 'fieldChanged', field, value })
    if (field === 'responsible') this.event(el, { type: 'responsibleChanged' })
  }

  /** "Wait until a condition" rules check their condition whenever the element changes. */
  private checkWaits(el: ElementState): void {
    const entry = el.entry
    const stage = entry ? this.stages[entry.stage] : undefined
    if (!entry || !stage) return
    stage.rules.forEach((rule, i) => {
      const run = entry.runs[i]
      if (rule.type !== 'wait' || run?.state !== 'running' || rule.settings.until.mode !== 'condition') return
      if (compileCondition(rule.settings.until.condition).evaluate(this.scope(el), this.ports.now()).result) {
        this.finish(el, entry, i, { timedOut: false })
      }
    })
  }

  /**
   * Every trigger of the pipeline that matches the event and whose condition holds is a
   * candidate; the nearest stage ahead wins; one behind wins only if it allows return.
   */
  private event(el: ElementState, event: EngineEvent): void {
    if (event.type !== 'fieldChanged' && event.type !== 'responsibleChanged') {
      this.record(el.id, { type: 'event.received', event })
    }
    const current = el.stage ?? -1
    let ahead: { trigger: TriggerNode; stage: number } | undefined
    let behind: { trigger: TriggerNode; stage: number } | undefined
    const considered: Array<{ trigger: TriggerNode; stage: number; reason: string; candidate: boolean }> = []
    this.stages.forEach((stage, s) => {
      for (const trigger of stage.triggers) {
        if (trigger.type !== event.type || trigger.disabled) continue
        const mismatch = triggerMismatch(trigger, event)
        if (mismatch) {
          considered.push({ trigger, stage: s, reason: mismatch, candidate: false })
          continue
        }
        if (trigger.condition) {
          const { result, rows } = compileCondition(trigger.condition).evaluate(this.scope(el), this.ports.now())
          this.record(el.id, { type: 'condition.evaluated', node: trigger.id, result, rows })
          if (!result) {
            const failed = rows.filter((r) => !r.result).map(describeRow)
            considered.push({ trigger, stage: s, reason: `condition false: ${failed.join('; ')}`, candidate: false })
            continue
          }
        }
        if (s === current) {
          considered.push({ trigger, stage: s, reason: 'the element is already in this stage', candidate: false })
        } else if (s < current && !trigger.allowReturn) {
          considered.push({ trigger, stage: s, reason: 'stage behind, return not allowed', candidate: false })
        } else {
          considered.push({ trigger, stage: s, reason: '', candidate: true })
          if (s > current && (!ahead || s < ahead.stage)) ahead = { trigger, stage: s }
          if (s < current && (!behind || s > behind.stage)) behind = { trigger, stage: s }
        }
      }
    })
    const winner = ahead ?? behind
    for (const c of considered) {
      const stage = this.stages[c.stage]
      const fired = winner?.trigger === c.trigger
      const reason = fired
        ? c.stage > current
          ? 'the nearest stage ahead'
          : 'return allowed, and no stage ahead matched'
        : c.candidate
          ? `"${this.stages[winner?.stage ?? -1]?.name}" is ${c.stage > current && winner && winner.stage > current ? 'nearer' : 'ahead'}`
          : c.reason
      this.record(el.id, { type: 'trigger.considered', node: c.trigger.id, stage: stage?.id ?? '', fired, reason })
    }
    if (winner) {
      const as = winner.trigger.changeStageAs.mode === 'user' ? winner.trigger.changeStageAs.user : 'responsible'
      this.enter(el, winner.stage, { kind: 'trigger', node: winner.trigger.id, as })
    }
  }
}

/** Why a trigger of the right type still does not match this event, if it does not. */
function triggerMismatch(trigger: TriggerNode, event: EngineEvent): string | undefined {
  if ('documentType' in trigger.settings) {
    const wanted = trigger.settings.documentType
    if (wanted !== 'any' && wanted !== event.documentType) {
      return `it waits for a ${wanted}, this was ${event.documentType ? `a ${event.documentType}` : 'another document'}`
    }
    return undefined
  }
  if (trigger.type === 'fieldChanged') {
    if (!event.field || !trigger.settings.fields.includes(event.field))
      return `it watches ${trigger.settings.fields.join(', ')}`
    const to = trigger.settings.to
    if (to && to.kind === 'literal' && JSON.stringify(to.value) !== JSON.stringify(event.value ?? null)) {
      return `${event.field} changed to ${JSON.stringify(event.value)}, not ${JSON.stringify(to.value)}`
    }
    return undefined
  }
  if (trigger.type === 'webhook' && event.trigger !== undefined && event.trigger !== trigger.id) {
    return 'another webhook was called'
  }
  return undefined
}

function ruleOutputs(rule: RuleNode) {
  const entry = getCatalogEntry(rule.type)
  return entry?.kind === 'rule' ? entry.outputs(rule.settings as never) : []
}

/** "1 day", "2 hours", "3 work days". */
function amountOf(d: { amount: number; unit: string }): string {
  const unit = d.unit === 'workDays' ? 'work day' : d.unit.replace(/s$/, '')
  return `${d.amount} ${unit}${d.amount === 1 ? '' : 's'}`
}

function toTimestamp(value: Json): Json {
  if (typeof value !== 'string') return value
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)
  return Number.isNaN(ms) ? value : (new Date(ms) as unknown as Json)
}

export { isEmptyValue }
