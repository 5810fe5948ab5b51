/**
 * Which language the client's side speaks (issue 11), and how numbers and moments are written in it.
 *
 * - The client's language: their contact's own (`contacts.data.language`), else the element's
 *   `client.language` field, else the default of our company (`my_companies.data.language`), else English.
 * - Our company signer's: our company's default.
 * - A document's: the client's, for a built-in template (laid out in code, it speaks every language); an
 *   uploaded PDF speaks the language it was written in, which its locale says ("pl-PL": Polish), when it is
 *   one we speak.
 *
 * Moments (a certificate's events, a link's deadline) are written for the language's locale in our default
 * company's time zone (its working calendar), UTC without one.
 */
import { flattenFields } from '../../shared/engine/values.js'
import { isLanguage, type Language } from '../../shared/i18n/languages.js'
import { isRecord, parseData } from '../db/directory-data.js'
import type { ElementRow, MyCompanyRow } from '../db/schema.js'
import type { Executor } from '../db/shapes.js'
import { storedCalendar } from '../runtime/runtime.js'

/** The locale a language's documents and messages are written for (amounts, dates), unless told otherwise. */
export const LOCALES: Readonly<Record<Language, string>> = {
  en: 'en-GB',
  pl: 'pl-PL',
  fr: 'fr-FR',
  tr: 'tr-TR',
  de: 'de-DE',
}

/** A language of ours from a value that may be one ("pl"), a locale ("pl-PL") or anything else. */
export function languageOf(value: unknown): Language | undefined {
  if (typeof value !== 'string') return undefined
  const primary = value.trim().toLowerCase().split(/[-_]/)[0]
  return isLanguage(primary) ? primary : undefined
}

/** The language a stored row's data names (`{"language": "pl"}`), if it names one we speak. */
export function storedLanguage(data: string | Record<string, unknown>): Language | undefined {
  const value = (typeof data === 'string' ? parseData(data) : data).language
  return isLanguage(value) ? value : undefined
}

/** Our company: the one named, else the default one (the first made). */
export async function ourCompany(db: Executor, id?: string): Promise<MyCompanyRow | undefined> {
  let select = db.selectFrom('my_companies').selectAll()
  select = id ? select.where('id', '=', id) : select.orderBy('created_at').orderBy('id')
  return select.limit(1).executeTakeFirst()
}

/** Our company's default language and time zone (English and UTC without a company). */
export async function ourDefaults(db: Executor, id?: string): Promise<{ language: Language; timeZone: string }> {
  const row = await ourCompany(db, id)
  return {
    language: (row && storedLanguage(row.data)) ?? 'en',
    timeZone: storedCalendar(row?.calendar ?? null).timeZone,
  }
}

/**
 * The language the client of an element asked for: their contact's, else the element's `client.language`
 * field (flat, or nested in `client`); undefined when neither names one we speak.
 */
export async function clientsOwnLanguage(
  db: Executor,
  element: Pick<ElementRow, 'fields' | 'contact_id'>,
): Promise<Language | undefined> {
  if (element.contact_id) {
    const contact = await db
      .selectFrom('contacts')
      .select('data')
      .where('id', '=', element.contact_id)
      .executeTakeFirst()
    const own = contact ? storedLanguage(contact.data) : undefined
    if (own) return own
  }
  const fields = parseData(element.fields)
  const flat = flattenFields(fields).get('client.language')
  const nested = isRecord(fields.client) ? fields.client.language : undefined
  const named = flat ?? nested
  return isLanguage(named) ? named : undefined
}

/** The client's language (see the top of this file): their own, else our company's default. */
export async function clientLanguage(db: Executor, elementId: string, myCompanyId?: string): Promise<Language> {
  const element = await db
    .selectFrom('elements')
    .select(['fields', 'contact_id'])
    .where('id', '=', elementId)
    .executeTakeFirst()
  const own = element ? await clientsOwnLanguage(db, element) : undefined
  return own ?? (await ourDefaults(db, myCompanyId)).language
}

/** Writes moments and days for a locale in a time zone (falling back to UTC and English where Intl refuses). */
export function momentFormat(locale: string, timeZone: string) {
  const make = (options: Intl.DateTimeFormatOptions) => {
    try {
      return new Intl.DateTimeFormat(locale, { ...options, timeZone })
    } catch {
      return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' })
    }
  }
  const moment = make({ dateStyle: 'long', timeStyle: 'long' })
  const day = make({ dateStyle: 'long' })
  const short = make({ day: '2-digit', month: '2-digit', year: 'numeric' })
  const read = (iso: string) => {
    const t = Date.parse(iso)
    return Number.isFinite(t) ? t : undefined
  }
  return {
    /** "23 listopada 2026 11:05:09 CET": to the second, with the zone. */
    moment: (iso: string) => {
      const t = read(iso)
      return t === undefined ? iso : moment.format(t)
    },
    /** "23 listopada 2026". */
    day: (iso: string) => {
      const t = read(iso)
      return t === undefined ? iso.slice(0, 10) : day.format(t)
    },
    /** "23.11.2026": for a small box. */
    shortDay: (iso: string) => {
      const t = read(iso)
      return t === undefined ? iso.slice(0, 10) : short.format(t)
    },
  }
}
