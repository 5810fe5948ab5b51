/**
 * The simulator's sentences in the person's language, made from the structured things the shared simulator
 * keeps (which say them in English for the CLI and tests): "why not?" from its verdict's reason and values,
 * the steps played, the expectations offered, and why a kept scenario's expectation did not hold. Moments
 * come through `when`, so the screen shows them in the language and the session's time zone.
 */

import type { ScenarioStep } from '../../../shared/engine/scenario.js'
import { type Expectation, parseDuration, runScenario, type Scenario } from '../../../shared/engine/scenario.js'
import type { Simulation } from '../../../shared/engine/simulation.js'
import type { Graph } from '../../../shared/graph/graph.js'
import type { Verdict } from '../../../shared/simulator/insights.js'
import { i18n } from '../i18n/index.js'
import { amountText, documentWord, engineReason } from './sim-reasons.js'

// i18n-dynamic: simulator:event.
// i18n-dynamic: simulator:waitsFor.
// i18n-dynamic: simulator:why.
// i18n-dynamic: simulator:ruleState.
// i18n-dynamic: simulator:count.

type Vars = Record<string, unknown>
const t = (key: string, vars: Vars = {}) => i18n.t(key, vars)

/** An event as the simulator's menu names it ("Signed by the client"). */
export const eventName = (type: string) => t(`simulator:event.${type}`, { defaultValue: type })

/** "1d", "3 workdays" or { amount, unit }: an amount of time in words. */
export function durationText(by: Parameters<typeof parseDuration>[0]): string {
  const { amount, unit } = parseDuration(by)
  return amountText(amount, unit)
}

const stageName = (graph: Graph, id: string | null | undefined) =>
  graph.pipeline.stages.find((s) => s.id === id)?.name ?? id ?? t('simulator:noStage')

const nodeTitle = (graph: Graph, id: string) =>
  graph.pipeline.stages.flatMap((s) => [...s.rules, ...s.triggers]).find((n) => n.id === id)?.title ?? id

/** "Why not?" in words: the verdict's reason with its values, the engine's own reason said in the language. */
export function verdictText(verdict: Verdict, when: (iso: string) => string): string {
  const p = verdict.params
  const vars: Vars = {
    ...p,
    ...(p.at ? { at: when(p.at) } : {}),
    ...(p.until ? { until: when(p.until) } : {}),
    ...(p.why !== undefined ? { why: engineReason(p.why) } : {}),
    ...(p.error !== undefined ? { error: engineReason(p.error) } : {}),
  }
  if (verdict.reason === 'nothingSetItOff') {
    vars.event = t(`simulator:waitsFor.${p.event}`, { defaultValue: p.event })
  }
  if (verdict.reason === 'neverEntered') vars.now = p.now ?? t('simulator:noStage')
  return t(`simulator:why.${verdict.reason}`, vars)
}

/** A step in words: `Move sample to "Contract"`, "sample: Signed by the client (contract)", "Wait 1 day". */
export function stepLabel(graph: Graph, step: ScenarioStep, when: (iso: string) => string): string {
  if ('move' in step)
    return t('simulator:step.move', { element: step.move.element, stage: stageName(graph, step.move.to) })
  if ('event' in step) {
    const e = step.event
    return e.documentType
      ? t('simulator:step.eventOf', {
          element: e.element,
          event: eventName(e.type),
          document: documentWord(e.documentType),
        })
      : t('simulator:step.event', { element: e.element, event: eventName(e.type) })
  }
  if ('set' in step) {
    return t('simulator:step.set', {
      element: step.set.element,
      field: step.set.field,
      value: JSON.stringify(step.set.value),
    })
  }
  if ('runHere' in step) return t('simulator:step.runHere', { element: step.runHere.element })
  if ('advance' in step) {
    const a = step.advance
    if (a === 'next') return t('simulator:step.next')
    if (a === 'end') return t('simulator:step.end')
    if ('by' in a) return t('simulator:step.wait', { duration: durationText(a.by) })
    return t('simulator:step.until', { moment: when(a.to) })
  }
  return t('simulator:step.check')
}

const COUNTED = ['emails', 'sms', 'documents', 'tasks', 'notifications'] as const

/** An expectation in words: `Ends in "Sent"`, "1 email", `"Send the contract" ran`, `amount = 12000`. */
export function expectationLabel(graph: Graph, e: Expectation): string {
  const parts: string[] = []
  if (e.stage !== undefined) parts.push(t('simulator:expect.endsIn', { stage: stageName(graph, e.stage) }))
  for (const key of COUNTED) {
    const n = e[key]
    if (n !== undefined) parts.push(t(`simulator:count.${key}`, { count: n }))
  }
  if (e.rule !== undefined) {
    const title = nodeTitle(graph, e.rule)
    parts.push(t(`simulator:ruleState.${e.state ?? 'considered'}`, { title }))
  }
  if (e.field !== undefined) {
    parts.push(t('simulator:expect.field', { field: e.field, value: JSON.stringify(e.equals ?? null) }))
  }
  if (e.variable !== undefined) {
    parts.push(t('simulator:expect.variable', { variable: e.variable, value: JSON.stringify(e.equals ?? null) }))
  }
  return parts.join(', ') || JSON.stringify(e)
}

/** Which outbox items count for `emails`, `sms`, … (as the scenario runner counts them). */
const KINDS: Record<(typeof COUNTED)[number], (kind: string) => boolean> = {
  emails: (k) => k === 'email' || k === 'documentLink',
  sms: (k) => k === 'sms',
  documents: (k) => k === 'createDocument' || k === 'sendForSigning',
  tasks: (k) => k === 'task',
  notifications: (k) => k === 'notification',
}

/**
 * What an expectation checked, and what differed, in the current language, on the simulation as it stood
 * when the expectation was checked (`checkExpectation` of shared/engine/scenario.ts says the same in
 * English).
 */
export function expectationCheck(e: Expectation, sim: Simulation, graph: Graph): { passed: boolean; message: string } {
  const problems: string[] = []
  const said: string[] = []
  const el = e.element
  const needs = (what: string) => ({ passed: false, message: t('simulator:check.needsElement', { what }) })
  if (e.stage !== undefined) {
    if (!el) return needs('stage')
    const stage = sim.engine.snapshot(el).stage
    said.push(t('simulator:check.in', { element: el, stage: stageName(graph, e.stage) }))
    if (stage !== e.stage) {
      problems.push(
        t('simulator:check.isIn', { element: el, stage: stageName(graph, stage), wanted: stageName(graph, e.stage) }),
      )
    }
  }
  if (e.field !== undefined) {
    if (!el) return needs('field')
    const value = sim.engine.snapshot(el).fields[e.field] ?? null
    said.push(t('simulator:check.field', { element: el, field: e.field, value: JSON.stringify(e.equals) }))
    if (JSON.stringify(value) !== JSON.stringify(e.equals)) {
      problems.push(t('simulator:check.fieldIs', { field: e.field, value: JSON.stringify(value) }))
    }
  }
  if (e.variable !== undefined) {
    if (!el) return needs('variable')
    const value = sim.engine.variables(el)[e.variable] ?? null
    said.push(t('simulator:check.variable', { variable: e.variable, value: JSON.stringify(e.equals) }))
    if (JSON.stringify(value) !== JSON.stringify(e.equals)) {
      problems.push(t('simulator:check.variableIs', { variable: e.variable, value: JSON.stringify(value) }))
    }
  }
  for (const key of COUNTED) {
    const wanted = e[key]
    if (typeof wanted !== 'number') continue
    const items = sim.outbox.filter((item) => {
      if (el && item.element !== el) return false
      if (!KINDS[key](item.request.kind) || item.result.status !== 'done') return false
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
    said.push(t(`simulator:count.${key}`, { count: wanted }))
    if (items.length !== wanted) {
      problems.push(
        t('simulator:check.countIs', { what: t(`simulator:count.${key}`, { count: items.length }), wanted }),
      )
    }
  }
  if (e.rule !== undefined) {
    const last = [...sim.engine.timeline]
      .reverse()
      .find(
        (r) => (el === undefined || r.element === el) && 'node' in r && r.node === e.rule && r.type.startsWith('rule.'),
      )
    const suffix = last ? last.type.slice('rule.'.length) : 'never'
    const state = suffix === 'finished' ? 'done' : suffix === 'started' ? 'running' : suffix
    const title = nodeTitle(graph, e.rule)
    said.push(t(`simulator:ruleState.${e.state ?? 'considered'}`, { title }))
    if (e.state && state !== e.state) problems.push(t(`simulator:ruleState.${state}`, { title }))
  }
  if (said.length === 0) return { passed: false, message: t('simulator:check.nothing') }
  return problems.length
    ? { passed: false, message: t('simulator:check.failed', { expected: said.join(', '), found: problems.join(', ') }) }
    : { passed: true, message: said.join(', ') }
}

/**
 * Why each expectation of a scenario that failed did not hold, in the current language: the scenario is
 * played again up to each such expectation, and the expectation checked there.
 */
export function failedExpectations(scenario: Scenario, graph: Graph): Array<{ step: number; message: string }> {
  const result = runScenario(scenario, graph)
  return result.expectations
    .filter((e) => !e.passed)
    .map((e) => {
      const upTo = runScenario({ ...scenario, steps: scenario.steps.slice(0, e.step) }, graph)
      return { step: e.step, message: expectationCheck(e.expectation, upTo.simulation, graph).message }
    })
}
