import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type ConditionGroup,
  exportGraph,
  type Graph,
  importGraph,
  parseJson,
  RULE_TYPES,
  ruleCatalog,
  TRIGGER_TYPES,
  triggerCatalog,
  validate,
  withSchemaHint,
} from '../index.js'
import { fixture, fixtureNames, fixtureText } from '../test/fixtures.js'

const id = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/)
const text = fc.string({ unit: 'grapheme', maxLength: 30 })
const color = fc.stringMatching(/^#[0-9a-f]{6}$/)

const fieldRef = fc.constantFrom('amount', 'title', 'closeDate', 'client.name', 'responsible').map((path) => ({
  kind: 'field' as const,
  path,
}))
const literal = fc
  .oneof(text, fc.integer({ min: -1e9, max: 1e9 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean())
  .filter((v) => !Object.is(v, -0))
  .map((value) => ({ kind: 'literal' as const, value }))
const value = fc.oneof(
  literal,
  fieldRef,
  fc.record({ kind: fc.constant('template' as const), parts: fc.array(fc.oneof(text, fieldRef), { maxLength: 4 }) }),
)

const { condition } = fc.letrec<{ condition: ConditionGroup; item: unknown }>((tie) => ({
  condition: fc.record({
    match: fc.constantFrom('all' as const, 'any' as const),
    items: fc.array(tie('item'), { maxLength: 3 }),
  }) as fc.Arbitrary<ConditionGroup>,
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      left: fieldRef,
      op: fc.constantFrom('eq', 'ne', 'gt', 'empty', 'in', 'between'),
      values: fc.array(value, { maxLength: 2 }),
    }),
    tie('condition'),
  ),
}))

const time = fc.oneof(
  fc.record({ mode: fc.constant('immediately') }),
  fc.record(
    {
      mode: fc.constant('delay'),
      delay: fc.record({ amount: fc.nat(1000), unit: fc.constantFrom('minutes', 'hours', 'days', 'workDays') }),
      workingHours: fc.constantFrom('company', 'responsible'),
    },
    { requiredKeys: ['mode', 'delay'] },
  ),
  fc.record({
    mode: fc.constant('relative'),
    field: fc.constant('closeDate'),
    offset: fc.record({ amount: fc.integer({ min: -30, max: 30 }), unit: fc.constantFrom('hours', 'days') }),
  }),
)

const rule = fc
  .record(
    {
      id,
      type: fc.constantFrom(...RULE_TYPES),
      title: text,
      execution: fc.constantFrom('afterPrevious', 'parallel'),
      time,
      condition,
      disabled: fc.boolean(),
    },
    { requiredKeys: ['id', 'type', 'title', 'execution', 'time'] },
  )
  .map((r) => ({ ...r, settings: structuredClone(ruleCatalog[r.type].defaults) }))

const trigger = fc
  .record(
    {
      id,
      type: fc.constantFrom(...TRIGGER_TYPES),
      title: text,
      condition,
      changeStageAs: fc.oneof(
        fc.constant({ mode: 'responsible' }),
        id.map((user) => ({ mode: 'user', user })),
      ),
      allowReturn: fc.boolean(),
    },
    { requiredKeys: ['id', 'type', 'title', 'changeStageAs', 'allowReturn'] },
  )
  .map((t) => ({ ...t, settings: structuredClone(triggerCatalog[t.type].defaults) }))

const stage = fc.record({
  id,
  name: text,
  color,
  kind: fc.constantFrom('inProgress', 'success', 'failure'),
  triggers: fc.array(trigger, { maxLength: 3 }),
  rules: fc.array(rule, { maxLength: 4 }),
})

/** Graphs that pass the JSON Schema (semantic findings, e.g. empty settings, are allowed). */
const graph = fc.record(
  {
    formatVersion: fc.constant(1),
    flow: fc.record({ id, name: text, description: text }, { requiredKeys: ['id', 'name'] }),
    elementType: fc.constantFrom('deal', 'lead', 'contact', 'signingDocument'),
    pipeline: fc.record({ id, name: text, stages: fc.array(stage, { minLength: 1, maxLength: 5 }) }),
    constants: fc.array(fc.record({ id, name: text, type: fc.constant('number'), value: fc.integer() }), {
      maxLength: 3,
    }),
    variables: fc.array(fc.record({ id, name: text, type: fc.constant('text'), default: text }), { maxLength: 3 }),
    fields: fc.array(
      fc.record({ id: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), label: text, type: fc.constant('date') }),
      {
        maxLength: 2,
      },
    ),
    designer: fc.record({ viewport: fc.record({ x: fc.integer(), y: fc.integer(), zoom: fc.constant(1) }) }),
  },
  { requiredKeys: ['formatVersion', 'flow', 'elementType', 'pipeline', 'constants', 'variables', 'fields'] },
) as unknown as fc.Arbitrary<Graph>

const schemaCodes = (g: unknown) => validate(g).findings.filter((f) => f.code.startsWith('schema-'))

describe('export and import', () => {
  it('generates only schema-valid graphs (so the round trip below tests real graphs)', () => {
    fc.assert(
      fc.property(graph, (g) => {
        expect(schemaCodes(g)).toEqual([])
      }),
      { numRuns: 150 },
    )
  })

  it('is lossless for every valid graph the generator makes', () => {
    fc.assert(
      fc.property(graph, (g) => {
        const text = exportGraph(g)
        const imported = importGraph(text)
        expect(imported.graph).toEqual(g)
        expect(exportGraph(imported.graph as Graph)).toBe(text)
      }),
      { numRuns: 150 },
    )
  })

  it.each(fixtureNames)('round-trips the fixture %s byte for byte', (name) => {
    const imported = importGraph(fixtureText(name))
    expect(imported.graph).toEqual(fixture(name))
    expect(JSON.parse(exportGraph(imported.graph as Graph))).toEqual(fixture(name))
  })

  it('puts the $schema hint first for editors', () => {
    const g = withSchemaHint(fixture('invoice-signing.json') as unknown as Graph)
    expect(Object.keys(g)[0]).toBe('$schema')
    expect(validate(g).valid).toBe(true)
  })

  it('reports a JSON syntax error with its line and column', () => {
    const result = importGraph('{\n  "formatVersion": 1,\n  "flow": { "id": "x", }\n}')
    expect(result.syntaxError).toMatchObject({ line: 3, column: 24 })
    expect(result.findings[0]?.code).toBe('not-json')
    expect(result.findings[0]?.message).toContain('line 3, column 24')
  })

  it('finds the position of errors V8 reports without one', () => {
    expect(parseJson('{\n  "a": tru\n}')).toMatchObject({ ok: false, error: { line: 2, column: 8 } })
    expect(parseJson('')).toMatchObject({ ok: false, error: { line: 1, column: 1 } })
    expect(parseJson('{"a": 1} x')).toMatchObject({ ok: false, error: { line: 1, column: 10 } })
    const parsed = parseJson('{"a": "secret value"')
    expect(parsed.ok).toBe(false)
    // the reason names the problem, not a copy of the user's text
    if (!parsed.ok) expect(parsed.error.message).not.toContain('secret')
  })

  it('places an unexpected end of text at the end', () => {
    const parsed = parseJson('{\n  "a": [1, 2')
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.error.line).toBe(2)
  })
})

describe('validate on hostile input', () => {
  it('never throws and never fails internally on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (json) => {
        const result = validate(json)
        expect(result.findings.filter((f) => f.code === 'internal-error').map((f) => f.message)).toEqual([])
        expect(result.valid).toBe(false)
      }),
      { numRuns: 300 },
    )
  })

  it('never fails internally when any part of a real graph is replaced by arbitrary JSON', () => {
    const paths = (node: unknown, at: string[] = []): string[][] =>
      typeof node === 'object' && node !== null
        ? [at, ...Object.entries(node).flatMap(([k, v]) => paths(v, [...at, k]))]
        : [at]
    const bases = fixtureNames.map((n) => fixture(n))
    const mutated = fc
      .record({
        base: fc.constantFrom(...bases),
        pick: fc.nat(),
        replacement: fc.jsonValue({ maxDepth: 3 }),
      })
      .map(({ base, pick, replacement }) => {
        const copy = structuredClone(base)
        const all = paths(copy).filter((p) => p.length > 0)
        const path = all[pick % all.length] ?? []
        let node: any = copy
        for (const key of path.slice(0, -1)) node = node[key]
        node[path.at(-1) as string] = replacement
        return copy
      })
    fc.assert(
      fc.property(mutated, (g) => {
        const internal = validate(g).findings.filter((f) => f.code === 'internal-error')
        expect(internal.map((f) => f.message)).toEqual([])
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    )
  }, 600_000)

  it('refuses a list longer than any graph needs before looking into it', () => {
    const g = fixture('invoice-signing.json') as any
    g.pipeline.stages[0].rules = Array.from({ length: 1_000_000 }, () => ({ nope: true }))
    expect(validate(g).findings).toEqual([
      expect.objectContaining({ code: 'graph-too-large', path: '/pipeline/stages/0/rules' }),
    ])
  })

  it('survives a long list of broken nodes with a bounded list of findings', () => {
    const g = fixture('invoice-signing.json') as any
    g.pipeline.stages[0].rules = Array.from({ length: 2000 }, () => ({ nope: true }))
    const result = validate(g)
    expect(result.valid).toBe(false)
    expect(result.findings.length).toBe(501)
  })

  it('treats __proto__ and constructor keys as data and pollutes no prototype', () => {
    const text = fixtureText('invoice-signing.json').replace(
      '"formatVersion": 1,',
      '"formatVersion": 1, "__proto__": { "polluted": true }, "constructor": { "prototype": { "polluted": true } },',
    )
    const inStage = text.replace('"kind": "inProgress",', '"kind": "inProgress", "__proto__": { "isAdmin": true },')
    for (const t of [text, inStage]) {
      const result = importGraph(t)
      expect(result.findings.map((f) => f.code)).toContain('schema-unknown-property')
      expect(result.findings.map((f) => f.path)).toContain(t === text ? '/__proto__' : '/pipeline/stages/0/__proto__')
    }
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (json) => {
        const withProto = JSON.parse(`{"__proto__": ${JSON.stringify(json)}, "formatVersion": 1}`)
        validate(withProto)
      }),
      { numRuns: 100 },
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })
})
