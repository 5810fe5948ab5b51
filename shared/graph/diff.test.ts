import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fixture, fixtureNames } from '../test/fixtures.js'
import { canonicalJson, diffGraphs } from './diff.js'
import type { Graph } from './graph.js'

const invoice = () => fixture('invoice-signing.json') as unknown as Graph
const stage = (g: Graph, id: string) => {
  const found = g.pipeline.stages.find((s) => s.id === id)
  if (!found) throw new Error(`no stage ${id}`)
  return found
}
/** The same JSON with keys in reverse order at every level. */
const reversed = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(reversed)
    : v !== null && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .reverse()
            .map((k) => [k, reversed((v as Record<string, unknown>)[k])]),
        )
      : v
const NOTHING = { added: [], removed: [], changed: [], other: [] }

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps the order of lists', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}',
    )
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]))
    expect(canonicalJson('x')).toBe('"x"')
    for (const name of fixtureNames) {
      const graph = fixture(name)
      expect(canonicalJson(reversed(graph)), name).toBe(canonicalJson(graph))
    }
  })
})

describe('diffGraphs', () => {
  it('finds nothing between a graph and itself, whatever the key order or $schema', () => {
    for (const name of fixtureNames) {
      const graph = fixture(name) as unknown as Graph
      expect(diffGraphs(graph, graph), name).toEqual(NOTHING)
      const { $schema: _schema, ...without } = reversed(graph) as Graph
      expect(diffGraphs(graph, without as Graph), name).toEqual(NOTHING)
    }
  })

  it('names rules and triggers added, removed and changed, and the stages whose order of nodes changed', () => {
    const before = invoice()
    const after = invoice()
    const sendInvoice = stage(after, 'invoice').rules[0]
    if (!sendInvoice) throw new Error('no rule')
    sendInvoice.title = 'Send the invoice now'
    stage(after, 'invoice').rules.push({ ...structuredClone(sendInvoice), id: 'send-copy' })
    stage(after, 'signed').triggers = []
    expect(diffGraphs(before, after)).toEqual({
      added: [{ kind: 'rule', id: 'send-copy', stage: 'invoice' }],
      removed: [{ kind: 'trigger', id: 'all-signed', stage: 'signed' }],
      changed: [
        { kind: 'stage', id: 'invoice', stage: 'invoice' },
        { kind: 'rule', id: 'send-invoice', stage: 'invoice' },
        { kind: 'stage', id: 'signed', stage: 'signed' },
      ],
      other: [],
    })
    // The other way round, added and removed swap.
    const back = diffGraphs(after, before)
    expect(back.added).toEqual([{ kind: 'trigger', id: 'all-signed', stage: 'signed' }])
    expect(back.removed).toEqual([{ kind: 'rule', id: 'send-copy', stage: 'invoice' }])
  })

  it('says where a node moved from, and names other top-level parts that differ', () => {
    const before = invoice()
    const after = invoice()
    const [rule] = stage(after, 'invoice').rules.splice(0, 1)
    if (!rule) throw new Error('no rule')
    stage(after, 'new').rules.push(rule)
    after.pipeline.stages.reverse()
    after.flow.name = 'Invoices'
    after.constants = []
    const diff = diffGraphs(before, after)
    expect(diff.added).toEqual([])
    expect(diff.removed).toEqual([])
    expect(diff.changed).toEqual(
      expect.arrayContaining([
        { kind: 'rule', id: 'send-invoice', stage: 'new', fromStage: 'invoice' },
        { kind: 'stage', id: 'new', stage: 'new' },
        { kind: 'stage', id: 'invoice', stage: 'invoice' },
      ]),
    )
    expect(diff.changed).toHaveLength(3)
    expect(diff.other.sort()).toEqual(['constants', 'flow', 'pipeline'])
  })

  it('imports nothing but other shared modules, so the browser can run it', () => {
    const source = readFileSync(new URL('./diff.ts', import.meta.url), 'utf8')
    const imports = [...source.matchAll(/^import\s.*?from\s+'([^']+)'/gms)].map((m) => m[1])
    expect(imports).toEqual(['./graph.js'])
  })
})
