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
  const cents = value * 100
  const whole = Math.trunc(cents)
  // Far from a half cent, binary rounding cannot go the wrong way; near one, decimals decide.
  // `cents` is within |cents| × 2.3e-16 of the decimal amount × 100; the margin is 40 times that.
  const margin = Math.abs(cents) * 1e-14 + 1e-9
  if (Math.abs(cents) < 2 ** 52 && Math.abs(Math.abs(cents - whole) - 0.5) > margin) return Math.round(cents) / 100 || 0
  return Number(new Big(value).round(2, Big.roundHalfUp).toString()) || 0
}

/** An amount with exactly two decimals, rounded half up on its decimal digits (1.005 → "1.01"). */
export function moneyText(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Math.abs(value) >= 2 ** 52 / 100) return new Big(value).toFixed(2)
  // The double nearest a whole number of cents always prints as those cents.
  return roundMoney(value).toFixed(2)
}

/** A value as it reads inside a text: amounts with two decimals, lists joined, nothing for empty. */
export function toText(value: Json, type?: string): string {
  if (value === null) return ''
  if (Array.isArray(value)) return value.map((v) => toText(v, type)).join(', ')
  if (typeof value === 'number') return type === 'money' ? moneyText(value) : String(value)
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
    case 'template': {
      let text = ''
      for (const part of value.parts) {
        text += typeof part === 'string' ? part : toText(resolveReference(part, scope), scope.typeOf(part))
      }
      return text
    }
    default:
      return resolveReference(value, scope)
  }
}

/** `<`, `>`, `&`, `"` and `'` as HTML entities: a value shown as text inside HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/**
 * A value as HTML: what the analyst typed (literals, the text between references) is kept as HTML, and every
 * value that comes from data (fields, constants, variables, outputs) is escaped, so that a deal titled
 * `<img src=x onerror=…>` shows as those characters, never as markup.
 */
export function resolveHtml(value: Value, scope: Scope): string {
  switch (value.kind) {
    case 'literal':
      return toText(value.value)
    case 'template': {
      let html = ''
      for (const part of value.parts) {
        html += typeof part === 'string' ? part : escapeHtml(toText(resolveReference(part, scope), scope.typeOf(part)))
      }
      return html
    }
    default:
      return escapeHtml(toText(resolveReference(value, scope)))
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
/**
 * Path parts that would reach an object's prototype (`a.__proto__.x`, `a.constructor.prototype.x`) when a
 * part lands on a plain object from JSON: such paths are never fields, and are ignored wherever a path is followed.
 */
const UNSAFE_PARTS = new Set(['__proto__', 'constructor', 'prototype'])

/** True when no part of a dotted field path could reach a prototype. */
export function isSafeFieldPath(path: string): boolean {
  return path.split('.').every((part) => !UNSAFE_PARTS.has(part))
}

export function nestFields(flat: Iterable<[string, Json]>): Record<string, Json> {
  const root: Record<string, Json> = Object.create(null)
  for (const [path, value] of flat) {
    if (!isSafeFieldPath(path)) continue
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

/**
 * Sets (or, for `null`, removes) one field path inside a nested object made by `nestFields`,
 * so the nested view can follow each change instead of being rebuilt.
 */
export function setNested(root: Record<string, Json>, path: string, value: Json): void {
  if (!isSafeFieldPath(path)) return
  if (!path.includes('.')) {
    if (value === null) delete root[path]
    else if (!(typeof root[path] === 'object' && root[path] !== null && !Array.isArray(root[path]))) root[path] = value
    return
  }
  const parts = path.split('.')
  let node = root
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string
    const next = Object.hasOwn(node, part) ? node[part] : undefined
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next as Record<string, Json>
    else {
      if (value === null) return
      const child: Record<string, Json> = Object.create(null)
      node[part] = child
      node = child
    }
  }
  const leaf = parts[parts.length - 1] as string
  if (typeof node[leaf] === 'object' && node[leaf] !== null && !Array.isArray(node[leaf])) return
  if (value === null) delete node[leaf]
  else node[leaf] = value
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
