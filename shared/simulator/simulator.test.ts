/**
 * The simulator's reading of a dry run, on the seeds' flow (b): counts per node, "why not?" for rules and
 * triggers, the schedule of what waits, the expectations offered, and a session kept as a scenario that
 * the CLI's runner passes — and fails once the flow is broken.
 */
import { describe, expect, it } from 'vitest'
import { runScenario, scenarioProblems } from '../engine/scenario.js'
import { DEFAULT_CALENDAR, type WorkingCalendar } from '../engine/types.js'
import type { Graph } from '../graph/graph.js'
import { fixture } from '../test/fixtures.js'
import { fieldsAt, nodeStats, pendingSchedule, suggestExpectations, whyNot } from './insights.js'
import { fromScenario, runSession, type Session, stepText, toScenario } from './session.js'

const flowB = () => fixture('director-then-client.json') as unknown as Graph
const calendar: WorkingCalendar = {
  timeZone: 'Europe/Warsaw',
  workDays: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
  holidays: [],
}

const session = (): Session => ({
  start: '2026-11-23T08:00:00Z',
  calendar,
  elements: [
    {
      id: 'deal-7',
      stage: 'new',
      fields: {
        title: 'Annual service contract',
        amount: 12000,
        responsible: 'u-anna',
        'client.name': 'İğdır Şirketi',
        'client.email': 'info@igdir.com.tr',
        'client.phone': '+90 555 000 00 00',
      },
    },
  ],
  steps: [
    { move: { element: 'deal-7', to: 'contract', by: 'u-anna' } },
    { event: { element: 'deal-7', type: 'signedByCompany', documentType: 'contract' } },
  ],
})

describe('the simulator', () => {
  it('counts what each node did, and says why the others did not', () => {
    const graph = flowB()
    const run = runSession(graph, session())
    const stats = nodeStats(run.timeline, 'deal-7')
    expect(stats.get('create-contract')).toMatchObject({ ran: 1 })
    expect(stats.get('director-signed')).toMatchObject({ ran: 1 })
    expect(stats.get('send-to-client')).toMatchObject({ ran: 1 })
    const sim = run.simulation
    expect(whyNot(graph, sim, 'deal-7', 'send-to-client', calendar)).toMatchObject({ state: 'ran' })
    // The reminder waits two days, within the responsible person's hours.
    const reminder = whyNot(graph, sim, 'deal-7', 'remind-client', calendar)
    expect(reminder.state).toBe('waiting')
    expect(reminder.text).toMatch(/^It is waiting until 2026-11-25 \d\d:\d\d \(Europe\/Warsaw\)/)
    // A trigger nothing set off, and a stage never entered.
    expect(whyNot(graph, sim, 'deal-7', 'client-signed', calendar)).toEqual({
      state: 'never',
      text: 'Nothing set it off: it waits for the client signing, and none happened to this element.',
      reason: 'nothingSetItOff',
      params: { event: 'signedByClient' },
    })
    expect(reminder).toMatchObject({ reason: 'waiting', params: { until: expect.stringMatching(/^2026-11-25T/) } })
    expect(whyNot(graph, runSession(graph, session(), 0).simulation, 'deal-7', 'ask-director', calendar)).toEqual({
      state: 'never',
      text: 'The element never entered "Contract" (it is in "New"); rules run when an element enters their stage.',
      reason: 'neverEntered',
      params: { stage: 'Contract', now: 'New' },
    })
    expect(stepText(graph, session().steps[0] as never)).toBe('Move deal-7 to "Contract"')
  })

  it('names the condition and its values when a rule is skipped, and a trigger that may not go back', () => {
    const graph = flowB()
    const rule = graph.pipeline.stages[2]?.rules[0]
    if (!rule) throw new Error('fixture changed')
    rule.condition = {
      match: 'all',
      items: [{ left: { kind: 'field', path: 'amount' }, op: 'gt', values: [{ kind: 'literal', value: 50000 }] }],
    }
    const s = session()
    s.steps.push({ event: { element: 'deal-7', type: 'signedByCompany', documentType: 'contract' } })
    const run = runSession(graph, s)
    const why = whyNot(graph, run.simulation, 'deal-7', 'send-to-client', calendar)
    expect(why.state).toBe('skipped')
    expect(why.text).toContain('condition false')
    expect(why.text).toContain('12000')
    // The director signs again while the deal stands in Sent: its trigger is already there.
    expect(whyNot(graph, run.simulation, 'deal-7', 'director-signed', calendar)).toMatchObject({ state: 'passed' })
  })

  it('lists what waits, in the company’s time, and offers what happened as expectations', () => {
    const graph = flowB()
    const run = runSession(graph, session())
    const schedule = pendingSchedule(graph, run.simulation, ['deal-7'], calendar)
    expect(schedule).toEqual([
      expect.objectContaining({ node: 'remind-client', title: 'Remind the client after 2 days', stage: 'Sent' }),
    ])
    expect(schedule[0]?.local).toMatch(/\(Europe\/Warsaw\)$/)
    const offered = suggestExpectations(graph, run.simulation, 'deal-7')
    expect(offered.map((o) => o.label)).toEqual(
      expect.arrayContaining(['Ends in "Sent"', '1 email', '0 SMS', '1 document', '1 notification']),
    )
  })

  it('keeps a session as a scenario the CLI runner passes, and fails once the flow is broken', () => {
    const graph = flowB()
    const run = runSession(graph, session())
    const ticked = suggestExpectations(graph, run.simulation, 'deal-7')
      .filter((o) => o.label === 'Ends in "Sent"' || o.label === '1 email')
      .map((o) => o.expect)
    const scenario = toScenario(session(), 'Director first', ticked)
    expect(scenario.steps.at(-1)).toEqual({ expect: { element: 'deal-7', emails: 1 } })
    expect(runScenario(scenario, graph).passed).toBe(true)
    expect(fromScenario(scenario).expectations).toEqual(ticked)
    // What a scenario says beyond the sample and steps survives opening it and keeping it again.
    const extra = { ...scenario, templates: [{ id: 'tpl-1', type: 'contract' as const }], failing: ['sms' as const] }
    expect(toScenario(fromScenario(extra).session, extra.name, ticked)).toEqual(extra)

    // Broken: the trigger listens for invoices now; the deal stays in Contract and no email goes.
    const broken = flowB()
    const trigger = broken.pipeline.stages[2]?.triggers[0]
    if (!trigger) throw new Error('fixture changed')
    ;(trigger.settings as { documentType: string }).documentType = 'invoice'
    const result = runScenario(scenario, broken)
    expect(result.passed).toBe(false)
    expect(result.expectations.filter((e) => !e.passed).map((e) => e.message)).toEqual([
      'expected deal-7 in "Sent"; but deal-7 is in "Contract", not "Sent"',
      'expected 1 emails; but 0 emails (wanted 1)',
    ])
  })

  it('answers a start that is not a moment, or a hostile field path, with an error instead of throwing', () => {
    const bad = toScenario({ ...session(), start: 'next tuesday' }, 'Bad start', [])
    const result = runScenario(bad, flowB())
    expect(result.passed).toBe(false)
    expect(result.error).toContain('"next tuesday" is not a date and time')
    expect(scenarioProblems(bad)).toEqual([
      '/start: must be a date and time with its offset, e.g. 2026-11-23T09:00:00Z',
    ])

    const hostile = toScenario(session(), 'Hostile', [])
    hostile.steps.push({ set: { element: 'deal-7', field: 'client.constructor.prototype.polluted', value: 'yes' } })
    expect(scenarioProblems(hostile)).toEqual([
      '/steps/2/set/field: must be a field path: letters, digits and _, parts joined by dots (e.g. client.requisites.taxId)',
    ])
    runScenario(hostile, flowB())
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('shows a "Wait" rule pausing in the schedule, and answers for the latest stay in a stage', () => {
    const graph = flowB()
    const sent = graph.pipeline.stages[2]
    const send = sent?.rules[0]
    if (!sent || !send) throw new Error('fixture changed')
    sent.rules.splice(1, 0, {
      ...send,
      id: 'pause',
      type: 'wait',
      title: 'Give the client a day',
      settings: { until: { mode: 'duration', duration: { amount: 1, unit: 'days' } } },
    } as typeof send)
    const run = runSession(graph, session())
    expect(pendingSchedule(graph, run.simulation, ['deal-7'], calendar)).toEqual([
      expect.objectContaining({ node: 'pause', title: 'Give the client a day', waiting: true }),
    ])
    expect(whyNot(graph, run.simulation, 'deal-7', 'remind-client', calendar)).toEqual({
      state: 'pending',
      text: 'It waits for "Give the client a day" to finish first.',
      reason: 'waitsForPrevious',
      params: { previous: 'Give the client a day' },
    })

    // A day later the pause is over; the deal goes back to Contract and comes again: the reminder's earlier
    // stay is history, and it waits for the pause again.
    const s = session()
    s.steps.push(
      { advance: { by: '2d' } },
      { move: { element: 'deal-7', to: 'contract' } },
      { move: { element: 'deal-7', to: 'sent' } },
    )
    const again = runSession(graph, s)
    expect(nodeStats(again.timeline, 'deal-7').get('pause')).toMatchObject({ ran: 1 })
    expect(whyNot(graph, again.simulation, 'deal-7', 'remind-client', calendar).state).toBe('pending')
  })

  it('gives the fields as they stood at a moment of the run', () => {
    const s = session()
    s.steps.unshift({ set: { element: 'deal-7', field: 'amount', value: 15000 } })
    const run = runSession(flowB(), s)
    const created = run.timeline.find((r) => r.type === 'effect.requested' && r.node === 'create-contract')
    const changed = run.timeline.find((r) => r.type === 'field.changed')
    if (!created || !changed) throw new Error('the run changed')
    const start = s.elements[0]?.fields ?? {}
    expect(fieldsAt(run.timeline, start, 'deal-7', changed.seq).amount).toBe(12000)
    expect(fieldsAt(run.timeline, start, 'deal-7', created.seq)).toEqual({ ...start, amount: 15000 })
  })

  it('runs with the default calendar too', () => {
    const s = session()
    delete s.calendar
    const run = runSession(flowB(), s)
    expect(pendingSchedule(flowB(), run.simulation, ['deal-7'], DEFAULT_CALENDAR)).toHaveLength(1)
  })
})
