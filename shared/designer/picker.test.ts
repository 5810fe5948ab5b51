/**
 * The "…" picker's offer and the words the designer shows for values and conditions, on the seeds'
 * flow (b); and the constants and variables manager's commands.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Graph } from '../graph/graph.js'
import type { Reference } from '../graph/schema-parts.js'
import { fixture } from '../test/fixtures.js'
import { validate } from '../validate/validate.js'
import { setNodeValue } from './commands.js'
import { addDeclaration, changeDeclaration, removeDeclaration, usesOf } from './declarations.js'
import { folded } from './fold.js'
import {
  conditionText,
  type Part,
  partsOf,
  pickOptions,
  refLabel,
  rulesBefore,
  searchOptions,
  valueOfParts,
} from './picker.js'

const flowB = () => fixture('director-then-client.json') as unknown as Graph
const keys = (refs: Reference[]) => refs.map((r) => JSON.stringify(r))

describe('the "…" picker', () => {
  it('offers the outputs of rules that certainly ran before, and none to the first rule or a trigger', () => {
    const g = flowB()
    const outputs = (node: string) => pickOptions(g, node, 'any', ['output']).map((o) => o.ref)
    expect(outputs('create-contract')).toEqual([])
    expect(outputs('director-signed')).toEqual([])
    expect(keys(outputs('ask-director'))).toContain(
      JSON.stringify({ kind: 'output', node: 'create-contract', output: 'publicLink' }),
    )
    // A parallel rule waits for nobody: nothing before it is certain.
    setNodeValue(g, 'ask-director', ['execution'], 'parallel')
    expect(outputs('ask-director')).toEqual([])
    expect(rulesBefore(g, 'ask-director')).toEqual([])
  })

  it('filters by the type the slot takes: a user slot is offered users, never text', () => {
    const g = flowB()
    const users = pickOptions(g, 'ask-director', 'user')
    expect(users.map((o) => o.label)).toEqual(
      expect.arrayContaining(['Director (user)', 'Responsible person', "Responsible person's supervisor"]),
    )
    expect(users.every((o) => o.type === 'user')).toBe(true)
    // Text takes anything: constants of every type, the client's and my company's requisites.
    const text = pickOptions(g, 'ask-director', 'text')
    const groups = new Set(text.map((o) => o.group))
    for (const group of ['Constants', 'Earlier rules', 'Element', 'Client', "Client's requisites", 'My company'])
      expect(groups).toContain(group)
  })

  it('finds options by words of the label or group, accents and case ignored', () => {
    const g = flowB()
    const all = pickOptions(g, 'send-to-client', 'text')
    expect(searchOptions(all, 'my company bank').map((o) => o.label)).toContain('My company: bank account (IBAN)')
    expect(searchOptions(all, 'DIRECTOR').map((o) => o.label)).toEqual(
      expect.arrayContaining(['Director', 'Director (user)', 'Client requisites: director']),
    )
    expect(folded('Zażółć Iğdır Société')).toBe('zazolc igdir societe')
  })

  it('labels chips in words', () => {
    const g = flowB()
    expect(refLabel(g, { kind: 'constant', id: 'director' })).toBe('Director')
    expect(refLabel(g, { kind: 'field', path: 'client.name' })).toBe('Client: name')
    expect(refLabel(g, { kind: 'output', node: 'create-contract', output: 'publicLink' })).toMatch(
      /· Create the contract$/,
    )
    expect(refLabel(g, { kind: 'constant', id: 'gone' })).toBe('Constant "gone"')
  })

  it('stores text as a literal, one chip as the reference, a mix as a template; and reads them back', () => {
    const name: Reference = { kind: 'field', path: 'client.name' }
    expect(valueOfParts([])).toEqual({ kind: 'literal', value: '' })
    expect(valueOfParts(['Dear ', '', 'you'])).toEqual({ kind: 'literal', value: 'Dear you' })
    expect(valueOfParts([name])).toEqual(name)
    expect(valueOfParts(['Dear ', name, '!'])).toEqual({ kind: 'template', parts: ['Dear ', name, '!'] })
    const part = fc.oneof(
      fc.string({ maxLength: 5 }),
      fc.constantFrom<Reference>(name, { kind: 'constant', id: 'director' }),
    )
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), (parts: Part[]) => {
        const value = valueOfParts(parts)
        // Reading a value back and storing it again changes nothing.
        expect(valueOfParts(partsOf(value))).toEqual(value)
        const text = (ps: Part[]) => ps.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('')
        expect(text(partsOf(value))).toBe(text(parts))
      }),
    )
  })

  it('says a condition in words, groups in brackets', () => {
    const g = flowB()
    expect(
      conditionText(g, {
        match: 'all',
        items: [
          { left: { kind: 'field', path: 'amount' }, op: 'gt', values: [{ kind: 'literal', value: 5000 }] },
          {
            match: 'any',
            items: [
              { left: { kind: 'field', path: 'source' }, op: 'eq', values: [{ kind: 'literal', value: 'web' }] },
              { left: { kind: 'field', path: 'client.email' }, op: 'empty', values: [] },
            ],
          },
        ],
      }),
    ).toBe('Amount > 5000 and (Source = web or Client: email is empty)')
  })
})

describe('constants and variables', () => {
  it('adds with a fresh id, finds every use, and a deleted one in use is reported by the validator', () => {
    const g = flowB()
    expect(usesOf(g, 'constant', 'directorUser')).toEqual([
      { nodeId: 'ask-director', title: 'Ask the director to sign', path: '/pipeline/stages/1/rules/1/settings/to/0' },
    ])
    const id = addDeclaration(g, 'constant', 'Director', 'text')
    expect(id).not.toBe('director')
    expect(g.constants.find((c) => c.id === id)).toEqual({ id, name: 'Director', type: 'text', value: '' })
    const v = addDeclaration(g, 'variable', 'Deal total', 'money')
    expect(g.variables).toEqual([{ id: v, name: 'Deal total', type: 'money', default: 0 }])
    changeDeclaration(g, 'variable', v, { type: 'date' })
    expect(g.variables[0]).toEqual({ id: v, name: 'Deal total', type: 'date' })
    changeDeclaration(g, 'constant', id, { value: 'Jan Nowak', description: 'Signs contracts' })
    expect(g.constants.find((c) => c.id === id)).toMatchObject({ value: 'Jan Nowak', description: 'Signs contracts' })
    expect(validate(g).valid).toBe(true)

    removeDeclaration(g, 'constant', 'directorUser')
    const finding = validate(g).findings.find((f) => f.code === 'unknown-constant')
    expect(finding?.path).toBe('/pipeline/stages/1/rules/1/settings/to/0/id')
  })

  it('mints ids a formula can name, and finds the formulas that name them', () => {
    const g = flowB()
    const vat = addDeclaration(g, 'constant', 'VAT rate', 'number')
    expect(vat).toBe('VAT_rate')
    expect(addDeclaration(g, 'constant', 'VAT rate', 'number')).toBe('VAT_rate_2')
    g.pipeline.stages[0]?.rules.push({
      id: 'gross',
      type: 'calculate',
      title: 'Gross',
      execution: 'afterPrevious',
      time: { mode: 'immediately' },
      settings: { formula: 'element.amount * (1 + constants.VAT_rate)', resultType: 'number' },
    } as never)
    expect(usesOf(g, 'constant', vat).map((u) => u.path)).toEqual(['/pipeline/stages/0/rules/0/settings/formula'])
    // A longer name that starts the same is another constant.
    expect(usesOf(g, 'constant', 'VAT')).toEqual([])
    expect(validate(g).findings.filter((f) => f.severity === 'error')).toEqual([])
  })

  it('finds a variable written by "Set variable" by its id', () => {
    const g = flowB()
    const v = addDeclaration(g, 'variable', 'Stage', 'text')
    const stage = g.pipeline.stages[0]
    stage?.rules.push({
      id: 'set-it',
      type: 'setVariable',
      title: 'Remember',
      execution: 'afterPrevious',
      time: { mode: 'immediately' },
      settings: { variable: v, value: { kind: 'literal', value: 'x' } },
    } as never)
    expect(usesOf(g, 'variable', v).map((u) => u.path)).toEqual(['/pipeline/stages/0/rules/0/settings/variable'])
  })
})
