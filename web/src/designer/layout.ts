/**
 * The canvas as React Flow sees it, worked out from the graph: one column per stage (in order), its triggers
 * on top, then its rules in order; "after previous" drawn as a connector from the rule before. Badges say
 * what a person checks at a glance: the delay, the condition, "waits for the PDF", "parallel", findings.
 */

import type { Edge, Node } from '@xyflow/react'
import { placeAt } from '../../../shared/designer/commands.js'
import type { FlowNode, Graph, Stage } from '../../../shared/graph/graph.js'
import type { Finding } from '../../../shared/validate/finding.js'
import { findingMessage } from '../i18n/finding-text.js'
import type { Translate, Words } from './words.js'

export const COLUMN_WIDTH = 264
export const COLUMN_GAP = 28
export const HEADER_HEIGHT = 64
export const ROW_HEIGHT = 96
export const NODE_WIDTH = 240
export const NODE_HEIGHT = 80
const PADDING = 12
/** How far a parallel rule stands in from the column's edge, to leave room for its branch line. */
export const BRANCH_INDENT = 14

export interface Problems {
  errors: number
  warnings: number
  first?: string
}

/** How a stage or node differs from the version it is compared with. */
export type Change = 'added' | 'changed'

export interface StageData extends Record<string, unknown> {
  stage: Stage
  index: number
  problems: Problems
  change?: Change | undefined
}

export interface FlowNodeData extends Record<string, unknown> {
  node: FlowNode
  kind: 'rule' | 'trigger'
  stageId: string
  badges: string[]
  problems: Problems
  change?: Change | undefined
  /** A parallel rule: it starts at stage entry, on its own branch. */
  branch: boolean
  /** While simulating: what it did for the sample ("ran 1 · skipped 1"), and whether its step is chosen. */
  sim?: string | undefined
  lit?: boolean | undefined
}

/** What a node did in a dry run (the simulator's `NodeStats`). */
export interface SimStats {
  ran: number
  skipped: number
  failed: number
  cancelled: number
  passed: number
}

/** While simulating: each node's counts, and the node of the chosen timeline step. */
export interface SimulationMarks {
  stats: ReadonlyMap<string, SimStats>
  highlight?: string | undefined
}

/** "ran 1 · skipped 2": what a node did in the dry run, in words (nothing when it was never considered). */
export function simText(stats: SimStats | undefined, trigger: boolean, t: Translate): string | undefined {
  if (!stats) return undefined
  const parts = [
    stats.ran && (trigger ? t('designer:sim.fired', { n: stats.ran }) : t('designer:sim.ran', { n: stats.ran })),
    stats.passed && t('designer:sim.notFired', { n: stats.passed }),
    stats.skipped && t('designer:sim.skipped', { n: stats.skipped }),
    stats.failed && t('designer:sim.failed', { n: stats.failed }),
    stats.cancelled && t('designer:sim.cancelled', { n: stats.cancelled }),
  ].filter(Boolean)
  return parts.length > 0 ? parts.join(' · ') : undefined
}

/** "after 1 day", "after 2 working hours" … the delay of a rule in words. */
function timeBadge(node: FlowNode, t: Translate): string | undefined {
  if (!('time' in node)) return undefined
  const time = node.time as { mode: string; delay?: { amount: number; unit: string } }
  if (time.mode === 'delay' && time.delay) {
    const count = time.delay.amount
    switch (time.delay.unit) {
      case 'minutes':
        return t('designer:badge.afterMinutes', { count })
      case 'hours':
        return t('designer:badge.afterHours', { count })
      case 'days':
        return t('designer:badge.afterDays', { count })
      case 'workDays':
        return t('designer:badge.afterWorkDays', { count })
      default:
        return undefined
    }
  }
  if (time.mode === 'relative') return t('designer:badge.relative')
  if (time.mode === 'at') return t('designer:badge.at')
  return undefined
}

/** At most `max` characters, cut with "…". */
const short = (text: string, max = 32) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text)

export function badgesOf(node: FlowNode, graph: Graph, words: Words): string[] {
  const { t } = words
  const badges: string[] = []
  const time = timeBadge(node, t)
  if (time) badges.push(time)
  if ('execution' in node && node.execution === 'parallel') badges.push(t('designer:badge.parallel'))
  if (node.condition)
    badges.push(t('designer:badge.if', { condition: short(words.conditionWords(graph, node.condition)) }))
  if (node.type === 'createDocument' && (node.settings as { waitForPdf?: boolean }).waitForPdf)
    badges.push(t('designer:badge.waitsForPdf'))
  if (node.disabled) badges.push(t('designer:badge.off'))
  return badges
}

/** The findings of each node and stage, by id, from their JSON paths. */
export function problemsById(graph: Graph, findings: readonly Finding[]): Map<string, Problems> {
  const out = new Map<string, Problems>()
  for (const f of findings) {
    const place = placeAt(graph, f.path)
    if (!place) continue
    const id = place.node ? place.node.id : `stage:${place.stage.id}`
    const p = out.get(id) ?? { errors: 0, warnings: 0 }
    if (f.severity === 'error') p.errors++
    else p.warnings++
    p.first ??= findingMessage(f)
    out.set(id, p)
  }
  return out
}

const NONE: Problems = { errors: 0, warnings: 0 }

export function layout(
  graph: Graph,
  findings: readonly Finding[],
  selection: readonly string[],
  words: Words,
  changes?: ReadonlyMap<string, Change>,
  simulation?: SimulationMarks,
): { nodes: Node[]; edges: Edge[] } {
  const problems = problemsById(graph, findings)
  const nodes: Node[] = []
  const edges: Edge[] = []
  graph.pipeline.stages.forEach((stage, index) => {
    const rows = stage.triggers.length + stage.rules.length
    const stageId = `stage:${stage.id}`
    nodes.push({
      id: stageId,
      type: 'stage',
      position: { x: index * (COLUMN_WIDTH + COLUMN_GAP), y: 0 },
      data: {
        stage,
        index,
        problems: problems.get(stageId) ?? NONE,
        change: changes?.get(stageId),
      } satisfies StageData,
      style: { width: COLUMN_WIDTH, height: HEADER_HEIGHT + Math.max(1, rows) * ROW_HEIGHT + PADDING },
      // A column is dragged by its header to another place in the pipeline.
      dragHandle: '.stage-drag-handle',
      selectable: false,
    })
    const put = (node: FlowNode, row: number, kind: 'rule' | 'trigger') => {
      const branch = 'execution' in node && node.execution === 'parallel'
      nodes.push({
        id: node.id,
        type: 'flow',
        parentId: stageId,
        position: { x: PADDING + (branch ? BRANCH_INDENT : 0), y: HEADER_HEIGHT + row * ROW_HEIGHT },
        data: {
          node,
          kind,
          stageId: stage.id,
          badges: badgesOf(node, graph, words),
          problems: problems.get(node.id) ?? NONE,
          change: changes?.get(node.id),
          branch,
          sim: simulation ? simText(simulation.stats.get(node.id), kind === 'trigger', words.t) : undefined,
          lit: simulation ? simulation.highlight === node.id : undefined,
        } satisfies FlowNodeData,
        selected: selection.includes(node.id),
        style: { width: NODE_WIDTH - (branch ? BRANCH_INDENT : 0), height: NODE_HEIGHT },
      })
    }
    stage.triggers.forEach((t, i) => {
      put(t, i, 'trigger')
    })
    stage.rules.forEach((r, i) => {
      put(r, stage.triggers.length + i, 'rule')
      const before = stage.rules[i - 1]
      if (before && r.execution === 'afterPrevious') {
        edges.push({
          id: `${before.id}->${r.id}`,
          source: before.id,
          target: r.id,
          type: 'straight',
          selectable: false,
          ariaLabel: words.t('designer:canvas.edgeAfter', { from: before.title, to: r.title }),
        })
      } else if (r.execution === 'parallel') {
        // Its own branch, from the stage's entry down the column's edge.
        edges.push({
          id: `${stageId}->${r.id}`,
          source: stageId,
          sourceHandle: 'entry',
          target: r.id,
          targetHandle: 'branch',
          type: 'smoothstep',
          selectable: false,
          ariaLabel: words.t('designer:canvas.edgeBranch', { to: r.title }),
          style: { strokeDasharray: '5 4' },
        })
      }
    })
  })
  return { nodes, edges }
}

/** Where a node dropped at (x, y) of the canvas lands: which stage, and which place among its rules. */
export function dropTarget(graph: Graph, x: number, y: number): { stageId: string; index: number } | undefined {
  const column = Math.floor((x + COLUMN_WIDTH / 2) / (COLUMN_WIDTH + COLUMN_GAP))
  const stage = graph.pipeline.stages[Math.max(0, Math.min(column, graph.pipeline.stages.length - 1))]
  if (!stage) return undefined
  const row = Math.round((y - HEADER_HEIGHT) / ROW_HEIGHT) - stage.triggers.length
  return { stageId: stage.id, index: Math.max(0, Math.min(row, stage.rules.length)) }
}

function sameData(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[key]
    const y = b[key]
    if (x === y) continue
    // Badges and problems are made afresh on every layout: equal when they say the same.
    if (key === 'badges' || key === 'problems') {
      if (JSON.stringify(x) !== JSON.stringify(y)) return false
    } else return false
  }
  return true
}

/**
 * The laid-out nodes, keeping the object React Flow already has for each node nothing changed about (with
 * its measured size), so that an edit re-renders and re-measures only what it touched.
 */
export function reuseNodes(next: readonly Node[], now: readonly Node[]): Node[] {
  const before = new Map(now.map((n) => [n.id, n]))
  return next.map((n) => {
    const old = before.get(n.id)
    if (!old) return n
    const same =
      old.type === n.type &&
      old.parentId === n.parentId &&
      old.selected === n.selected &&
      old.position.x === n.position.x &&
      old.position.y === n.position.y &&
      old.style?.width === n.style?.width &&
      old.style?.height === n.style?.height &&
      sameData(old.data, n.data)
    if (same) return old
    return old.measured ? { ...n, measured: old.measured } : n
  })
}
