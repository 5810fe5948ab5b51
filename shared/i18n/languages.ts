/**
 * The languages Signflow speaks: English, and the languages of the help articles it comes from (Polish,
 * French, Turkish, German). Codes are BCP 47 primary tags; each names itself in its own language.
 */
export const LANGUAGES = ['en', 'pl', 'fr', 'tr', 'de'] as const
export type Language = (typeof LANGUAGES)[number]

export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  pl: 'Polski',
  fr: 'Français',
  tr: 'Türkçe',
  de: 'Deutsch',
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

/**
 * The first of the given language tags (e.g. the browser's `navigator.languages`, or an Accept-Language
 * header's, best first) that we speak — "pl-PL" is Polish — else English.
 */
export function pickLanguage(tags: readonly string[]): Language {
  for (const tag of tags) {
    const primary = tag.trim().toLowerCase().split(/[-_;]/)[0]
    if (isLanguage(primary)) return primary
  }
  return 'en'
}

/** Upper case as the language writes it: Turkish "i" is "İ" and "ı" is "I". */
export function upper(text: string, language: Language): string {
  return text.toLocaleUpperCase(language)
}
