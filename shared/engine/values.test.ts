import Big from 'big.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Json } from './types.js'
import { isSafeFieldPath, moneyText, nestFields, roundMoney, setNested } from './values.js'

/** What money rounding means: the decimal digits of the amount, rounded half up (away from zero) to cents. */
const exactRound = (x: number) => Number(new Big(x).round(2, Big.roundHalfUp).toString())
const exactText = (x: number) => new Big(x).round(2, Big.roundHalfUp).toFixed(2)

/** Equal as amounts, -0 included (`Object.is`): a rounded amount is never "-0". */
const sameAmount = (a: number, b: number) => Object.is(a, b) || (a === 0 && b === 0 && !Object.is(a, -0))

const tricky = [
  1.005,
  0.285,
  -2.675,
  1e15 + 0.125,
  0.1 + 0.2,
  1234.5,
  1.015,
  1.045,
  2.675,
  -1.005,
  -0.005,
  0.005,
  0.125,
  -0.125,
  8.345,
  1.255,
  10.235,
  1e-7,
  -1e-7,
  0,
  -0,
  2 ** 52 / 100,
  2 ** 52 / 100 + 0.5,
  45035996273704.95,
  -45035996273704.95,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1e21,
  123456789.125,
  134217728.015,
  10000000000.005,
  4504252799688.015,
  1336608811337.785,
  -0.001,
]

/** Every finite double, with more weight on everyday amounts and on small ones. */
const amounts = fc.oneof(
  fc.double({ noNaN: true, min: -1e8, max: 1e8 }),
  fc.double({ noNaN: true, min: -1, max: 1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)
/** Amounts as people type them, up to 10^14 with up to three decimals: halves of a cent come up often. */
const typedAmounts = fc
  .tuple(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 3 }))
  .map(([n, decimals]) => Number(`${n}e-${decimals}`))

describe('roundMoney', () => {
  it.each(tricky)('rounds %s half up on its decimals, as big.js does', (x) => {
    expect(
      sameAmount(roundMoney(x), exactRound(x)),
      `roundMoney(${x}) = ${roundMoney(x)}, wanted ${exactRound(x)}`,
    ).toBe(true)
  })

  it('gives the cents big.js gives, for every finite double', () => {
    fc.assert(
      fc.property(amounts, (x) => {
        expect(
          sameAmount(roundMoney(x), exactRound(x)),
          `roundMoney(${x}) = ${roundMoney(x)}, wanted ${exactRound(x)}`,
        ).toBe(true)
      }),
      { numRuns: 20_000 },
    )
  })

  it('gives the cents big.js gives, for typed amounts with up to three decimals', () => {
    fc.assert(
      fc.property(typedAmounts, (x) => {
        expect(
          sameAmount(roundMoney(x), exactRound(x)),
          `roundMoney(${x}) = ${roundMoney(x)}, wanted ${exactRound(x)}`,
        ).toBe(true)
      }),
      { numRuns: 20_000 },
    )
  })

  it('keeps 0.1 + 0.2 at 0.3, and 1.005 at 1.01', () => {
    expect(roundMoney(0.1 + 0.2)).toBe(0.3)
    expect(roundMoney(1.005)).toBe(1.01)
    expect(roundMoney(-2.675)).toBe(-2.68)
    expect(roundMoney(0.285)).toBe(0.29)
  })
})

describe('moneyText', () => {
  it.each(tricky)('prints %s with two decimals, rounded half up', (x) => {
    expect(moneyText(x)).toBe(exactText(x))
  })

  it('prints what big.js prints, for every finite double', () => {
    fc.assert(
      fc.property(amounts, (x) => {
        expect(moneyText(x)).toBe(exactText(x))
      }),
      { numRuns: 20_000 },
    )
  })

  it('prints what big.js prints, for typed amounts with up to three decimals', () => {
    fc.assert(
      fc.property(typedAmounts, (x) => {
        expect(moneyText(x)).toBe(exactText(x))
      }),
      { numRuns: 20_000 },
    )
  })

  it('prints the amounts people see in texts', () => {
    expect(moneyText(1.005)).toBe('1.01')
    expect(moneyText(1234.5)).toBe('1234.50')
    expect(moneyText(0.1 + 0.2)).toBe('0.30')
    expect(moneyText(-2.675)).toBe('-2.68')
  })
})

describe('field paths never reach a prototype', () => {
  const hostile = [
    '__proto__.polluted',
    'x.__proto__.polluted',
    'x.constructor.prototype.polluted',
    'constructor.polluted',
  ]

  it('setNested ignores paths through __proto__, constructor or prototype, even over plain JSON objects', () => {
    for (const path of hostile) {
      // A field whose value is an object parsed from JSON has Object.prototype behind it.
      const root = nestFields([['x', 1]])
      root.x = JSON.parse('{"a": 1}')
      setNested(root, path, 'yes')
      expect(({} as Record<string, unknown>).polluted, path).toBeUndefined()
      expect(Object.keys(root).sort(), path).toEqual(['x'])
    }
    expect(isSafeFieldPath('client.requisites.taxId')).toBe(true)
  })

  it('nestFields leaves such paths out', () => {
    const nested = nestFields(hostile.map((p) => [p, 'yes'] as [string, Json]).concat([['amount', 5]]))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(nested)).toEqual(['amount'])
  })
})
