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
import { checkFormula, createFormulaEnvironment, createFormulaRunner } from '../expressions/formula.js'
import { type FieldDef, fieldIndex } from '../graph/fields.js'
import type { Graph, RuleNode, Stage, TriggerNode } from '../graph/graph.js'
import type { Reference, Value } from '../graph/schema-parts.js'
import type { ValueType } from '../graph/vocabulary.js'
import { addDuration, localDay, momentOf, nextWorkingMoment } from './calendar.js'
import {
  type CompiledCondition,
  type ConditionClock,
  compileCondition,
  describeRow,
  isEmptyValue,
} from './conditions.js'
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
import {
  describeReference,
  nestFields,
  resolveHtml,
  resolveValue,
  roundMoney,
  type Scope,
  setNested,
  toText,
} from './values.js'

export interface EngineOptions {
  graph: Graph
  ports: EnginePorts
  calendar?: WorkingCalendar
  /** Automatic moves one input may cause before the engine calls it a loop. */
  maxMovesPerInput?: number
  /** Called with every record as it is made (the runtime stores them). */
  onRecord?: (record: TimelineRecord) => void
  /**
   * Keep every record in `timeline` (the simulator reads it). A runtime that stores records as
   * they come through `onRecord` turns this off, so a long-lived engine does not grow.
   */
  keepTimeline?: boolean
}

export type RunState = 'pending' | 'scheduled' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled' | 'notRun'

/**
 * An input the engine refuses because of the element's state: `notFound` when it names something the element's
 * current stay does not have (a rule of another stage), `conflict` when what it asks cannot happen now (a rule
 * that has not failed retried). The runtime answers them as 404 and 409.
 */
export class EngineError extends Error {
  constructor(
    readonly code: 'notFound' | 'conflict',
    message: string,
  ) {
    super(message)
    this.name = 'EngineError'
  }
}

interface RuleRun {
  state: RunState
  /** The effect a running rule waits for. */
  effect?: string
  /** For "wait until a condition": when it gives up. */
  waitDeadline?: number
  dueAt?: number
}

/** One stay of an element in a stage: its rules' runs and their outputs (by rule id, then output name). */
interface Entry {
  epoch: number
  stage: number
  runs: RuleRun[]
  outputs: Record<string, Record<string, Json>>
}

interface ElementState {
  id: string
  stage: number | null
  /** Fields by path. Copied before a change once a snapshot shares it (copy on write). */
  fields: Record<string, Json>
  shared: boolean
  variables: Record<string, Json>
  entry: Entry | null
  scope: Scope
  /** The nested, typed views formulas read (`element.client.email`), made on first use, then kept in step. */
  celFields?: Record<string, Json>
  celVariables?: Record<string, Json>
}

/** A stage as the engine runs it: its rules read once into one shape (the graph's nodes vary by type). */
interface StagePlan {
  id: string
  name: string
  rules: RulePlan[]
}

class RulePlan {
  readonly id: string
  readonly parallel: boolean
  readonly disabled: boolean
  /** "Immediately" and no working hours: due the moment it is scheduled. */
  readonly immediate: boolean
  private compiled: CompiledCondition | null | undefined

  constructor(readonly rule: RuleNode) {
    this.id = rule.id
    this.parallel = rule.execution === 'parallel'
    this.disabled = rule.disabled === true
    this.immediate = rule.time.mode === 'immediately' && !rule.time.workingHours
  }

  /** The rule's condition, compiled on first use. */
  get condition(): CompiledCondition | null {
    if (this.compiled === undefined) this.compiled = this.rule.condition ? compileCondition(this.rule.condition) : null
    return this.compiled
  }
}

interface Job {
  id: number
  dueAt: number
  el: ElementState
  epoch: number
  rule: number
  kind: 'start' | 'waitEnd'
}

/** An effect that answered `pending`: which stay and rule it belongs to. */
interface WaitingEffect {
  element: string
  epoch: number
  stage: number
  rule: number
}

type RuleOutcome =
  | { status: 'done'; outputs: Record<string, Json> }
  | { status: 'failed'; error: string }
  | { status: 'running' }

/** A formula, parsed and type-checked once per engine. */
type CompiledFormula = { run: (context: Record<string, unknown>) => unknown } | { error: string }

const TERMINAL: ReadonlySet<RunState> = new Set(['done', 'skipped', 'failed', 'cancelled', 'notRun'])
const DOCUMENT_FIELDS: ReadonlyArray<[string, string]> = [
  ['documentId', 'lastDocument.id'],
  ['documentNumber', 'lastDocument.number'],
  ['documentType', 'lastDocument.type'],
  ['publicLink', 'lastDocument.publicLink'],
  ['clientSigningLink', 'lastDocument.clientSigningLink'],
  ['pdf', 'lastDocument.pdf'],
]
const NO_OUTPUTS: Record<string, Json> = Object.freeze({}) as Record<string, Json>
/** The outputs of a stay before any rule has given one (most stays never do). */
const NO_STAY_OUTPUTS: Record<string, Record<string, Json>> = Object.freeze(Object.create(null))
const NOTHING_LATER: ReadonlyArray<() => void> = Object.freeze([])

const byDueMoment = (a: Job, b: Job) => a.dueAt - b.dueAt || a.id - b.id

/**
 * One element as the runtime stores it between inputs: fields, variables, its current stay
 * (each rule's state and the outputs so far), the rules it waits to run and the effects it
 * waits for. Plain JSON; stages by id, rules by their place in the stage of the pinned version.
 */
export interface SavedElement {
  id: string
  stage: string | null
  fields: Record<string, Json>
  variables: Record<string, Json>
  stay: {
    epoch: number
    stage: string
    /** `waitDeadline`: a running "Wait" rule's end (or its timeout), as `ruleStates` gives it (`waitsUntil`). */
    runs: Array<{ state: RunState; dueAt?: number; effect?: string; waitDeadline?: number }>
    outputs: Record<string, Record<string, Json>>
  } | null
  jobs: Array<{ dueAt: number; epoch: number; rule: number; kind: 'start' | 'waitEnd' }>
  effects: Array<{ effect: string; epoch: number; stage: string; rule: number }>
}

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

const isDocumentRule = (rule: RuleNode | undefined) =>
  rule?.type === 'createDocument' || rule?.type === 'sendDocumentForSigning'

export class Engine {
  readonly timeline: TimelineRecord[] = []
  private readonly graph: Graph
  private readonly ports: EnginePorts
  private readonly calendar: WorkingCalendar
  private readonly maxMoves: number
  private readonly onRecord: ((record: TimelineRecord) => void) | undefined
  private readonly keepTimeline: boolean
  private readonly stages: Stage[]
  private readonly plans: StagePlan[]
  private readonly stageIndex = new Map<string, number>()
  private readonly fields: Map<string, FieldDef>
  private readonly constants = new Map<string, Json>()
  private readonly types = new Map<string, ValueType>()
  /** Fields, constants and variables holding a date or a moment: formulas see them as timestamps. */
  private readonly timeFields = new Set<string>()
  private readonly timeConstants = new Set<string>()
  private readonly timeVariables = new Set<string>()
  private readonly refTypes = new WeakMap<Reference, ValueType | typeof NO_TYPE>()
  private readonly triggers = new Map<string, Array<{ trigger: TriggerNode; stage: number }>>()
  private readonly elements = new Map<string, ElementState>()
  private queue = new TinyQueue<Job>([], byDueMoment)
  /** Jobs due now, run before the input returns: side by side arrays, as they come and go by the million. */
  private readonly readyEl: ElementState[] = []
  private readonly readyEpoch: number[] = []
  private readonly readyRule: number[] = []
  private readonly readyKind: Array<Job['kind']> = []
  private readonly waitingEffects = new Map<string, WaitingEffect>()
  private readonly roundRobin = new Map<string, number>()
  private readonly formulas = new Map<string, CompiledFormula>()
  private lastFormula: { formula: string; resultType: ValueType; compiled: CompiledFormula } | undefined
  private formulaEnv: ReturnType<typeof createFormulaEnvironment> | undefined
  private formulaRunner: ReturnType<typeof createFormulaRunner> | undefined
  private celConstants: Record<string, Json> | undefined
  private seq = 0
  private jobSeq = 0
  private epochSeq = 0
  private movesThisInput: string[] = []
  private draining = false
  /** The moment of the input being handled: every record of one input shares it. */
  private now = 0
  private iso = ''
  private readonly clock: ConditionClock
  /** Today's local date, and the moments it lasts from and to. */
  private todayAt = 0
  private todayFrom = 0
  private todayTo = 0
  /** While a rule runs, what its changes set off (field-changed triggers, a stage move) waits until it has finished. */
  private running = false
  private deferred: Array<() => void> | null = null

  constructor(options: EngineOptions) {
    this.graph = options.graph
    this.ports = options.ports
    this.calendar = options.calendar ?? DEFAULT_CALENDAR
    this.maxMoves = options.maxMovesPerInput ?? 100
    this.onRecord = options.onRecord
    this.keepTimeline = options.keepTimeline ?? true
    this.stages = options.graph.pipeline.stages
    this.plans = this.stages.map((stage) => ({
      id: stage.id,
      name: stage.name,
      rules: stage.rules.map((rule) => new RulePlan(rule)),
    }))
    this.stages.forEach((stage, s) => {
      if (!this.stageIndex.has(stage.id)) this.stageIndex.set(stage.id, s)
      for (const trigger of stage.triggers) {
        const list = this.triggers.get(trigger.type) ?? []
        list.push({ trigger, stage: s })
        this.triggers.set(trigger.type, list)
      }
    })
    this.fields = fieldIndex(options.graph.elementType, options.graph.fields)
    for (const c of options.graph.constants) if (!this.constants.has(c.id)) this.constants.set(c.id, c.value)
    for (const [path, f] of this.fields) this.types.set(`f:${path}`, f.type)
    for (const c of options.graph.constants) this.types.set(`c:${c.id}`, c.type)
    for (const v of options.graph.variables) this.types.set(`v:${v.id}`, v.type)
    const isTime = (type: ValueType) => type === 'date' || type === 'datetime'
    for (const [path, f] of this.fields) if (isTime(f.type)) this.timeFields.add(path)
    for (const c of options.graph.constants) if (isTime(c.type)) this.timeConstants.add(c.id)
    for (const v of options.graph.variables) if (isTime(v.type)) this.timeVariables.add(v.id)
    for (const stage of this.stages) {
      for (const rule of stage.rules) {
        for (const o of ruleOutputs(rule)) this.types.set(`o:${rule.id}\u0000${o.name}`, o.type)
      }
    }
    this.clock = { now: 0, today: () => this.localToday() }
    this.setMoment(this.ports.now())
  }

  // ------------------------------------------------------------ inputs

  /** Registers an element standing in a stage. Its stage's rules do not run (they run on entry only). */
  addElement(element: ElementSnapshot): void {
    if (this.elements.has(element.id)) throw new Error(`element "${element.id}" is already here`)
    this.begin()
    const variables: Record<string, Json> = Object.create(null)
    for (const v of this.graph.variables) variables[v.id] = v.default ?? (v.multiple ? [] : null)
    const stage = element.stage === null ? null : (this.stageIndex.get(element.stage) ?? null)
    const fields: Record<string, Json> = Object.create(null)
    Object.assign(fields, element.fields)
    const el: ElementState = { id: element.id, stage, fields, shared: false, variables, entry: null, scope: NO_SCOPE }
    el.scope = new ElementScope(this, el, this.constants)
    this.elements.set(element.id, el)
    this.record(element.id, { type: 'element.added', stage: element.stage })
  }

  /**
   * The element as the runtime stores it: call after an input, then `removeElement` if the
   * engine serves other elements next. The next due moment is `jobs`' earliest `dueAt`.
   */
  saveElement(elementId: string): SavedElement {
    const el = this.element(elementId)
    const entry = el.entry
    const jobs: SavedElement['jobs'] = []
    for (const job of this.queue.data) {
      if (job.el === el && this.isLive(job))
        jobs.push({ dueAt: job.dueAt, epoch: job.epoch, rule: job.rule, kind: job.kind })
    }
    jobs.sort((a, b) => a.dueAt - b.dueAt)
    const effects: SavedElement['effects'] = []
    for (const [effect, w] of this.waitingEffects) {
      if (w.element === el.id)
        effects.push({ effect, epoch: w.epoch, stage: this.plans[w.stage]?.id ?? '', rule: w.rule })
    }
    return clone({
      id: el.id,
      stage: this.stageId(el.stage),
      fields: { ...el.fields },
      variables: { ...el.variables },
      stay: entry
        ? {
            epoch: entry.epoch,
            stage: this.plans[entry.stage]?.id ?? '',
            runs: entry.runs.map((r) => ({
              state: r.state,
              ...(r.dueAt !== undefined ? { dueAt: r.dueAt } : {}),
              ...(r.effect !== undefined ? { effect: r.effect } : {}),
              ...(r.waitDeadline !== undefined && r.state === 'running' ? { waitDeadline: r.waitDeadline } : {}),
            })),
            outputs: { ...entry.outputs },
          }
        : null,
      jobs,
      effects,
    })
  }

  /**
   * Takes an element back as `saveElement` gave it (no record is made: nothing happened to it).
   * Refuses, naming the part, a saved element that does not fit this flow version.
   */
  loadElement(saved: SavedElement): void {
    if (this.elements.has(saved.id)) throw new Error(`element "${saved.id}" is already here`)
    const stageOf = (id: string, where: string) => {
      const index = this.stageIndex.get(id)
      if (index === undefined)
        throw new Error(
          `saved element "${saved.id}": ${where} names stage "${id}", which this flow version does not have`,
        )
      return index
    }
    const fields: Record<string, Json> = Object.create(null)
    Object.assign(fields, saved.fields)
    const variables: Record<string, Json> = Object.create(null)
    for (const v of this.graph.variables) variables[v.id] = v.default ?? (v.multiple ? [] : null)
    Object.assign(variables, saved.variables)
    const stage = saved.stage === null ? null : stageOf(saved.stage, 'stage')
    let entry: Entry | null = null
    if (saved.stay) {
      const index = stageOf(saved.stay.stage, 'stay.stage')
      const rules = this.plans[index]?.rules.length ?? 0
      if (saved.stay.runs.length !== rules) {
        throw new Error(
          `saved element "${saved.id}": stay.runs has ${saved.stay.runs.length} rules, stage "${saved.stay.stage}" has ${rules}`,
        )
      }
      const outputs: Record<string, Record<string, Json>> = Object.create(null)
      for (const [node, values] of Object.entries(saved.stay.outputs))
        outputs[node] = Object.assign(Object.create(null), values)
      entry = {
        epoch: saved.stay.epoch,
        stage: index,
        runs: saved.stay.runs.map((r) => ({ ...r })),
        outputs: Object.keys(outputs).length ? outputs : NO_STAY_OUTPUTS,
      }
      this.epochSeq = Math.max(this.epochSeq, saved.stay.epoch)
    }
    const el: ElementState = { id: saved.id, stage, fields, shared: false, variables, entry, scope: NO_SCOPE }
    el.scope = new ElementScope(this, el, this.constants)
    this.elements.set(saved.id, el)
    for (const job of saved.jobs)
      this.queue.push({ id: ++this.jobSeq, dueAt: job.dueAt, el, epoch: job.epoch, rule: job.rule, kind: job.kind })
    for (const w of saved.effects) {
      this.waitingEffects.set(w.effect, {
        element: saved.id,
        epoch: w.epoch,
        stage: stageOf(w.stage, 'effects'),
        rule: w.rule,
      })
    }
  }

  /** Forgets an element: its state, the rules it waits to run and the effects it waits for. */
  removeElement(elementId: string): void {
    const el = this.element(elementId)
    this.elements.delete(elementId)
    this.queue = new TinyQueue(
      this.queue.data.filter((job) => job.el !== el),
      byDueMoment,
    )
    for (const [effect, w] of this.waitingEffects) if (w.element === elementId) this.waitingEffects.delete(effect)
  }

  /** A person, an API call or the runtime moves an element: it enters the stage and the stage's rules start. */
  moveToStage(elementId: string, stageId: string, by: Author): void {
    const el = this.element(elementId)
    const target = this.stageIndex.get(stageId)
    if (target === undefined) throw new Error(`no stage "${stageId}" in this flow`)
    this.begin()
    this.enter(el, target, by)
    this.drain()
  }

  /** "Run for elements already here": starts the stage's rules for an element standing in it, recorded as such. */
  runForElementHere(elementId: string, by: Author): void {
    const el = this.element(elementId)
    if (el.stage === null) throw new Error(`element "${elementId}" stands in no stage`)
    this.begin()
    const stage = this.stages[el.stage] as Stage
    this.record(el.id, { type: 'run.requested', stage: stage.id, by })
    this.cancelRuns(el, 'started again', stage.name)
    this.startEntry(el, el.stage)
    this.drain()
  }

  /** Something happened to the element (signed, viewed, paid, a webhook): triggers may move it. */
  fireEvent(elementId: string, event: EngineEvent): void {
    const el = this.element(elementId)
    this.begin()
    this.event(el, event)
    this.drain()
  }

  /** A field changed (by a person or the API). No rule starts; "field changed" triggers may move the element. */
  changeField(elementId: string, field: string, value: Json, by: Author): void {
    const el = this.element(elementId)
    this.begin()
    this.setField(el, field, value, by)
    this.drain()
  }

  /**
   * A person (or the API) runs a failed rule of the element's current stay again: recorded as `rule.retried`,
   * the "after previous" rules that did not run because it failed wait for it again, and it runs at once (its
   * condition is evaluated again; its time setting is not waited for a second time). Refuses (EngineError) a
   * rule that is not in the current stay (`notFound`) or has not failed (`conflict`).
   */
  retryRule(elementId: string, ruleId: string, by: Author): void {
    const el = this.element(elementId)
    const entry = el.entry
    const stage = entry ? this.plans[entry.stage] : undefined
    const index = stage ? stage.rules.findIndex((r) => r.id === ruleId) : -1
    const run = entry?.runs[index]
    if (!entry || !stage || !run) {
      throw new EngineError(
        'notFound',
        `no rule "${ruleId}" in the stage the element stands in${stage ? ` ("${stage.name}")` : ''}`,
      )
    }
    const title = (stage.rules[index] as RulePlan).rule.title
    if (run.state !== 'failed') {
      throw new EngineError(
        'conflict',
        `rule "${title}" has not failed (it is ${run.state === 'notRun' ? 'not run' : run.state}); only a failed rule can be retried`,
      )
    }
    this.begin()
    this.record(el.id, { type: 'rule.retried', stage: stage.id, node: ruleId, by })
    // The chain it stopped (see `fail`): the "after previous" rules right after it that were not run.
    for (let i = index + 1; i < stage.rules.length; i++) {
      const following = entry.runs[i]
      if ((stage.rules[i] as RulePlan).parallel || following?.state !== 'notRun') break
      following.state = 'pending'
    }
    run.state = 'scheduled'
    run.dueAt = this.now
    run.effect = undefined
    run.waitDeadline = undefined
    this.makeReady(el, entry.epoch, index, 'start')
    this.drain()
  }

  /** Runs every rule that is due at `ports.now()`. */
  runDue(): void {
    this.begin()
    const now = this.now
    for (let top = this.queue.peek(); top !== undefined && top.dueAt <= now; top = this.queue.peek()) {
      const job = this.queue.pop() as Job
      this.makeReady(job.el, job.epoch, job.rule, job.kind)
    }
    this.drain()
  }

  /** When the next rule is due, if any is waiting (jobs of stays that are over are dropped on the way). */
  nextDueAt(): number | undefined {
    for (let top = this.queue.peek(); top; top = this.queue.peek()) {
      if (this.isLive(top)) return top.dueAt
      this.queue.pop()
    }
    return undefined
  }

  /** An effect that answered `pending` has finished (the runtime calls this). */
  completeEffect(effectId: string, result: EffectResult): void {
    const waiting = this.waitingEffects.get(effectId)
    if (!waiting) return
    this.begin()
    this.waitingEffects.delete(effectId)
    const el = this.element(waiting.element)
    const rule = this.stages[waiting.stage]?.rules[waiting.rule]
    if (!rule) return
    this.record(el.id, { type: 'effect.finished', node: rule.id, effect: effectId, result })
    const entry = el.entry && el.entry.epoch === waiting.epoch ? el.entry : null
    const run = entry?.runs[waiting.rule]
    if (result.status === 'failed') {
      if (entry && run?.state === 'running') this.fail(el, entry, waiting.rule, result.error)
    } else if (result.status === 'done') {
      const outputs = result.outputs ?? {}
      this.rememberDocument(el, rule, outputs)
      const announce = isDocumentRule(rule) ? [() => this.announceDocument(el, outputs)] : []
      if (entry && run?.state === 'running') this.finish(el, entry, waiting.rule, outputs, announce)
      else {
        // A "create document" that did not wait for its PDF finished already, or the element has
        // moved on: the document exists all the same, and later rules of the stay can read it.
        if (entry) this.keepOutputs(entry, rule.id, outputs)
        for (const action of announce) action()
      }
    }
    this.drain()
  }

  /** The element as it stands now (fields and stage), for the simulator and the runtime. */
  snapshot(elementId: string): ElementSnapshot {
    const el = this.element(elementId)
    return {
      id: el.id,
      stage: el.stage === null ? null : (this.stages[el.stage]?.id ?? null),
      fields: { ...el.fields },
    }
  }

  variables(elementId: string): Record<string, Json> {
    return { ...this.element(elementId).variables }
  }

  /** The state of each rule of the element's current stage ("waiting until …", "done", "skipped"). */
  ruleStates(elementId: string): Array<{ node: string; state: RunState; dueAt?: string; waitsUntil?: string }> {
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
        // A "Wait" rule that is running: when its pause (or its timeout) ends.
        ...(run?.waitDeadline !== undefined && run.state === 'running'
          ? { waitsUntil: new Date(run.waitDeadline).toISOString() }
          : {}),
      }
    })
  }

  // ------------------------------------------------------------ the input loop

  /**
   * Every input runs to quiescence: its consequences (rules due now, moves, triggers) happen
   * before it returns, all at the moment the input began.
   */
  private begin(): void {
    if (this.draining) return
    this.movesThisInput = []
    this.setMoment(this.ports.now())
  }

  private drain(): void {
    if (this.draining) return
    this.draining = true
    try {
      const { readyEl, readyEpoch, readyRule, readyKind } = this
      for (let i = 0; i < readyEl.length; i++) {
        this.runJob(
          readyEl[i] as ElementState,
          readyEpoch[i] as number,
          readyRule[i] as number,
          readyKind[i] as Job['kind'],
        )
      }
    } finally {
      this.readyEl.length = 0
      this.readyEpoch.length = 0
      this.readyRule.length = 0
      this.readyKind.length = 0
      this.draining = false
    }
  }

  private setMoment(t: number): void {
    if (t === this.now && this.iso !== '') return
    this.now = t
    this.iso = new Date(t).toISOString()
    this.clock.now = t
  }

  /** The company's local date now; worked out only when a condition asks (time zones are slow to compute). */
  private localToday(): number {
    if (this.now < this.todayFrom || this.now >= this.todayTo) {
      const day = localDay(this.now, this.calendar)
      this.todayAt = day.date
      this.todayFrom = day.from
      this.todayTo = day.to
    }
    return this.todayAt
  }

  private element(id: string): ElementState {
    const el = this.elements.get(id)
    if (!el) throw new Error(`no element "${id}"`)
    return el
  }

  private record(element: string, entry: TimelineEntry): void {
    // The hot path of a busy runtime: no copy of the entry, one ISO text per input.
    const record = entry as TimelineRecord
    record.seq = ++this.seq
    record.at = this.iso
    record.element = element
    if (this.keepTimeline) this.timeline.push(record)
    this.onRecord?.(record)
  }

  private isLive(job: Job): boolean {
    const entry = job.el.entry
    if (!entry || entry.epoch !== job.epoch) return false
    const state = entry.runs[job.rule]?.state
    return job.kind === 'start' ? state === 'scheduled' : state === 'running'
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
    if (el.entry) {
      const left = this.plans[el.entry.stage] as StagePlan
      this.cancelRuns(el, 'the element left', left.name, stage.name)
      this.record(el.id, { type: 'stage.left', stage: left.id, to: stage.id })
      el.entry = null
    }
    el.stage = target
    if (el.celFields) el.celFields.stage = stage.id
    this.record(el.id, { type: 'stage.entered', stage: stage.id, from, by })
    this.startEntry(el, target)
  }

  /**
   * Cancels (and records) every rule of the current stay that has not finished: "the element
   * left "A" for "B"", or "the rules of "A" were started again for the element".
   */
  private cancelRuns(el: ElementState, why: 'the element left' | 'started again', from: string, to = ''): void {
    const entry = el.entry
    const stage = entry ? this.plans[entry.stage] : undefined
    if (!entry || !stage) return
    let reason = ''
    for (let i = 0; i < entry.runs.length; i++) {
      const run = entry.runs[i] as RuleRun
      if (TERMINAL.has(run.state)) continue
      run.state = 'cancelled'
      reason ||=
        why === 'the element left'
          ? `the element left "${from}" for "${to}"`
          : `the rules of "${from}" were started again for the element`
      this.record(el.id, { type: 'rule.cancelled', stage: stage.id, node: stage.rules[i]?.id ?? '', reason })
    }
  }

  private startEntry(el: ElementState, stageIdx: number): void {
    const stage = this.plans[stageIdx]
    if (!stage) return
    const rules = stage.rules
    const runs: RuleRun[] = []
    for (let i = 0; i < rules.length; i++) runs.push({ state: 'pending' })
    const entry: Entry = { epoch: ++this.epochSeq, stage: stageIdx, runs, outputs: NO_STAY_OUTPUTS }
    el.entry = entry
    for (let i = 0; i < rules.length; i++) {
      // A rule skipped on scheduling may have started the next one already.
      if ((i === 0 || (rules[i] as RulePlan).parallel) && (runs[i] as RuleRun).state === 'pending') {
        this.schedule(el, entry, i)
      }
    }
  }

  // ------------------------------------------------------------ scheduling

  /** Works out when a rule is due (its time setting, a moment already passed, working hours) and queues it. */
  private schedule(el: ElementState, entry: Entry, index: number): void {
    const stage = this.plans[entry.stage]
    const plan = stage?.rules[index]
    const run = entry.runs[index]
    if (!stage || !plan || !run) return
    const now = this.now
    if (plan.immediate) {
      run.state = 'scheduled'
      run.dueAt = now
      this.record(el.id, {
        type: 'rule.scheduled',
        stage: stage.id,
        node: plan.id,
        dueAt: this.iso,
        reason: 'immediately',
      })
      this.makeReady(el, entry.epoch, index, 'start')
      return
    }
    const rule = plan.rule
    const time = rule.time
    let due = now
    let reason = 'immediately'
    let unknown: string | undefined
    switch (time.mode) {
      case 'immediately':
        break
      case 'delay':
        due = addDuration(now, time.delay, this.calendar)
        reason = `after ${amountOf(time.delay)}`
        break
      case 'relative': {
        const base = momentOf(el.fields[time.field], this.calendar, time.at)
        if (base === undefined) {
          unknown = `"${time.field}" is empty, so the time relative to it is unknown`
          break
        }
        due = addDuration(base, time.offset, this.calendar)
        reason = `${amountOf({ ...time.offset, amount: Math.abs(time.offset.amount) })} ${time.offset.amount < 0 ? 'before' : 'after'} ${time.field}`
        break
      }
      case 'at': {
        const at = momentOf(resolveValue(time.at, el.scope), this.calendar)
        if (at === undefined) {
          unknown = `the moment it should run at is empty or not a date (${describeValue(time.at)})`
          break
        }
        due = at
        reason = 'at a set moment'
        break
      }
    }
    if (unknown !== undefined) {
      run.state = 'skipped'
      this.record(el.id, { type: 'rule.skipped', stage: stage.id, node: rule.id, reason: unknown })
      this.next(el, entry, index)
      return
    }
    if (due < now) {
      reason += '; that moment has passed, so at once'
      due = now
    }
    if (time.workingHours) {
      const adjusted = nextWorkingMoment(due, this.calendar)
      if (adjusted !== due) reason += ', moved into working hours'
      due = adjusted
    }
    run.state = 'scheduled'
    run.dueAt = due
    this.record(el.id, {
      type: 'rule.scheduled',
      stage: stage.id,
      node: rule.id,
      dueAt: due === now ? this.iso : new Date(due).toISOString(),
      reason,
    })
    if (due <= now) this.makeReady(el, entry.epoch, index, 'start')
    else this.queue.push({ id: ++this.jobSeq, dueAt: due, el, epoch: entry.epoch, rule: index, kind: 'start' })
  }

  /** After rule `index` finished or was skipped, the next rule starts if it runs "after the previous". */
  private next(el: ElementState, entry: Entry, index: number): void {
    const following = this.plans[entry.stage]?.rules[index + 1]
    if (following !== undefined && !following.parallel && entry.runs[index + 1]?.state === 'pending') {
      this.schedule(el, entry, index + 1)
    }
  }

  private makeReady(el: ElementState, epoch: number, rule: number, kind: Job['kind']): void {
    this.readyEl.push(el)
    this.readyEpoch.push(epoch)
    this.readyRule.push(rule)
    this.readyKind.push(kind)
  }

  private runJob(el: ElementState, epoch: number, index: number, kind: Job['kind']): void {
    const entry = el.entry
    if (entry === null || entry.epoch !== epoch) return // cancelled: it was recorded when the element left
    const run = entry.runs[index]
    const stage = this.plans[entry.stage]
    const plan = stage?.rules[index]
    if (!run || !plan || !stage) return
    const rule = plan.rule
    if (kind === 'waitEnd') {
      if (run.state === 'running') {
        const timedOut = rule.type === 'wait' && rule.settings.until.mode === 'condition'
        this.finish(el, entry, index, timedOut ? { timedOut: true } : NO_OUTPUTS, [])
      }
      return
    }
    if (run.state !== 'scheduled') return
    if (plan.disabled) {
      run.state = 'skipped'
      this.record(el.id, { type: 'rule.skipped', stage: stage.id, node: rule.id, reason: 'the rule is disabled' })
      this.next(el, entry, index)
      return
    }
    const condition = plan.condition
    if (condition !== null) {
      const { result, rows } = condition.evaluate(el.scope, this.clock)
      this.record(el.id, { type: 'condition.evaluated', node: rule.id, result, rows })
      if (!result) {
        run.state = 'skipped'
        const why = condition.whyFalse(rows)
        this.record(el.id, {
          type: 'rule.skipped',
          stage: stage.id,
          node: rule.id,
          reason: `condition false: ${why || 'no row holds'}`,
        })
        this.next(el, entry, index)
        return
      }
    }
    run.state = 'running'
    this.record(el.id, { type: 'rule.started', stage: stage.id, node: rule.id })
    this.running = true
    let outcome: RuleOutcome
    try {
      outcome = this.execute(el, entry, index, rule)
    } catch (error) {
      outcome = { status: 'failed', error: error instanceof Error ? error.message : String(error) }
    }
    const deferred = this.deferred ?? NOTHING_LATER
    this.running = false
    this.deferred = null
    if (outcome.status === 'done') this.finish(el, entry, index, outcome.outputs, deferred)
    else if (outcome.status === 'failed') this.fail(el, entry, index, outcome.error, deferred)
    else for (const action of deferred) action()
  }

  /**
   * A rule has finished: it is recorded, then what its changes set off happens (a trigger or a
   * "change stage" may move the element), then, if the element is still here, the next rule starts.
   */
  private finish(
    el: ElementState,
    entry: Entry,
    index: number,
    outputs: Record<string, Json>,
    after: ReadonlyArray<() => void>,
  ): void {
    const run = entry.runs[index]
    const stage = this.stages[entry.stage]
    const rule = stage?.rules[index]
    if (!run || !stage || !rule) return
    run.state = 'done'
    this.keepOutputs(entry, rule.id, outputs)
    this.record(el.id, { type: 'rule.finished', stage: stage.id, node: rule.id, outputs })
    for (const action of after) action()
    if (el.entry === entry) this.next(el, entry, index)
  }

  private keepOutputs(entry: Entry, node: string, outputs: Record<string, Json>): void {
    if (outputs === NO_OUTPUTS) return
    for (const name in outputs) {
      if (entry.outputs === NO_STAY_OUTPUTS) entry.outputs = Object.create(null)
      entry.outputs[node] ??= Object.create(null)
      ;(entry.outputs[node] as Record<string, Json>)[name] = outputs[name] as Json
    }
  }

  /** A failed rule stops its "after previous" chain; parallel rules go on. */
  private fail(
    el: ElementState,
    entry: Entry,
    index: number,
    error: string,
    after: ReadonlyArray<() => void> = NOTHING_LATER,
  ): void {
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
    for (const action of after) action()
  }

  // ------------------------------------------------------------ values

  /** The declared type of what a reference points at (for amounts in texts); remembered per reference. */
  typeOf(ref: Reference): ValueType | undefined {
    const known = this.refTypes.get(ref)
    if (known !== undefined) return known === NO_TYPE ? undefined : known
    const type = this.types.get(typeKey(ref))
    this.refTypes.set(ref, type ?? NO_TYPE)
    return type
  }

  /** Whether the flow has a stage with this id. */
  hasStage(stageId: string): boolean {
    return this.stageIndex.has(stageId)
  }

  /** The id of a stage by its place in the pipeline. */
  stageId(index: number | null): string | null {
    return index === null ? null : (this.stages[index]?.id ?? null)
  }

  private text(el: ElementState, value: Parameters<typeof resolveValue>[0] | undefined): string {
    return value === undefined ? '' : toText(resolveValue(value, el.scope))
  }

  /** Writes a field without telling anyone (no record, no trigger): the copy-on-write and the formula view. */
  private writeField(el: ElementState, path: string, value: Json): void {
    if (el.shared) {
      const copy: Record<string, Json> = Object.create(null)
      el.fields = Object.assign(copy, el.fields)
      el.shared = false
    }
    el.fields[path] = value
    if (el.celFields) setNested(el.celFields, path, forFormula(this.timeFields, path, value))
  }

  // ------------------------------------------------------------ rules

  private execute(el: ElementState, entry: Entry, index: number, rule: RuleNode): RuleOutcome {
    const scope = el.scope
    switch (rule.type) {
      case 'createDocument': {
        const s = rule.settings
        const fields: Record<string, Json> = {}
        for (const f of s.fields) fields[f.name] = resolveValue(f.value, scope)
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
          ...(s.oneTimeCode ? { oneTimeCode: true } : {}),
          ...(s.remindEveryDays !== undefined ? { remindEveryDays: s.remindEveryDays } : {}),
          ...(s.expiresInDays !== undefined ? { expiresInDays: s.expiresInDays } : {}),
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
          const value = resolveValue(row.value, scope)
          changed[path] = value
          this.setField(el, path, value, { kind: 'rule', node: rule.id })
        }
        this.record(el.id, { type: 'settings.resolved', node: rule.id, settings: changed })
        return { status: 'done', outputs: {} }
      }
      case 'getRequisites': {
        const s = rule.settings
        const outputs: Record<string, Json> = {}
        for (const output of ruleOutputs(rule)) {
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
          .flatMap((a) => resolveValue(a, scope))
          .filter((a): a is string => typeof a === 'string' && a !== '')
        return this.effect(el, entry, index, rule, {
          kind: 'email',
          ...(s.from ? { from: this.text(el, s.from) } : {}),
          to: this.text(el, s.to),
          subject: this.text(el, s.subject),
          body: s.format === 'html' ? resolveHtml(s.body, scope) : this.text(el, s.body),
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
          to: rule.settings.to
            .flatMap((v) => resolveValue(v, scope))
            .filter((v): v is string => typeof v === 'string' && v !== ''),
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
          ...(s.deadline ? { deadline: new Date(addDuration(this.now, s.deadline, this.calendar)).toISOString() } : {}),
          checklist: s.checklist,
        })
      }
      case 'changeStage': {
        const target = this.stageIndex.get(rule.settings.stage)
        if (target === undefined) return { status: 'failed', error: `no stage "${rule.settings.stage}"` }
        // The move happens once the rule has finished (and is recorded as finished).
        this.later(() => this.enter(el, target, { kind: 'rule', node: rule.id }))
        return { status: 'done', outputs: NO_OUTPUTS }
      }
      case 'changeResponsible': {
        const assign = rule.settings.assign
        let user: string
        if (assign.mode === 'user') user = this.text(el, assign.user)
        else {
          let turn: number
          if (this.ports.nextTurn) turn = this.ports.nextTurn(rule.id)
          else {
            turn = this.roundRobin.get(rule.id) ?? 0
            this.roundRobin.set(rule.id, turn + 1)
          }
          user = assign.users[turn % assign.users.length] ?? ''
        }
        if (user === '') return { status: 'failed', error: 'no user to make responsible' }
        this.setField(el, 'responsible', user, { kind: 'rule', node: rule.id })
        return { status: 'done', outputs: { responsible: user } }
      }
      case 'modifyFields': {
        for (const row of rule.settings.values) {
          const value = resolveValue(row.value, scope)
          const before = el.fields[row.field] ?? null
          const next =
            row.mode === 'append'
              ? [...(Array.isArray(before) ? before : before === null ? [] : [before]), value]
              : value
          this.setField(el, row.field, next as Json, { kind: 'rule', node: rule.id })
        }
        return { status: 'done', outputs: {} }
      }
      case 'wait': {
        const until = rule.settings.until
        const run = entry.runs[index]
        if (!run) return { status: 'failed', error: 'internal: no run' }
        if (until.mode === 'condition' && compileCondition(until.condition).evaluate(scope, this.clock).result) {
          return { status: 'done', outputs: { timedOut: false } }
        }
        const end = addDuration(this.now, until.mode === 'duration' ? until.duration : until.timeout, this.calendar)
        run.waitDeadline = end
        this.queue.push({
          id: ++this.jobSeq,
          dueAt: end,
          el,
          epoch: entry.epoch,
          rule: index,
          kind: 'waitEnd',
        })
        return { status: 'running' }
      }
      case 'setVariable':
        this.setVariable(el, rule.id, rule.settings.variable, resolveValue(rule.settings.value, scope))
        return { status: 'done', outputs: NO_OUTPUTS }
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

  /** Writes a variable and records its value before and after. */
  private setVariable(el: ElementState, node: string, id: string, value: Json): void {
    const before = el.variables[id] ?? null
    el.variables[id] = value
    if (el.celVariables) setNested(el.celVariables, id, forFormula(this.timeVariables, id, value))
    this.record(el.id, { type: 'variable.changed', node, variable: id, before, after: value })
  }

  private calculate(el: ElementState, entry: Entry, formula: string, resultType: ValueType): Json {
    const compiled =
      this.lastFormula?.formula === formula && this.lastFormula.resultType === resultType
        ? this.lastFormula.compiled
        : this.formula(formula, resultType)
    if ('error' in compiled) throw new Error(`formula: ${compiled.error}`)
    if (!el.celFields) {
      el.celFields = nestedView(Object.entries(el.fields), this.timeFields)
      el.celFields.id = el.id
      if (el.stage !== null) el.celFields.stage = this.stages[el.stage]?.id ?? null
    }
    if (!el.celVariables) el.celVariables = nestedView(Object.entries(el.variables), this.timeVariables)
    this.celConstants ??= nestedView(this.constants, this.timeConstants)
    const value = fromCel(
      compiled.run({
        element: el.celFields,
        constants: this.celConstants,
        variables: el.celVariables,
        outputs: entry.outputs,
      }),
    )
    if (resultType === 'money' && typeof value === 'number') return roundMoney(value)
    if (resultType === 'date' && typeof value === 'string') return value.slice(0, 10)
    return value
  }

  /** A formula parsed and type-checked on first use; its verdict is kept for the engine's life. */
  private formula(formula: string, resultType: ValueType): CompiledFormula {
    const key = `${resultType}\u0000${formula}`
    const known = this.formulas.get(key)
    if (known) return known
    this.formulaEnv ??= createFormulaEnvironment({
      fields: [...this.fields.values()].map((f) => [f.path, f.type, f.multiple] as [string, ValueType, boolean]),
      constants: this.graph.constants.map((c) => [c.id, c.type, c.multiple ?? false] as [string, ValueType, boolean]),
      variables: this.graph.variables.map((v) => [v.id, v.type, v.multiple ?? false] as [string, ValueType, boolean]),
    })
    const problem = checkFormula(this.formulaEnv, formula, resultType)
    this.formulaRunner ??= createFormulaRunner()
    const compiled: CompiledFormula = problem ? { error: problem.message } : { run: this.formulaRunner.parse(formula) }
    this.formulas.set(key, compiled)
    this.lastFormula = { formula, resultType, compiled }
    return compiled
  }

  /** Asks the outside world to act, records the request, and turns its answer into the rule's outcome. */
  private effect(el: ElementState, entry: Entry, index: number, rule: RuleNode, request: EffectRequest): RuleOutcome {
    const effectId = this.ports.newId('effect')
    this.record(el.id, { type: 'effect.requested', node: rule.id, effect: effectId, request })
    el.shared = true
    const stage = el.stage === null ? null : (this.stages[el.stage]?.id ?? null)
    const result = this.ports.perform({ id: el.id, stage, fields: el.fields }, request, effectId)
    if (result.status === 'pending') {
      const run = entry.runs[index]
      if (run) run.effect = effectId
      this.waitingEffects.set(effectId, { element: el.id, epoch: entry.epoch, stage: entry.stage, rule: index })
      // "create document" without "wait for PDF" lets the next rule start before the PDF exists;
      // "document created" triggers hear of it when it does.
      if (rule.type === 'createDocument' && !rule.settings.waitForPdf) return { status: 'done', outputs: NO_OUTPUTS }
      return { status: 'running' }
    }
    this.record(el.id, { type: 'effect.finished', node: rule.id, effect: effectId, result })
    if (result.status === 'failed') return { status: 'failed', error: result.error }
    const outputs = result.outputs ?? NO_OUTPUTS
    this.rememberDocument(el, rule, outputs)
    if (isDocumentRule(rule)) this.later(() => this.announceDocument(el, outputs))
    return { status: 'done', outputs }
  }

  /** While a rule runs, `action` waits until the rule has finished; otherwise it happens now. */
  private later(action: () => void): void {
    if (!this.running) action()
    else if (this.deferred) this.deferred.push(action)
    else this.deferred = [action]
  }

  /** A document made by a rule becomes the element's last document (fields `lastDocument.*`). */
  private rememberDocument(el: ElementState, rule: RuleNode, outputs: Record<string, Json>): void {
    if (!isDocumentRule(rule)) return
    for (const [name, path] of DOCUMENT_FIELDS) {
      const value = outputs[name]
      if (value !== undefined) this.writeField(el, path, value)
    }
  }

  /** "Document created" triggers hear of a new document. */
  private announceDocument(el: ElementState, outputs: Record<string, Json>): void {
    const type = outputs.documentType
    this.event(el, {
      type: 'documentCreated',
      ...(typeof type === 'string' ? { documentType: type as NonNullable<EngineEvent['documentType']> } : {}),
    })
  }

  // ------------------------------------------------------------ fields and events

  private setField(el: ElementState, field: string, value: Json, by: Author): void {
    const before = el.fields[field] ?? null
    if (before === value || JSON.stringify(before) === JSON.stringify(value)) return
    this.writeField(el, field, value)
    this.record(el.id, { type: 'field.changed', field, before, after: value, by })
    this.later(() => {
      this.checkWaits(el)
      this.event(el, { type: 'fieldChanged', field, value })
      if (field === 'responsible') this.event(el, { type: 'responsibleChanged' })
    })
  }

  /** "Wait until a condition" rules check their condition whenever the element changes. */
  private checkWaits(el: ElementState): void {
    const entry = el.entry
    const stage = entry ? this.stages[entry.stage] : undefined
    if (!entry || !stage) return
    stage.rules.forEach((rule, i) => {
      const run = entry.runs[i]
      if (rule.type !== 'wait' || run?.state !== 'running' || rule.settings.until.mode !== 'condition') return
      if (el.entry !== entry) return
      if (compileCondition(rule.settings.until.condition).evaluate(el.scope, this.clock).result) {
        this.finish(el, entry, i, { timedOut: false }, [])
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
    for (const { trigger, stage: s } of this.triggers.get(event.type) ?? []) {
      {
        if (trigger.disabled) continue
        const mismatch = triggerMismatch(trigger, event)
        if (mismatch) {
          considered.push({ trigger, stage: s, reason: mismatch, candidate: false })
          continue
        }
        if (trigger.condition) {
          const { result, rows } = compileCondition(trigger.condition).evaluate(el.scope, this.clock)
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
    }
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

/** Where a value's declared type is kept: `f:` fields, `c:` constants, `v:` variables, `o:` rule outputs. */
function typeKey(ref: Reference): string {
  switch (ref.kind) {
    case 'field':
      return `f:${ref.path}`
    case 'constant':
      return `c:${ref.id}`
    case 'variable':
      return `v:${ref.id}`
    case 'output':
      return `o:${ref.node}\u0000${ref.output}`
  }
}

function describeValue(value: Value): string {
  if (value.kind === 'literal') return JSON.stringify(value.value)
  if (value.kind === 'template') return 'a text'
  return describeReference(value)
}

const NO_TYPE = '-' as const

/** What values of an element resolve against: its fields, variables and current stay, and the constants. */
class ElementScope implements Scope {
  constructor(
    private readonly engine: Engine,
    private readonly el: ElementState,
    private readonly constants: ReadonlyMap<string, Json>,
  ) {}

  field(path: string): Json {
    if (path === 'id') return this.el.id
    if (path === 'stage') return this.engine.stageId(this.el.stage)
    return this.el.fields[path] ?? null
  }

  constant(id: string): Json {
    return this.constants.get(id) ?? null
  }

  variable(id: string): Json {
    return this.el.variables[id] ?? null
  }

  output(node: string, name: string): Json {
    return this.el.entry?.outputs[node]?.[name] ?? null
  }

  typeOf(ref: Reference): string | undefined {
    return this.engine.typeOf(ref)
  }
}

/** Placeholder until an element's own scope is made. */
const NO_SCOPE: Scope = {
  field: () => null,
  constant: () => null,
  variable: () => null,
  output: () => null,
  typeOf: () => undefined,
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

/** Flat values by path as the nested, typed object formulas read; empty values are left out. */
function nestedView(entries: Iterable<[string, Json]>, times: ReadonlySet<string>): Record<string, Json> {
  const present: Array<[string, Json]> = []
  for (const [path, value] of entries) if (value !== null) present.push([path, forFormula(times, path, value)])
  return nestFields(present)
}

/** A date or date-time value becomes a timestamp for formulas; anything else stays as it is. */
function forFormula(times: ReadonlySet<string>, path: string, value: Json): Json {
  return times.has(path) ? toTimestamp(value) : value
}

/** A deep copy through JSON: what is saved shares nothing with the engine. */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

function toTimestamp(value: Json): Json {
  if (typeof value !== 'string') return value
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)
  return Number.isNaN(ms) ? value : (new Date(ms) as unknown as Json)
}

export { isEmptyValue }
