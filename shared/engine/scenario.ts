/**
 * Scenarios: a sample of elements, steps (move, fire an event, change a field, let time pass)
 * and expectations, run on the simulator. They are the regression tests of a flow
 * (`signflow test`) and what the designer's simulator saves.
 */
import Type, { type Static } from 'typebox'
import { TRIGGER_TYPES } from '../catalog/index.js'
import type { Graph } from '../graph/graph.js'
import { DurationDef, StringEnum } from '../graph/schema-parts.js'
import { DOCUMENT_TYPES, type DocumentType } from '../graph/vocabulary.js'
import { validate as compiledScenarioValidator } from '../validate/generated/scenario-validator.js'
import { addDuration } from './calendar.js'
import { Simulation } from './simulation.js'
import { DEFAULT_CALENDAR, type EngineEvent, type Json, type TimelineRecord, type WorkingCalendar } from './types.js'
import { flattenFields } from './values.js'

const obj = { additionalProperties: false } as const
const Moment = Type.String({
  description: 'An ISO date-time with its offset, e.g. 2026-11-23T09:00:00Z',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
})
/** A field path such as `amount` or `client.requisites.taxId`: letters, digits and `_`, parts joined by dots. */
const FieldPath = Type.String({
  maxLength: 200,
  pattern: '^(?!(.*\\.)?(constructor|prototype)(\\.|$))[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*$',
  description: 'A field path: letters, digits and _, parts joined by dots (e.g. client.requisites.taxId)',
})
/** "2h", "30m", "1d", "3 workdays", or { "amount": 2, "unit": "hours" }. */
const DurationText = Type.Union([
  Type.String({ pattern: '^\\s*\\d+\\s*(m|min|minutes?|h|hours?|d|days?|wd|workdays?)\\s*$' }),
  DurationDef,
])
const ElementRef = Type.String({ minLength: 1, maxLength: 200 })
/** Events a scenario may fire: every trigger's event except field changes, which come from `set` steps. */
const EVENT_TYPES = TRIGGER_TYPES.filter((t) => t !== 'fieldChanged' && t !== 'responsibleChanged')

const ExpectationDef = Type.Object(
  {
    element: Type.Optional(ElementRef),
    /** The element stands in this stage. */
    stage: Type.Optional(Type.String()),
    /** A field (or, with `variable`, a variable) equals `equals`. */
    field: Type.Optional(FieldPath),
    variable: Type.Optional(Type.String()),
    equals: Type.Optional(Type.Unknown()),
    /** How many messages or things were produced (for the element, or all elements). */
    emails: Type.Optional(Type.Integer({ minimum: 0 })),
    sms: Type.Optional(Type.Integer({ minimum: 0 })),
    documents: Type.Optional(Type.Integer({ minimum: 0 })),
    tasks: Type.Optional(Type.Integer({ minimum: 0 })),
    notifications: Type.Optional(Type.Integer({ minimum: 0 })),
    documentType: Type.Optional(StringEnum(DOCUMENT_TYPES)),
    to: Type.Optional(Type.String()),
    subjectContains: Type.Optional(Type.String()),
    textContains: Type.Optional(Type.String()),
    /** A rule's state in the element's current stage, or a rule's last outcome. */
    rule: Type.Optional(Type.String()),
    state: Type.Optional(
      StringEnum(['done', 'skipped', 'failed', 'cancelled', 'notRun', 'scheduled', 'running'] as const),
    ),
  },
  obj,
)

const StepDef = Type.Union([
  Type.Object(
    { move: Type.Object({ element: ElementRef, to: Type.String(), by: Type.Optional(Type.String()) }, obj) },
    obj,
  ),
  Type.Object(
    {
      event: Type.Object(
        {
          element: ElementRef,
          type: StringEnum(EVENT_TYPES),
          documentType: Type.Optional(StringEnum(DOCUMENT_TYPES)),
          trigger: Type.Optional(Type.String()),
        },
        obj,
      ),
    },
    obj,
  ),
  Type.Object(
    {
      set: Type.Object(
        { element: ElementRef, field: FieldPath, value: Type.Unknown(), by: Type.Optional(Type.String()) },
        obj,
      ),
    },
    obj,
  ),
  Type.Object({ runHere: Type.Object({ element: ElementRef, by: Type.Optional(Type.String()) }, obj) }, obj),
  Type.Object(
    {
      advance: Type.Union([
        Type.Literal('next'),
        Type.Literal('end'),
        Type.Object({ by: DurationText }, obj),
        Type.Object({ to: Moment }, obj),
      ]),
    },
    obj,
  ),
  Type.Object({ expect: ExpectationDef }, obj),
])

export const ScenarioDef = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    formatVersion: Type.Literal(1),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    /** The graph file, relative to the scenario file. */
    graph: Type.String({ minLength: 1 }),
    start: Moment,
    calendar: Type.Optional(
      Type.Object(
        {
          timeZone: Type.String(),
          workDays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 })),
          start: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
          end: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
          holidays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
        },
        obj,
      ),
    ),
    templates: Type.Optional(
      Type.Array(Type.Object({ id: Type.String(), type: StringEnum(DOCUMENT_TYPES) }, obj), { maxItems: 1000 }),
    ),
    failing: Type.Optional(
      Type.Array(
        StringEnum([
          'createDocument',
          'sendForSigning',
          'email',
          'sms',
          'documentLink',
          'notification',
          'task',
        ] as const),
      ),
    ),
    elements: Type.Array(
      Type.Object(
        {
          id: ElementRef,
          stage: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          fields: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        },
        obj,
      ),
      { minItems: 1, maxItems: 100_000 },
    ),
    steps: Type.Array(StepDef, { maxItems: 100_000 }),
  },
  obj,
)
export type Scenario = Static<typeof ScenarioDef>
export type ScenarioStep = Static<typeof StepDef>
export type Expectation = Static<typeof ExpectationDef>

/** The JSON Schema of scenario files (draft 2020-12), as `signflow schema --scenario` prints it. */
export const scenarioSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://signflow.dev/schema/scenario-v1.schema.json',
  title: 'Signflow scenario',
  ...ScenarioDef,
}

/** Checks a parsed scenario file; returns the problems as "path: message" lines. */
export function scenarioProblems(value: unknown): string[] {
  // Compiled ahead of time from `scenarioSchema` (shared/validate/compile.ts).
  const check = compiledScenarioValidator
  if (check(value)) return []
  const errors = (check.errors ?? []).filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'if')
  // A step is one of several shapes: when one shape is nearly right its deeper error is the one that helps,
  // not "must have required property 'move'" from every other shape.
  const deepest = errors.filter((e) => !errors.some((o) => o.instancePath.startsWith(`${e.instancePath}/`)))
  return [...new Set(deepest.slice(0, 20).map((e) => `${e.instancePath || '(root)'}: ${problemText(e)}`))]
}

/** Ajv's message, with the pattern a person can follow instead of the regular expression. */
function problemText(e: { keyword: string; instancePath: string; message?: string }): string {
  if (e.keyword !== 'pattern') return e.message ?? 'invalid'
  if (/\/(start|to)$/.test(e.instancePath)) return 'must be a date and time with its offset, e.g. 2026-11-23T09:00:00Z'
  if (/\/field$/.test(e.instancePath)) {
    return 'must be a field path: letters, digits and _, parts joined by dots (e.g. client.requisites.taxId)'
  }
  if (/\/by$/.test(e.instancePath)) return 'must be a duration such as "2h", "30m", "1d" or "3 workdays"'
  return e.message ?? 'invalid'
}

/** "2h" → { amount: 2, unit: 'hours' } */
export function parseDuration(text: Static<typeof DurationText>): {
  amount: number
  unit: 'minutes' | 'hours' | 'days' | 'workDays'
} {
  if (typeof text !== 'string') return text
  const m = /^\s*(\d+)\s*([a-z]+)\s*$/.exec(text)
  const amount = Number(m?.[1] ?? 0)
  const u = m?.[2] ?? 'm'
  const unit = u.startsWith('w') ? 'workDays' : u.startsWith('d') ? 'days' : u.startsWith('h') ? 'hours' : 'minutes'
  return { amount, unit }
}

export interface ExpectationResult {
  step: number
  expectation: Expectation
  passed: boolean
  message: string
}

export interface ScenarioResult {
  name: string
  passed: boolean
  expectations: ExpectationResult[]
  /** A step that could not be carried out (an unknown element or stage). */
  error?: string
  timeline: TimelineRecord[]
  simulation: Simulation
}

const author = (by: string | undefined) =>
  by ? { kind: 'user' as const, id: by } : { kind: 'user' as const, id: 'scenario' }

/** Runs a scenario on a graph; never throws for a bad step (it is reported as the scenario's error). */
export function runScenario(scenario: Scenario, graph: Graph): ScenarioResult {
  const calendar: WorkingCalendar = scenario.calendar ?? DEFAULT_CALENDAR
  const templates = new Map<string, DocumentType>((scenario.templates ?? []).map((t) => [t.id, t.type]))
  const options = { graph, start: scenario.start, calendar, templates, failing: new Set(scenario.failing ?? []) }
  let sim: Simulation
  try {
    // A start that is not a moment, or a time zone the platform does not know, is the scenario's error too.
    if (!Number.isFinite(Date.parse(scenario.start)))
      throw new Error(`The start "${scenario.start}" is not a date and time; write it like 2026-11-23T09:00:00Z.`)
    sim = new Simulation(options)
  } catch (e) {
    const simulation = new Simulation({ ...options, start: '2000-01-01T00:00:00Z', calendar: DEFAULT_CALENDAR })
    return {
      name: scenario.name,
      passed: false,
      expectations: [],
      error: (e as Error).message,
      timeline: [],
      simulation,
    }
  }
  const expectations: ExpectationResult[] = []
  let error: string | undefined
  try {
    for (const element of scenario.elements) {
      sim.engine.addElement({
        id: element.id,
        stage: element.stage ?? null,
        fields: Object.fromEntries(flattenFields(element.fields ?? {})),
      })
    }
    scenario.steps.forEach((step, i) => {
      if ('move' in step) sim.engine.moveToStage(step.move.element, step.move.to, author(step.move.by))
      else if ('event' in step) {
        const { element, ...event } = step.event
        sim.engine.fireEvent(element, event as EngineEvent)
      } else if ('set' in step) {
        sim.engine.changeField(step.set.element, step.set.field, (step.set.value ?? null) as Json, author(step.set.by))
      } else if ('runHere' in step) sim.engine.runForElementHere(step.runHere.element, author(step.runHere.by))
      else if ('advance' in step) {
        const a = step.advance
        if (a === 'next') sim.advanceToNext()
        else if (a === 'end') sim.runToEnd()
        else if ('by' in a) sim.advanceTo(addDuration(sim.now, parseDuration(a.by), calendar))
        else sim.advanceTo(Date.parse(a.to))
      } else expectations.push({ step: i, expectation: step.expect, ...checkExpectation(step.expect, sim, graph) })
    })
  } catch (e) {
    error = e instanceof Error ? e.message : String(e)
  }
  return {
    name: scenario.name,
    passed: error === undefined && expectations.every((e) => e.passed),
    expectations,
    ...(error === undefined ? {} : { error }),
    timeline: sim.engine.timeline,
    simulation: sim,
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Checks one expectation against the simulation as it stands. */
export function checkExpectation(e: Expectation, sim: Simulation, graph: Graph): { passed: boolean; message: string } {
  const problems: string[] = []
  const said: string[] = []
  const el = e.element
  const stageName = (id: string | null) => graph.pipeline.stages.find((s) => s.id === id)?.name ?? id ?? 'no stage'
  if (e.stage !== undefined) {
    if (!el) return { passed: false, message: '"stage" needs "element"' }
    const stage = sim.engine.snapshot(el).stage
    said.push(`${el} in "${stageName(e.stage)}"`)
    if (stage !== e.stage) problems.push(`${el} is in "${stageName(stage)}", not "${stageName(e.stage)}"`)
  }
  if (e.field !== undefined) {
    if (!el) return { passed: false, message: '"field" needs "element"' }
    const value = sim.engine.snapshot(el).fields[e.field] ?? null
    said.push(`${el}.${e.field} = ${JSON.stringify(e.equals)}`)
    if (!same(value, e.equals)) problems.push(`${e.field} is ${JSON.stringify(value)}`)
  }
  if (e.variable !== undefined) {
    if (!el) return { passed: false, message: '"variable" needs "element"' }
    const value = sim.engine.variables(el)[e.variable] ?? null
    said.push(`variable ${e.variable} = ${JSON.stringify(e.equals)}`)
    if (!same(value, e.equals)) problems.push(`variable ${e.variable} is ${JSON.stringify(value)}`)
  }
  const counts: Array<[keyof Expectation, (kind: string) => boolean, string]> = [
    ['emails', (k) => k === 'email' || k === 'documentLink', 'emails'],
    ['sms', (k) => k === 'sms', 'SMS'],
    ['documents', (k) => k === 'createDocument' || k === 'sendForSigning', 'documents'],
    ['tasks', (k) => k === 'task', 'tasks'],
    ['notifications', (k) => k === 'notification', 'notifications'],
  ]
  for (const [key, kind, label] of counts) {
    const wanted = e[key]
    if (typeof wanted !== 'number') continue
    const items = sim.outbox.filter((item) => {
      if (el && item.element !== el) return false
      if (!kind(item.request.kind) || item.result.status !== 'done') return false
      const r = item.request
      if (key === 'emails' && r.kind === 'documentLink' && r.channel !== 'email') return false
      if (e.documentType && item.result.outputs?.documentType !== e.documentType) return false
      if (e.to && !('to' in r && (Array.isArray(r.to) ? r.to.includes(e.to) : r.to === e.to))) return false
      if (e.subjectContains && !('subject' in r && r.subject.includes(e.subjectContains))) return false
      const text =
        'text' in r ? r.text : 'body' in r ? r.body : 'message' in r ? (r.message ?? '') : 'title' in r ? r.title : ''
      if (e.textContains && !text.includes(e.textContains)) return false
      return true
    })
    said.push(`${wanted} ${label}`)
    if (items.length !== wanted) problems.push(`${items.length} ${label} (wanted ${wanted})`)
  }
  if (e.rule !== undefined) {
    const last = [...sim.engine.timeline]
      .reverse()
      .find(
        (r) => (el === undefined || r.element === el) && 'node' in r && r.node === e.rule && r.type.startsWith('rule.'),
      )
    const suffix = last ? last.type.slice('rule.'.length) : 'never considered'
    const state = suffix === 'finished' ? 'done' : suffix === 'started' ? 'running' : suffix
    said.push(`rule ${e.rule} ${e.state ?? ''}`.trim())
    if (e.state && state !== e.state) problems.push(`rule ${e.rule} is ${state}`)
  }
  if (said.length === 0) return { passed: false, message: 'the expectation checks nothing' }
  return problems.length
    ? { passed: false, message: `expected ${said.join(', ')}; but ${problems.join(', ')}` }
    : { passed: true, message: said.join(', ') }
}
