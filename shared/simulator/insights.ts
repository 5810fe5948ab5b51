/**
 * What the designer's simulator shows about a dry run, read from the engine's timeline and state: how
 * often each rule and trigger ran, was skipped or failed; why a rule did not run or a trigger did not fire
 * for a sample ("condition false: amount 4200 > 5000", "waiting until 2026-11-25 09:00", "the deal never
 * entered Contract"); what is still waiting (the schedule); and the expectations an analyst may tick from
 * what happened, to keep as a scenario.
 */

import { formatLocal } from '../engine/calendar.js'
import type { Expectation } from '../engine/scenario.js'
import type { Simulation } from '../engine/simulation.js'
import type { Json, TimelineRecord, WorkingCalendar } from '../engine/types.js'
import type { FlowNode, Graph, Stage } from '../graph/graph.js'

export interface NodeStats {
  /** Rules: finished. Triggers: fired. */
  ran: number
  skipped: number
  failed: number
  cancelled: number
  /** Triggers: considered and not fired. */
  passed: number
}

const blank = (): NodeStats => ({ ran: 0, skipped: 0, failed: 0, cancelled: 0, passed: 0 })

/** Each node's counts over the timeline (of one element, or all). */
export function nodeStats(timeline: readonly TimelineRecord[], element?: string): Map<string, NodeStats> {
  const stats = new Map<string, NodeStats>()
  const of = (node: string) => {
    let s = stats.get(node)
    if (!s) {
      s = blank()
      stats.set(node, s)
    }
    return s
  }
  for (const r of timeline) {
    if (element !== undefined && r.element !== element) continue
    switch (r.type) {
      case 'rule.finished':
        of(r.node).ran++
        break
      case 'rule.skipped':
        of(r.node).skipped++
        break
      case 'rule.failed':
        of(r.node).failed++
        break
      case 'rule.cancelled':
      case 'rule.notRun':
        of(r.node).cancelled++
        break
      case 'trigger.considered':
        if (r.fired) of(r.node).ran++
        else of(r.node).passed++
        break
      default:
    }
  }
  return stats
}

/** The node of a timeline record, when it is about one. */
export function nodeOf(record: TimelineRecord): string | undefined {
  return 'node' in record && typeof record.node === 'string' ? record.node : undefined
}

interface Place {
  node: FlowNode
  stage: Stage
  index: number
  kind: 'rule' | 'trigger'
}

function place(graph: Graph, nodeId: string): Place | undefined {
  for (const stage of graph.pipeline.stages) {
    const r = stage.rules.findIndex((n) => n.id === nodeId)
    if (r >= 0) return { node: stage.rules[r] as FlowNode, stage, index: r, kind: 'rule' }
    const t = stage.triggers.findIndex((n) => n.id === nodeId)
    if (t >= 0) return { node: stage.triggers[t] as FlowNode, stage, index: t, kind: 'trigger' }
  }
  return undefined
}

const EVENT_WORDS: Record<string, string> = {
  signedByCompany: 'the company signing',
  signedByClient: 'the client signing',
  signedByAll: 'every party signing',
  documentViewed: 'the client viewing a document',
  signingRefused: 'a refusal to sign',
  signingExpired: 'a signing expiring',
  documentCreated: 'a document being created',
  fieldChanged: 'a field changing',
  responsibleChanged: 'the responsible person changing',
  webhook: 'a call of its webhook',
  invoicePaid: 'an invoice being paid',
}

/** Why a node did or did not do its part, as a stable code (the web words it in the person's language). */
export type VerdictReason =
  | 'notInFlow'
  | 'fired'
  | 'notFired'
  | 'off'
  | 'nothingSetItOff'
  | 'ran'
  | 'skipped'
  | 'failed'
  | 'cancelled'
  | 'notRun'
  | 'waiting'
  | 'started'
  | 'neverEntered'
  | 'waitsForPrevious'
  | 'notStarted'

export interface Verdict {
  /** What became of the node for this sample. */
  state: 'ran' | 'waiting' | 'skipped' | 'failed' | 'cancelled' | 'notRun' | 'never' | 'passed' | 'pending'
  /** In words, with values and times (English, in the calendar's time zone). */
  text: string
  /** Why, as a code; `text` says it in English. */
  reason: VerdictReason
  /**
   * The values `text` is made of: moments as ISO strings (`at`, `until`), stage and rule names (`stage`,
   * `now` — absent when the element is in no stage —, `previous`), the trigger's type (`event`) and the
   * engine's own reason (`why`, `error`; English engine words).
   */
  params: Record<string, string>
}

/**
 * Why a rule did or did not run, or a trigger did or did not fire, for one element of a dry run: the
 * latest thing that happened to it, with the engine's reason.
 */
export function whyNot(
  graph: Graph,
  sim: Simulation,
  element: string,
  nodeId: string,
  calendar: WorkingCalendar,
): Verdict {
  const verdict = (
    state: Verdict['state'],
    reason: VerdictReason,
    text: string,
    params: Record<string, string> = {},
  ): Verdict => ({ state, text, reason, params })
  const at = place(graph, nodeId)
  if (!at) return verdict('never', 'notInFlow', 'This node is not in the flow.')
  const mine = sim.engine.timeline.filter((r) => r.element === element)
  // A rule answers for the element's latest stay in its stage: what it did in an earlier stay is history.
  const lastEntered = mine.findLast((r) => r.type === 'stage.entered' && r.stage === at.stage.id)?.seq ?? -1
  const records = mine.filter((r) => nodeOf(r) === nodeId && (at.kind === 'trigger' || r.seq >= lastEntered))
  const when = (iso: string) => formatLocal(Date.parse(iso), calendar)
  const stageName = (id: string | null) => graph.pipeline.stages.find((s) => s.id === id)?.name ?? 'no stage'
  const now = sim.engine.snapshot(element).stage

  if (at.kind === 'trigger') {
    const last = [...records].reverse().find((r) => r.type === 'trigger.considered')
    if (last?.type === 'trigger.considered') {
      return last.fired
        ? verdict('ran', 'fired', `It fired at ${when(last.at)} and moved the element to "${at.stage.name}".`, {
            at: last.at,
            stage: at.stage.name,
          })
        : verdict('passed', 'notFired', `It did not fire at ${when(last.at)}: ${last.reason}.`, {
            at: last.at,
            why: last.reason,
          })
    }
    if (at.node.disabled) return verdict('never', 'off', 'It is turned off.')
    return verdict(
      'never',
      'nothingSetItOff',
      `Nothing set it off: it waits for ${EVENT_WORDS[at.node.type] ?? at.node.type}, and none happened to this element.`,
      { event: at.node.type },
    )
  }

  const last = [...records].reverse().find((r) => r.type.startsWith('rule.'))
  switch (last?.type) {
    case 'rule.finished':
      return verdict('ran', 'ran', `It ran at ${when(last.at)}.`, { at: last.at })
    case 'rule.skipped':
      return verdict('skipped', 'skipped', `It was skipped at ${when(last.at)}: ${last.reason}.`, {
        at: last.at,
        why: last.reason,
      })
    case 'rule.failed':
      return verdict('failed', 'failed', `It failed at ${when(last.at)}: ${last.error}.`, {
        at: last.at,
        error: last.error,
      })
    case 'rule.cancelled':
      return verdict('cancelled', 'cancelled', `It was cancelled at ${when(last.at)}: ${last.reason}.`, {
        at: last.at,
        why: last.reason,
      })
    case 'rule.notRun':
      return verdict('notRun', 'notRun', `It did not run: ${last.reason}.`, { why: last.reason })
    case 'rule.scheduled':
      return verdict('waiting', 'waiting', `It is waiting until ${when(last.dueAt)}: ${last.reason}.`, {
        until: last.dueAt,
        why: last.reason,
      })
    case 'rule.started':
      return verdict('waiting', 'started', `It started at ${when(last.at)} and is waiting for its result.`, {
        at: last.at,
      })
    default:
  }
  const entered = sim.engine.timeline.some(
    (r) => r.element === element && r.type === 'stage.entered' && r.stage === at.stage.id,
  )
  if (!entered) {
    const nowName = graph.pipeline.stages.find((s) => s.id === now)?.name
    return verdict(
      'never',
      'neverEntered',
      `The element never entered "${at.stage.name}" (it is in "${stageName(now)}"); rules run when an element enters their stage.`,
      { stage: at.stage.name, ...(nowName === undefined ? {} : { now: nowName }) },
    )
  }
  if (at.node.disabled) return verdict('never', 'off', 'It is turned off.')
  const previous = at.stage.rules[at.index - 1]
  if (previous && 'execution' in at.node && at.node.execution === 'afterPrevious') {
    return verdict('pending', 'waitsForPrevious', `It waits for "${previous.title}" to finish first.`, {
      previous: previous.title,
    })
  }
  return verdict('pending', 'notStarted', 'It has not started yet.')
}

export interface Pending {
  element: string
  node: string
  title: string
  stage: string
  dueAt: string
  /** The moment in the company's time zone. */
  local: string
  /** A "Wait" rule that is pausing (the rules after it go on at `dueAt`), rather than a rule due to run. */
  waiting?: boolean
}

/** What is still waiting to run, soonest first. */
export function pendingSchedule(
  graph: Graph,
  sim: Simulation,
  elements: readonly string[],
  calendar: WorkingCalendar,
): Pending[] {
  const out: Pending[] = []
  for (const element of elements) {
    const stageId = sim.engine.snapshot(element).stage
    const stage = graph.pipeline.stages.find((s) => s.id === stageId)
    for (const state of sim.engine.ruleStates(element)) {
      // Due to run, or a "Wait" rule pausing until then.
      const dueAt = state.state === 'scheduled' ? state.dueAt : state.waitsUntil
      if (dueAt === undefined) continue
      const rule = stage?.rules.find((r) => r.id === state.node)
      out.push({
        element,
        node: state.node,
        title: rule?.title ?? state.node,
        stage: stage?.name ?? '',
        dueAt,
        local: formatLocal(Date.parse(dueAt), calendar),
        ...(state.state === 'running' ? { waiting: true } : {}),
      })
    }
  }
  return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt))
}

export interface Suggestion {
  /** What the analyst ticks, in words. */
  label: string
  expect: Expectation
}

const COUNTED: Array<{
  key: 'emails' | 'sms' | 'documents' | 'tasks' | 'notifications'
  kinds: string[]
  one: string
  many: string
}> = [
  { key: 'emails', kinds: ['email', 'documentLink'], one: 'email', many: 'emails' },
  { key: 'sms', kinds: ['sms'], one: 'SMS', many: 'SMS' },
  { key: 'documents', kinds: ['createDocument', 'sendForSigning'], one: 'document', many: 'documents' },
  { key: 'tasks', kinds: ['task'], one: 'task', many: 'tasks' },
  { key: 'notifications', kinds: ['notification'], one: 'notification', many: 'notifications' },
]

const RULE_STATES: Partial<Record<TimelineRecord['type'], NonNullable<Expectation['state']>>> = {
  'rule.finished': 'done',
  'rule.skipped': 'skipped',
  'rule.failed': 'failed',
  'rule.cancelled': 'cancelled',
  'rule.notRun': 'notRun',
  'rule.scheduled': 'scheduled',
  'rule.started': 'running',
}

/** The expectations a run supports, to tick and keep: where the element ends, what it produced, each rule's outcome. */
export function suggestExpectations(graph: Graph, sim: Simulation, element: string): Suggestion[] {
  const out: Suggestion[] = []
  const stageId = sim.engine.snapshot(element).stage
  const offer = (expect: Expectation) => out.push({ label: expectationText(graph, expect), expect })
  if (stageId !== null) offer({ element, stage: stageId })
  for (const c of COUNTED) {
    const n = sim.outbox.filter(
      (item) =>
        item.element === element &&
        item.result.status === 'done' &&
        c.kinds.includes(item.request.kind) &&
        // A document link by SMS is an SMS, not an email.
        !(c.key === 'emails' && item.request.kind === 'documentLink' && item.request.channel !== 'email'),
    ).length
    offer({ element, [c.key]: n })
  }
  const states = new Map<string, NonNullable<Expectation['state']>>()
  for (const r of sim.engine.timeline) {
    if (r.element !== element) continue
    const node = nodeOf(r)
    if (!node || !r.type.startsWith('rule.')) continue
    const state = RULE_STATES[r.type]
    if (state) states.set(node, state)
  }
  for (const [node, state] of states) offer({ element, rule: node, state })
  return out
}

/** An expectation in words: `Ends in "Sent"`, `1 email`, `"Send the contract" ran`, `amount = 12000`. */
export function expectationText(graph: Graph, e: Expectation): string {
  const parts: string[] = []
  if (e.stage !== undefined) {
    parts.push(`Ends in "${graph.pipeline.stages.find((s) => s.id === e.stage)?.name ?? e.stage}"`)
  }
  for (const c of COUNTED) {
    const n = e[c.key]
    if (n !== undefined) parts.push(`${n} ${n === 1 ? c.one : c.many}`)
  }
  if (e.rule !== undefined) {
    const title = place(graph, e.rule)?.node.title ?? e.rule
    const state = e.state
    parts.push(
      `"${title}" ${state === undefined ? 'considered' : state === 'done' ? 'ran' : state === 'notRun' ? 'did not run' : `was ${state}`}`,
    )
  }
  if (e.field !== undefined) parts.push(`${e.field} = ${JSON.stringify(e.equals ?? null)}`)
  if (e.variable !== undefined) parts.push(`variable ${e.variable} = ${JSON.stringify(e.equals ?? null)}`)
  return parts.join(', ') || JSON.stringify(e)
}

/**
 * An element's fields as they stood just before a timeline record: its starting fields with the field
 * changes recorded before it applied (what a document made at that moment is drawn from).
 */
export function fieldsAt(
  timeline: readonly TimelineRecord[],
  start: Readonly<Record<string, Json>>,
  element: string,
  seq: number,
): Record<string, Json> {
  const fields: Record<string, Json> = { ...start }
  for (const r of timeline) {
    if (r.seq >= seq) break
    if (r.element !== element || r.type !== 'field.changed') continue
    if (r.after === null) delete fields[r.field]
    else fields[r.field] = r.after
  }
  return fields
}
