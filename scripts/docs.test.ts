import { readFileSync } from 'node:fs'
import { parse } from 'jsonc-parser'
import { describe, expect, it } from 'vitest'
import { fixture } from '../shared/test/fixtures.js'
import { renderedFormatDoc } from './docs.js'

const doc = readFileSync(new URL('../docs/format.md', import.meta.url), 'utf8')

describe('docs/format.md', () => {
  it('lists the current catalog and finding codes (run `npx tsx scripts/docs.ts --write` if not)', () => {
    expect(doc).toBe(renderedFormatDoc())
  })

  it('annotates the real fixture: without its comments the example is director-then-client.json', () => {
    const block = /```jsonc\n([\s\S]*?)```/.exec(doc)?.[1] ?? ''
    expect(parse(block, [], { disallowComments: false })).toEqual(fixture('director-then-client.json'))
  })
})
