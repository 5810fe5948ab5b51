/**
 * A simulator session: sample elements and the steps played on them so far, run on a draft graph with the
 * shared engine — in memory, on a virtual clock, with effects only recorded. Running is deterministic, so a
 * session is re-run from its start to any step (play, step, reset); kept, it becomes a scenario file.
 */

import {
  type Expectation,
  runScenario,
  type Scenario,
  type ScenarioResult,
  type ScenarioStep,
} from '../engine/scenario.js'
import type { Json, WorkingCalendar } from '../engine/types.js'
import type { Graph } from '../graph/graph.js'

export interface SampleElement {
  id: string
  /** Where it stands before the first step; null: in no stage yet. */
  stage: string | null
  /** Flat field paths: `title`, `amount`, `client.email`, `myCompany.name`, `custom.x`. */
  fields: Record<string, Json>
}

export interface Session {
  /** Where the virtual clock starts (ISO). */
  start: string
  calendar?: WorkingCalendar
  /** The templates the flow names, with their document type (the app's templates, or a scenario's). */
  templates?: Scenario['templates']
  /** Effects that fail in this session, to see what the flow does then. */
  failing?: Scenario['failing']
  elements: SampleElement[]
  steps: ScenarioStep[]
}

/** The session as a scenario (with the expectations ticked), to run or to keep next to the flow. */
export function toScenario(session: Session, name: string, expectations: readonly Expectation[] = []): Scenario {
  return {
    formatVersion: 1,
    name,
    graph: 'draft',
    start: session.start,
    ...(session.calendar ? { calendar: session.calendar } : {}),
    ...(session.templates?.length ? { templates: session.templates } : {}),
    ...(session.failing?.length ? { failing: session.failing } : {}),
    elements: session.elements.map((e) => ({ id: e.id, stage: e.stage, fields: e.fields })),
    steps: [...session.steps.filter((s) => !('expect' in s)), ...expectations.map((expect) => ({ expect }))],
  }
}

/** A scenario read back as a session: its elements and steps (its expectations are checked, not replayed). */
export function fromScenario(scenario: Scenario): { session: Session; expectations: Expectation[] } {
  const steps = scenario.steps.filter((s) => !('expect' in s))
  const expectations = scenario.steps.flatMap((s) => ('expect' in s ? [s.expect] : []))
  return {
    session: {
      start: scenario.start,
      ...(scenario.calendar ? { calendar: scenario.calendar } : {}),
      ...(scenario.templates ? { templates: scenario.templates } : {}),
      ...(scenario.failing ? { failing: scenario.failing } : {}),
      elements: scenario.elements.map((e) => ({
        id: e.id,
        stage: e.stage ?? null,
        fields: (e.fields ?? {}) as Record<string, Json>,
      })),
      steps,
    },
    expectations,
  }
}

/** Runs the session's first `upTo` steps (all by default) on the graph. */
export function runSession(graph: Graph, session: Session, upTo = session.steps.length): ScenarioResult {
  return runScenario(toScenario({ ...session, steps: session.steps.slice(0, upTo) }, 'simulation'), graph)
}

const EVENT_NAMES: Record<string, string> = {
  signedByCompany: 'Signed by the company',
  signedByClient: 'Signed by the client',
  signedByAll: 'Signed by all parties',
  documentViewed: 'Document viewed',
  signingRefused: 'Signing refused',
  signingExpired: 'Signing expired',
  documentCreated: 'Document created',
  webhook: 'Webhook called',
  invoicePaid: 'Invoice paid',
}

/** A step in words: "Move deal-7 to Contract", "deal-7: Signed by the client (contract)", "Wait 1d". */
export function stepText(graph: Graph, step: ScenarioStep): string {
  const stage = (id: string) => graph.pipeline.stages.find((s) => s.id === id)?.name ?? id
  if ('move' in step) return `Move ${step.move.element} to "${stage(step.move.to)}"`
  if ('event' in step) {
    const e = step.event
    return `${e.element}: ${EVENT_NAMES[e.type] ?? e.type}${e.documentType ? ` (${e.documentType})` : ''}`
  }
  if ('set' in step) return `${step.set.element}: set ${step.set.field} to ${JSON.stringify(step.set.value)}`
  if ('runHere' in step) return `${step.runHere.element}: run the stage's rules again`
  if ('advance' in step) {
    const a = step.advance
    if (a === 'next') return 'Wait for the next due rule'
    if (a === 'end') return 'Run to the end'
    if ('by' in a) return `Wait ${typeof a.by === 'string' ? a.by : `${a.by.amount} ${a.by.unit}`}`
    return `Wait until ${a.to}`
  }
  return 'Check expectations'
}
