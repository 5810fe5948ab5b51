/**
 * Validation findings speak every language: every code (and each of its wordings) has a message and a
 * hint in all five; said in English from the catalog, real findings — of the broken fixtures and of a
 * corpus of graphs broken in every way the validator words differently — read exactly as the validator
 * wrote them (so the templates cannot drift from it); said in another language, nothing is left over.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { importGraph } from '../../../shared/graph/io.js'
import { upgradeGraph } from '../../../shared/graph/migrate.js'
import { LANGUAGES } from '../../../shared/i18n/languages.js'
import { brokenCases, brokenText, fixture } from '../../../shared/test/fixtures.js'
import { FINDING_CODES, FINDING_VARIANTS, type Finding, type FindingCode } from '../../../shared/validate/finding.js'
import { validate } from '../../../shared/validate/validate.js'
import { findingHint, findingKey, findingMessage, findingVariant, setFieldLabels } from './finding-text.js'
import { catalogs, i18n } from './index.js'

// Test graphs are edited freely.
type G = any
const copy = (name: string): G => structuredClone(fixture(name))
const rule = (id: string, type: string, settings: object, extra: object = {}) => ({
  id,
  type,
  title: id,
  execution: 'afterPrevious',
  time: { mode: 'immediately' },
  settings,
  ...extra,
})
const trigger = (id: string, type: string, settings: object = {}, extra: object = {}) => ({
  id,
  type,
  title: id,
  allowReturn: false,
  changeStageAs: { mode: 'responsible' },
  settings,
  ...extra,
})
const text = (value: string) => ({ kind: 'literal', value })
const output = (node: string, name: string) => ({ kind: 'output', node, output: name })
const row = (op: string, values: unknown[]) => ({ left: { kind: 'field', path: 'amount' }, op, values })
const sms = (id: string, to: unknown, extra: object = {}) => rule(id, 'sendSms', { to, text: text('Hi') }, extra)

/** Graphs broken in every way the validator words differently (each a function of fresh fixtures). */
const CORPUS: Record<string, () => unknown> = {
  'missing property': () => {
    const g = copy('invoice-signing.json')
    delete g.pipeline.stages[1].rules[0].settings.channel
    return g
  },
  'unknown property with a close name': () => {
    const g = copy('invoice-signing.json')
    g.pipeline.stages[1].rules[0].settings.chanel = 'email'
    return g
  },
  'unknown property where none is allowed': () => {
    const g = copy('invoice-signing.json')
    g.pipeline.stages[2].triggers.push(trigger('hook', 'webhook', { secret: 'x' }))
    return g
  },
  'wrong JSON types': () => {
    const g = copy('invoice-signing.json')
    g.pipeline.stages[1].rules[0].settings.oneTimeCode = 'yes'
    g.pipeline.stages[1].rules[0].settings.remindEveryDays = 99
    g.pipeline.stages[1].rules[0].settings.companySigner = { kind: 'literal', value: { a: 1 } }
    g.pipeline.stages[2].triggers[0].settings.documentType = 'invoce'
    g.pipeline.stages[0].color = 'blue'
    g.pipeline.stages[0].name = 'x'.repeat(300)
    return g
  },
  'ids of the wrong form': () => {
    const g = copy('invoice-signing.json')
    g.fields.push({ id: 'a-b', label: 'A', type: 'text' })
    g.pipeline.stages[1].rules[0].id = '1st'
    return g
  },
  'too few and too many items': () => {
    const g = copy('large-deals-only.json')
    g.pipeline.stages[1].rules[2].settings.checklist = Array.from({ length: 101 }, () => 'x')
    g.pipeline.stages[1].rules[0].settings.fields = [{ name: '', value: text('x') }]
    return g
  },
  'no stages': () => {
    const g = copy('invoice-signing.json')
    g.pipeline.stages = []
    return g
  },
  'a trigger among the rules, a rule among the triggers, unknown types': () => {
    const g = copy('director-then-client.json')
    g.pipeline.stages[1].rules[0].type = 'signedByClient'
    g.pipeline.stages[2].triggers[0].type = 'sendEmail'
    g.pipeline.stages[2].rules[0].type = 'sendEmial'
    g.pipeline.stages[3].triggers[0].type = 'signedByClinet'
    return g
  },
  'too deep': () => {
    let deep: unknown = 1
    for (let i = 0; i < 70; i++) deep = [deep]
    return { formatVersion: 1, deep }
  },
  'too long a list': () => ({ formatVersion: 1, list: Array.from({ length: 10_001 }, () => ({})) }),
  'too many findings': () => {
    const g = copy('invoice-signing.json')
    g.constants = Array.from({ length: 600 }, (_, i) => ({ id: `c${i}`, name: 'n', type: 'number', value: 'nan' }))
    return g
  },
  'duplicate ids of every kind': () => {
    const g = copy('large-deals-only.json')
    g.constants.push({ ...g.constants[0] })
    g.variables.push({ ...g.variables[0] })
    g.fields.push({ id: 'x', label: 'X', type: 'text' }, { id: 'x', label: 'X2', type: 'text' })
    g.pipeline.stages.push({ ...g.pipeline.stages[3], rules: [], triggers: [] })
    g.pipeline.stages[1].rules[3].id = 'mail-offer'
    return g
  },
  'declared values of the wrong type': () => {
    const g = copy('large-deals-only.json')
    g.constants.push({ id: 'one', name: 'One', type: 'number', value: [1, 2] })
    g.constants.push({ id: 'when', name: 'When', type: 'date', value: 'tomorrow' })
    return g
  },
  'values of the wrong type in settings': () => {
    const g = copy('director-then-client.json')
    const rules = g.pipeline.stages[1].rules
    rules.push(rule('notify-list', 'addNotification', { to: [{ kind: 'constant', id: 'director' }], text: text('x') }))
    rules.push(
      rule('notify-template', 'addNotification', {
        to: [{ kind: 'template', parts: ['u-', { kind: 'field', path: 'title' }] }],
        text: text('x'),
      }),
    )
    rules.push(sms('sms-list', { kind: 'literal', value: ['a', 'b'] }))
    rules.push(sms('sms-one', { kind: 'literal', value: ['a'] }))
    rules.push(sms('sms-at', text('+48 600'), { time: { mode: 'at', at: text('tomorrow') } }))
    return g
  },
  'calculate into a variable of another type, append to one value, field changed to the wrong type': () => {
    const g = copy('large-deals-only.json')
    g.pipeline.stages[1].rules[3].settings.variable = 'offerValidUntil'
    g.pipeline.stages[1].rules.push(
      rule('fields', 'modifyFields', {
        values: [
          { field: 'title', value: text('x'), mode: 'append' },
          { field: 'id', value: text('x'), mode: 'set' },
          { field: 'stage', value: text('x'), mode: 'set' },
          { field: 'myCompany.name', value: text('x'), mode: 'set' },
        ],
      }),
    )
    g.pipeline.stages[2].triggers.push(trigger('amount-changed', 'fieldChanged', { fields: ['amount'], to: text('x') }))
    return g
  },
  'condition rows with the wrong number of values, an operator that does not fit': () => {
    const g = copy('invoice-signing.json')
    g.pipeline.stages[1].rules[0].condition = {
      match: 'all',
      items: [
        row('eq', []),
        row('empty', [text('1')]),
        row('between', [{ kind: 'literal', value: 1 }]),
        row('in', []),
        row('withinLastDays', [{ kind: 'literal', value: 3 }]),
        row('in', [
          { kind: 'literal', value: 1 },
          { kind: 'literal', value: 2 },
          { kind: 'literal', value: 3 },
        ]),
      ],
    }
    return g
  },
  'empty settings, a trigger changing the stage as nobody': () => {
    const g = copy('large-deals-only.json')
    g.pipeline.stages[1].rules[2].settings.checklist = ['ok', '']
    g.pipeline.stages[1].rules[1].settings.subject = text(' ')
    g.pipeline.stages[2].triggers.push(
      trigger('won', 'invoicePaid', {}, { changeStageAs: { mode: 'user', user: ' ' } }),
    )
    return g
  },
  'unknown fields, nodes and outputs': () => {
    const g = copy('director-then-client.json')
    const rules = g.pipeline.stages[2].rules
    rules.push(sms('sms-custom', { kind: 'field', path: 'custom.mobile' }))
    rules.push(sms('sms-field', { kind: 'field', path: 'client.phon' }))
    rules.push(sms('sms-node', output('create-contrac', 'documentId')))
    rules.push(sms('sms-trigger', output('director-signed', 'documentId')))
    rules.push(sms('sms-none', output('ask-director', 'x')))
    return g
  },
  'outputs used before they are certain': () => {
    const g = copy('director-then-client.json')
    const contract = g.pipeline.stages[1].rules
    contract.push(sms('own', output('own', 'messageId')))
    contract.unshift(sms('early', output('create-contract', 'documentNumber')))
    contract.push(sms('parallel-one', output('create-contract', 'documentNumber'), { execution: 'parallel' }))
    contract.push(sms('after-parallel', output('create-contract', 'documentNumber')))
    g.pipeline.stages[2].rules.push(sms('far', output('create-contract', 'documentNumber')))
    g.pipeline.stages[2].triggers[0].condition = {
      match: 'all',
      items: [{ left: output('create-contract', 'documentNumber'), op: 'notEmpty', values: [] }],
    }
    return g
  },
  'an output of a disabled rule, of a conditional rule, a PDF not awaited': () => {
    const g = copy('large-deals-only.json')
    g.pipeline.stages[1].rules[0].settings.waitForPdf = false
    g.pipeline.stages[1].rules.splice(1, 0, sms('off', text('+48'), { disabled: true }))
    g.pipeline.stages[1].rules.splice(2, 0, sms('uses-off', output('off', 'messageId')))
    g.pipeline.stages[1].rules.splice(
      1,
      0,
      sms('maybe', text('+48'), {
        condition: { match: 'all', items: [row('gt', [{ kind: 'literal', value: 5 }])] },
      }),
    )
    g.pipeline.stages[1].rules.splice(2, 0, sms('uses-maybe', output('maybe', 'messageId')))
    return g
  },
  'a stage no document reaches': () => {
    const g = copy('invoice-signing.json')
    g.elementType = 'signingDocument'
    g.pipeline.stages[1].rules = []
    return g
  },
  'competing triggers, loops, designer leftovers': () => {
    const g = copy('director-then-client.json')
    g.pipeline.stages[2].triggers.push(trigger('again', 'signedByCompany', { documentType: 'any' }))
    g.pipeline.stages[3].triggers.push(trigger('later-again', 'signedByCompany', { documentType: 'contract' }))
    g.pipeline.stages[1].triggers.push(trigger('title-a', 'fieldChanged', { fields: ['title'] }))
    g.pipeline.stages[2].triggers.push(trigger('title-b', 'fieldChanged', { fields: ['title'] }, { allowReturn: true }))
    g.pipeline.stages[1].triggers.push(trigger('hook', 'responsibleChanged'))
    g.pipeline.stages[3].triggers.push(trigger('hook-2', 'responsibleChanged'))
    g.pipeline.stages[1].rules.push(
      rule('again-here', 'changeStage', { stage: 'contract', changeAs: { mode: 'responsible' } }),
    )
    g.pipeline.stages[2].rules.push(
      rule('retitle', 'modifyFields', { values: [{ field: 'title', value: text('x'), mode: 'set' }] }),
    )
    g.designer = { nodes: [{ id: 'gone', x: 0, y: 0 }], stages: [{ id: 'gone-stage', width: 300 }] }
    return g
  },
  'a trigger not allowed in a contact pipeline': () => {
    const g = copy('invoice-signing.json')
    g.elementType = 'contact'
    g.pipeline.stages[2].triggers.push(trigger('paid', 'invoicePaid'))
    return g
  },
}

/** The findings of the broken fixtures and of the corpus. */
function realFindings(): Finding[] {
  const out: Finding[] = []
  for (const c of brokenCases) out.push(...importGraph(brokenText(c.file)).findings)
  for (const make of Object.values(CORPUS)) out.push(...validate(make()).findings)
  out.push(
    ...importGraph('{"formatVersion": 1,').findings,
    ...validate([]).findings,
    ...validate('text').findings,
    ...validate({}).findings,
    ...validate({ formatVersion: 'one' }).findings,
    ...validate({ formatVersion: 7 }).findings,
    ...[upgradeGraph({ formatVersion: 1 }, new Map(), 2)].flatMap((r) => (r.ok ? [] : [r.finding])),
  )
  return out
}

const variantsOf = (code: FindingCode) => FINDING_VARIANTS[code] ?? [undefined]

afterAll(async () => {
  await i18n.changeLanguage('en')
})

describe('validation findings in every language', () => {
  const findings = realFindings()

  it('has a message and a hint for every code and wording, in every language', () => {
    const missing: string[] = []
    for (const code of Object.keys(FINDING_CODES) as FindingCode[]) {
      for (const variant of variantsOf(code)) {
        for (const part of ['message', 'hint'] as const) {
          const key = findingKey({ code, ...(variant ? { variant } : {}) }, part)
          if (!key) {
            missing.push(`${code}${variant ? `/${variant}` : ''} ${part}`)
            continue
          }
          for (const language of LANGUAGES) {
            const node = key
              .split('.')
              .reduce<unknown>(
                (n, k) => (typeof n === 'object' && n !== null ? (n as Record<string, unknown>)[k] : undefined),
                catalogs[language]?.validation,
              )
            const parent = key
              .split('.')
              .slice(0, -1)
              .reduce<unknown>(
                (n, k) => (typeof n === 'object' && n !== null ? (n as Record<string, unknown>)[k] : undefined),
                catalogs[language]?.validation,
              ) as Record<string, unknown> | undefined
            const last = key.split('.').at(-1) ?? ''
            if (typeof node !== 'string' && typeof parent?.[`${last}_other`] !== 'string') {
              missing.push(`${language}: ${key}`)
            }
          }
        }
      }
    }
    expect(missing).toEqual([])
  })

  it('covers (nearly) every wording with a real finding', () => {
    const seen = new Set(
      findings.map((f) => {
        const variant = f.variant ?? (f.code === 'format-version-unsupported' ? findingVariant(f) : undefined)
        return `${f.code}${variant ? `/${variant}` : ''}`
      }),
    )
    const unseen = (Object.keys(FINDING_CODES) as FindingCode[])
      .flatMap((code) => variantsOf(code).map((v) => `${code}${v ? `/${v}` : ''}`))
      .filter((k) => !seen.has(k))
    // What no graph can make: a bug of the validator, a schema error of another kind, an enum without a value,
    // a pattern without a hint, times of day, a list with too few items (no setting has these), the allowed
    // properties (the compiled schema does not know them).
    expect(unseen.sort()).toEqual([
      'internal-error',
      'schema-enum/noValue',
      'schema-invalid',
      'schema-pattern/other',
      'schema-pattern/time',
      'schema-size/minItems',
      'schema-unknown-property/some',
    ])
  })

  it('names every finding a wording of its code', () => {
    // `shared/graph` makes these without parameters yet: finding-text reads them from the English.
    const fromGraph = new Set(['not-json', 'not-an-object', 'format-version-missing', 'format-version-invalid'])
    for (const f of findings.filter((x) => !fromGraph.has(x.code) && x.params !== undefined)) {
      const variants = FINDING_VARIANTS[f.code]
      if (variants) expect(variants, `${f.code}: ${f.message}`).toContain(f.variant)
      else expect(f.variant, `${f.code}: ${f.message}`).toBeUndefined()
    }
  })

  it('says every real finding in English exactly as the validator wrote it', async () => {
    await i18n.changeLanguage('en')
    const differ = findings
      .map((f) => ({ f, message: findingMessage(f), hint: findingHint(f) }))
      .filter(({ f, message, hint }) => message !== f.message || hint !== f.hint)
      .map(({ f, message, hint }) => ({ code: f.code, variant: f.variant, message, hint, was: [f.message, f.hint] }))
    expect(differ).toEqual([])
  })

  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    it(`says every real finding in ${language}, with nothing left over`, async () => {
      await i18n.changeLanguage(language)
      const problems: string[] = []
      for (const f of findings) {
        for (const said of [findingMessage(f), findingHint(f)]) {
          if (/\{\{|\}\}|validation:|catalog:|undefined/.test(said)) problems.push(`${f.code}: ${said}`)
        }
        // Findings the server sends without their parameters (old ones, or not yet made with them) stay English.
        if (f.params !== undefined && findingMessage(f) === f.message)
          problems.push(`untranslated ${f.code}: ${f.message}`)
      }
      expect(problems).toEqual([])
    })
  }

  it('says a finding without parameters in English when its texts need them', async () => {
    await i18n.changeLanguage('de')
    const old: Finding = {
      severity: 'error',
      code: 'unknown-constant',
      path: '/x',
      message: 'No constant "ceo" is declared.',
      hint: 'Declare it under "constants", or pick an existing one.',
    }
    expect([findingMessage(old), findingHint(old)]).toEqual([old.message, old.hint])
    const plain: Finding = { ...old, code: 'schema-invalid', message: 'This is odd.', hint: 'See docs/format.md.' }
    expect(findingMessage(plain)).toBe('This is odd.')
  })

  it('names fields as the screens do, when they say how', async () => {
    const g = copy('large-deals-only.json')
    g.pipeline.stages[1].rules.push(
      rule('fields', 'modifyFields', { values: [{ field: 'stage', value: text('x'), mode: 'set' }] }),
    )
    const f = validate(g).findings.find((x) => x.code === 'field-read-only')
    if (!f) throw new Error('no finding')
    await i18n.changeLanguage('de')
    setFieldLabels((path) => (path === 'stage' ? 'Phase' : undefined))
    try {
      expect(findingMessage(f)).toBe('„Phase“ kann nicht durch eine Regel geändert werden.')
      await i18n.changeLanguage('en')
      expect(findingMessage(f)).toBe(f.message)
    } finally {
      setFieldLabels(undefined)
    }
  })

  it('reads naturally in German and Turkish', async () => {
    const g = copy('invoice-signing.json')
    g.pipeline.stages[1].rules[0].settings.companySigner = { kind: 'constant', id: 'directr' }
    const [f] = validate(g).findings
    if (!f) throw new Error('no finding')
    await i18n.changeLanguage('de')
    expect([findingMessage(f), findingHint(f)]).toEqual([
      'Es ist keine Konstante „directr“ deklariert.',
      'Meinten Sie „director“? Deklarieren Sie sie unter „constants“ oder wählen Sie eine vorhandene.',
    ])
    await i18n.changeLanguage('tr')
    expect(findingMessage(f)).toBe('“directr” adlı bir sabit tanımlanmamış.')
  })
})
