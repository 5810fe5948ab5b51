import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Graph, RuleNode, Stage, TriggerNode } from '../graph/graph.js'
import { validate } from '../validate/validate.js'
import { Engine } from './engine.js'
import { Simulation } from './simulation.js'
import type { TimelineRecord, WorkingCalendar } from './types.js'

const START = '2026-11-23T09:00:00Z' // a Monday
const HOUR = 3_600_000

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

function sms(id: string, over: Partial<RuleNode> = {}): RuleNode {
  return {
    id,
    type: 'sendSms',
    title: id,
    execution: 'afterPrevious',
    time: { mode: 'immediately' },
    settings: { to: { kind: 'field', path: 'client.phone' }, text: { kind: 'literal', value: `text of ${id}` } },
    ...over,
  } as RuleNode
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

const bigOnly = {
  match: 'all' as const,
  items: [
    {
      left: { kind: 'field' as const, path: 'amount' },
      op: 'gt' as const,
      values: [{ kind: 'literal' as const, value: 5000 }],
    },
  ],
}

function sim(g: Graph, fields: Record<string, unknown> = {}, options: { calendar?: WorkingCalendar } = {}) {
  const s = new Simulation({ graph: g, start: START, ...options })
  s.engine.addElement({
    id: 'd',
    stage: g.pipeline.stages[0]?.id ?? null,
    fields: { 'client.phone': '+48 1', ...fields } as never,
  })
  return s
}

const of = (s: Simulation, type: TimelineRecord['type']) => s.engine.timeline.filter((r) => r.type === type)
const nodesOf = (s: Simulation, type: TimelineRecord['type']) => of(s, type).map((r) => ('node' in r ? r.node : ''))
const smsTexts = (s: Simulation) => s.outbox.flatMap((o) => (o.request.kind === 'sms' ? [o.request.text] : []))

describe('the engine: stages', () => {
  it('records who moved the element and starts the stage rules on entry', () => {
    const s = sim(graph([{ id: 'a' }, { id: 'b', rules: [sms('r1')] }]))
    s.engine.moveToStage('d', 'b', { kind: 'user', id: 'u-anna' })
    expect(of(s, 'stage.entered')).toEqual([
      expect.objectContaining({ stage: 'b', from: 'a', by: { kind: 'user', id: 'u-anna' } }),
    ])
    expect(smsTexts(s)).toEqual(['text of r1'])
  })

  it('cancels the rules still waiting when the element leaves, and says so', () => {
    const s = sim(
      graph([
        { id: 'a', rules: [sms('later', { time: { mode: 'delay', delay: { amount: 1, unit: 'days' } } })] },
        { id: 'b' },
      ]),
    )
    s.engine.moveToStage('d', 'a', { kind: 'user', id: 'u' })
    s.advanceBy(HOUR)
    s.engine.moveToStage('d', 'b', { kind: 'user', id: 'u' })
    s.runToEnd()
    expect(smsTexts(s)).toEqual([])
    expect(of(s, 'rule.cancelled')).toEqual([
      expect.objectContaining({ node: 'later', reason: 'the element left "a" for "b"' }),
    ])
  })

  it('runs no rule on a field change, and none for elements already standing in a stage', () => {
    const s = sim(graph([{ id: 'a', rules: [sms('r1')] }]))
    s.engine.changeField('d', 'amount', 9000, { kind: 'user', id: 'u' })
    s.runToEnd()
    expect(smsTexts(s)).toEqual([])
    s.engine.runForElementHere('d', { kind: 'user', id: 'u-boss' })
    expect(of(s, 'run.requested')).toEqual([
      expect.objectContaining({ stage: 'a', by: { kind: 'user', id: 'u-boss' } }),
    ])
    expect(smsTexts(s)).toEqual(['text of r1'])
  })
})

describe('the engine: execution and time', () => {
  it('starts an "after previous" rule when the one before finished, a parallel rule at entry', () => {
    const s = sim(
      graph([
        { id: 'a' },
        {
          id: 'b',
          rules: [
            sms('first', { time: { mode: 'delay', delay: { amount: 2, unit: 'hours' } } }),
            sms('second'),
            sms('side', { execution: 'parallel' }),
          ],
        },
      ]),
    )
    s.engine.moveToStage('d', 'b', { kind: 'user', id: 'u' })
    expect(smsTexts(s)).toEqual(['text of side'])
    s.advanceBy(2 * HOUR - 60_000)
    expect(smsTexts(s)).toEqual(['text of side'])
    s.advanceBy(60_000)
    expect(smsTexts(s)).toEqual(['text of side', 'text of first', 'text of second'])
  })

  it('times a rule relative to a date field, and runs it at once when that moment has passed', () => {
    const rule = sms('before-close', {
      time: { mode: 'relative', field: 'closeDate', offset: { amount: -1, unit: 'days' }, at: '10:00' },
    })
    const s = sim(graph([{ id: 'a' }, { id: 'b', rules: [rule] }]), { closeDate: '2026-11-26' })
    s.engine.moveToStage('d', 'b', { kind: 'user', id: 'u' })
    expect(of(s, 'rule.scheduled')[0]).toMatchObject({
      dueAt: '2026-11-25T10:00:00.000Z',
      reason: '1 day before closeDate',
    })
    const late = sim(graph([{ id: 'a' }, { id: 'b', rules: [rule] }]), { closeDate: '2026-11-01' })
    late.engine.moveToStage('d', 'b', { kind: 'user', id: 'u' })
    expect(smsTexts(late)).toEqual(['text of before-close'])
    expect(of(late, 'rule.scheduled')[0]).toMatchObject({
      reason: expect.stringContaining('that moment has passed, so at once'),
    })
  })

  it('lets a delay that ends at night wait for the morning, in the company time zone', () => {
    const calendar = {
      timeZone: 'Europe/Warsaw',
      workDays: [1, 2, 3, 4, 5],
      start: '09:00',
      end: '17:00',
      holidays: ['2026-11-24'],
    }
    const rule = sms('mail', { time: { mode: 'delay', delay: { amount: 8, unit: 'hours' }, workingHours: 'company' } })
    const s = sim(graph([{ id: 'a' }, { id: 'b', rules: [rule] }]), {}, { calendar })
    s.engine.moveToStage('d', 'b', { kind: 'user', id: 'u' }) // 10:00 Warsaw + 8 h = 18:00, after hours; Tuesday is a holiday
    expect(of(s, 'rule.scheduled')[0]).toMatchObject({ dueAt: '2026-11-25T08:00:00.000Z' })
  })

  it('evaluates a condition when the rule is due, with the values of that moment; a skipped rule lets the next run', () => {
    const s = sim(
      graph([
        { id: 'a' },
        {
          id: 'b',
          rules: [
            sms('big', { time: { mode: 'delay', delay: { amount: 1, unit: 'hours' } }, condition: bigOnly }),
            sms('always'),
          ],
        },
      ]),
      { amount: 9000 },
    )
    s.engine.moveToStage('d', 'b', { kind: 'user', id: 'u' })
    s.engine.changeField('d', 'amount', 4200, { kind: 'user', id: 'u' })
    s.advanceBy(HOUR)
    expect(of(s, 'rule.skipped')).toEqual([
      expect.objectContaining({ node: 'big', reason: 'condition false: amount 4200 > 5000' }),
    ])
    expect(of(s, 'condition.evaluated')[0]).toMatchObject({
      result: false,
      rows: [{ left: 'amount', leftValue: 4200, values: [5000] }],
    })
    expect(smsTexts(s)).toEqual(['text of always'])
  })
})

describe('the engine: values', () => {
  it('resolves templates and lets "set variable" and "calculate" feed later rules, with exact money', () => {
    const g = graph(
      [
        { id: 'a' },
        {
          id: 'b',
          rules: [
            {
              id: 'calc',
              type: 'calculate',
              title: 'calc',
              execution: 'afterPrevious',
              time: { mode: 'immediately' },
              settings: { formula: 'element.amount + 0.2', resultType: 'money', variable: 'total' },
            },
            sms('tell', {
              settings: {
                to: { kind: 'field', path: 'client.phone' },
                text: {
                  kind: 'template',
                  parts: [
                    'Total ',
                    { kind: 'variable', id: 'total' },
                    ' = ',
                    { kind: 'output', node: 'calc', output: 'result' },
                    ' ',
                    { kind: 'field', path: 'amount' },
                  ],
                },
              },
            } as Partial<RuleNode>),
          ],
        },
      ],
      { variables: [{ id: 'total', name: 'Total', type: 'money', default: 0 }] },
    )
    const s = sim(g, { amount: 0.1 })
    s.engine.moveToStage('d', 'b', { kind: 'user', id: 'u' })
    expect(s.engine.variables('d')).toEqual({ total: 0.3 })
    expect(of(s, 'variable.changed')[0]).toMatchObject({ variable: 'total', before: 0, after: 0.3 })
    expect(smsTexts(s)).toEqual(['Total 0.30 = 0.30 0.10'])
  })
})

describe('the engine: wait', () => {
  const waitRule = (until: unknown): RuleNode =>
    ({
      id: 'wait',
      type: 'wait',
      title: 'Wait',
      execution: 'afterPrevious',
      time: { mode: 'immediately' },
      settings: { until },
    }) as RuleNode

  it('holds the rules after it for a while', () => {
    const s = sim(
      graph([
        { id: 'a' },
        { id: 'b', rules: [waitRule({ mode: 'duration', duration: { amount: 3, unit: 'hours' } }), sms('after')] },
      ]),
    )
    s.engine.moveToStage('d', 'b', { kind: 'user', id: 'u' })
    s.advanceBy(3 * HOUR - 1)
    expect(smsTexts(s)).toEqual([])
    s.advanceBy(1)
    expect(smsTexts(s)).toEqual(['text of after'])
  })

  it('holds them until a condition holds, or until the timeout', () => {
    const rules = [
      waitRule({ mode: 'condition', condition: bigOnly, timeout: { amount: 1, unit: 'days' } }),
      sms('after'),
    ]
    const s = sim(graph([{ id: 'a' }, { id: 'b', rules }]), { amount: 100 })
    s.engine.moveToStage('d', 'b', { kind: 'user', id: 'u' })
    s.advanceBy(HOUR)
    expect(smsTexts(s)).toEqual([])
    s.engine.changeField('d', 'amount', 7000, { kind: 'user', id: 'u' })
    expect(smsTexts(s)).toEqual(['text of after'])
    expect(of(s, 'rule.finished')[0]).toMatchObject({ node: 'wait', outputs: { timedOut: false } })
    const t = sim(graph([{ id: 'a' }, { id: 'b', rules }]), { amount: 100 })
    t.engine.moveToStage('d', 'b', { kind: 'user', id: 'u' })
    t.runToEnd()
    expect(of(t, 'rule.finished')[0]).toMatchObject({
      node: 'wait',
      outputs: { timedOut: true },
      at: '2026-11-24T09:00:00.000Z',
    })
  })
})

describe('the engine: triggers', () => {
  const pipeline = (over: { back?: boolean } = {}) =>
    graph([
      { id: 'new' },
      { id: 'sent', triggers: [trigger('t-sent')] },
      { id: 'signed', triggers: [trigger('t-signed', { changeStageAs: { mode: 'user', user: 'u-director' } })] },
      { id: 'early', triggers: [] },
      { id: 'archive', triggers: [trigger('t-archive', { allowReturn: over.back ?? false, condition: bigOnly })] },
    ])

  it('moves the element to the nearest stage ahead, as the trigger says', () => {
    const s = sim(pipeline())
    s.engine.fireEvent('d', { type: 'signedByClient' })
    expect(s.engine.snapshot('d').stage).toBe('sent')
    s.engine.fireEvent('d', { type: 'signedByClient' })
    expect(s.engine.snapshot('d').stage).toBe('signed')
    expect(of(s, 'stage.entered').at(-1)).toMatchObject({ by: { kind: 'trigger', node: 't-signed', as: 'u-director' } })
  })

  it('says why each trigger did or did not fire', () => {
    const s = sim(pipeline(), { amount: 4200 })
    s.engine.moveToStage('d', 'signed', { kind: 'user', id: 'u' })
    s.engine.fireEvent('d', { type: 'signedByClient' })
    const considered = of(s, 'trigger.considered').map((r) => ('reason' in r ? `${r.node}: ${r.reason}` : ''))
    expect(considered).toEqual([
      't-sent: stage behind, return not allowed',
      't-signed: the element is already in this stage',
      't-archive: condition false: amount 4200 > 5000',
    ])
    expect(s.engine.snapshot('d').stage).toBe('signed')
  })

  it('moves back only when the trigger allows return', () => {
    const g = graph([
      { id: 'new', triggers: [trigger('t-back', { allowReturn: true, type: 'signingRefused' })] },
      { id: 'sent' },
    ])
    const s = sim(g)
    s.engine.moveToStage('d', 'sent', { kind: 'user', id: 'u' })
    s.engine.fireEvent('d', { type: 'signingRefused' })
    expect(s.engine.snapshot('d').stage).toBe('new')
  })

  it('moves the element when a watched field changes to the given value', () => {
    const g = graph(
      [
        { id: 'new' },
        {
          id: 'paid',
          triggers: [
            trigger('t-paid', {
              type: 'fieldChanged',
              settings: { fields: ['custom.status'], to: { kind: 'literal', value: 'paid' } },
            } as Partial<TriggerNode>),
          ],
        },
      ],
      { fields: [{ id: 'status', label: 'Status', type: 'text' }] },
    )
    const s = sim(g)
    s.engine.changeField('d', 'custom.status', 'open', { kind: 'user', id: 'u' })
    expect(s.engine.snapshot('d').stage).toBe('new')
    s.engine.changeField('d', 'custom.status', 'paid', { kind: 'user', id: 'u' })
    expect(s.engine.snapshot('d').stage).toBe('paid')
  })
})

describe('the engine: failure and loops', () => {
  it('stops the "after previous" chain at a failed rule; parallel rules go on', () => {
    const g = graph([
      { id: 'a' },
      {
        id: 'b',
        rules: [
          {
            id: 'mail',
            type: 'sendEmail',
            title: 'Mail',
            execution: 'afterPrevious',
            time: { mode: 'immediately' },
            settings: {
              to: { kind: 'literal', value: 'x@y.z' },
              subject: { kind: 'literal', value: 'S' },
              body: { kind: 'literal', value: 'B' },
              format: 'text',
              attachments: [],
            },
          },
          sms('after-mail'),
          sms('side', { execution: 'parallel' }),
        ],
      },
    ])
    const s = new Simulation({ graph: g, start: START, failing: new Set(['email']) })
    s.engine.addElement({ id: 'd', stage: 'a', fields: { 'client.phone': '1' } })
    s.engine.moveToStage('d', 'b', { kind: 'user', id: 'u' })
    expect(nodesOf(s, 'rule.failed')).toEqual(['mail'])
    expect(of(s, 'rule.notRun')).toEqual([
      expect.objectContaining({ node: 'after-mail', reason: '"Mail" before it failed' }),
    ])
    expect(smsTexts(s)).toEqual(['text of side'])
  })

  it('waits for an effect that answers "pending" and goes on when it completes', () => {
    const g = graph([{ id: 'a' }, { id: 'b', rules: [sms('one'), sms('two')] }])
    let now = Date.parse(START)
    const pending: string[] = []
    const engine = new Engine({
      graph: g,
      ports: {
        now: () => now,
        newId: (kind) => `${kind}-${pending.length + 1}`,
        perform: (_el, _req, id) => {
          pending.push(id)
          return { status: 'pending' }
        },
      },
    })
    engine.addElement({ id: 'd', stage: 'a', fields: {} })
    engine.moveToStage('d', 'b', { kind: 'api' })
    expect(engine.ruleStates('d').map((r) => r.state)).toEqual(['running', 'pending'])
    now += 1000
    engine.completeEffect(pending[0] ?? '', { status: 'done', outputs: { messageId: 'm-1' } })
    expect(engine.ruleStates('d').map((r) => r.state)).toEqual(['done', 'running'])
  })

  it('stops a loop of automatic moves and names the stages', () => {
    const back = (id: string, to: string): RuleNode => ({
      id,
      type: 'changeStage',
      title: id,
      execution: 'afterPrevious',
      time: { mode: 'immediately' },
      settings: { stage: to, changeAs: { mode: 'responsible' } },
    })
    const s = sim(
      graph([
        { id: 'ping', rules: [back('to-pong', 'pong')] },
        { id: 'pong', rules: [back('to-ping', 'ping')] },
      ]),
    )
    s.engine.moveToStage('d', 'pong', { kind: 'user', id: 'u' })
    const stop = of(s, 'loop.stopped')
    expect(stop).toEqual([expect.objectContaining({ stages: ['ping', 'pong'], moves: 100 })])
    expect(of(s, 'error')[0]).toMatchObject({ message: expect.stringContaining('between "ping", "pong"') })
  })
})

describe('the engine: determinism and bookkeeping (property tests)', () => {
  const g = graph([
    { id: 'new', rules: [sms('n1', { time: { mode: 'delay', delay: { amount: 30, unit: 'minutes' } } })] },
    {
      id: 'work',
      triggers: [trigger('t-work', { type: 'documentViewed' })],
      rules: [
        sms('w1', { condition: bigOnly }),
        sms('w2', { time: { mode: 'delay', delay: { amount: 2, unit: 'hours' } } }),
        sms('w3', {
          execution: 'parallel',
          time: { mode: 'delay', delay: { amount: 1, unit: 'days' }, workingHours: 'company' },
        }),
      ],
    },
    {
      id: 'done',
      kind: 'success',
      triggers: [trigger('t-done', { allowReturn: true })],
      rules: [sms('d1', { time: { mode: 'delay', delay: { amount: 3, unit: 'hours' } } })],
    },
  ])
  const step = fc.oneof(
    fc.record({ move: fc.constantFrom('new', 'work', 'done'), who: fc.constantFrom('u1', 'u2') }),
    fc.record({ event: fc.constantFrom('documentViewed' as const, 'signedByClient' as const) }),
    fc.record({ amount: fc.integer({ min: 0, max: 10_000 }) }),
    fc.record({ advance: fc.integer({ min: 1, max: 48 * 60 }) }),
  )
  const play = (steps: Array<Record<string, unknown>>) => {
    const s = sim(g, { amount: 6000 })
    for (const st of steps) {
      if ('move' in st) s.engine.moveToStage('d', String(st.move), { kind: 'user', id: String(st.who) })
      else if ('event' in st) s.engine.fireEvent('d', { type: st.event as 'documentViewed' })
      else if ('amount' in st) s.engine.changeField('d', 'amount', Number(st.amount), { kind: 'user', id: 'u' })
      else s.advanceBy(Number(st.advance) * 60_000)
    }
    s.runToEnd()
    return s
  }

  it('gives the same timeline, byte for byte, for the same inputs', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        expect(JSON.stringify(play(steps).engine.timeline)).toBe(JSON.stringify(play(steps).engine.timeline))
      }),
      { numRuns: 100 },
    )
  })

  /** Plays the steps on an engine; with `reload`, every input runs on a fresh engine that loaded the saved element. */
  const playSaved = (steps: Array<Record<string, unknown>>, reload: boolean) => {
    let now = Date.parse(START)
    let ids = 0
    const records: unknown[] = []
    const make = () =>
      new Engine({
        graph: g,
        keepTimeline: false,
        onRecord: ({ seq: _seq, ...r }) => records.push(r),
        ports: { now: () => now, newId: (k) => `${k}-${++ids}`, perform: () => ({ status: 'done', outputs: {} }) },
      })
    let engine = make()
    engine.addElement({ id: 'd', stage: 'new', fields: { 'client.phone': '+48 1', amount: 6000 } })
    const input = (action: (e: Engine) => void) => {
      if (reload) {
        const saved = JSON.parse(JSON.stringify(engine.saveElement('d')))
        engine.removeElement('d')
        engine = make()
        engine.loadElement(saved)
      }
      action(engine)
    }
    const advanceTo = (t: number) => {
      for (let due = engine.nextDueAt(); due !== undefined && due <= t; due = engine.nextDueAt()) {
        now = Math.max(now, due)
        input((e) => e.runDue())
      }
      now = Math.max(now, t)
    }
    for (const st of steps) {
      if ('move' in st) input((e) => e.moveToStage('d', String(st.move), { kind: 'user', id: String(st.who) }))
      else if ('event' in st) input((e) => e.fireEvent('d', { type: st.event as 'documentViewed' }))
      else if ('amount' in st) input((e) => e.changeField('d', 'amount', Number(st.amount), { kind: 'user', id: 'u' }))
      else advanceTo(now + Number(st.advance) * 60_000)
    }
    advanceTo(now + 30 * 86_400_000)
    return { records, saved: engine.saveElement('d') }
  }

  it('saving and loading the element between inputs changes nothing (the runtime does that)', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const once = playSaved(steps, false)
        const reloaded = playSaved(steps, true)
        expect(reloaded.records).toEqual(once.records)
        expect(reloaded.saved).toEqual(once.saved)
      }),
      { numRuns: 100 },
    )
  })

  it('refuses a saved element that does not fit the flow version, naming the part', () => {
    const engine = new Engine({
      graph: g,
      ports: { now: () => 0, newId: (k) => k, perform: () => ({ status: 'done' }) },
    })
    const saved = { id: 'x', stage: 'gone', fields: {}, variables: {}, stay: null, jobs: [], effects: [] }
    expect(() => engine.loadElement(saved)).toThrow('stage names stage "gone"')
    const wrongRuns = { ...saved, stage: 'work', stay: { epoch: 1, stage: 'work', runs: [], outputs: {} } }
    expect(() => engine.loadElement(wrongRuns)).toThrow('stay.runs has 0 rules, stage "work" has 3')
  })

  it('never loses or duplicates a scheduled rule', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const s = play(steps)
        // Per stay in a stage (between an entry and the next), every scheduled rule ends exactly once.
        const open = new Map<string, number>()
        for (const r of s.engine.timeline) {
          if (r.type === 'stage.entered') expect([...open.values()].every((n) => n === 0)).toBe(true)
          if (r.type === 'stage.entered') open.clear()
          if (r.type === 'rule.scheduled') {
            expect(open.get(r.node) ?? 0).toBe(0)
            open.set(r.node, 1)
          }
          if (
            r.type === 'rule.finished' ||
            r.type === 'rule.skipped' ||
            r.type === 'rule.cancelled' ||
            r.type === 'rule.failed'
          ) {
            if (r.type !== 'rule.skipped' || open.has(r.node)) {
              expect(open.get(r.node), `${r.type} ${r.node} without a schedule`).toBe(1)
              open.set(r.node, 0)
            }
          }
        }
        // After running to the end nothing is left scheduled except a rule of the current stay.
        expect([...open.values()].every((n) => n === 0)).toBe(true)
      }),
      { numRuns: 150 },
    )
  })
})
