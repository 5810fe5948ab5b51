/**
 * Values at run time: element fields by path, constants, variables, rule outputs and text
 * templates, resolved against an element's current state.
 */
import Big from 'big.js'
import type { Reference, Value } from '../graph/schema-parts.js'
import type { Json } from './types.js'

/** What a value is resolved against. */
export interface Scope {
  field(path: string): Json
  constant(id: string): Json
  variable(id: string): Json
  output(node: string, name: string): Json
  /** The declared type of what a reference points at, if known. */
  typeOf(ref: Reference): string | undefined
}

/** Money is kept exact to the minor unit: 0.1 + 0.2 is 0.3 here. */
export function roundMoney(value: number): number {
  return Number(new Big(value).round(2, Big.roundHalfUp).toString())
}

/** A value as it reads inside a text: amounts with two decimals, lists joined, nothing for empty. */
export function toText(value: Json, type?: string): string {
  if (value === null) return ''
  if (Array.isArray(value)) return value.map((v) => toText(v, type)).join(', ')
  if (typeof value === 'number') return type === 'money' ? new Big(value).toFixed(2) : String(value)
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

export function resolveReference(ref: Reference, scope: Scope): Json {
  switch (ref.kind) {
    case 'constant':
      return scope.constant(ref.id)
    case 'variable':
      return scope.variable(ref.id)
    case 'field':
      return scope.field(ref.path)
    case 'output':
      return scope.output(ref.node, ref.output)
  }
}

/** Resolves any setting value: a literal as it is, a reference to its current value, a template to text. */
export function resolveValue(value: Value, scope: Scope): Json {
  switch (value.kind) {
    case 'literal':
      return value.value
    case 'template':
      return value.parts
        .map((part) => (typeof part === 'string' ? part : toText(resolveReference(part, scope), scope.typeOf(part))))
        .join('')
    default:
      return resolveReference(value, scope)
  }
}

/** A short description of where a value comes from, for the timeline ("amount", "constant director"). */
export function describeReference(ref: Reference): string {
  switch (ref.kind) {
    case 'field':
      return ref.path
    case 'constant':
      return `constant ${ref.id}`
    case 'variable':
      return `variable ${ref.id}`
    case 'output':
      return `${ref.node}.${ref.output}`
  }
}

/** Turns `{ "client.email": "a@b" }` into `{ client: { email: "a@b" } }` (for formulas). */
export function nestFields(flat: Iterable<[string, Json]>): Record<string, Json> {
  const root: Record<string, Json> = Object.create(null)
  for (const [path, value] of flat) {
    const parts = path.split('.')
    let node: Record<string, Json> = root
    for (const part of parts.slice(0, -1)) {
      const next = node[part]
      if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next as Record<string, Json>
      else {
        const child: Record<string, Json> = Object.create(null)
        node[part] = child
        node = child
      }
    }
    const leaf = parts[parts.length - 1]
    if (leaf !== undefined && !(typeof node[leaf] === 'object' && node[leaf] !== null)) node[leaf] = value
  }
  return root
}

/** Turns nested sample data into field paths, the other way round (scenario files are nested). */
export function flattenFields(
  nested: Record<string, unknown>,
  prefix = '',
  out = new Map<string, Json>(),
): Map<string, Json> {
  for (const [key, value] of Object.entries(nested)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      flattenFields(value as Record<string, unknown>, path, out)
    } else out.set(path, (value ?? null) as Json)
  }
  return out
}
