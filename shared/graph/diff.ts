/**
 * What changed between two graphs, by stable id: stages by stage id, rules and triggers by node
 * id (wherever they stand). A node "changed" when its JSON differs, key order aside, or when it
 * moved to another stage; a stage when its own settings differ or its rules or triggers stand in
 * another order (the order decides what runs after what).
 *
 * Plain functions with no Node imports: the server answers `GET /api/flows/{id}/diff` with them and
 * the designer can compare its draft with a published version in the browser. `canonicalJson` is
 * also what a version's hash is taken of (`graphHash` in server/runtime).
 */
import type { Graph } from './graph.js'

export interface DiffEntry {
  kind: 'stage' | 'rule' | 'trigger'
  id: string
  /** The stage it stands in (in the newer graph when it is there); for a stage, its own id. */
  stage: string
  /** For a node that moved between stages: where it stood before. */
  fromStage?: string
}

export interface GraphDiff {
  added: DiffEntry[]
  removed: DiffEntry[]
  changed: DiffEntry[]
  /** Other top-level parts that differ (flow, elementType, pipeline id, name or stage order, constants, …). */
  other: string[]
}

interface Part {
  entry: DiffEntry
  json: string
}

/** JSON with keys sorted at every level: equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v
  return JSON.stringify(canonical(value))
}

function partsOf(graph: Graph): Map<string, Part> {
  const parts = new Map<string, Part>()
  for (const stage of graph.pipeline.stages) {
    const { rules, triggers, ...own } = stage
    const order = { rules: rules.map((r) => r.id), triggers: triggers.map((t) => t.id) }
    parts.set(`stage\u0000${stage.id}`, {
      entry: { kind: 'stage', id: stage.id, stage: stage.id },
      json: canonicalJson({ ...own, ...order }),
    })
    for (const rule of rules) {
      parts.set(`rule\u0000${rule.id}`, {
        entry: { kind: 'rule', id: rule.id, stage: stage.id },
        json: canonicalJson(rule),
      })
    }
    for (const trigger of triggers) {
      parts.set(`trigger\u0000${trigger.id}`, {
        entry: { kind: 'trigger', id: trigger.id, stage: stage.id },
        json: canonicalJson(trigger),
      })
    }
  }
  return parts
}

/** The difference from `before` to `after`, each list in graph order. */
export function diffGraphs(before: Graph, after: Graph): GraphDiff {
  const a = partsOf(before)
  const b = partsOf(after)
  const added: DiffEntry[] = []
  const changed: DiffEntry[] = []
  for (const [key, part] of b) {
    const old = a.get(key)
    if (!old) added.push(part.entry)
    else if (old.entry.stage !== part.entry.stage) changed.push({ ...part.entry, fromStage: old.entry.stage })
    else if (old.json !== part.json) changed.push(part.entry)
  }
  const removed = [...a].filter(([key]) => !b.has(key)).map(([, part]) => part.entry)

  const other: string[] = []
  const rest = (g: Graph) => {
    const { pipeline, $schema: _schema, ...top } = g
    // The pipeline's id, name and the order of its stages (which decides what "ahead" means).
    const stages = pipeline.stages.map((s) => s.id)
    return { ...top, pipeline: { id: pipeline.id, name: pipeline.name, stages } } as Record<string, unknown>
  }
  const x = rest(before)
  const y = rest(after)
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (canonicalJson(x[key] ?? null) !== canonicalJson(y[key] ?? null)) other.push(key)
  }
  return { added, removed, changed, other }
}
