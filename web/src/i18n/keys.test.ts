/**
 * The catalogs are complete and nothing in them is dead: every language has every English key (with the
 * plural forms its own rules need, and the same {{placeholders}}), no text is empty, every key the code
 * asks for exists, and every key exists because some code asks for it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LANGUAGES } from '../../../shared/i18n/languages.js'

const LOCALES = new URL('./locales/', import.meta.url).pathname
const SOURCE = new URL('../', import.meta.url).pathname
const PLURAL = /_(zero|one|two|few|many|other)$/

type Catalog = { [key: string]: string | Catalog }

function flatten(catalog: Catalog, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else flatten(value, path, out)
  }
  return out
}

/** `<namespace>:<key>` → text, for one language. */
function load(language: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const file of readdirSync(join(LOCALES, language))) {
    if (!file.endsWith('.json')) continue
    const namespace = file.slice(0, -'.json'.length)
    const catalog = JSON.parse(readFileSync(join(LOCALES, language, file), 'utf8')) as Catalog
    for (const [key, text] of flatten(catalog)) out.set(`${namespace}:${key}`, text)
  }
  return out
}

const base = (key: string) => key.replace(PLURAL, '')
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort()

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) sourceFiles(path, out)
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path)
  }
  return out
}

/** The keys the code asks for (`ns:key`), and the key prefixes it builds at run time (`// i18n-dynamic: ns:prefix`). */
function usedKeys(): { used: Map<string, string>; dynamic: string[] } {
  const used = new Map<string, string>()
  const dynamic: string[] = []
  for (const file of sourceFiles(SOURCE)) {
    const text = readFileSync(file, 'utf8')
    const namespace = /useTranslation\(\s*\[?\s*'([\w-]+)'/.exec(text)?.[1] ?? 'common'
    for (const m of text.matchAll(/\bt\(\s*'([^'$]+)'/g)) {
      const key = m[1] ?? ''
      used.set(key.includes(':') ? key : `${namespace}:${key}`, relative(SOURCE, file))
    }
    for (const m of text.matchAll(/i18nKey="([^"]+)"/g)) {
      const key = m[1] ?? ''
      used.set(key.includes(':') ? key : `${namespace}:${key}`, relative(SOURCE, file))
    }
    for (const m of text.matchAll(/i18n-dynamic:\s*([\w-]+:[\w.-]+)/g)) dynamic.push(m[1] ?? '')
  }
  return { used, dynamic }
}

describe('the message catalogs', () => {
  const english = load('en')

  it('have English texts to start from', () => {
    expect(english.size).toBeGreaterThan(0)
  })

  for (const language of LANGUAGES) {
    it(`are complete in ${language}: every key, its plural forms and placeholders, no empty text`, () => {
      const texts = load(language)
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories
      const problems: string[] = []
      const wanted = new Set([...english.keys()].map(base))
      const have = new Set([...texts.keys()].map(base))
      for (const key of wanted) if (!have.has(key)) problems.push(`missing ${key}`)
      for (const key of have) if (!wanted.has(key)) problems.push(`not in English: ${key}`)
      for (const [key, text] of texts) {
        if (text.trim() === '') problems.push(`empty ${key}`)
        const englishText = english.get(key) ?? english.get(`${base(key)}_other`) ?? english.get(base(key))
        if (englishText !== undefined && placeholders(englishText).join() !== placeholders(text).join()) {
          problems.push(
            `${key}: placeholders ${placeholders(text).join()} differ from English ${placeholders(englishText).join()}`,
          )
        }
      }
      // A plural key has every form the language's rules name (Polish: one, few, many, other).
      for (const key of new Set([...english.keys()].filter((k) => PLURAL.test(k)).map(base))) {
        for (const category of categories) {
          if (!texts.has(`${key}_${category}`)) problems.push(`${key}: no "${category}" form`)
        }
      }
      expect(problems).toEqual([])
    })
  }

  it('hold every key the code asks for, and only those', () => {
    const { used, dynamic } = usedKeys()
    const known = new Set([...english.keys()].map(base))
    const missing = [...used].filter(([key]) => !known.has(key)).map(([key, file]) => `${key} (asked in ${file})`)
    const unused = [...known].filter((key) => !used.has(key) && !dynamic.some((prefix) => key.startsWith(prefix)))
    expect({ missing, unused }).toEqual({ missing: [], unused: [] })
  })
})
