/**
 * What the designer does to a draft graph, as plain functions on a mutable draft (the store runs them inside
 * immer, which records each as a reversible patch): stages added, renamed, recoloured, reordered, deleted
 * (their nodes deleted or moved); rules and triggers added from the catalog with its defaults, moved within
 * or across stages, removed, duplicated, copied and pasted (ids re-minted, references inside the copy kept);
 * a setting changed by its path. No React here: the browser and the tests run the same code.
 */
import { getCatalogEntry, isRuleType, isTriggerType } from '../catalog/index.js'
import type { FlowNode, Graph, RuleNode, Stage, TriggerNode } from '../graph/graph.js'
import type { StageKind } from '../graph/vocabulary.js'

/** A deep copy of JSON data (a graph's parts are JSON; this also reads through immer's drafts). */
const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

/** Letters NFKD does not take apart, written as their closest Latin letters for ids. */
const LATIN: Readonly<Record<string, string>> = {
  ı: 'i',
  ł: 'l',
  Ł: 'L',
  ø: 'o',
  Ø: 'O',
  ß: 'ss',
  đ: 'd',
  Đ: 'D',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
}

/** Every id in use in the graph: stages, rules, triggers. */
export function idsInUse(graph: Graph): Set<string> {
  const ids = new Set<string>()
  for (const stage of graph.pipeline.stages) {
    ids.add(stage.id)
    for (const node of [...stage.triggers, ...stage.rules]) ids.add(node.id)
  }
  return ids
}

/** A new id like `sendEmail-3` or `negotiation`, unique in `taken` (which it then holds), valid as an id. */
export function mintId(base: string, taken: Set<string>): string {
  const stem =
    base
      .replace(/[ıłŁøØßđĐæÆœŒ]/g, (c) => LATIN[c] ?? c)
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^[^A-Za-z]+/, '')
      .replace(/-+$/, '')
      .slice(0, 48) || 'node'
  let id = stem
  for (let n = 2; taken.has(id); n++) id = `${stem}-${n}`
  taken.add(id)
  return id
}

/** Where a node is: its stage, which list, and its place in it. */
export interface NodePlace {
  stage: Stage
  stageIndex: number
  list: 'rules' | 'triggers'
  index: number
  node: FlowNode
}

export function findNode(graph: Graph, id: string): NodePlace | undefined {
  const stages = graph.pipeline.stages
  for (let s = 0; s < stages.length; s++) {
    const stage = stages[s] as Stage
    for (const list of ['triggers', 'rules'] as const) {
      const index = (stage[list] as FlowNode[]).findIndex((n) => n.id === id)
      if (index >= 0) return { stage, stageIndex: s, list, index, node: stage[list][index] as FlowNode }
    }
  }
  return undefined
}

/** The JSON path of a node in the graph: what the paths of its findings start with. */
export const nodePath = (place: NodePlace) => `/pipeline/stages/${place.stageIndex}/${place.list}/${place.index}`

/** The stage, and the node if any, a JSON path (a finding's) points into. */
export function placeAt(graph: Graph, path: string): { stage: Stage; node?: FlowNode } | undefined {
  const m = /^\/pipeline\/stages\/(\d+)(?:\/(rules|triggers)\/(\d+))?/.exec(path)
  const stage = m ? graph.pipeline.stages[Number(m[1])] : undefined
  if (!m || !stage) return undefined
  const node = m[2] ? (stage[m[2] as 'rules' | 'triggers'] as FlowNode[])[Number(m[3])] : undefined
  return node ? { stage, node } : { stage }
}

const stageOf = (graph: Graph, id: string): Stage => {
  const stage = graph.pipeline.stages.find((s) => s.id === id)
  if (!stage) throw new Error(`no stage "${id}"`)
  return stage
}

/** A rule or trigger of a catalog type, with the catalog's defaults and the standard settings a person expects. */
export function newNode(type: string, taken: Set<string>): FlowNode {
  const entry = getCatalogEntry(type)
  if (!entry) throw new Error(`no rule or trigger type "${type}" in the catalog`)
  const id = mintId(type, taken)
  const settings = cloneJson(entry.defaults) as never
  if (isRuleType(type)) {
    return {
      id,
      type,
      title: entry.label,
      execution: 'afterPrevious',
      time: { mode: 'immediately' },
      settings,
    } as RuleNode
  }
  if (isTriggerType(type)) {
    return {
      id,
      type,
      title: entry.label,
      changeStageAs: { mode: 'responsible' },
      allowReturn: false,
      settings,
    } as TriggerNode
  }
  throw new Error(`"${type}" is neither a rule nor a trigger`)
}

const isTrigger = (node: FlowNode): node is TriggerNode => isTriggerType(node.type)

// ---------------------------------------------------------------- stages

export const STAGE_COLORS = ['#1976d2', '#00897b', '#7b1fa2', '#ef6c00', '#5d4037', '#2e7d32', '#c62828'] as const

/** Adds a stage (at `index`, default the end); returns its id. */
export function addStage(
  graph: Graph,
  stage: { name: string; kind?: StageKind; color?: string },
  index = graph.pipeline.stages.length,
): string {
  const id = mintId(stage.name, idsInUse(graph))
  const color = stage.color ?? STAGE_COLORS[graph.pipeline.stages.length % STAGE_COLORS.length] ?? '#1976d2'
  graph.pipeline.stages.splice(index, 0, {
    id,
    name: stage.name,
    color,
    kind: stage.kind ?? 'inProgress',
    triggers: [],
    rules: [],
  })
  return id
}

export function changeStage(graph: Graph, id: string, change: Partial<Pick<Stage, 'name' | 'color' | 'kind'>>): void {
  Object.assign(stageOf(graph, id), change)
}

/** Moves a stage to another place in the pipeline (a column dragged). */
export function moveStage(graph: Graph, id: string, toIndex: number): void {
  const stages = graph.pipeline.stages
  const from = stages.findIndex((s) => s.id === id)
  if (from < 0) throw new Error(`no stage "${id}"`)
  const [stage] = stages.splice(from, 1)
  stages.splice(Math.max(0, Math.min(toIndex, stages.length)), 0, stage as Stage)
}

/** Deletes a stage; its rules and triggers go with it, or move to the end of another stage. */
export function deleteStage(graph: Graph, id: string, nodes: 'delete' | { moveTo: string }): void {
  const stages = graph.pipeline.stages
  const index = stages.findIndex((s) => s.id === id)
  if (index < 0) throw new Error(`no stage "${id}"`)
  const [stage] = stages.splice(index, 1) as [Stage]
  if (nodes !== 'delete') {
    const target = stageOf(graph, nodes.moveTo)
    target.triggers.push(...stage.triggers)
    target.rules.push(...stage.rules)
  }
}

// ---------------------------------------------------------------- nodes

/**
 * Adds nodes of these catalog types to a stage (several at once, as the palette's multi-select does):
 * triggers at the end of the stage's triggers, rules at `ruleIndex` (default the end). Returns their ids.
 */
export function addNodes(graph: Graph, stageId: string, types: readonly string[], ruleIndex?: number): string[] {
  const stage = stageOf(graph, stageId)
  const taken = idsInUse(graph)
  const made = types.map((type) => newNode(type, taken))
  const rules = made.filter((n): n is RuleNode => !isTrigger(n))
  stage.triggers.push(...made.filter(isTrigger))
  stage.rules.splice(ruleIndex ?? stage.rules.length, 0, ...rules)
  return made.map((n) => n.id)
}

/** Moves a node within its stage or to another one; a trigger stays a trigger, a rule a rule. */
export function moveNode(graph: Graph, id: string, toStageId: string, toIndex: number): void {
  const place = findNode(graph, id)
  if (!place) throw new Error(`no node "${id}"`)
  const target = stageOf(graph, toStageId)
  ;(place.stage[place.list] as FlowNode[]).splice(place.index, 1)
  const list = target[place.list] as FlowNode[]
  list.splice(Math.max(0, Math.min(toIndex, list.length)), 0, place.node)
}

export function removeNodes(graph: Graph, ids: readonly string[]): void {
  const gone = new Set(ids)
  for (const stage of graph.pipeline.stages) {
    stage.triggers = stage.triggers.filter((n) => !gone.has(n.id))
    stage.rules = stage.rules.filter((n) => !gone.has(n.id))
  }
}

/** Sets a value in a node by its path (`['settings', 'subject']`, `['time']`, `['title']`); undefined removes it. */
export function setNodeValue(graph: Graph, id: string, path: readonly string[], value: unknown): void {
  const place = findNode(graph, id)
  if (!place) throw new Error(`no node "${id}"`)
  if (path.length === 0 || path[0] === 'id' || path[0] === 'type') throw new Error('a node keeps its id and type')
  let target = place.node as unknown as Record<string, unknown>
  for (const key of path.slice(0, -1)) {
    const next = target[key]
    if (typeof next !== 'object' || next === null) target[key] = {}
    target = target[key] as Record<string, unknown>
  }
  const last = path[path.length - 1] as string
  if (value === undefined) delete target[last]
  else target[last] = value
}

// ---------------------------------------------------------------- copy, paste, duplicate

const CLIPBOARD_KIND = 'signflow-nodes'

export interface Clipboard {
  kind: typeof CLIPBOARD_KIND
  formatVersion: 1
  nodes: FlowNode[]
}

/** The nodes as clipboard text (JSON), in canvas order: what Ctrl/Cmd+C puts on the system clipboard. */
export function copyNodes(graph: Graph, ids: readonly string[]): string {
  const wanted = new Set(ids)
  const nodes: FlowNode[] = []
  for (const stage of graph.pipeline.stages) {
    for (const node of [...stage.triggers, ...stage.rules]) if (wanted.has(node.id)) nodes.push(cloneJson(node))
  }
  return JSON.stringify({ kind: CLIPBOARD_KIND, formatVersion: 1, nodes } satisfies Clipboard)
}

/** The nodes in clipboard text, or undefined when it is not ours (pasting other text does nothing). */
export function readClipboard(text: string): FlowNode[] | undefined {
  try {
    const value = JSON.parse(text) as Partial<Clipboard>
    if (value?.kind !== CLIPBOARD_KIND || !Array.isArray(value.nodes)) return undefined
    return value.nodes.filter(
      (n): n is FlowNode =>
        typeof n === 'object' && n !== null && typeof n.id === 'string' && !!getCatalogEntry(n.type),
    )
  } catch {
    return undefined
  }
}

/** Replaces, everywhere in `value`, references to nodes by id (`{"kind":"output","node":…}`) as `ids` maps them. */
function remapReferences(value: unknown, ids: ReadonlyMap<string, string>): void {
  if (Array.isArray(value)) {
    for (const item of value) remapReferences(item, ids)
    return
  }
  if (typeof value !== 'object' || value === null) return
  const record = value as Record<string, unknown>
  if (record.kind === 'output' && typeof record.node === 'string' && ids.has(record.node)) {
    record.node = ids.get(record.node)
  }
  for (const item of Object.values(record)) remapReferences(item, ids)
}

/**
 * Pastes nodes into a stage (after `afterId` when given, else at the end): new ids, and references between
 * the pasted nodes follow them (an email pasted with the document rule it attaches keeps attaching the copy).
 * Returns the new ids.
 */
export function pasteNodes(graph: Graph, stageId: string, nodes: readonly FlowNode[], afterId?: string): string[] {
  const stage = stageOf(graph, stageId)
  const taken = idsInUse(graph)
  const ids = new Map<string, string>()
  const copies = nodes.map((node) => {
    const copy = cloneJson(node)
    const fresh = mintId(node.type, taken)
    ids.set(node.id, fresh)
    copy.id = fresh
    return copy
  })
  for (const copy of copies) remapReferences(copy, ids)
  const after = afterId ? stage.rules.findIndex((n) => n.id === afterId) : -1
  let at = after >= 0 ? after + 1 : stage.rules.length
  for (const copy of copies) {
    if (isTrigger(copy)) stage.triggers.push(copy)
    else stage.rules.splice(at++, 0, copy)
  }
  return copies.map((c) => c.id)
}

/** Duplicates nodes in place (D): each copy right after the last of them in its stage. Returns the new ids. */
export function duplicateNodes(graph: Graph, ids: readonly string[]): string[] {
  const made: string[] = []
  for (const stage of graph.pipeline.stages) {
    const mine = [...stage.triggers, ...stage.rules].filter((n) => ids.includes(n.id))
    if (mine.length === 0) continue
    const lastRule = [...stage.rules].reverse().find((n) => ids.includes(n.id))
    made.push(...pasteNodes(graph, stage.id, mine, lastRule?.id))
  }
  return made
}
