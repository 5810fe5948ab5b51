/**
 * What each condition operator takes and where it makes sense: read by the validator (to report a
 * misuse) and by the designer's condition builder (to offer only the operators that fit the field).
 */
import type { Operator } from './schema-parts.js'
import type { ValueType } from './vocabulary.js'

/** How many operands each operator takes, at least and at most. */
export const OPERATOR_ARITY: Record<Operator, [min: number, max: number]> = {
  eq: [1, 1],
  ne: [1, 1],
  gt: [1, 1],
  gte: [1, 1],
  lt: [1, 1],
  lte: [1, 1],
  empty: [0, 0],
  notEmpty: [0, 0],
  contains: [1, 1],
  notContains: [1, 1],
  in: [1, 1000],
  notIn: [1, 1000],
  between: [2, 2],
  withinLastDays: [1, 1],
  withinNextDays: [1, 1],
}
const ORDERED: ReadonlySet<ValueType> = new Set(['number', 'money', 'date', 'datetime', 'text'])
export const DATES: ReadonlySet<ValueType> = new Set(['date', 'datetime'])

/** Whether an operator means something for a left side of this type (and multiplicity). */
export function operatorFits(op: Operator, left: { type: ValueType; multiple: boolean }): boolean {
  switch (op) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
    case 'between':
      return ORDERED.has(left.type) && !left.multiple
    case 'contains':
    case 'notContains':
      // text contains a part; a multi-value field contains one of its values
      return left.type === 'text' || left.multiple
    case 'withinLastDays':
    case 'withinNextDays':
      return DATES.has(left.type) && !left.multiple
    case 'eq':
    case 'ne':
    case 'empty':
    case 'notEmpty':
    case 'in':
    case 'notIn':
      return true
  }
}

/** The type of the values a row compares its left side with: days for "within", a part of text for "contains". */
export function operandType(op: Operator, left: { type: ValueType; multiple: boolean }): ValueType {
  if (op === 'withinLastDays' || op === 'withinNextDays') return 'number'
  if ((op === 'contains' || op === 'notContains') && !left.multiple) return 'text'
  return left.type
}
