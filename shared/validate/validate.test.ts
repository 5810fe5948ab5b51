import { describe, expect, it } from 'vitest'
import { FINDING_CODES, validate } from '../index.js'
import { brokenCases, brokenText, fixture, fixtureNames } from '../test/fixtures.js'

const deal = () => fixture('invoice-signing.json') as any

describe('validate', () => {
  it.each(fixtureNames)('accepts the seed flow %s without a single finding', (name) => {
    const result = validate(fixture(name))
    expect(result.findings).toEqual([])
    expect(result.valid).toBe(true)
    expect(result.graph?.formatVersion).toBe(1)
  })

  it('has at least one broken fixture for every semantic check named by the foundation issue', () => {
    const codes = new Set(brokenCases.map((c) => c.code))
    for (const code of [
      'dangling-stage',
      'duplicate-id',
      'unknown-constant',
      'unknown-variable',
      'unknown-field',
      'unknown-output',
      'output-not-before',
      'type-mismatch',
      'date-offset-on-non-date',
      'node-not-allowed',
      'setting-empty',
      'stage-unreachable',
      'triggers-compete',
      'possible-loop',
    ]) {
      expect(codes, code).toContain(code)
    }
  })

  it.each(brokenCases.map((c) => [c.file, c] as const))('flags %s at the right path', (_file, c) => {
    const result = validate(JSON.parse(brokenText(c.file)))
    const hit = result.findings.find((f) => f.code === c.code && f.path === c.path)
    expect(hit, JSON.stringify(result.findings, null, 2)).toBeDefined()
    expect(hit?.severity).toBe(c.severity)
    expect(result.valid).toBe(c.severity === 'warning' && result.findings.every((f) => f.severity === 'warning'))
  })

  it('gives every finding a known code, a JSON Pointer, a message and a hint', () => {
    for (const c of brokenCases) {
      for (const f of validate(JSON.parse(brokenText(c.file))).findings) {
        expect(Object.keys(FINDING_CODES)).toContain(f.code)
        expect(f.path === '' || f.path.startsWith('/')).toBe(true)
        expect(f.message.length).toBeGreaterThan(10)
        expect(f.hint.length).toBeGreaterThan(5)
      }
    }
  })

  it('returns all findings at once, schema and semantic, instead of stopping at the first', () => {
    const g = deal()
    g.pipeline.stages[0].color = 'blue' // schema
    g.pipeline.stages[1].rules[0].settings.companySigner = { kind: 'constant', id: 'ceo' } // semantic
    g.pipeline.stages[2].triggers[0].settings.documentType = 'invoce' // schema, in a node
    const codes = validate(g).findings.map((f) => `${f.code} ${f.path}`)
    expect(codes).toContain('schema-pattern /pipeline/stages/0/color')
    expect(codes).toContain('unknown-constant /pipeline/stages/1/rules/0/settings/companySigner/id')
    expect(codes).toContain('schema-enum /pipeline/stages/2/triggers/0/settings/documentType')
  })

  it('suggests the closest name for a typo', () => {
    const g = deal()
    g.pipeline.stages[2].triggers[0].settings.documentType = 'invoce'
    const f = validate(g).findings.find((x) => x.code === 'schema-enum')
    expect(f?.hint).toContain('Did you mean "invoice"?')
  })

  it('says which list a trigger belongs in when it stands among the rules', () => {
    const g = deal()
    g.pipeline.stages[1].rules[0].type = 'signedByClient'
    const f = validate(g).findings.find((x) => x.path === '/pipeline/stages/1/rules/0/type')
    expect(f?.code).toBe('node-kind-mismatch')
    expect(f?.hint).toContain('"triggers"')
  })

  it('reports a missing property at its own path', () => {
    const g = deal()
    delete g.pipeline.stages[1].rules[0].settings.channel
    const f = validate(g).findings
    expect(f).toContainEqual(
      expect.objectContaining({ code: 'schema-required', path: '/pipeline/stages/1/rules/0/settings/channel' }),
    )
  })

  it('refuses a graph from a newer Signflow with one clear finding', () => {
    const result = validate({ ...deal(), formatVersion: 7 })
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0]).toMatchObject({ code: 'format-version-unsupported', path: '/formatVersion' })
    expect(result.findings[0]?.message).toContain('version 7')
  })

  it('tells apart a missing and a malformed formatVersion', () => {
    const { formatVersion: _, ...rest } = deal()
    expect(validate(rest).findings[0]?.code).toBe('format-version-missing')
    expect(validate({ ...deal(), formatVersion: '1' }).findings[0]?.code).toBe('format-version-invalid')
    expect(validate([]).findings[0]?.code).toBe('not-an-object')
  })

  it('checks values against the type of the field a "modify fields" row writes', () => {
    const g = deal()
    g.pipeline.stages[1].rules.push({
      id: 'set-close',
      type: 'modifyFields',
      title: 'Set the close date',
      execution: 'afterPrevious',
      time: { mode: 'immediately' },
      settings: { values: [{ field: 'closeDate', value: { kind: 'literal', value: 'next week' }, mode: 'set' }] },
    })
    const f = validate(g).findings
    expect(f).toContainEqual(
      expect.objectContaining({
        code: 'type-mismatch',
        path: '/pipeline/stages/1/rules/1/settings/values/0/value/value',
      }),
    )
  })

  it('warns when a PDF is attached from a rule that does not wait for it', () => {
    const g = fixture('large-deals-only.json') as any
    g.pipeline.stages[1].rules[0].settings.waitForPdf = false
    const f = validate(g).findings
    expect(f).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'pdf-not-awaited',
        path: '/pipeline/stages/1/rules/1/settings/attachments/0',
      }),
    ])
  })

  it('does not resolve ids through the prototype chain', () => {
    const g = deal()
    g.constants.push({ id: 'constructor', name: 'Odd but legal', type: 'text', value: 'x' })
    g.pipeline.stages[1].rules[0].settings.companySigner = { kind: 'constant', id: 'toString' }
    const f = validate(g).findings
    expect(f).toEqual([expect.objectContaining({ code: 'unknown-constant' })])
  })

  it('keeps checking the healthy nodes when one node is schema-invalid', () => {
    const g = fixture('director-then-client.json') as any
    g.pipeline.stages[1].rules[0].settings.waitForPdf = 'yes' // schema error in create-contract
    g.pipeline.stages[2].rules[0].settings.document = { kind: 'variable', id: 'missing' } // semantic elsewhere
    const f = validate(g).findings.map((x) => x.code)
    expect(f).toContain('schema-type')
    expect(f).toContain('unknown-variable')
    // ask-director uses outputs of the broken node: no second, misleading finding about them
    expect(f).not.toContain('unknown-node')
    expect(f).not.toContain('unknown-output')
  })

  it('rejects a document nested deeper than any graph', () => {
    let deep: unknown = 'x'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    const result = validate({ ...deal(), designer: deep })
    expect(result.findings.map((f) => f.code)).toEqual(['graph-too-deep'])
  })

  it('caps the number of findings on a huge broken graph', () => {
    const g = deal()
    g.constants = Array.from({ length: 3000 }, (_, i) => ({ id: `c${i}`, name: 'n', type: 'number', value: 'nan' }))
    const result = validate(g)
    expect(result.findings.length).toBe(501)
    expect(result.findings.at(-1)?.code).toBe('too-many-findings')
  })
})
