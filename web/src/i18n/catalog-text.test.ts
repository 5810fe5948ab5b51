/**
 * The catalog speaks every language: each rule and trigger has its label and description, each category,
 * pipeline type, setting, choice and output its words, in all five languages; the English texts are the
 * shared catalog's own (so the two cannot drift apart); the reason an item is greyed reads in the language.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { CATEGORIES, CATEGORY_LABELS } from '../../../shared/catalog/define.js'
import {
  ELEMENT_TYPE_LABELS,
  getCatalogEntry,
  paletteFor,
  RULE_TYPES,
  ruleCatalog,
  TRIGGER_TYPES,
} from '../../../shared/catalog/index.js'
import { ELEMENT_TYPES } from '../../../shared/graph/vocabulary.js'
import { LANGUAGES } from '../../../shared/i18n/languages.js'
import {
  categoryLabel,
  elementTypeLabel,
  localItem,
  nodeDescription,
  nodeLabel,
  outputLabel,
  settingDescription,
  settingItemLabel,
  settingLabel,
  settingOption,
} from './catalog-text.js'
import { catalogSettings, STANDARD_SETTINGS } from './catalog-walk.js'
import { catalogs, i18n } from './index.js'

type Catalog = { [key: string]: string | Catalog }

/** The text at a key of one language's catalog file, without any fallback. */
function own(language: string, key: string): string | undefined {
  let node: string | Catalog | undefined = catalogs[language]?.catalog
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined
  return typeof node === 'string' ? node : undefined
}

const seg = (s: string) => s.replace(/\./g, '_')
const NODE_TYPES = [...RULE_TYPES, ...TRIGGER_TYPES]

/** Every key the catalog's words are read from, for every type, setting, choice and output. */
function wantedKeys(): string[] {
  const keys = new Set<string>()
  for (const c of CATEGORIES) keys.add(`category.${c}`)
  for (const e of ELEMENT_TYPES) keys.add(`elementType.${e}`).add(`elementWord.${e}`)
  keys.add('and').add('notAllowed.paperwork').add('notAllowed.only')
  const settings = (type: string, list: ReturnType<typeof catalogSettings>) => {
    for (const s of list) {
      const key = seg(s.keys.at(-1) ?? '')
      keys.add(`setting.${key}`)
      if (s.list) keys.add(`settingItem.${key}`)
      if (s.description && type) keys.add(`help.${type}.${s.keys.map(seg).join('.')}`)
      for (const o of s.options) keys.add(`option.${seg(o)}`)
    }
  }
  settings('', STANDARD_SETTINGS)
  for (const type of NODE_TYPES) {
    const entry = getCatalogEntry(type)
    if (!entry) continue
    keys.add(`${entry.kind}.${type}.label`).add(`${entry.kind}.${type}.description`)
    settings(type, catalogSettings(entry.settings))
    if (entry.kind === 'rule') {
      for (const o of entry.outputs(entry.defaults as never)) keys.add(`output.${type}.${seg(o.name)}`)
    }
  }
  // "Calculate a value" names its output the same whatever the result's type.
  for (const o of ruleCatalog.calculate.outputs({ formula: '', resultType: 'date' })) {
    keys.add(`output.calculate.${seg(o.name)}`)
  }
  return [...keys]
}

afterAll(async () => {
  await i18n.changeLanguage('en')
})

describe('the catalog in every language', () => {
  const keys = wantedKeys()

  for (const language of LANGUAGES) {
    it(`has every type's, category's, setting's, choice's and output's words in ${language}`, () => {
      const missing = keys.filter((key) => !own(language, key)?.trim())
      expect(missing).toEqual([])
    })
  }

  it("keeps the shared catalog's English (labels, descriptions, categories, help texts)", () => {
    const drift: string[] = []
    const same = (key: string, english: string | undefined) => {
      if (english !== undefined && own('en', key) !== english) drift.push(`${key}: ${own('en', key)} ≠ ${english}`)
    }
    for (const type of NODE_TYPES) {
      const entry = getCatalogEntry(type)
      if (!entry) continue
      same(`${entry.kind}.${type}.label`, entry.label)
      same(`${entry.kind}.${type}.description`, entry.description)
      for (const s of catalogSettings(entry.settings)) {
        same(`help.${type}.${s.keys.map(seg).join('.')}`, s.description)
      }
    }
    for (const c of CATEGORIES) same(`category.${c}`, CATEGORY_LABELS[c])
    for (const e of ELEMENT_TYPES) same(`elementWord.${e}`, ELEMENT_TYPE_LABELS[e])
    expect(drift).toEqual([])
  })

  it('gives the greyed reason of every palette item in the language, and the English one unchanged', async () => {
    for (const elementType of ELEMENT_TYPES) {
      const items = paletteFor(elementType).flatMap((g) => g.items)
      await i18n.changeLanguage('en')
      for (const item of items) expect(localItem(item)).toEqual(item)
      await i18n.changeLanguage('de')
      for (const item of items.filter((i) => i.disabledReason !== undefined)) {
        const local = localItem(item)
        expect(local.disabledReason).not.toBe(item.disabledReason)
        expect(local.disabledReason).not.toMatch(/\{\{|pipelines?\b|Only in/)
      }
    }
    await i18n.changeLanguage('de')
    const create = paletteFor('signingDocument')
      .flatMap((g) => g.items)
      .find((i) => i.type === 'createDocument')
    expect(create && localItem(create).disabledReason).toBe(
      'In der Pipeline für Dokumente zur Unterschrift enthält die Gruppe „Dokumente“ nur Auslöser.',
    )
    const paid = paletteFor('contact')
      .flatMap((g) => g.items)
      .find((i) => i.type === 'invoicePaid')
    expect(paid && localItem(paid).disabledReason).toBe('Nur in Pipelines für Deals und Leads.')
  })

  it('reads the words through the functions the screens call, in each language', async () => {
    for (const language of LANGUAGES) {
      await i18n.changeLanguage(language)
      const texts = [
        nodeLabel('sendEmail'),
        nodeLabel('signedByClient'),
        nodeDescription('webhook'),
        categoryLabel('clientCommunication'),
        elementTypeLabel('signingDocument'),
        settingLabel('sendDocumentForSigning', 'settings/signingOrder'),
        settingLabel('changeRequisites', ['settings', 'values', '0', 'field']),
        settingItemLabel('sendEmail', 'attachments'),
        settingDescription('createDocument', 'myCompany/company') ?? '',
        settingOption('changeRequisites', 'values/field', 'address.city'),
        settingOption('sendDocumentForSigning', 'signingOrder', 'parallel'),
        settingOption('', 'execution', 'parallel'),
        outputLabel('createDocument', 'documentNumber'),
      ]
      for (const text of texts) expect(text, language).not.toMatch(/^$|\{\{|^(catalog:)?(rule|trigger|setting)\./)
      if (language === 'en') {
        expect(texts).toEqual([
          'Send email to client',
          'Signed by the client',
          'Another system called this trigger’s own URL (with its secret).',
          'Client communication',
          'Signing document',
          'Signing order',
          'Field',
          'Attachment',
          'My company id',
          'Address: city',
          'Parallel',
          'In parallel, at stage entry',
          'Document number',
        ])
      }
    }
    await i18n.changeLanguage('tr')
    expect(nodeLabel('signedByClient')).toBe('Müşteri imzaladı')
    expect(settingDescription('sendEmail', 'to')).toBeUndefined()
    // A type the catalog files do not know yet keeps the English it is given.
    expect(nodeLabel('brandNew', 'rule', 'Brand new')).toBe('Brand new')
  })
})
