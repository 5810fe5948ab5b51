/**
 * Regression tests for behaviours a user notices (timeline, outbox, stage, fields) that were
 * fixed recently: documents made without waiting for their PDF, field changes and stage moves
 * made by a rule, day windows in conditions, empty exact moments, "run for elements already
 * here", stale jobs, scenario rule states, passed moments in working hours, and money.
 */
import { describe, expect, it } from 'vitest'
import type { Graph, RuleNode, Stage, TriggerNode } from '../graph/graph.js'
import { validate } from '../validate/validate.js'
import { Engine } from './engine.js'
import { runScenario, type Scenario, scenarioProblems } from './scenario.js'
import { Simulation } from './simulation.js'
import type { EffectRequest, EffectResult, Json, TimelineRecord, WorkingCalendar } from './types.js'

const START = '2026-11-23T09:00:00Z' // a Monday
const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A graph from stages; checked with the validator so that the tests run real, valid flows. */
function graph(stages: Array<Partial<Stage> & { id: string }>, extra: Partial<Graph> = {}): Graph {
  const g: Graph = {
    formatVersion: 1,
    flow: { id: 'test', name: 'Test' },
    elementType: 'deal',
    pipeline: {
      id: 'p',
      name: 'Sales',
      stages: stages.map((s) => ({ name: s.id, color: '#1976d2', kind: 'inProgress', triggers: [], rules: [], ...s })),
    },
    constants: [],
    variables: [],
    fields: [],
    ...extra,
  }
  const errors = validate(g).findings.filter((f) => f.severity === 'error')
  if (errors.length) throw new Error(`test graph invalid: ${JSON.stringify(errors, null, 2)}`)
  return g
}

function rule(id: string, type: string, settings: unknown, over: Partial<RuleNode> = {}): RuleNode {
  return {
    id,
    type,
    title: id,
    execution: 'afterPrevious',
    time: { mode: 'immediately' },
    settings,
    ...over,
  } as RuleNode
}

function sms(id: string, over: Partial<RuleNode> = {}): RuleNode {
  return rule(
    id,
    'sendSms',
    { to: { kind: 'field', path: 'client.phone' }, text: { kind: 'literal', value: `text of ${id}` } },
    over,
  )
}

function trigger(id: string, over: Partial<TriggerNode> = {}): TriggerNode {
  return {
    id,
    type: 'signedByClient',
    title: id,
    changeStageAs: { mode: 'responsible' },
    allowReturn: false,
    settings: { documentType: 'any' },
    ...over,
  } as TriggerNode
}

const createDocument = (id: string, waitForPdf: boolean, over: Partial<RuleNode> = {}) =>
  rule(
    id,
    'createDocument',
    { template: 'tpl-invoice', waitForPdf, withSignatureAndStamp: true, publicLink: false, fields: [] },
    over,
  )

const documentCreated = (id: string, documentType: string) =>
  trigger(id, { type: 'documentCreated', settings: { documentType } } as Partial<TriggerNode>)

const fieldChanged = (id: string, fields: string[], to?: Json) =>
  trigger(id, {
    type: 'fieldChanged',
    settings: { fields, ...(to === undefined ? {} : { to: { kind: 'literal', value: to } }) },
  } as Partial<TriggerNode>)

function sim(
  g: Graph,
  fields: Record<string, unknown> = {},
  options: { calendar?: WorkingCalendar; start?: string } = {},
) {
  const s = new Simulation({
    graph: g,
    start: options.start ?? START,
    ...(options.calendar ? { calendar: options.calendar } : {}),
  })
  s.engine.addElement({
    id: 'd',
    stage: g.pipeline.stages[0]?.id ?? null,
    fields: { 'client.phone': '+48 1', ...fields } as never,
  })
  return s
}

const ofType = (timeline: TimelineRecord[], type: TimelineRecord['type']) => timeline.filter((r) => r.type === type)
const of = (s: Simulation, type: TimelineRecord['type']) => ofType(s.engine.timeline, type)
const smsTexts = (s: Simulation) => s.outbox.flatMap((o) => (o.request.kind === 'sms' ? [o.request.text] : []))
/** Where the first record matching `match` stands in the timeline (-1: nowhere). */
const indexOf = (timeline: TimelineRecord[], match: Record<string, unknown>) =>
  timeline.findIndex((r) =>
    Object.entries(match).every(([k, v]) => JSON.stringify((r as never)[k]) === JSON.stringify(v)),
  )

const user = { kind: 'user' as const, id: 'u-anna' }

// ---------------------------------------------------------------------------------------------

describe('"create document" without waiting for the PDF, whose effect answers "pending"', () => {
  /** An engine whose documents answer `pending` (the runtime's PDF service), and every other effect `done`. */
  function pendingDocuments(g: Graph) {
    const now = Date.parse(START)
    const performed: Array<{ id: string; request: EffectRequest }> = []
    let n = 0
    const engine = new Engine({
      graph: g,
      ports: {
        now: () => now,
        newId: (kind) => `${kind}-${++n}`,
        perform: (_el, request, id): EffectResult => {
          performed.push({ id, request })
          return request.kind === 'createDocument' ? { status: 'pending' } : { status: 'done', outputs: {} }
        },
      },
    })
    engine.addElement({ id: 'd', stage: 'new', fields: { 'client.phone': '+48 1' } })
    const documentEffect = () => performed.find((p) => p.request.kind === 'createDocument')?.id ?? ''
    const smsSent = () => performed.filter((p) => p.request.kind === 'sms').length
    return { engine, performed, documentEffect, smsSent }
  }

  const invoice = { documentType: 'invoice', documentId: 'doc-1', documentNumber: 'INV-0001', pdf: 'doc-1.pdf' }

  const flow = () =>
    graph([
      { id: 'new' },
      { id: 'make', rules: [createDocument('doc', false), sms('after-doc')] },
      { id: 'other' },
      { id: 'invoiced', triggers: [documentCreated('t-invoice', 'invoice')] },
    ])

  it('starts the next "after previous" rule at once, and announces the document only when it exists', () => {
    const { engine, documentEffect, smsSent } = pendingDocuments(flow())
    engine.moveToStage('d', 'make', user)

    // The next rule did not wait for the PDF.
    expect(smsSent()).toBe(1)
    expect(ofType(engine.timeline, 'rule.finished').map((r) => ('node' in r ? r.node : ''))).toEqual([
      'doc',
      'after-doc',
    ])
    // No document yet: no "document created" event, no trigger considered, no move.
    expect(ofType(engine.timeline, 'event.received')).toEqual([])
    expect(ofType(engine.timeline, 'trigger.considered')).toEqual([])
    expect(engine.snapshot('d').stage).toBe('make')
    expect(engine.snapshot('d').fields['lastDocument.id']).toBeUndefined()

    engine.completeEffect(documentEffect(), { status: 'done', outputs: invoice })

    expect(ofType(engine.timeline, 'effect.finished')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          node: 'doc',
          effect: documentEffect(),
          result: { status: 'done', outputs: invoice },
        }),
      ]),
    )
    const fields = engine.snapshot('d').fields
    expect(fields['lastDocument.type']).toBe('invoice')
    expect(fields['lastDocument.id']).toBe('doc-1')
    expect(ofType(engine.timeline, 'event.received')).toEqual([
      expect.objectContaining({ event: { type: 'documentCreated', documentType: 'invoice' } }),
    ])
    expect(ofType(engine.timeline, 'trigger.considered')).toEqual([
      expect.objectContaining({ node: 't-invoice', fired: true }),
    ])
    expect(engine.snapshot('d').stage).toBe('invoiced')
    expect(ofType(engine.timeline, 'stage.entered').at(-1)).toMatchObject({
      stage: 'invoiced',
      from: 'make',
      by: { kind: 'trigger', node: 't-invoice' },
    })
    // The rule is not recorded twice.
    expect(ofType(engine.timeline, 'rule.finished').filter((r) => 'node' in r && r.node === 'doc')).toHaveLength(1)
  })

  it('lets a "document created" trigger for any document wait for the document too', () => {
    const g = graph([
      { id: 'new' },
      { id: 'make', rules: [createDocument('doc', false)] },
      { id: 'made', triggers: [documentCreated('t-any', 'any')] },
    ])
    const { engine, documentEffect } = pendingDocuments(g)
    engine.moveToStage('d', 'make', user)
    expect(engine.snapshot('d').stage).toBe('make')
    expect(ofType(engine.timeline, 'event.received')).toEqual([])
    engine.completeEffect(documentEffect(), { status: 'done', outputs: invoice })
    expect(engine.snapshot('d').stage).toBe('made')
  })

  it('still records the document and announces it when the element has moved on before the PDF is ready', () => {
    const { engine, documentEffect } = pendingDocuments(flow())
    engine.moveToStage('d', 'make', user)
    engine.moveToStage('d', 'other', user)
    expect(engine.snapshot('d').stage).toBe('other')

    engine.completeEffect(documentEffect(), { status: 'done', outputs: invoice })

    expect(ofType(engine.timeline, 'effect.finished')).toEqual(
      expect.arrayContaining([expect.objectContaining({ node: 'doc', effect: documentEffect() })]),
    )
    const fields = engine.snapshot('d').fields
    expect(fields['lastDocument.type']).toBe('invoice')
    expect(fields['lastDocument.id']).toBe('doc-1')
    expect(ofType(engine.timeline, 'event.received')).toEqual([
      expect.objectContaining({ event: { type: 'documentCreated', documentType: 'invoice' } }),
    ])
    expect(engine.snapshot('d').stage).toBe('invoiced')
    expect(ofType(engine.timeline, 'stage.entered').at(-1)).toMatchObject({
      stage: 'invoiced',
      from: 'other',
      by: { kind: 'trigger', node: 't-invoice' },
    })
  })
})

// ---------------------------------------------------------------------------------------------

describe('a rule whose change moves the element', () => {
  const statusField = { fields: [{ id: 'status', label: 'Status', type: 'text' as const }] }

  it('"modify fields" firing a field-changed trigger is finished, and finished before the stage is left', () => {
    const g = graph(
      [
        { id: 'new' },
        {
          id: 'work',
          rules: [
            rule('set-paid', 'modifyFields', {
              values: [{ field: 'custom.status', value: { kind: 'literal', value: 'paid' }, mode: 'set' }],
            }),
            sms('after-set'),
          ],
        },
        { id: 'paid', triggers: [fieldChanged('t-paid', ['custom.status'], 'paid')] },
      ],
      statusField,
    )
    const s = sim(g)
    s.engine.moveToStage('d', 'work', user)

    const timeline = s.engine.timeline
    expect(s.engine.snapshot('d').stage).toBe('paid')
    expect(s.engine.snapshot('d').fields['custom.status']).toBe('paid')
    expect(of(s, 'rule.cancelled').filter((r) => 'node' in r && r.node === 'set-paid')).toEqual([])
    const finished = indexOf(timeline, { type: 'rule.finished', node: 'set-paid' })
    const changed = indexOf(timeline, { type: 'field.changed', field: 'custom.status' })
    const left = indexOf(timeline, { type: 'stage.left', stage: 'work' })
    const entered = indexOf(timeline, { type: 'stage.entered', stage: 'paid' })
    expect(changed).toBeGreaterThanOrEqual(0)
    expect(finished).toBeGreaterThan(changed)
    expect(left).toBeGreaterThan(finished)
    expect(entered).toBeGreaterThan(left)
    expect(timeline[entered]).toMatchObject({ by: { kind: 'trigger', node: 't-paid' } })
    // The rest of the stay is cancelled: the SMS after it is never sent.
    expect(of(s, 'rule.cancelled')).toEqual([expect.objectContaining({ node: 'after-set', stage: 'work' })])
    expect(smsTexts(s)).toEqual([])
  })

  it('"change responsible" firing a field-changed trigger is finished, and finished before the stage is left', () => {
    const g = graph([
      { id: 'new' },
      {
        id: 'work',
        rules: [
          rule('give', 'changeResponsible', { assign: { mode: 'user', user: { kind: 'literal', value: 'u-bob' } } }),
        ],
      },
      { id: 'handed', triggers: [fieldChanged('t-handed', ['responsible'])] },
    ])
    const s = sim(g)
    s.engine.moveToStage('d', 'work', user)

    const timeline = s.engine.timeline
    expect(s.engine.snapshot('d').stage).toBe('handed')
    expect(s.engine.snapshot('d').fields.responsible).toBe('u-bob')
    expect(of(s, 'rule.cancelled')).toEqual([])
    expect(of(s, 'rule.finished')).toEqual([
      expect.objectContaining({ node: 'give', outputs: { responsible: 'u-bob' } }),
    ])
    const finished = indexOf(timeline, { type: 'rule.finished', node: 'give' })
    const left = indexOf(timeline, { type: 'stage.left', stage: 'work' })
    expect(finished).toBeGreaterThanOrEqual(0)
    expect(left).toBeGreaterThan(finished)
  })

  it('"change stage" is finished first, then the element leaves and enters, moved by the rule', () => {
    const g = graph([
      { id: 'new' },
      {
        id: 'work',
        rules: [rule('go', 'changeStage', { stage: 'next', changeAs: { mode: 'responsible' } }), sms('after-go')],
      },
      { id: 'next' },
    ])
    const s = sim(g)
    s.engine.moveToStage('d', 'work', user)

    const timeline = s.engine.timeline
    expect(s.engine.snapshot('d').stage).toBe('next')
    const finished = indexOf(timeline, { type: 'rule.finished', node: 'go' })
    const left = indexOf(timeline, { type: 'stage.left', stage: 'work' })
    const entered = indexOf(timeline, { type: 'stage.entered', stage: 'next' })
    expect(finished).toBeGreaterThanOrEqual(0)
    expect(left).toBeGreaterThan(finished)
    expect(entered).toBeGreaterThan(left)
    expect(timeline[left]).toMatchObject({ to: 'next' })
    expect(timeline[entered]).toMatchObject({ from: 'work', by: { kind: 'rule', node: 'go' } })
    expect(of(s, 'rule.cancelled').map((r) => ('node' in r ? r.node : ''))).toEqual(['after-go'])
    expect(smsTexts(s)).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------

describe('day windows on a plain date field', () => {
  const within = (op: 'withinNextDays' | 'withinLastDays', days: number) => ({
    match: 'all' as const,
    items: [
      { left: { kind: 'field' as const, path: 'closeDate' }, op, values: [{ kind: 'literal' as const, value: days }] },
    ],
  })

  /** Whether a rule with the condition "closeDate <op> <days>" runs for an element entering at `start`. */
  function holds(
    closeDate: string,
    op: 'withinNextDays' | 'withinLastDays',
    days: number,
    start: string,
    calendar?: WorkingCalendar,
  ): boolean {
    const g = graph([{ id: 'new' }, { id: 'check', rules: [sms('r', { condition: within(op, days) })] }])
    const s = sim(g, { closeDate }, { start, ...(calendar ? { calendar } : {}) })
    s.engine.moveToStage('d', 'check', user)
    const evaluated = of(s, 'condition.evaluated')[0]
    const ran = smsTexts(s).length === 1
    expect(evaluated).toMatchObject({ node: 'r', result: ran })
    return ran
  }

  const afternoon = '2026-11-23T15:00:00Z'

  it('counts today within the next days (a date of today is within 0 days)', () => {
    expect(holds('2026-11-23', 'withinNextDays', 0, afternoon)).toBe(true)
    expect(holds('2026-11-23', 'withinNextDays', 3, afternoon)).toBe(true)
  })

  it('counts whole days ahead: 3 days ahead is within 3 days, 4 days ahead is not', () => {
    expect(holds('2026-11-26', 'withinNextDays', 3, afternoon)).toBe(true)
    expect(holds('2026-11-27', 'withinNextDays', 3, afternoon)).toBe(false)
    expect(holds('2026-11-22', 'withinNextDays', 3, afternoon)).toBe(false)
  })

  it('counts today within the last days too', () => {
    expect(holds('2026-11-23', 'withinLastDays', 0, afternoon)).toBe(true)
    expect(holds('2026-11-23', 'withinLastDays', 3, afternoon)).toBe(true)
    expect(holds('2026-11-20', 'withinLastDays', 3, afternoon)).toBe(true)
    expect(holds('2026-11-19', 'withinLastDays', 3, afternoon)).toBe(false)
    expect(holds('2026-11-24', 'withinLastDays', 3, afternoon)).toBe(false)
  })

  it('reads "today" in the company time zone: east of UTC, the local date has already turned', () => {
    const tokyo: WorkingCalendar = {
      timeZone: 'Asia/Tokyo',
      workDays: [1, 2, 3, 4, 5],
      start: '09:00',
      end: '18:00',
      holidays: [],
    }
    const evening = '2026-11-23T20:00:00Z' // 05:00 on 24 November in Tokyo
    expect(holds('2026-11-24', 'withinNextDays', 0, evening, tokyo)).toBe(true)
    expect(holds('2026-11-24', 'withinLastDays', 0, evening, tokyo)).toBe(true)
    expect(holds('2026-11-23', 'withinNextDays', 0, evening, tokyo)).toBe(false)
    expect(holds('2026-11-23', 'withinLastDays', 1, evening, tokyo)).toBe(true)
    // The same moment in UTC is still the 23rd.
    expect(holds('2026-11-24', 'withinNextDays', 0, evening)).toBe(false)
    expect(holds('2026-11-23', 'withinNextDays', 0, evening)).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------

describe('a rule due at an exact moment that is empty', () => {
  it('is skipped, saying the moment is empty, and the next "after previous" rule still runs', () => {
    const g = graph([
      { id: 'new' },
      {
        id: 'work',
        rules: [sms('at-close', { time: { mode: 'at', at: { kind: 'field', path: 'closeDate' } } }), sms('next')],
      },
    ])
    const s = sim(g)
    s.engine.moveToStage('d', 'work', user)
    expect(of(s, 'rule.skipped')).toEqual([
      expect.objectContaining({ node: 'at-close', stage: 'work', reason: expect.stringMatching(/moment.*empty/) }),
    ])
    expect(of(s, 'rule.started').map((r) => ('node' in r ? r.node : ''))).toEqual(['next'])
    expect(smsTexts(s)).toEqual(['text of next'])
  })

  it('runs at the moment when the field holds one (for contrast)', () => {
    const g = graph([
      { id: 'new' },
      {
        id: 'work',
        rules: [sms('at-close', { time: { mode: 'at', at: { kind: 'field', path: 'closeDate' } } }), sms('next')],
      },
    ])
    const s = sim(g, { closeDate: '2026-11-25' })
    s.engine.moveToStage('d', 'work', user)
    expect(of(s, 'rule.scheduled')[0]).toMatchObject({ node: 'at-close', dueAt: '2026-11-25T00:00:00.000Z' })
    expect(smsTexts(s)).toEqual([])
    s.runToEnd()
    expect(smsTexts(s)).toEqual(['text of at-close', 'text of next'])
  })
})

// ---------------------------------------------------------------------------------------------

describe('"run for elements already here"', () => {
  it('starts the stage rules again without leaving the stage, cancelling what still waited', () => {
    const g = graph([
      { id: 'new' },
      {
        id: 'work',
        rules: [sms('now'), sms('tomorrow', { time: { mode: 'delay', delay: { amount: 1, unit: 'days' } } })],
      },
    ])
    const s = sim(g)
    s.engine.moveToStage('d', 'work', user)
    expect(smsTexts(s)).toEqual(['text of now'])
    s.advanceBy(HOUR)
    const before = s.engine.timeline.length

    s.engine.runForElementHere('d', { kind: 'user', id: 'u-boss' })

    const after = s.engine.timeline.slice(before)
    expect(after[0]).toMatchObject({ type: 'run.requested', stage: 'work', by: { kind: 'user', id: 'u-boss' } })
    expect(ofType(after, 'stage.left')).toEqual([])
    expect(ofType(after, 'stage.entered')).toEqual([])
    expect(s.engine.snapshot('d').stage).toBe('work')
    expect(ofType(after, 'rule.cancelled')).toEqual([
      expect.objectContaining({ node: 'tomorrow', stage: 'work', reason: expect.stringContaining('started again') }),
    ])
    expect(smsTexts(s)).toEqual(['text of now', 'text of now'])
    expect(ofType(after, 'rule.scheduled').map((r) => ('node' in r ? r.node : ''))).toEqual(['now', 'tomorrow'])

    // Only the new "tomorrow" runs, a day after the new start (not a day after the first entry).
    s.runToEnd()
    expect(smsTexts(s)).toEqual(['text of now', 'text of now', 'text of tomorrow'])
    expect(s.outbox.at(-1)?.at).toBe('2026-11-24T10:00:00.000Z')
  })
})

// ---------------------------------------------------------------------------------------------

describe('rules cancelled because the element left', () => {
  it('are not due any more: nextDueAt() is undefined and the clock does not jump', () => {
    const g = graph([
      { id: 'new' },
      { id: 'work', rules: [sms('later', { time: { mode: 'delay', delay: { amount: 2, unit: 'days' } } })] },
      { id: 'quiet' },
    ])
    const s = sim(g)
    s.engine.moveToStage('d', 'work', user)
    expect(s.engine.nextDueAt()).toBe(Date.parse(START) + 2 * DAY)
    s.engine.moveToStage('d', 'quiet', user)
    expect(of(s, 'rule.cancelled')).toEqual([expect.objectContaining({ node: 'later' })])

    expect(s.engine.nextDueAt()).toBeUndefined()
    const clock = s.now
    expect(s.advanceToNext()).toBe(false)
    expect(s.now).toBe(clock)
    expect(smsTexts(s)).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------

describe('scenario expectations on rule states', () => {
  const g = graph([
    { id: 'new' },
    {
      id: 'work',
      rules: [
        rule('hold', 'wait', { until: { mode: 'duration', duration: { amount: 3, unit: 'hours' } } }),
        sms('delayed', { execution: 'parallel', time: { mode: 'delay', delay: { amount: 1, unit: 'days' } } }),
      ],
    },
  ])

  const scenario = (steps: Scenario['steps']): Scenario => {
    const s: Scenario = {
      formatVersion: 1,
      name: 'rule states',
      graph: 'in-memory.json',
      start: START,
      elements: [{ id: 'd', stage: 'new', fields: { client: { phone: '+48 1' } } }],
      steps,
    }
    expect(scenarioProblems(s)).toEqual([])
    return s
  }

  it('reads a waiting "wait" rule as running, and a delayed rule as scheduled', () => {
    const result = runScenario(
      scenario([
        { move: { element: 'd', to: 'work' } },
        { expect: { element: 'd', rule: 'hold', state: 'running' } },
        { expect: { element: 'd', rule: 'delayed', state: 'scheduled' } },
        { advance: { by: '3h' } },
        { expect: { element: 'd', rule: 'hold', state: 'done' } },
        { expect: { element: 'd', rule: 'delayed', state: 'scheduled' } },
        { advance: 'end' },
        { expect: { element: 'd', rule: 'delayed', state: 'done' } },
      ]),
      g,
    )
    expect(result.error).toBeUndefined()
    expect(result.expectations.map((e) => [e.step, e.passed, e.message])).toEqual([
      [1, true, expect.any(String)],
      [2, true, expect.any(String)],
      [4, true, expect.any(String)],
      [5, true, expect.any(String)],
      [7, true, expect.any(String)],
    ])
    expect(result.passed).toBe(true)
  })

  it('fails when the state is another one, and says which', () => {
    const result = runScenario(
      scenario([
        { move: { element: 'd', to: 'work' } },
        { expect: { element: 'd', rule: 'hold', state: 'scheduled' } },
        { expect: { element: 'd', rule: 'delayed', state: 'running' } },
      ]),
      g,
    )
    expect(result.passed).toBe(false)
    expect(result.expectations.map((e) => e.passed)).toEqual([false, false])
    expect(result.expectations[0]?.message).toContain('rule hold is running')
    expect(result.expectations[1]?.message).toContain('rule delayed is scheduled')
  })
})

// ---------------------------------------------------------------------------------------------

describe('a rule in working hours whose moment has passed', () => {
  it('runs at the next working moment, not at once at night', () => {
    const g = graph([
      { id: 'new' },
      {
        id: 'work',
        rules: [
          sms('remind', {
            time: {
              mode: 'relative',
              field: 'closeDate',
              offset: { amount: -1, unit: 'days' },
              workingHours: 'company',
            },
          } as Partial<RuleNode>),
        ],
      },
    ])
    const s = sim(g, { closeDate: '2026-11-28' }, { start: '2026-11-28T22:00:00Z' }) // a Saturday night
    s.engine.moveToStage('d', 'work', user)
    expect(of(s, 'rule.scheduled')).toEqual([
      expect.objectContaining({ node: 'remind', dueAt: '2026-11-30T09:00:00.000Z' }),
    ])
    expect(smsTexts(s)).toEqual([])
    expect(s.advanceToNext()).toBe(true)
    expect(smsTexts(s)).toEqual(['text of remind'])
    expect(s.outbox[0]?.at).toBe('2026-11-30T09:00:00.000Z')
  })
})

// ---------------------------------------------------------------------------------------------

describe('money', () => {
  function calculated(formula: string, amount: number) {
    const g = graph(
      [
        { id: 'new' },
        {
          id: 'work',
          rules: [rule('calc', 'calculate', { formula, resultType: 'money', variable: 'total' })],
        },
      ],
      { variables: [{ id: 'total', name: 'Total', type: 'money', default: 0 }] },
    )
    const s = sim(g, { amount })
    s.engine.moveToStage('d', 'work', user)
    expect(of(s, 'rule.failed')).toEqual([])
    const finished = of(s, 'rule.finished')[0]
    return { output: finished && 'outputs' in finished ? finished.outputs.result : undefined, s }
  }

  it('rounds a calculated amount half up on its decimals', () => {
    const { output, s } = calculated('element.amount * 1.0', 1.005)
    expect(output).toBe(1.01)
    expect(s.engine.variables('d')).toEqual({ total: 1.01 })
  })

  it('adds 0.1 and 0.2 to 0.3', () => {
    const { output, s } = calculated('element.amount + 0.2', 0.1)
    expect(output).toBe(0.3)
    expect(of(s, 'variable.changed')[0]).toMatchObject({ variable: 'total', before: 0, after: 0.3 })
  })

  it('prints a money field with two decimals, rounded half up', () => {
    const g = graph([
      { id: 'new' },
      {
        id: 'work',
        rules: [
          sms('tell', {
            settings: {
              to: { kind: 'field', path: 'client.phone' },
              text: { kind: 'template', parts: ['Amount: ', { kind: 'field', path: 'amount' }] },
            },
          } as Partial<RuleNode>),
        ],
      },
    ])
    const one = sim(g, { amount: 1.005 })
    one.engine.moveToStage('d', 'work', user)
    expect(smsTexts(one)).toEqual(['Amount: 1.01'])
    const two = sim(g, { amount: 1234.5 })
    two.engine.moveToStage('d', 'work', user)
    expect(smsTexts(two)).toEqual(['Amount: 1234.50'])
  })
})
