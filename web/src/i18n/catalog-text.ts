/**
 * The catalog's words in the current language (issue 11): each rule's and trigger's label and description,
 * the categories, the pipeline types, the settings' labels, descriptions and choices, the rules' outputs and
 * why an item cannot stand in a pipeline. The types and codes stay as they are; only the words change. The
 * texts live in the `catalog` namespace (`locales/<language>/catalog.json`); a type the catalog file does not
 * know yet falls back to the shared catalog's English.
 *
 * These are plain functions (usable outside React): a component that shows their words re-renders on a
 * change of language when it calls `useTranslation()` itself.
 */
import type { Category } from '../../../shared/catalog/define.js'
import type { AnyEntry, OutputDef } from '../../../shared/catalog/index.js'
import type { ElementType } from '../../../shared/graph/vocabulary.js'
import { currentLanguage, i18n } from './index.js'

// The keys below are built from the catalog's types, settings and values; `catalog-text.test.ts` checks
// that every one of them exists in every language.
// i18n-dynamic: catalog:rule.
// i18n-dynamic: catalog:trigger.
// i18n-dynamic: catalog:category.
// i18n-dynamic: catalog:elementType.
// i18n-dynamic: catalog:elementWord.
// i18n-dynamic: catalog:notAllowed.
// i18n-dynamic: catalog:setting.
// i18n-dynamic: catalog:settingItem.
// i18n-dynamic: catalog:help.
// i18n-dynamic: catalog:option.
// i18n-dynamic: catalog:optionFor.
// i18n-dynamic: catalog:output.
// i18n-dynamic: catalog:and

/** The English label the settings form makes of a key: "signingOrder" → "Signing order". */
export function labelOfKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A key segment as the catalog file writes it: dots (in "address.city") become "_". */
const segment = (s: string) => s.replace(/\./g, '_')

function text(key: string, fallback: string): string {
  return i18n.t(`catalog:${key}`, { defaultValue: fallback })
}

const kindOf = (type: string, kind?: 'rule' | 'trigger'): 'rule' | 'trigger' =>
  kind ?? (i18n.exists(`catalog:trigger.${type}.label`) ? 'trigger' : 'rule')

/** A rule's or trigger's label ("Send email to client"). */
export function nodeLabel(type: string, kind?: 'rule' | 'trigger', english?: string): string {
  return text(`${kindOf(type, kind)}.${type}.label`, english ?? type)
}

/** A rule's or trigger's one-line description. */
export function nodeDescription(type: string, kind?: 'rule' | 'trigger', english?: string): string {
  return text(`${kindOf(type, kind)}.${type}.description`, english ?? '')
}

export const ruleLabel = (type: string) => nodeLabel(type, 'rule')
export const ruleDescription = (type: string) => nodeDescription(type, 'rule')
export const triggerLabel = (type: string) => nodeLabel(type, 'trigger')
export const triggerDescription = (type: string) => nodeDescription(type, 'trigger')

/** A category's heading ("Client communication"). */
export function categoryLabel(category: Category | string): string {
  return text(`category.${category}`, labelOfKey(category))
}

/** A pipeline's element type as a menu names it ("Deal", "Signing document"). */
export function elementTypeLabel(elementType: ElementType | string): string {
  return text(`elementType.${elementType}`, labelOfKey(elementType))
}

/** The element type inside a sentence ("deal", "signing-document"), as the language says it there. */
export function elementTypeWord(elementType: ElementType | string): string {
  return text(`elementWord.${elementType}`, elementType)
}

/** "a, b and c" in the current language. */
export function andList(items: readonly string[]): string {
  if (items.length < 2) return items.join('')
  return `${items.slice(0, -1).join(', ')}${text('and', ' and ')}${items.at(-1)}`
}

/** Why a type cannot stand in a pipeline: the palette's greyed reason, in the current language. */
export function notAllowedText(
  entry: Pick<AnyEntry, 'kind' | 'category' | 'allowedIn'>,
  elementType: ElementType,
): string {
  if (entry.category === 'paperwork' && entry.kind === 'rule' && elementType === 'signingDocument') {
    return text('notAllowed.paperwork', 'In the signing-document pipeline the Paperwork group holds only triggers.')
  }
  const list = andList(entry.allowedIn.map(elementTypeWord))
  return i18n.t('catalog:notAllowed.only', { list, defaultValue: `Only in ${list} pipelines.` })
}

/** The catalog's setting path without list positions: "settings/values/0/field" → ["values", "field"]. */
function keysOf(path: string | readonly string[]): string[] {
  const parts = typeof path === 'string' ? path.split(/[/.]/) : [...path]
  const keys = parts.filter((p) => p !== '' && !/^\d+$/.test(p))
  return keys[0] === 'settings' ? keys.slice(1) : keys
}

/**
 * A setting's label, by the node's type and the setting's path ("signingOrder", "myCompany/company",
 * "settings/values/0/field"; list positions are ignored). The standard settings (title, execution, time)
 * have theirs too.
 */
export function settingLabel(_nodeType: string, settingPath: string | readonly string[]): string {
  const key = keysOf(settingPath).at(-1) ?? ''
  return text(`setting.${segment(key)}`, labelOfKey(key))
}

/** One item of a list setting, without its number ("Attachment", "User"). */
export function settingItemLabel(_nodeType: string, settingPath: string | readonly string[]): string {
  const key = keysOf(settingPath).at(-1) ?? ''
  return text(`settingItem.${segment(key)}`, labelOfKey(key.replace(/s$/, '')))
}

/** A setting's help text (its schema's description), if it has one. */
export function settingDescription(
  nodeType: string,
  settingPath: string | readonly string[],
  english?: string,
): string | undefined {
  const keys = keysOf(settingPath).map(segment)
  const key = `help.${nodeType}.${keys.join('.')}`
  if (!i18n.exists(`catalog:${key}`)) return english
  return text(key, english ?? '')
}

/** English names of choices whose words are not their code's (as the settings form always showed them). */
const OPTION_ENGLISH: Record<string, string> = {
  sms: 'SMS',
  email: 'Email',
  any: 'Any',
  afterPrevious: 'After the previous rule',
  parallel: 'In parallel, at stage entry',
  workDays: 'Working days',
}

/** A choice of a setting ("companyFirst" → "Company first", "sms" → "SMS"). */
export function settingOption(_nodeType: string, settingPath: string | readonly string[], value: string): string {
  const key = keysOf(settingPath).at(-1) ?? ''
  const english = OPTION_ENGLISH[value] ?? labelOfKey(value)
  const specific = `optionFor.${segment(key)}.${segment(value)}`
  if (i18n.exists(`catalog:${specific}`)) return text(specific, english)
  return text(`option.${segment(value)}`, english)
}

/** A document type in words ("commercialOffer" → "Commercial offer"); "any" is "Any". */
export const documentTypeLabel = (documentType: string) => settingOption('', 'documentType', documentType)

/** A rule's output as the "…" picker offers it ("Document number"). */
export function outputLabel(ruleType: string, output: string | OutputDef): string {
  const name = typeof output === 'string' ? output : output.name
  const english = typeof output === 'string' ? output : output.label
  return text(`output.${ruleType}.${segment(name)}`, english)
}

/** The element types as the catalog's English names them in a reason ("signing-document"). */
const ENGLISH_WORDS: Record<string, ElementType> = {
  deal: 'deal',
  lead: 'lead',
  contact: 'contact',
  'signing-document': 'signingDocument',
}

/**
 * The server's English reason why an item cannot stand in a pipeline (`disabledReason` of /api/catalog), in
 * the current language; a reason of another form is left as it is.
 */
export function translateNotAllowed(reason: string): string {
  if (reason === 'In the signing-document pipeline the Paperwork group holds only triggers.') {
    return text('notAllowed.paperwork', reason)
  }
  const only = /^Only in (.+) pipelines\.$/.exec(reason)
  if (!only) return reason
  const types = (only[1] ?? '').split(/, | and /).map((w) => ENGLISH_WORDS[w])
  if (types.some((t) => t === undefined)) return reason
  const list = andList(types.map((t) => elementTypeWord(t as ElementType)))
  return i18n.t('catalog:notAllowed.only', { list, defaultValue: reason })
}

/** A palette item (of /api/catalog or `paletteFor`) with its words in the current language. */
export function localItem<
  T extends { type: string; kind: 'rule' | 'trigger'; label: string; description: string; disabledReason?: string },
>(item: T): T {
  return {
    ...item,
    label: nodeLabel(item.type, item.kind, item.label),
    description: nodeDescription(item.type, item.kind, item.description),
    ...(item.disabledReason !== undefined ? { disabledReason: translateNotAllowed(item.disabledReason) } : {}),
  }
}

/** Is the current language English (the catalog's own words)? */
export const speaksEnglish = () => currentLanguage() === 'en'
