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

/**
 * The moment a condition is evaluated at: `now`, and `today`, the company's local date (as the
 * UTC midnight of that date, which is how a plain date like "2026-11-23" compares).
 */
export interface ConditionClock {
  now: number
  today(): number
}

/** Recently read date texts and their moments: the same few dates come up again and again. */
const moments = new Map<string, number | undefined>()

function momentOfText(value: string): number | undefined {
  if (moments.has(value)) return moments.get(value)
  let ms: number | undefined
  if (DATE_LIKE.test(value)) {
    ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)
    if (Number.isNaN(ms)) ms = undefined
  }
  if (moments.size >= 4096) moments.clear()
  moments.set(value, ms)
  return ms
}

/** Numbers as numbers, dates as moments, anything else as lower-case text. */
function comparable(value: Json): number | string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string') {
    const first = value.charCodeAt(0)
    if (value.length >= 10 && first >= 48 && first <= 57) {
      const ms = momentOfText(value)
      if (ms !== undefined) return ms
    }
    // Locale-independent, so the same graph gives the same answer on every machine.
    return value.toLowerCase()
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
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equals(x, b[i] ?? null))
  if (isEmptyValue(a) && isEmptyValue(b)) return true
  return compare(a, b) === 0
}

function contains(haystack: Json, needle: Json): boolean {
  if (Array.isArray(haystack)) return haystack.some((h) => equals(h, needle))
  if (typeof haystack !== 'string') return false
  return haystack.toLowerCase().includes(String(needle ?? '').toLowerCase())
}

/** Whether `left` equals one of `values` (a value may itself be a list). */
function isAmong(left: Json, values: Json[]): boolean {
  for (const v of values) {
    if (Array.isArray(v)) {
      for (const w of v) if (equals(left, w)) return true
    } else if (equals(left, v)) return true
  }
  return false
}

/** The meaning of each operator, shared by the compiled expression and the timeline's row results. */
export function applyOperator(op: Operator, left: Json, values: Json[], clock: ConditionClock): boolean {
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
      return isAmong(left, values)
    case 'notIn':
      return !isAmong(left, values)
    case 'between': {
      const lo = compare(left, a)
      const hi = compare(left, b)
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0
    }
    case 'withinLastDays':
    case 'withinNextDays': {
      const t = comparable(left)
      if (typeof t !== 'number' || typeof a !== 'number') return false
      // A plain date counts by whole local days, today included; a moment by the clock.
      const from = typeof left === 'string' && left.length === 10 ? clock.today() : clock.now
      return op === 'withinLastDays' ? t <= from && t >= from - a * DAY : t >= from && t <= from + a * DAY
    }
  }
}

const env = new Environment({ limits: { maxAstNodes: 20_000, maxDepth: 200 } }).registerVariable('r', 'list')

export interface CompiledCondition {
  source: string
  rows: ConditionRow[]
  evaluate(scope: Scope, clock: ConditionClock): { result: boolean; rows: ConditionRowRecord[] }
  /** "amount 4200 > 5000; source "web" in "fair"": the rows of an evaluation that were false. */
  whyFalse(rows: ConditionRowRecord[]): string
}

const NO_RESULTS: boolean[] = []
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
  /** A condition of one row is that row: nothing to join. */
  const direct = source === '(r[0])'
  const labels = rows.map((row) => describeReference(row.left))
  // Literal operands are the same every time: one frozen list per row, and their text made once.
  const fixed = rows.map((row) =>
    row.values.every((v) => v.kind === 'literal')
      ? Object.freeze(row.values.map((v) => (v.kind === 'literal' ? v.value : null)))
      : undefined,
  )
  const tests = rows.map((row, i) => fastTest(row.op, fixed[i]))
  const suffixes = rows.map((row, i) => {
    const values = fixed[i]
    return values ? operatorText(row.op, values) : undefined
  })
  const compiled: CompiledCondition = {
    source,
    rows,
    evaluate(scope, clock) {
      const joined = !direct
      const results: boolean[] = joined ? new Array(rows.length) : NO_RESULTS
      const records: ConditionRowRecord[] = []
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as ConditionRow
        const left = resolveReference(row.left, scope) ?? null
        let values = fixed[i] as Json[] | undefined
        if (!values) {
          values = new Array(row.values.length)
          for (let j = 0; j < row.values.length; j++) values[j] = resolveValue(row.values[j] as Value, scope) ?? null
        }
        const result = tests[i]?.(left) ?? applyOperator(row.op, left, values, clock)
        if (joined) results[i] = result
        records.push({ left: labels[i] ?? '', op: row.op, leftValue: left, values, result })
      }
      // A lone row needs no joining.
      const result = joined ? program({ r: results }) === true : records[0]?.result === true
      return { result, rows: records }
    },
    whyFalse(records) {
      let text = ''
      for (let i = 0; i < records.length; i++) {
        const row = records[i] as ConditionRowRecord
        if (row.result) continue
        const suffix = suffixes[i]
        const said = suffix === undefined ? describeRow(row) : `${row.left} ${show(row.leftValue)}${suffix}`
        text = text ? `${text}; ${said}` : said
      }
      return text
    },
  }
  cache.set(group, compiled)
  return compiled
}

/** Plain text that no operator would read as a date. */
function isPlainText(value: Json): value is string {
  return typeof value === 'string' && !(value.length >= 10 && DATE_LIKE.test(value))
}

/**
 * A shortcut for the common rows (a number against a number literal, text against text
 * literals): it answers `undefined` when it does not apply, and `applyOperator` decides. It
 * gives exactly `applyOperator`'s answer where it applies (a property test holds it to that).
 */
export function fastTest(
  op: Operator,
  values: readonly Json[] | undefined,
): ((left: Json) => boolean | undefined) | undefined {
  if (!values) return undefined
  const [a] = values
  if (values.length === 1 && typeof a === 'number') {
    switch (op) {
      case 'gt':
        return (left) => (typeof left === 'number' ? left > a : undefined)
      case 'gte':
        return (left) => (typeof left === 'number' ? left >= a : undefined)
      case 'lt':
        return (left) => (typeof left === 'number' ? left < a : undefined)
      case 'lte':
        return (left) => (typeof left === 'number' ? left <= a : undefined)
      case 'eq':
        return (left) => (typeof left === 'number' ? left === a : undefined)
      case 'ne':
        return (left) => (typeof left === 'number' ? left !== a : undefined)
      default:
        return undefined
    }
  }
  if ((op === 'in' || op === 'notIn' || op === 'eq' || op === 'ne') && values.length > 0 && values.every(isPlainText)) {
    if ((op === 'eq' || op === 'ne') && values.length !== 1) return undefined
    const set = new Set(values.map((v) => (v as string).toLowerCase()))
    const negate = op === 'notIn' || op === 'ne'
    return (left) => {
      if (!isPlainText(left) || left === '') return undefined
      return set.has(left.toLowerCase()) !== negate
    }
  }
  return undefined
}

/** "amount 4200 > 5000": a row as the timeline and "why not?" say it. */
export function describeRow(row: ConditionRowRecord): string {
  return `${row.left} ${show(row.leftValue)}${operatorText(row.op, row.values)}`
}

/** " > 5000", " in "web" and "fair"": the operator and its operands as a row says them. */
function operatorText(op: string, values: readonly Json[]): string {
  let text = ` ${SYMBOLS[op] ?? op}`
  for (let i = 0; i < values.length; i++) text += `${i === 0 ? ' ' : ' and '}${show(values[i] ?? null)}`
  return text
}

const SYMBOLS: Readonly<Record<string, string>> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' }

function show(value: Json): string {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)
}
