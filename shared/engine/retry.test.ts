/**
 * Retrying a failed rule (`Engine.retryRule`): the rule runs again at once, the "after previous" rules its
 * failure stopped go on when it succeeds, the timeline says who retried it, and only a failed rule of the
 * current stay can be retried.
 */
import { describe, expect, it } from 'vitest'
import type { Graph, RuleNode } from '../graph/graph.js'
import { validate } from '../validate/validate.js'
import { describeTimeline } from './describe.js'
import { Engine, EngineError, type SavedElement } from './engine.js'
import { Simulation } from './simulation.js'
import { DEFAULT_CALENDAR, type EffectRequest, type EffectResult, type TimelineRecord } from './types.js'

const START = '2026-11-23T09:00:00Z' // a Monday
const MINUTE = 60_000

function rule(id: string, type: 'sendEmail' | 'sendSms', over: Partial<RuleNode> = {}): RuleNode {
  const settings =
    type === 'sendEmail'
      ? {
          to: { kind: 'literal', value: 'buyer@client.test' },
          subject: { kind: 'literal', value: `subject of ${id}` },
          body: { kind: 'literal', value: 'Hello.' },
          format: 'text',
          attachments: [],
        }
      : { to: { kind: 'literal', value: '+48 1' }, text: { kind: 'literal', value: `text of ${id}` } }
  return {
    id,
    type,
    title: id.charAt(0).toUpperCase() + id.slice(1),
    execution: 'afterPrevious',
    time: { mode: 'immediately' },
    settings,
    ...over,
  } as RuleNode
}

/** New → Offer: mail, then two SMS after it, one SMS beside them; Won. */
function offerGraph(rules?: RuleNode[]): Graph {
  const g: Graph = {
    formatVersion: 1,
    flow: { id: 'test', name: 'Test' },
    elementType: 'deal',
    pipeline: {
      id: 'p',
      name: 'Sales',
      stages: [
        { id: 'new', name: 'New', color: '#1976d2', kind: 'inProgress', triggers: [], rules: [] },
        {
          id: 'offer',
          name: 'Offer',
          color: '#1976d2',
          kind: 'inProgress',
          triggers: [],
          rules: rules ?? [
            rule('mail', 'sendEmail'),
            rule('first', 'sendSms'),
            rule('second', 'sendSms'),
            rule('side', 'sendSms', { execution: 'parallel' }),
          ],
        },
        { id: 'won', name: 'Won', color: '#2e7d32', kind: 'success', triggers: [], rules: [] },
      ],
    },
    constants: [],
    variables: [],
    fields: [],
  }
  const errors = validate(g).findings.filter((f) => f.severity === 'error')
  if (errors.length) throw new Error(`test graph invalid: ${JSON.stringify(errors, null, 2)}`)
  return g
}

const texts = (s: Simulation) =>
  s.outbox
    .filter((o) => o.result.status === 'done')
    .map((o) => (o.request.kind === 'sms' ? o.request.text : o.request.kind))
const states = (engine: Engine) => engine.ruleStates('d').map((r) => `${r.node}:${r.state}`)
const types = (records: readonly TimelineRecord[]) => records.map((r) => r.type)

describe('the engine: retrying a failed rule', () => {
  it('runs it again once fixed: done, and the "after previous" rules it stopped run after it', () => {
    const failing = new Set<EffectRequest['kind']>(['email'])
    const s = new Simulation({ graph: offerGraph(), start: START, failing })
    s.engine.addElement({ id: 'd', stage: 'new', fields: {} })
    s.engine.moveToStage('d', 'offer', { kind: 'user', id: 'u-anna' })
    expect(states(s.engine)).toEqual(['mail:failed', 'first:notRun', 'second:notRun', 'side:done'])
    expect(texts(s)).toEqual(['text of side'])

    // The mail server is fixed; a salesperson retries a few minutes later.
    failing.clear()
    s.advanceBy(5 * MINUTE)
    const before = s.engine.timeline.length
    s.engine.retryRule('d', 'mail', { kind: 'user', id: 'u-jean' })
    expect(states(s.engine)).toEqual(['mail:done', 'first:done', 'second:done', 'side:done'])
    expect(texts(s)).toEqual(['text of side', 'email', 'text of first', 'text of second'])
    const after = s.engine.timeline.slice(before)
    expect(after[0]).toMatchObject({
      type: 'rule.retried',
      stage: 'offer',
      node: 'mail',
      by: { kind: 'user', id: 'u-jean' },
      at: '2026-11-23T09:05:00.000Z',
    })
    expect(types(after).slice(0, 5)).toEqual([
      'rule.retried',
      'rule.started',
      'effect.requested',
      'effect.finished',
      'rule.finished',
    ])
    // The parallel rule is not run twice.
    expect(after.filter((r) => r.type === 'rule.started').map((r) => ('node' in r ? r.node : ''))).toEqual([
      'mail',
      'first',
      'second',
    ])
    const words = describeTimeline(after, offerGraph(), DEFAULT_CALENDAR)
    expect(words[0]).toBe('2026-11-23 09:05  d    ↻ "Mail" retried by u-jean')
  })

  it('can fail again, and be retried again', () => {
    const s = new Simulation({ graph: offerGraph(), start: START, failing: new Set(['email']) })
    s.engine.addElement({ id: 'd', stage: 'new', fields: {} })
    s.engine.moveToStage('d', 'offer', { kind: 'api' })
    s.engine.retryRule('d', 'mail', { kind: 'api' })
    expect(states(s.engine)).toEqual(['mail:failed', 'first:notRun', 'second:notRun', 'side:done'])
    expect(s.engine.timeline.filter((r) => r.type === 'rule.notRun')).toHaveLength(4)
    expect(s.outbox.filter((o) => o.request.kind === 'email')).toHaveLength(2)
  })

  it('evaluates its condition again: a rule whose condition no longer holds is skipped, and the chain goes on', () => {
    const g = offerGraph([
      rule('mail', 'sendEmail', {
        condition: {
          match: 'all',
          items: [{ left: { kind: 'field', path: 'amount' }, op: 'gt', values: [{ kind: 'literal', value: 5000 }] }],
        },
      }),
      rule('first', 'sendSms'),
    ])
    const failing = new Set<EffectRequest['kind']>(['email'])
    const s = new Simulation({ graph: g, start: START, failing })
    s.engine.addElement({ id: 'd', stage: 'new', fields: { amount: 9000 } })
    s.engine.moveToStage('d', 'offer', { kind: 'api' })
    expect(states(s.engine)).toEqual(['mail:failed', 'first:notRun'])
    s.engine.changeField('d', 'amount', 100, { kind: 'api' })
    s.engine.retryRule('d', 'mail', { kind: 'api' })
    expect(states(s.engine)).toEqual(['mail:skipped', 'first:done'])
  })

  it('waits again for an effect that answers "pending", as the runtime delivers it', () => {
    let now = Date.parse(START)
    let n = 0
    const asked: Array<{ id: string; request: EffectRequest }> = []
    const engine = new Engine({
      graph: offerGraph([rule('mail', 'sendEmail'), rule('first', 'sendSms')]),
      ports: {
        now: () => now,
        newId: (kind) => `${kind}-${++n}`,
        perform: (_el, request, id) => {
          asked.push({ id, request })
          return { status: 'pending' }
        },
      },
    })
    engine.addElement({ id: 'd', stage: 'new', fields: {} })
    engine.moveToStage('d', 'offer', { kind: 'api' })
    const failed: EffectResult = { status: 'failed', error: 'SMTP said no' }
    engine.completeEffect(asked[0]?.id ?? '', failed)
    expect(states(engine)).toEqual(['mail:failed', 'first:notRun'])
    // Saved and loaded again between inputs, as the runtime keeps it.
    const saved: SavedElement = engine.saveElement('d')
    engine.removeElement('d')
    engine.loadElement(saved)
    now += MINUTE
    engine.retryRule('d', 'mail', { kind: 'api' })
    expect(states(engine)).toEqual(['mail:running', 'first:pending'])
    expect(asked.map((a) => a.request.kind)).toEqual(['email', 'email'])
    expect(engine.saveElement('d').effects).toEqual([{ effect: asked[1]?.id, epoch: 1, stage: 'offer', rule: 0 }])
    // The first attempt's late answer changes nothing; the new one finishes it.
    engine.completeEffect(asked[0]?.id ?? '', { status: 'done' })
    expect(states(engine)).toEqual(['mail:running', 'first:pending'])
    engine.completeEffect(asked[1]?.id ?? '', { status: 'done', outputs: { messageId: 'm-2' } })
    expect(states(engine)).toEqual(['mail:done', 'first:running'])
  })

  it('refuses a rule that has not failed, and one that is not in the current stay, changing nothing', () => {
    const s = new Simulation({ graph: offerGraph(), start: START })
    s.engine.addElement({ id: 'd', stage: 'new', fields: {} })
    expect(() => s.engine.retryRule('d', 'mail', { kind: 'api' })).toThrow(EngineError)
    s.engine.moveToStage('d', 'offer', { kind: 'api' })
    const before = s.engine.timeline.length
    let refusal: unknown
    try {
      s.engine.retryRule('d', 'mail', { kind: 'api' })
    } catch (error) {
      refusal = error
    }
    expect(refusal).toBeInstanceOf(EngineError)
    expect(refusal).toMatchObject({
      code: 'conflict',
      message: 'rule "Mail" has not failed (it is done); only a failed rule can be retried',
    })
    expect(() => s.engine.retryRule('d', 'nope', { kind: 'api' })).toThrow(
      expect.objectContaining({
        code: 'notFound',
        message: 'no rule "nope" in the stage the element stands in ("Offer")',
      }),
    )
    expect(() => s.engine.retryRule('x', 'mail', { kind: 'api' })).toThrow('no element "x"')
    expect(s.engine.timeline.length).toBe(before)
    expect(texts(s)).toHaveLength(4)
  })

  it('keeps a running "Wait" rule\'s end when the element is saved (ruleStates\' waitsUntil)', () => {
    const g = offerGraph([
      {
        id: 'pause',
        type: 'wait',
        title: 'Pause',
        execution: 'afterPrevious',
        time: { mode: 'immediately' },
        settings: { until: { mode: 'duration', duration: { amount: 2, unit: 'hours' } } },
      } as RuleNode,
    ])
    const s = new Simulation({ graph: g, start: START })
    s.engine.addElement({ id: 'd', stage: 'new', fields: {} })
    s.engine.moveToStage('d', 'offer', { kind: 'api' })
    const saved = s.engine.saveElement('d')
    expect(saved.stay?.runs).toEqual([
      { state: 'running', dueAt: Date.parse(START), waitDeadline: Date.parse('2026-11-23T11:00:00Z') },
    ])
    s.engine.removeElement('d')
    s.engine.loadElement(saved)
    expect(s.engine.ruleStates('d')).toEqual([
      { node: 'pause', state: 'running', waitsUntil: '2026-11-23T11:00:00.000Z' },
    ])
  })
})
