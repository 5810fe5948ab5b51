import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Operator } from '../graph/schema-parts.js'
import { applyOperator, type ConditionClock, compileCondition, fastTest } from './conditions.js'
import type { Json } from './types.js'

const clock: ConditionClock = { now: Date.parse('2026-11-23T15:00:00Z'), today: () => Date.parse('2026-11-23') }

/** Values a row meets in practice, and the awkward ones: empty text, dates, mixed case, lists. */
const text = fc.oneof(
  fc.constantFrom('web', 'WEB', 'Web', 'fair', '', 'İstanbul', 'straße', '2026-11-23', '2026-11-23T10:00:00Z'),
  fc.string({ maxLength: 6 }),
)
const value: fc.Arbitrary<Json> = fc.oneof(
  text,
  fc.double({ noNaN: true }),
  fc.integer({ min: -5, max: 5 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(text, { maxLength: 3 }),
)
const op = fc.constantFrom<Operator>('eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn')

describe('the shortcut for common rows', () => {
  it('answers exactly what applyOperator answers, whenever it answers', () => {
    fc.assert(
      fc.property(
        op,
        fc.oneof(fc.array(text, { minLength: 1, maxLength: 3 }), fc.tuple(fc.double({ noNaN: true }))),
        value,
        (operator, values, left) => {
          const test = fastTest(operator, values)
          const quick = test?.(left)
          if (quick !== undefined) expect(quick).toBe(applyOperator(operator, left, values, clock))
        },
      ),
      { numRuns: 20_000 },
    )
  })

  it('takes the common rows: a number against a number, text among texts', () => {
    expect(fastTest('gt', [5000])?.(4200)).toBe(false)
    expect(fastTest('in', ['web', 'fair'])?.('WEB')).toBe(true)
    expect(fastTest('notIn', ['web'])?.('fair')).toBe(true)
    // Dates and empty text are for applyOperator.
    expect(fastTest('in', ['web'])?.('2026-11-23')).toBeUndefined()
    expect(fastTest('eq', ['web'])?.('')).toBeUndefined()
    expect(fastTest('gt', ['2026-11-23'])).toBeUndefined()
  })
})

describe('compiled conditions', () => {
  const scope = {
    field: (path: string) => (path === 'amount' ? 4200 : null),
    constant: () => null,
    variable: () => null,
    output: () => null,
    typeOf: () => undefined,
  }
  const amountOver = (n: number) => ({
    left: { kind: 'field' as const, path: 'amount' },
    op: 'gt' as const,
    values: [{ kind: 'literal' as const, value: n }],
  })

  it('joins rows with AND and OR, however deep, and says which rows were false', () => {
    const c = compileCondition({
      match: 'all',
      items: [amountOver(1000), { match: 'any', items: [amountOver(5000), amountOver(4000)] }],
    })
    expect(c.source).toBe('(r[0] && (r[1] || r[2]))')
    const { result, rows } = c.evaluate(scope, clock)
    expect(result).toBe(true)
    expect(rows.map((r) => r.result)).toEqual([true, false, true])
    expect(c.whyFalse(rows)).toBe('amount 4200 > 5000')
  })

  it('treats an empty group as true, also next to a false row', () => {
    const c = compileCondition({ match: 'any', items: [{ match: 'all', items: [] }, amountOver(5000)] })
    expect(c.evaluate(scope, clock).result).toBe(true)
    expect(compileCondition({ match: 'all', items: [] }).evaluate(scope, clock).result).toBe(true)
    expect(compileCondition({ match: 'all', items: [amountOver(5000)] }).evaluate(scope, clock).result).toBe(false)
  })
})
