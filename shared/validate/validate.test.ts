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

describe('validate, edge cases found in review', () => {
  const rule = (over: Record<string, unknown>) => ({
    id: 'r-x',
    type: 'sendSms',
    title: 'Text the client',
    execution: 'afterPrevious',
    time: { mode: 'immediately' },
    settings: { to: { kind: 'field', path: 'client.phone' }, text: { kind: 'literal', value: 'Hi' } },
    ...over,
  })
  const trigger = (id: string, over: Record<string, unknown>) => ({
    id,
    type: 'responsibleChanged',
    title: id,
    changeStageAs: { mode: 'responsible' },
    allowReturn: false,
    settings: {},
    ...over,
  })

  it('reports a rule without a type once, not once per rule type', () => {
    const g = deal()
    delete g.pipeline.stages[1].rules[0].type
    expect(validate(g).findings.map((f) => `${f.code} ${f.path}`)).toEqual([
      'schema-required /pipeline/stages/1/rules/0/type',
    ])
  })

  it('stays bounded when thousands of triggers compete', () => {
    const g = deal()
    for (const stage of g.pipeline.stages) {
      stage.triggers = Array.from({ length: 500 }, (_, i) => trigger(`${stage.id}-t${i}`, {}))
    }
    const result = validate(g)
    expect(result.findings.length).toBeLessThanOrEqual(501)
    expect(result.findings[0]?.code).toBe('triggers-compete')
  })

  it('does not call two webhook triggers competitors: each has its own URL', () => {
    const g = deal()
    g.pipeline.stages[1].triggers.push(trigger('hook-a', { type: 'webhook' }))
    g.pipeline.stages[2].triggers.push(trigger('hook-b', { type: 'webhook' }))
    expect(validate(g).findings).toEqual([])
  })

  it('reports an unknown constant in a "field changed to" value once', () => {
    const g = deal()
    g.pipeline.stages[2].triggers.push(
      trigger('changed', {
        type: 'fieldChanged',
        settings: { fields: ['title', 'comments'], to: { kind: 'constant', id: 'nope' } },
      }),
    )
    expect(validate(g).findings.map((f) => f.code)).toEqual(['unknown-constant'])
  })

  it('refuses a list where one value goes, and names the bad item of a list', () => {
    const g = deal()
    g.pipeline.stages[1].rules.push(
      rule({
        settings: { to: { kind: 'literal', value: ['+48 1', '+48 2'] }, text: { kind: 'literal', value: 'Hi' } },
      }),
    )
    g.constants.push({ id: 'limits', name: 'Limits', type: 'number', multiple: true, value: [1, 'two'] })
    const f = validate(g).findings.map((x) => `${x.code} ${x.path}`)
    expect(f).toContain('type-mismatch /pipeline/stages/1/rules/1/settings/to/value')
    expect(f).toContain('type-mismatch /constants/1/value/1')
  })

  it('treats a value of spaces as empty', () => {
    const g = deal()
    g.pipeline.stages[1].rules.push(
      rule({ settings: { to: { kind: 'field', path: 'client.phone' }, text: { kind: 'literal', value: '   ' } } }),
    )
    expect(validate(g).findings).toEqual([
      expect.objectContaining({ code: 'setting-empty', path: '/pipeline/stages/1/rules/1/settings/text' }),
    ])
  })

  it('names the empty item of a list', () => {
    const g = deal()
    g.pipeline.stages[1].rules.push({
      id: 'task',
      type: 'createTask',
      title: 'Call',
      execution: 'afterPrevious',
      time: { mode: 'immediately' },
      settings: {
        title: { kind: 'literal', value: 'Call' },
        responsible: { kind: 'field', path: 'responsible' },
        checklist: ['ok', ''],
      },
    })
    expect(validate(g).findings[0]?.message).toBe('"Call" needs item 2 of "checklist", which is empty.')
  })

  it('wants a user when a trigger changes the stage as a named user', () => {
    const g = deal()
    g.pipeline.stages[2].triggers[0].changeStageAs = { mode: 'user', user: ' ' }
    expect(validate(g).findings).toEqual([
      expect.objectContaining({ code: 'setting-empty', path: '/pipeline/stages/2/triggers/0/changeStageAs/user' }),
    ])
  })

  it('lets "contains" look into a multi-value field', () => {
    const g = deal()
    g.fields.push(
      { id: 'tags', label: 'Tags', type: 'text', multiple: true },
      { id: 'approvers', label: 'Approvers', type: 'user', multiple: true },
    )
    g.pipeline.stages[1].rules[0].condition = {
      match: 'all',
      items: [
        {
          left: { kind: 'field', path: 'custom.approvers' },
          op: 'contains',
          values: [{ kind: 'field', path: 'responsible' }],
        },
        { left: { kind: 'field', path: 'custom.tags' }, op: 'contains', values: [{ kind: 'literal', value: 'vip' }] },
        { left: { kind: 'field', path: 'amount' }, op: 'in', values: [{ kind: 'literal', value: [100, 200] }] },
      ],
    }
    expect(validate(g).findings).toEqual([])
    g.pipeline.stages[1].rules[0].condition.items[0].op = 'gt'
    expect(validate(g).findings.map((f) => f.code)).toEqual(['operator-not-applicable'])
  })

  it('checks that a formula gives the declared result type', () => {
    const g = fixture('large-deals-only.json') as any
    g.pipeline.stages[1].rules[3].settings.formula = '"net"'
    const f = validate(g).findings
    expect(f).toEqual([expect.objectContaining({ code: 'formula-invalid' })])
    expect(f[0]?.message).toContain('gives a string, but the result type is money')
  })

  it('sees a loop through the responsible person', () => {
    const g = deal()
    g.pipeline.stages[1].rules.push({
      id: 'reassign',
      type: 'modifyFields',
      title: 'Give it to the boss',
      execution: 'afterPrevious',
      time: { mode: 'immediately' },
      settings: { values: [{ field: 'responsible', value: { kind: 'literal', value: 'u-boss' }, mode: 'set' }] },
    })
    g.pipeline.stages[2].triggers.push(trigger('boss-took-it', {}))
    g.pipeline.stages[2].rules.push({
      id: 'back',
      type: 'changeStage',
      title: 'Back to invoice',
      execution: 'afterPrevious',
      time: { mode: 'immediately' },
      settings: { stage: 'invoice', changeAs: { mode: 'responsible' } },
    })
    expect(validate(g).findings).toContainEqual(
      expect.objectContaining({ code: 'possible-loop', path: '/pipeline/stages/1' }),
    )
  })

  it('explains why a parallel rule cannot use the output just before it', () => {
    const g = fixture('delivery-courier.json') as any
    g.pipeline.stages[1].rules[1].execution = 'parallel'
    const f = validate(g).findings[0]
    expect(f?.message).toContain('this rule runs in parallel, at stage entry')
    expect(f?.hint).toBe('Set this rule to "after the previous rule".')
  })
})

describe('validate, when one part of a node is broken', () => {
  it('still checks the other parts of that node', () => {
    const g = fixture('large-deals-only.json') as any
    const offer = g.pipeline.stages[1].rules[0]
    offer.time = { mode: 'delay', delay: { amount: 1, unit: 'day' } } // schema error in /time
    offer.condition.items[0].left.path = 'ammount' // semantic error in /condition
    offer.settings.template = '' // semantic error in /settings
    const errors = validate(g).findings.filter((f) => f.severity === 'error')
    expect(errors.map((f) => `${f.code} ${f.path}`)).toEqual([
      'schema-enum /pipeline/stages/1/rules/0/time/delay/unit',
      'unknown-field /pipeline/stages/1/rules/0/condition/items/0/left/path',
      'setting-empty /pipeline/stages/1/rules/0/settings/template',
    ])
  })
})
