/// <reference types="vite/client" />
/**
 * The web app's languages (issue 11): i18next with one JSON catalog per screen ("namespace") and language
 * in `locales/<language>/<namespace>.json`. The language is the one the person picked (kept in this
 * browser), else the browser's first language we speak, else English. Plurals follow each language's own
 * rules (`_one`, `_few`, `_many`, `_other` keys, as Intl.PluralRules names them); `<html lang>` follows the
 * language, so CSS upper case writes Turkish "i" as "İ".
 *
 * Conventions (checked by `keys.test.ts`): a component takes its namespace with useTranslation("ns") and
 * calls t with a literal key in single quotes ("other-ns:key" for another namespace's); keys built at run
 * time are declared by a comment `i18n-dynamic: ns:prefix.`; every key exists in every language; a key no
 * code uses is an error.
 */
import i18n from 'i18next'
import LanguageDetector from 'i18next-browser-languagedetector'
import { initReactI18next, useTranslation } from 'react-i18next'
import { isLanguage, LANGUAGES, type Language } from '../../../shared/i18n/languages.js'

type Catalog = { [key: string]: string | Catalog }

const files = import.meta.glob<{ default: Catalog }>('./locales/*/*.json', { eager: true })

/** Every catalog, by language and namespace. */
export const catalogs: Record<string, Record<string, Catalog>> = {}
for (const [path, module] of Object.entries(files)) {
  const match = /\/locales\/([a-z]+)\/([A-Za-z-]+)\.json$/.exec(path)
  if (!match) continue
  const [, language = '', namespace = ''] = match
  catalogs[language] ??= {}
  ;(catalogs[language] as Record<string, Catalog>)[namespace] = module.default
}
export const NAMESPACES = Object.keys(catalogs.en ?? {})

/** Where a person's own choice of language is kept in this browser. */
export const LANGUAGE_KEY = 'signflow.language'

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: catalogs,
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    fallbackLng: 'en',
    ns: NAMESPACES,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    // A picked language is remembered (setLanguage); the browser's is read each time, never stored.
    detection: { order: ['localStorage', 'navigator'], lookupLocalStorage: LANGUAGE_KEY, caches: [] },
  })

function followLanguage(language: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = language
}
followLanguage(i18n.resolvedLanguage ?? 'en')
i18n.on('languageChanged', followLanguage)

export function currentLanguage(): Language {
  const language = i18n.resolvedLanguage ?? i18n.language
  return isLanguage(language) ? language : 'en'
}

/** A person's pick: used now, and remembered in this browser. */
export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, language)
  } catch {
    // Storage may be off (private windows): the choice lasts for this page only.
  }
  void i18n.changeLanguage(language)
}

/** Numbers, money and moments for the current language (and the browser's time zone unless given). */
export function useFormat() {
  const { i18n: instance } = useTranslation()
  const language = isLanguage(instance.resolvedLanguage) ? instance.resolvedLanguage : 'en'
  return formatFor(language)
}

export function formatFor(language: Language, timeZone?: string) {
  const number = new Intl.NumberFormat(language, { maximumFractionDigits: 2 })
  const moment = new Intl.DateTimeFormat(language, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  })
  const day = new Intl.DateTimeFormat(language, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) })
  return {
    language,
    number: (n: number) => number.format(n),
    /** 12000 EUR → "12 000,00 €" in Polish; without a known currency, the number and the code. */
    money(amount: number, currency: string | null | undefined): string {
      if (currency && /^[A-Z]{3}$/.test(currency)) {
        try {
          return new Intl.NumberFormat(language, { style: 'currency', currency }).format(amount)
        } catch {
          // not a currency Intl knows
        }
      }
      return currency ? `${number.format(amount)} ${currency}` : number.format(amount)
    },
    /** An ISO moment: "24 lis 2026, 14:05". */
    when(iso: string | null | undefined): string {
      if (!iso) return ''
      const t = Date.parse(iso)
      return Number.isFinite(t) ? moment.format(t) : iso
    },
    /** An ISO date or moment, as a day. */
    day(iso: string | null | undefined): string {
      if (!iso) return ''
      const t = Date.parse(iso)
      return Number.isFinite(t) ? day.format(t) : iso
    },
  }
}

export { i18n }
