import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { graphValidatorSource, scenarioValidatorSource } from './compile.js'

const generated = (name: string) => readFileSync(new URL(`./generated/${name}-validator.js`, import.meta.url), 'utf8')

describe('the validators compiled ahead of time', () => {
  it('are those of the current schemas (run `npx tsx scripts/compile-validators.ts` if not)', () => {
    expect(generated('graph') === graphValidatorSource(), 'graph-validator.js is stale').toBe(true)
    expect(generated('scenario') === scenarioValidatorSource(), 'scenario-validator.js is stale').toBe(true)
  })

  it('never build code at run time, so a strict Content-Security-Policy lets them run', () => {
    for (const name of ['graph', 'scenario']) {
      const source = generated(name)
      expect(source).not.toMatch(/new Function|\beval\(/)
      expect(source).not.toMatch(/require\(/)
    }
  })
})
