/**
 * The designer's words: every key built at run time (operators, conditions, fields, the settings' "Add …"
 * buttons) exists in every language, and in English the web reads values and conditions exactly as the
 * shared code (the CLI's language) does.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ruleCatalog, triggerCatalog } from '../../../shared/catalog/index.js'
import { setNodeValue } from '../../../shared/designer/commands.js'
import { conditionText, refLabel } from '../../../shared/designer/picker.js'
import { standardFields } from '../../../shared/graph/fields.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { OPERATORS } from '../../../shared/graph/schema-parts.js'
import {
  ADDRESS_PARTS,
  ADDRESS_TYPES,
  ELEMENT_TYPES,
  REQUISITE_FIELDS,
  type ValueType,
} from '../../../shared/graph/vocabulary.js'
import { LANGUAGES } from '../../../shared/i18n/languages.js'
import { fixture, fixtureNames } from '../../../shared/test/fixtures.js'
import { i18n } from '../i18n/index.js'
import { type Translate, wordsOf } from './words.js'

type Catalog = { [key: string]: string | Catalog }
type Schema = {
  type?: string
  properties?: Record<string, Schema>
  items?: Schema
  anyOf?: Schema[]
  $ref?: string
}

const catalogOf = (language: string) =>
  JSON.parse(readFileSync(new URL(`../i18n/locales/${language}/designer.json`, import.meta.url), 'utf8')) as Catalog

/** A key's text, or undefined (a plural key counts when its "other" form is there). */
function textAt(catalog: Catalog, key: string): string | undefined {
  let at: string | Catalog | undefined = catalog
  const parts = key.split('.')
  for (const [i, part] of parts.entries()) {
    if (typeof at !== 'object') return undefined
    const next: string | Catalog | undefined = at[part] ?? (i === parts.length - 1 ? at[`${part}_other`] : undefined)
    at = next
  }
  return typeof at === 'string' ? at : undefined
}

/** The list settings of every catalog entry: their "Add …" buttons are the designer's words. */
function listSettings(): Set<string> {
  const lists = new Set<string>()
  const walk = (schema: Schema | undefined, name: string | undefined) => {
    if (!schema) return
    if (name !== undefined && schema.type === 'array') lists.add(name)
    for (const [key, sub] of Object.entries(schema.properties ?? {})) walk(sub, key)
    walk(schema.items, name)
    for (const alternative of schema.anyOf ?? []) walk(alternative, name)
  }
  for (const entry of [...Object.values(ruleCatalog), ...Object.values(triggerCatalog)]) {
    walk(entry.settings as unknown as Schema, undefined)
  }
  return lists
}

/** Every key the designer builds at run time (the settings' own words are the catalog's, in catalog-text). */
function dynamicKeys(): string[] {
  const fields = ELEMENT_TYPES.flatMap((type) => standardFields(type))
    .filter((f) => f.group === 'element' || f.group === 'client')
    .map((f) => `field.${f.path}`)
  return [
    ...OPERATORS.flatMap((op) => [`operator.${op}`, `conditionRow.${op}`]),
    ...new Set(fields),
    ...REQUISITE_FIELDS.map((f) => `requisite.${f}`),
    ...ADDRESS_TYPES.map((t) => `address.${t}`),
    ...ADDRESS_PARTS.map((p) => `addressPart.${p}`),
    ...[...listSettings()].map((l) => `settingAdd.${l}`),
  ]
}

const tIn = (language: string) => i18n.getFixedT(language, 'designer') as unknown as Translate

/** A graph whose one rule's condition uses every operator, with values of every kind. */
function everyOperator(): Graph {
  const g = fixture('director-then-client.json') as unknown as Graph
  const rule = g.pipeline.stages.flatMap((s) => s.rules)[0]
  if (!rule) throw new Error('no rule in the fixture')
  const items = OPERATORS.map((op) => ({
    left: { kind: 'field', path: 'amount' },
    op,
    values:
      op === 'between'
        ? [
            { kind: 'literal', value: 1 },
            { kind: 'constant', id: g.constants[0]?.id ?? 'x' },
          ]
        : op === 'empty'
          ? []
          : [{ kind: 'literal', value: 5000 }],
  }))
  setNodeValue(g, rule.id, ['condition'], {
    match: 'all',
    items: [...items, { match: 'any', items: items.slice(0, 2) }, { match: 'any', items: items.slice(0, 1) }],
  })
  return g
}

describe('the designer words built at run time', () => {
  const keys = dynamicKeys()

  it('are many (the catalog was read)', () => {
    expect(keys.length).toBeGreaterThan(80)
    expect(keys).toContain('settingAdd.attachments')
  })

  for (const language of LANGUAGES) {
    it(`all exist in ${language}`, () => {
      const catalog = catalogOf(language)
      expect(keys.filter((key) => !textAt(catalog, key))).toEqual([])
    })
  }
})

describe('in English, the web reads as the shared code does', () => {
  const words = wordsOf(tIn('en'))

  it('names every standard field as fields.ts does (a postal code in words)', () => {
    for (const type of ELEMENT_TYPES) {
      for (const def of standardFields(type)) {
        expect(words.fieldLabel(def)).toBe(def.label.replace('postalCode', 'postal code'))
      }
    }
  })

  it('puts every condition of the fixtures in the same words', () => {
    const graphs = [...fixtureNames.map((name) => fixture(name) as unknown as Graph), everyOperator()]
    let conditions = 0
    for (const g of graphs) {
      for (const node of g.pipeline?.stages?.flatMap((s) => [...s.rules, ...s.triggers]) ?? []) {
        if (!node.condition) continue
        conditions++
        expect(words.conditionWords(g, node.condition)).toBe(conditionText(g, node.condition))
      }
      for (const c of g.constants ?? []) {
        expect(words.refWords(g, { kind: 'constant', id: c.id })).toBe(refLabel(g, { kind: 'constant', id: c.id }))
      }
    }
    expect(conditions).toBeGreaterThan(3)
  })
})

describe('in the other languages', () => {
  it('fields, conditions and types are their own words', () => {
    const pl = wordsOf(tIn('pl'))
    const de = wordsOf(tIn('de'))
    const g = everyOperator()
    const amount = standardFields('deal').find((f) => f.path === 'amount')
    const postal = standardFields('deal').find((f) => f.path === 'client.requisites.address.legal.postalCode')
    if (!amount || !postal) throw new Error('fields missing')
    expect(pl.fieldLabel(amount)).toBe('Kwota')
    expect(de.fieldLabel(postal)).not.toContain('postal')
    const rule = g.pipeline.stages.flatMap((s) => s.rules)[0]
    const text = rule?.condition ? pl.conditionWords(g, rule.condition) : ''
    expect(text).toContain('Kwota')
    expect(text).not.toMatch(/\band\b|\bis empty\b/)
    for (const type of ['text', 'money', 'datetime'] as ValueType[]) {
      expect(de.typeWord(type)).not.toBe(wordsOf(tIn('en')).typeWord(type))
    }
  })
})
