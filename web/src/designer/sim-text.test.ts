/**
 * The simulator speaks every language: its timeline lines, "why not?", steps, expectations and the reasons
 * of the engine are said from the `simulator` namespace. In English they read as the shared simulator and
 * the CLI say them (so the two cannot drift apart), but for the few the web words better; in the other
 * languages every reason the seed flows produce is read back and said again, with nothing left over.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { TRIGGER_TYPES } from '../../../shared/catalog/index.js'
import { formatLocal } from '../../../shared/engine/calendar.js'
import { describeTimeline } from '../../../shared/engine/describe.js'
import { runScenario, type Scenario, type ScenarioStep } from '../../../shared/engine/scenario.js'
import { DEFAULT_CALENDAR, type TimelineRecord, type WorkingCalendar } from '../../../shared/engine/types.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { OPERATORS } from '../../../shared/graph/schema-parts.js'
import { CHANNELS, DOCUMENT_TYPES } from '../../../shared/graph/vocabulary.js'
import { LANGUAGES } from '../../../shared/i18n/languages.js'
import { expectationText, suggestExpectations, type VerdictReason, whyNot } from '../../../shared/simulator/insights.js'
import { fromScenario, runSession, type Session, stepText, toScenario } from '../../../shared/simulator/session.js'
import { fixture } from '../../../shared/test/fixtures.js'
import { catalogs, i18n } from '../i18n/index.js'
import { engineReason, reasonKnown } from './sim-reasons.js'
import { expectationCheck, expectationLabel, failedExpectations, stepLabel, verdictText } from './sim-text.js'
import { recordText } from './sim-timeline.js'

const dir = new URL('../../../shared/fixtures/scenarios/', import.meta.url)

interface Played {
  name: string
  graph: Graph
  session: Session
  run: ReturnType<typeof runSession>
  calendar: WorkingCalendar
}

const warsaw: WorkingCalendar = {
  timeZone: 'Europe/Warsaw',
  workDays: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
  holidays: [],
}

const flowB = () => fixture('director-then-client.json') as unknown as Graph

/** Flow (b) played on a deal, with the steps `more` adds and the graph `change` makes. */
function flowBSession(more: ScenarioStep[], change: (g: Graph) => void = () => {}): Played {
  const graph = flowB()
  change(graph)
  const session: Session = {
    start: '2026-11-23T08:00:00Z',
    calendar: warsaw,
    elements: [
      {
        id: 'deal-7',
        stage: 'new',
        fields: {
          title: 'Annual service contract',
          amount: 12000,
          responsible: 'u-anna',
          'client.name': 'İğdır Şirketi',
        },
      },
    ],
    steps: [
      { move: { element: 'deal-7', to: 'contract', by: 'u-anna' } },
      { event: { element: 'deal-7', type: 'signedByCompany', documentType: 'contract' } },
      ...more,
    ],
  }
  return { name: 'flow (b)', graph, session, run: runSession(graph, session), calendar: warsaw }
}

/** Every seed scenario played, and flow (b) in ways that make the engine give its other reasons. */
function played(): Played[] {
  const out: Played[] = []
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.scenario.json'))) {
    const scenario = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Scenario
    const graph = JSON.parse(readFileSync(new URL(scenario.graph, dir), 'utf8')) as Graph
    const { session } = fromScenario(scenario)
    out.push({
      name: file,
      graph,
      session,
      run: runSession(graph, session),
      calendar: session.calendar ?? DEFAULT_CALENDAR,
    })
  }
  out.push(
    flowBSession([{ advance: 'end' }]),
    // The director signs again while the deal stands in Sent; the client signs something else; a day passes.
    flowBSession([
      { event: { element: 'deal-7', type: 'signedByCompany', documentType: 'contract' } },
      { event: { element: 'deal-7', type: 'signedByClient', documentType: 'invoice' } },
      { advance: { by: '1d' } },
      { set: { element: 'deal-7', field: 'amount', value: 5 } },
      { runHere: { element: 'deal-7' } },
      { move: { element: 'deal-7', to: 'new' } },
    ]),
    // A condition that does not hold, a disabled rule, a rule after a failed one, a wait that cannot know when.
    flowBSession([{ advance: 'next' }], (g) => {
      const sent = g.pipeline.stages[2]
      const contract = g.pipeline.stages[1]
      if (!sent?.rules[0] || !sent.rules[1] || !contract?.rules[1]) throw new Error('fixture changed')
      sent.rules[0].condition = {
        match: 'all',
        items: [
          { left: { kind: 'field', path: 'amount' }, op: 'gt', values: [{ kind: 'literal', value: 50000 }] },
          { left: { kind: 'constant', id: 'director' }, op: 'in', values: [{ kind: 'literal', value: ['x', 'y'] }] },
        ],
      }
      sent.rules[1].time = { mode: 'relative', field: 'closeDate', offset: { amount: -2, unit: 'days' } }
      contract.rules[1].disabled = true
    }),
  )
  const failing = flowBSession([], (g) => {
    const first = g.pipeline.stages[1]?.rules[0]
    if (first) first.time = { mode: 'delay', delay: { amount: 3, unit: 'workDays' }, workingHours: 'company' }
  })
  // The contract cannot be made: the director is not asked.
  failing.session = {
    ...failing.session,
    failing: ['createDocument'],
    steps: [failing.session.steps[0] as ScenarioStep, { advance: 'end' }],
  }
  failing.run = runSession(failing.graph, failing.session)
  out.push(failing)
  return out
}

const localWhen = (calendar: WorkingCalendar) => (iso: string) => formatLocal(Date.parse(iso), calendar)

/** The engine's reasons and errors in a timeline. */
function reasons(timeline: readonly TimelineRecord[]): string[] {
  return timeline.flatMap((r) => {
    if ('reason' in r && typeof r.reason === 'string' && r.reason !== '') return [r.reason]
    if (r.type === 'rule.failed') return [r.error]
    if (r.type === 'effect.finished' && r.result.status === 'failed') return [r.result.error]
    if (r.type === 'error') return [r.message]
    return []
  })
}

afterAll(async () => {
  await i18n.changeLanguage('en')
})

describe('the simulator in every language', () => {
  const all = played()

  it('says the timeline in English as the CLI does (events and signing orders in the menus’ words)', async () => {
    await i18n.changeLanguage('en')
    for (const p of all) {
      const cli = describeTimeline(p.run.timeline, p.graph, p.calendar)
      p.run.timeline.forEach((r, i) => {
        if (r.type === 'event.received') return
        if (r.type === 'effect.requested' && r.request.kind === 'sendForSigning') return
        const line = cli[i] ?? ''
        const what = line.slice(line.indexOf(`  ${r.element}  `) + `  ${r.element}  `.length)
        expect(recordText(r, p.graph, localWhen(p.calendar)), `${p.name} #${r.seq}`).toBe(what)
      })
    }
  })

  it('says "why not?" in English as the shared simulator does, for every node', async () => {
    await i18n.changeLanguage('en')
    for (const p of all) {
      for (const node of p.graph.pipeline.stages.flatMap((s) => [...s.triggers, ...s.rules])) {
        for (const element of p.session.elements) {
          const verdict = whyNot(p.graph, p.run.simulation, element.id, node.id, p.calendar)
          expect(verdictText(verdict, localWhen(p.calendar))).toBe(verdict.text)
        }
      }
    }
  })

  it('says steps and expectations in English as the shared simulator does', async () => {
    await i18n.changeLanguage('en')
    for (const p of all) {
      for (const step of p.session.steps) {
        if ('advance' in step && typeof step.advance === 'object' && 'by' in step.advance) continue
        const when = (iso: string) => iso
        expect(stepLabel(p.graph, step, when)).toBe(stepText(p.graph, step))
      }
      for (const element of p.session.elements) {
        for (const offered of suggestExpectations(p.graph, p.run.simulation, element.id)) {
          if (offered.expect.state === 'failed') continue
          expect(expectationLabel(p.graph, offered.expect)).toBe(expectationText(p.graph, offered.expect))
        }
      }
    }
    const [first] = all
    if (!first) throw new Error('no seeds')
    expect(stepLabel(first.graph, { advance: { by: '1wd' } }, (iso) => iso)).toBe('Wait 1 working day')
  })

  it('reads back every reason the engine gives, and says it in every language', async () => {
    const seen = new Set<string>()
    for (const p of all) {
      for (const reason of reasons(p.run.timeline)) seen.add(reason)
      for (const node of p.graph.pipeline.stages.flatMap((s) => [...s.triggers, ...s.rules])) {
        const { params } = whyNot(p.graph, p.run.simulation, p.session.elements[0]?.id ?? '', node.id, p.calendar)
        for (const why of [params.why, params.error]) if (why) seen.add(why)
      }
    }
    seen.add('The start "next tuesday" is not a date and time; write it like 2026-11-23T09:00:00Z.')
    if (process.env.SHOW) console.log([...seen].join('\n'))
    const unknown = [...seen].filter((r) => !reasonKnown(r))
    expect(unknown).toEqual([])
    // The seed flows' reasons cover the engine's kinds of reason.
    for (const kind of [/^after /, /before|after \w/, /^condition false: /, /^the element left /, /^it waits for a /]) {
      expect(
        [...seen].some((r) => kind.test(r)),
        String(kind),
      ).toBe(true)
    }
    await i18n.changeLanguage('en')
    for (const r of seen) expect(engineReason(r)).toBe(r)
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      await i18n.changeLanguage(language)
      for (const r of seen) {
        const said = engineReason(r)
        expect(said, `${language}: ${r}`).not.toBe(r)
        expect(said, `${language}: ${r}`).not.toMatch(/\{\{|\}\}|simulator:/)
      }
    }
  })

  it('leaves nothing over in any language: lines, "why not?", steps, expectations', async () => {
    for (const language of LANGUAGES) {
      await i18n.changeLanguage(language)
      for (const p of all) {
        const when = localWhen(p.calendar)
        const texts = [
          ...p.run.timeline.map((r) => recordText(r, p.graph, when)),
          ...p.session.steps.map((s) => stepLabel(p.graph, s, when)),
          ...p.graph.pipeline.stages
            .flatMap((s) => [...s.triggers, ...s.rules])
            .map((n) =>
              verdictText(whyNot(p.graph, p.run.simulation, p.session.elements[0]?.id ?? '', n.id, p.calendar), when),
            ),
          ...suggestExpectations(p.graph, p.run.simulation, p.session.elements[0]?.id ?? '').map((o) =>
            expectationLabel(p.graph, o.expect),
          ),
        ]
        for (const text of texts) expect(text, `${language} ${p.name}`).not.toMatch(/\{\{|\}\}|simulator:|undefined/)
      }
    }
  })

  it('says why a kept scenario fails, in English as the runner does and in every language', async () => {
    const p = flowBSession([])
    const ticked = suggestExpectations(p.graph, p.run.simulation, 'deal-7')
      .filter((o) => ['Ends in "Sent"', '1 email'].includes(o.label))
      .map((o) => o.expect)
    const scenario = toScenario(p.session, 'Director first', [
      ...ticked,
      { element: 'deal-7', rule: 'send-to-client', state: 'done' },
      { element: 'deal-7', field: 'amount', equals: 12000 },
    ])
    const broken = flowB()
    const trigger = broken.pipeline.stages[2]?.triggers[0]
    if (!trigger) throw new Error('fixture changed')
    ;(trigger.settings as { documentType: string }).documentType = 'invoice'
    await i18n.changeLanguage('en')
    const runner = runScenario(scenario, broken).expectations.filter((e) => !e.passed)
    const ours = failedExpectations(scenario, broken)
    expect(ours.map((e) => e.step)).toEqual(runner.map((e) => e.step))
    expect(ours[0]?.message).toBe(runner[0]?.message)
    expect(ours[0]?.message).toBe('expected deal-7 in "Sent"; but deal-7 is in "Contract", not "Sent"')
    expect(ours.map((e) => e.message)).toEqual([
      'expected deal-7 in "Sent"; but deal-7 is in "Contract", not "Sent"',
      'expected 1 email; but 0 emails (wanted 1)',
      'expected "Send the contract to the client" ran; but "Send the contract to the client" was never considered',
    ])
    await i18n.changeLanguage('de')
    expect(failedExpectations(scenario, broken)[0]?.message).toBe(
      'erwartet: deal-7 in „Sent“; aber: deal-7 ist in „Contract“, nicht in „Sent“',
    )
    for (const language of LANGUAGES) {
      await i18n.changeLanguage(language)
      for (const e of failedExpectations(scenario, broken)) expect(e.message).not.toMatch(/\{\{|simulator:/)
      expect(expectationCheck({}, p.run.simulation, p.graph).message).not.toMatch(/\{\{|simulator:/)
    }
  })

  it('has words for every event, verdict, operator, channel, document type and rule state it may say', () => {
    const reasons: VerdictReason[] = [
      'notInFlow',
      'fired',
      'notFired',
      'off',
      'nothingSetItOff',
      'ran',
      'skipped',
      'failed',
      'cancelled',
      'notRun',
      'waiting',
      'started',
      'neverEntered',
      'waitsForPrevious',
      'notStarted',
    ]
    const wanted = [
      ...TRIGGER_TYPES.map((t) => `waitsFor.${t}`),
      ...TRIGGER_TYPES.filter((t) => t !== 'fieldChanged' && t !== 'responsibleChanged').map((t) => `event.${t}`),
      ...reasons.map((r) => `why.${r}`),
      ...OPERATORS.filter((op) => !['eq', 'ne', 'gt', 'gte', 'lt', 'lte'].includes(op)).map((op) => `op.${op}`),
      ...CHANNELS.map((c) => `channel.${c}`),
      ...DOCUMENT_TYPES.map((d) => `docWord.${d}`),
      ...['companyFirst', 'clientFirst', 'parallel'].map((o) => `order.${o}`),
      ...[
        'considered',
        'done',
        'notRun',
        'skipped',
        'failed',
        'cancelled',
        'scheduled',
        'running',
        'retried',
        'never',
      ].map((s) => `ruleState.${s}`),
      ...['minutes', 'hours', 'days', 'workDays'].map((u) => `unit.${u}_other`),
      ...['emails', 'sms', 'documents', 'tasks', 'notifications'].map((c) => `count.${c}_other`),
    ]
    for (const language of LANGUAGES) {
      const missing = wanted.filter((key) => {
        const node = key
          .split('.')
          .reduce<unknown>(
            (n, k) => (typeof n === 'object' && n !== null ? (n as Record<string, unknown>)[k] : undefined),
            catalogs[language]?.simulator,
          )
        return typeof node !== 'string'
      })
      expect(missing, language).toEqual([])
    }
  })
})
