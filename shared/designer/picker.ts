/**
 * What the designer's "…" picker offers and how values read in words: the constants, variables,
 * element fields (the client's, their requisites, my company's, custom) and the outputs of rules that
 * have certainly finished before the node runs, filtered by the type the slot takes. Also the two ways a
 * text slot is edited: as parts (text and chips) and as the graph's value (literal, reference, template).
 */
import { getCatalogEntry } from '../catalog/index.js'
import { type FieldDef, fieldIndex } from '../graph/fields.js'
import type { Graph, RuleNode } from '../graph/graph.js'
import type { ConditionGroup, ConditionRow, Operator, Reference, Value } from '../graph/schema-parts.js'
import { isAssignable, type ValueType } from '../graph/vocabulary.js'
import { findNode } from './commands.js'
import { folded } from './fold.js'

export type SlotType = ValueType | 'any'
/** A piece of a text slot: typed text or a chip. */
export type Part = string | Reference

export const PICK_GROUPS = [
  'Constants',
  'Variables',
  'Earlier rules',
  'Element',
  'Client',
  "Client's requisites",
  'My company',
  'Custom fields',
] as const
export type PickGroup = (typeof PICK_GROUPS)[number]

export interface PickOption {
  ref: Reference
  label: string
  group: PickGroup
  type: ValueType
  multiple: boolean
}

const FIELD_GROUPS: Record<FieldDef['group'], PickGroup> = {
  element: 'Element',
  client: 'Client',
  clientRequisites: "Client's requisites",
  myCompany: 'My company',
  custom: 'Custom fields',
}

/** The rules that have certainly finished when `nodeId` starts: the unbroken "after previous" chain before it. */
export function rulesBefore(graph: Graph, nodeId: string | undefined): RuleNode[] {
  const place = nodeId === undefined ? undefined : findNode(graph, nodeId)
  if (place?.list !== 'rules') return []
  const rules = place.stage.rules
  const out: RuleNode[] = []
  for (let k = place.index; k > 0 && rules[k]?.execution === 'afterPrevious'; k--) {
    const previous = rules[k - 1]
    if (previous && !previous.disabled) out.unshift(previous)
  }
  return out
}

/**
 * Everything a slot of type `want` may take for the node `nodeId`, in picker order. `kinds` narrows
 * the offer (a condition's left side takes no literal, a writable target only fields, …).
 */
export function pickOptions(
  graph: Graph,
  nodeId: string | undefined,
  want: SlotType,
  kinds: ReadonlyArray<Reference['kind']> = ['constant', 'variable', 'field', 'output'],
): PickOption[] {
  const fits = (type: ValueType) => want === 'any' || isAssignable(type, want)
  const out: PickOption[] = []
  if (kinds.includes('constant')) {
    for (const c of graph.constants) {
      if (fits(c.type))
        out.push({
          ref: { kind: 'constant', id: c.id },
          label: c.name,
          group: 'Constants',
          type: c.type,
          multiple: c.multiple ?? false,
        })
    }
  }
  if (kinds.includes('variable')) {
    for (const v of graph.variables) {
      if (fits(v.type))
        out.push({
          ref: { kind: 'variable', id: v.id },
          label: v.name,
          group: 'Variables',
          type: v.type,
          multiple: v.multiple ?? false,
        })
    }
  }
  if (kinds.includes('output')) {
    for (const rule of rulesBefore(graph, nodeId)) {
      const entry = getCatalogEntry(rule.type)
      if (entry?.kind !== 'rule') continue
      for (const output of entry.outputs(rule.settings as never)) {
        if (fits(output.type))
          out.push({
            ref: { kind: 'output', node: rule.id, output: output.name },
            label: `${output.label} · ${rule.title}`,
            group: 'Earlier rules',
            type: output.type,
            multiple: false,
          })
      }
    }
  }
  if (kinds.includes('field')) {
    for (const f of fieldIndex(graph.elementType, graph.fields).values()) {
      if (fits(f.type))
        out.push({
          ref: { kind: 'field', path: f.path },
          label: f.label,
          group: FIELD_GROUPS[f.group],
          type: f.type,
          multiple: f.multiple,
        })
    }
  }
  return out
}

/** The options whose label, group or id contains every word of `query`. */
export function searchOptions(options: readonly PickOption[], query: string): PickOption[] {
  const words = folded(query).split(/\s+/).filter(Boolean)
  if (words.length === 0) return [...options]
  return options.filter((o) => {
    const text = folded(`${o.label} ${o.group} ${refKey(o.ref)}`)
    return words.every((w) => text.includes(w))
  })
}

/** A stable key of a reference (equal references, equal keys). */
export function refKey(ref: Reference): string {
  switch (ref.kind) {
    case 'constant':
    case 'variable':
      return `${ref.kind}:${ref.id}`
    case 'field':
      return `field:${ref.path}`
    case 'output':
      return `output:${ref.node}.${ref.output}`
  }
}

/** A reference as the analyst reads it on a chip: "Director", "Client: name", "Public link · Create the contract". */
export function refLabel(graph: Graph, ref: Reference): string {
  switch (ref.kind) {
    case 'constant':
      return graph.constants.find((c) => c.id === ref.id)?.name ?? `Constant "${ref.id}"`
    case 'variable':
      return graph.variables.find((v) => v.id === ref.id)?.name ?? `Variable "${ref.id}"`
    case 'field':
      return fieldIndex(graph.elementType, graph.fields).get(ref.path)?.label ?? ref.path
    case 'output': {
      const place = findNode(graph, ref.node)
      const entry = place ? getCatalogEntry(place.node.type) : undefined
      const output =
        entry?.kind === 'rule' && place
          ? entry.outputs(place.node.settings as never).find((o) => o.name === ref.output)
          : undefined
      return `${output?.label ?? ref.output} · ${place?.node.title ?? ref.node}`
    }
  }
}

/** The type of what a reference gives, when it is known. */
export function refType(graph: Graph, ref: Reference): { type: ValueType; multiple: boolean } | undefined {
  switch (ref.kind) {
    case 'constant':
    case 'variable': {
      const decl = (ref.kind === 'constant' ? graph.constants : graph.variables).find((d) => d.id === ref.id)
      return decl ? { type: decl.type, multiple: decl.multiple ?? false } : undefined
    }
    case 'field': {
      const f = fieldIndex(graph.elementType, graph.fields).get(ref.path)
      return f ? { type: f.type, multiple: f.multiple } : undefined
    }
    case 'output': {
      const place = findNode(graph, ref.node)
      const entry = place ? getCatalogEntry(place.node.type) : undefined
      if (entry?.kind !== 'rule' || !place) return undefined
      const output = entry.outputs(place.node.settings as never).find((o) => o.name === ref.output)
      return output ? { type: output.type, multiple: false } : undefined
    }
  }
}

/** A value as pieces of text and chips (a literal list reads as its items joined by commas). */
export function partsOf(value: Value | undefined): Part[] {
  if (!value) return []
  switch (value.kind) {
    case 'literal': {
      const text = Array.isArray(value.value) ? value.value.join(', ') : String(value.value)
      return text === '' ? [] : [text]
    }
    case 'template':
      return [...value.parts]
    default:
      return [value]
  }
}

/**
 * Pieces of text and chips as the graph stores them: nothing or only text is a literal, one chip alone
 * is that reference (so a type-checked slot keeps its type), anything else a template.
 */
export function valueOfParts(parts: readonly Part[]): Value {
  const merged: Part[] = []
  for (const part of parts) {
    if (typeof part === 'string') {
      if (part === '') continue
      const last = merged[merged.length - 1]
      if (typeof last === 'string') merged[merged.length - 1] = last + part
      else merged.push(part)
    } else merged.push(part)
  }
  if (merged.length === 0) return { kind: 'literal', value: '' }
  const [only] = merged
  if (merged.length === 1 && only !== undefined)
    return typeof only === 'string' ? { kind: 'literal', value: only } : only
  return { kind: 'template', parts: merged }
}

export const OPERATOR_LABELS: Record<Operator, string> = {
  eq: '=',
  ne: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  empty: 'is empty',
  notEmpty: 'is not empty',
  contains: 'contains',
  notContains: 'does not contain',
  in: 'is one of',
  notIn: 'is none of',
  between: 'is between',
  withinLastDays: 'within the last … days',
  withinNextDays: 'within the next … days',
}

/** A value in words: a literal as typed, a reference by its label, a template with its chips in braces. */
export function valueText(graph: Graph, value: Value): string {
  if (value.kind === 'literal') return Array.isArray(value.value) ? value.value.join(', ') : String(value.value)
  if (value.kind === 'template')
    return value.parts.map((p) => (typeof p === 'string' ? p : `{${refLabel(graph, p)}}`)).join('')
  return refLabel(graph, value)
}

function rowText(graph: Graph, row: ConditionRow): string {
  const left = refLabel(graph, row.left)
  const values = row.values.map((v) => valueText(graph, v))
  switch (row.op) {
    case 'empty':
    case 'notEmpty':
      return `${left} ${OPERATOR_LABELS[row.op]}`
    case 'between':
      return `${left} between ${values[0] ?? '…'} and ${values[1] ?? '…'}`
    case 'withinLastDays':
      return `${left} in the last ${values[0] ?? '…'} days`
    case 'withinNextDays':
      return `${left} in the next ${values[0] ?? '…'} days`
    default:
      return `${left} ${OPERATOR_LABELS[row.op]} ${values.join(', ') || '…'}`
  }
}

/** A condition in words: "Amount > 5000", "Amount > 5000 and (Source = web or Source = ads)". */
export function conditionText(graph: Graph, group: ConditionGroup, nested = false): string {
  const joiner = group.match === 'all' ? ' and ' : ' or '
  const text = group.items
    .map((item) => ('match' in item ? conditionText(graph, item, true) : rowText(graph, item)))
    .join(joiner)
  return nested && group.items.length > 1 ? `(${text})` : text
}
