/**
 * Conditions: the designer's structured tree (AND/OR groups of field-operator-value rows) is
 * compiled once into a CEL expression and evaluated by cel-js. Rows are evaluated first, with
 * operands resolved at that moment, and passed in as `r[i]`: no value ever becomes expression text.
 */
import { Environment } from '@marcbachmann/cel-js'
import { type ConditionGroup, type ConditionRow, OPERATORS, type Operator, type Value } from '../graph/schema-parts.js'
import type { ConditionRowRecord, Json } from './types.js'
import { describeReference, resolveReference, resolveValue, type Scope } from './values.js'

const DAY = 86_400_000
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/

/** Numbers as numbers, dates as moments, anything else as lower-case text. */
function comparable(value: Json): number | string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string') {
    if (DATE_LIKE.test(value)) {
      const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)
      if (!Number.isNaN(ms)) return ms
    }
    return value.toLocaleLowerCase()
  }
  return JSON.stringify(value)
}

function compare(a: Json, b: Json): number | undefined {
  const x = comparable(a)
  const y = comparable(b)
  if (x === null || y === null || typeof x !== typeof y) return undefined
  return x < y ? -1 : x > y ? 1 : 0
}

export function isEmptyValue(value: Json): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
}

function equals(a: Json, b: Json): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equals(x, b[i] ?? null))
  if (isEmptyValue(a) && isEmptyValue(b)) return true
  return compare(a, b) === 0
}

function contains(haystack: Json, needle: Json): boolean {
  if (Array.isArray(haystack)) return haystack.some((h) => equals(h, needle))
  if (typeof haystack !== 'string') return false
  return haystack.toLocaleLowerCase().includes(String(needle ?? '').toLocaleLowerCase())
}

/** The meaning of each operator, shared by the compiled expression and the timeline's row results. */
export function applyOperator(op: Operator, left: Json, values: Json[], now: number): boolean {
  const [a = null, b = null] = values
  const c = op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte' ? compare(left, a) : undefined
  switch (op) {
    case 'eq':
      return equals(left, a)
    case 'ne':
      return !equals(left, a)
    case 'gt':
      return c !== undefined && c > 0
    case 'gte':
      return c !== undefined && c >= 0
    case 'lt':
      return c !== undefined && c < 0
    case 'lte':
      return c !== undefined && c <= 0
    case 'empty':
      return isEmptyValue(left)
    case 'notEmpty':
      return !isEmptyValue(left)
    case 'contains':
      return contains(left, a)
    case 'notContains':
      return !contains(left, a)
    case 'in':
      return values.flat().some((v) => equals(left, v))
    case 'notIn':
      return !values.flat().some((v) => equals(left, v))
    case 'between': {
      const lo = compare(left, a)
      const hi = compare(left, b)
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0
    }
    case 'withinLastDays':
    case 'withinNextDays': {
      const t = comparable(left)
      if (typeof t !== 'number' || typeof a !== 'number') return false
      return op === 'withinLastDays' ? t <= now && t >= now - a * DAY : t >= now && t <= now + a * DAY
    }
  }
}

const env = new Environment({ limits: { maxAstNodes: 20_000, maxDepth: 200 } }).registerVariable('r', 'list')

export interface CompiledCondition {
  source: string
  rows: ConditionRow[]
  evaluate(scope: Scope, now: number): { result: boolean; rows: ConditionRowRecord[] }
}

const OPERATOR_NAMES: ReadonlySet<string> = new Set(OPERATORS)

const cache = new WeakMap<ConditionGroup, CompiledCondition>()

/**
 * Compiles a condition tree: `{all: [amount gt 5000, {any: [a, b]}]}` becomes the CEL
 * expression `(r[0] && (r[1] || r[2]))` over the rows' results. Each row is evaluated once, by
 * `applyOperator`, with its operands resolved at that moment; the same results go into the
 * timeline, and CEL joins them with its short-circuit AND/OR.
 */
export function compileCondition(group: ConditionGroup): CompiledCondition {
  const hit = cache.get(group)
  if (hit) return hit
  const rows: ConditionRow[] = []
  const emit = (g: ConditionGroup): string => {
    if (g.items.length === 0) return 'true'
    const parts: string[] = []
    for (const item of g.items) {
      if ('match' in item) parts.push(emit(item))
      else {
        if (!OPERATOR_NAMES.has(item.op)) throw new Error(`unknown operator ${String(item.op)}`)
        parts.push(`r[${rows.length}]`)
        rows.push(item)
      }
    }
    return `(${parts.join(g.match === 'all' ? ' && ' : ' || ')})`
  }
  const source = emit(group)
  const program = env.parse(source)
  const labels = rows.map((row) => describeReference(row.left))
  const compiled: CompiledCondition = {
    source,
    rows,
    evaluate(scope, now) {
      const results: boolean[] = new Array(rows.length)
      const records: ConditionRowRecord[] = new Array(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as ConditionRow
        const left = resolveReference(row.left, scope) ?? null
        const values: Json[] = new Array(row.values.length)
        for (let j = 0; j < row.values.length; j++) values[j] = resolveValue(row.values[j] as Value, scope) ?? null
        const result = applyOperator(row.op, left, values, now)
        results[i] = result
        records[i] = { left: labels[i] ?? '', op: row.op, leftValue: left, values, result }
      }
      return { result: program({ r: results }) === true, rows: records }
    },
  }
  cache.set(group, compiled)
  return compiled
}

/** "amount 4200 > 5000": a row as the timeline and "why not?" say it. */
export function describeRow(row: ConditionRowRecord): string {
  const symbols: Record<string, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' }
  const fmt = (v: Json) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v ?? null))
  const op = symbols[row.op] ?? row.op
  return `${row.left} ${fmt(row.leftValue)} ${op}${row.values.length ? ` ${row.values.map(fmt).join(' and ')}` : ''}`
}
