/**
 * A validation finding in the current language (issue 11). The validator writes its findings in English
 * (the CLI prints them) with a stable `code`, the `variant` of the wording when a code has several, and the
 * `params` its message and hint are made of; here they are said again from the `validation` namespace: one
 * message and hint per code (`<code>.message`) or per code and variant (`<code>.<variant>.message`). In
 * English the result equals the finding's own message and hint (`finding-text.test.ts` holds them to it).
 *
 * Some parameters are turned into words first: value types ("a number"), JSON types, the value found, the
 * "did you mean" suggestion, a rule's or trigger's type (its catalog label), the element type, the event a
 * trigger waits for, lists of names. A finding without parameters (made by an older server) is shown in its
 * English.
 */

import { upper } from '../../../shared/i18n/languages.js'
import type { Finding } from '../../../shared/validate/finding.js'
import { andList, elementTypeWord, nodeLabel } from './catalog-text.js'
import { catalogs, currentLanguage, i18n } from './index.js'

// The keys are the finding codes and their variants, and the words of the parameters' values;
// `finding-text.test.ts` checks that every one of them exists in every language.
// i18n-dynamic: validation:code.
// i18n-dynamic: validation:word.

type Catalog = { [key: string]: string | Catalog }
type Vars = Record<string, unknown>

/** The English text of a key (its "other" form for a plural), if the catalog has it. */
function english(key: string): string | undefined {
  let node: string | Catalog | undefined = catalogs.en?.validation
  const parts = key.split('.')
  const last = parts.pop() ?? ''
  for (const part of parts) node = typeof node === 'object' ? node[part] : undefined
  if (typeof node !== 'object') return undefined
  const text = node[last] ?? node[`${last}_other`]
  return typeof text === 'string' ? text : undefined
}
const known = (key: string) => english(key) !== undefined

const t = (key: string, vars?: Vars) => i18n.t(`validation:${key}`, vars ?? {})
/** One of the words the texts are made of (`word.*`). */
const w = (key: string, vars?: Vars) => t(`word.${key}`, vars)

/** The key of a finding's message or hint: its variant's, else its code's. */
export function findingKey(finding: Pick<Finding, 'code' | 'variant'>, part: 'message' | 'hint'): string | undefined {
  const candidates = [
    ...(finding.variant ? [`code.${finding.code}.${finding.variant}.${part}`] : []),
    `code.${finding.code}.${part}`,
  ]
  return candidates.find(known)
}

const capital = (text: string) => (text ? upper(text.charAt(0), currentLanguage()) + text.slice(1) : text)

/** A trigger's label inside a sentence: English lower-cases it, German keeps its nouns' capitals. */
function inSentence(label: string): string {
  const language = currentLanguage()
  if (language === 'en') return label.toLowerCase()
  if (language === 'de') return label
  return label.charAt(0).toLocaleLowerCase(language) + label.slice(1)
}

const VALUE_TYPES = new Set([
  'text',
  'number',
  'money',
  'boolean',
  'date',
  'datetime',
  'user',
  'file',
  'document',
  'any',
])
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'])
const FOUND = new Set(['null', 'list', 'object', 'text', 'number', 'boolean'])
const JSON_KINDS = new Set(['array', 'null', 'string', 'number', 'boolean'])

/** How the screens name an element's field in the current language, when they can (`setFieldLabels`). */
let fieldLabel: ((path: string) => string | undefined) | undefined

/**
 * Lets findings name fields the way the screens do in the current language (the validator writes the English
 * label): `labeler(path)` gives a field path's label, or undefined to keep the English one.
 */
export function setFieldLabels(labeler: ((path: string) => string | undefined) | undefined): void {
  fieldLabel = labeler
}

/** The placeholders of a finding's texts, from its parameters (see the module's comment). */
export function findingVars(finding: Finding): Vars {
  const p = finding.params ?? {}
  const vars: Vars = {}
  for (const [name, value] of Object.entries(p)) vars[name] = Array.isArray(value) ? value.join(', ') : value
  if (typeof p.fieldPath === 'string' && currentLanguage() !== 'en') vars.field = fieldLabel?.(p.fieldPath) ?? p.field
  vars.suggest = typeof p.suggestion === 'string' ? w('didYouMean', { word: p.suggestion }) : ''
  for (const name of ['type', 'expected', 'actual']) {
    const type = p[name]
    if (typeof type !== 'string' || !VALUE_TYPES.has(type)) continue
    const withArticle = w(`typeA.${type}`)
    vars[`${name}A`] = withArticle
    vars[`${capital(name)}A`] = capital(withArticle)
    vars[`${name}Name`] = w(`typeName.${type}`)
    if (type !== 'any') vars[`${name}Example`] = w(`example.${type}`)
  }
  if (Array.isArray(p.jsonTypes)) {
    vars.jsonTypes = p.jsonTypes.map((j) => (JSON_TYPES.has(j) ? w(`json.${j}`) : j)).join(w('or'))
  }
  if (typeof p.found === 'string') {
    const found = FOUND.has(p.found)
      ? w(`found.${p.found}`, { value: p.foundValue })
      : w('found.other', { kind: p.found, value: p.foundValue ?? '' })
    vars.found = found
    vars.Found = capital(found)
  }
  if (typeof p.jsonKind === 'string') {
    vars.kind = JSON_KINDS.has(p.jsonKind) ? w(`jsonKind.${p.jsonKind}`) : w('jsonKind.other', { kind: p.jsonKind })
  }
  if (typeof p.nodeType === 'string') vars.nodeLabel = nodeLabel(p.nodeType)
  if (typeof p.elementType === 'string') {
    vars.element = w(`element.${p.elementType}`)
    vars.pipeline = elementTypeWord(p.elementType)
  }
  if (finding.code === 'node-not-allowed') {
    vars.reason =
      finding.variant === 'paperwork'
        ? i18n.t('catalog:notAllowed.paperwork')
        : i18n.t('catalog:notAllowed.only', {
            list: andList((Array.isArray(p.allowedIn) ? p.allowedIn : []).map(elementTypeWord)),
          })
  }
  if (typeof p.triggerType === 'string') {
    const label = inSentence(nodeLabel(p.triggerType, 'trigger'))
    vars.event =
      typeof p.documentType === 'string'
        ? w('event.document', { label, document: w(`document.${p.documentType}`) })
        : Array.isArray(p.fields)
          ? w('event.fields', { label, fields: p.fields.join(', ') })
          : w('event.plain', { label })
  }
  if (Array.isArray(p.stageNames)) vars.stageNames = p.stageNames.map((text) => w('quoted', { text })).join(', ')
  return vars
}

/**
 * The parameters and wording of the findings `shared/graph` makes (input that is not JSON, not an object, of
 * another format version), read from their English while they come without them.
 */
function withParams(finding: Finding): Finding {
  if (finding.params !== undefined) return finding
  const m = finding.message
  const current = /"formatVersion": (\d+)/.exec(finding.hint)?.[1]
  const read = (): Pick<Finding, 'params' | 'variant'> | undefined => {
    switch (finding.code) {
      case 'not-json': {
        const hit = /^Not valid JSON at line (\d+), column (\d+): (.*)\.$/.exec(m)
        return hit ? { params: { line: Number(hit[1]), column: Number(hit[2]), detail: hit[3] ?? '' } } : undefined
      }
      case 'not-an-object': {
        const hit = /; this is (?:an? )?(\w+)\.$/.exec(m)
        return hit ? { params: { jsonKind: hit[1] ?? '' } } : undefined
      }
      case 'format-version-missing':
        return current ? { params: { current: Number(current) } } : undefined
      case 'format-version-invalid': {
        const hit = /; it is (.*)\.$/.exec(m)
        return hit && current ? { params: { value: hit[1] ?? '', current: Number(current) } } : undefined
      }
      case 'format-version-unsupported': {
        const newer = /uses format version (\d+); this Signflow reads versions up to (\d+)\.$/.exec(m)
        if (newer) return { params: { version: Number(newer[1]), current: Number(newer[2]) }, variant: 'newer' }
        const step = /^No upgrade from format version (\d+) to (\d+) is known\.$/.exec(m)
        if (step) return { params: { version: Number(step[1]), next: Number(step[2]) }, variant: 'noUpgrade' }
        return undefined
      }
      default:
        return undefined
    }
  }
  return { ...finding, ...read() }
}

function say(given: Finding, part: 'message' | 'hint'): string {
  const finding = withParams(given)
  const key = findingKey(finding, part)
  if (!key) return finding[part]
  // Without its parameters (an older server's finding) it is said again only when neither text needs any.
  if (finding.params === undefined) {
    const other = findingKey(finding, part === 'message' ? 'hint' : 'message')
    if ([key, other].some((k) => k !== undefined && english(k)?.includes('{{'))) return finding[part]
  }
  return t(key, findingVars(finding))
}

/** A finding's message in the current language. */
export const findingMessage = (finding: Finding): string => say(finding, 'message')

/** A finding's hint (what to do about it) in the current language. */
export const findingHint = (finding: Finding): string => say(finding, 'hint')

/** The wording of a finding (its `variant`, or the one its English shows when it came without it). */
export const findingVariant = (finding: Finding): string | undefined => withParams(finding).variant
