/**
 * The directory's handlers (contacts, companies, my companies with their images, users), keyed by
 * the operation ids of `directory-spec.ts`; `runtime-api.ts` serves them after checking each
 * request's query and body against the operation's schema.
 *
 * Every change writes its audit row in the same transaction as the change, so a refused change
 * (404, 409, 422) writes nothing. Rows keep requisites as JSON text in `data`; the views here read
 * it defensively (unknown keys and values of the wrong type are left out), so a hand-edited row
 * cannot break an answer.
 */
import { randomUUID } from 'node:crypto'
import type { Context } from 'hono'
import { sql } from 'kysely'
import type { Static } from 'typebox'
import type { WorkingCalendar } from '../../shared/engine/types.js'
import { REQUISITE_FIELDS, REQUISITE_TEMPLATES, type RequisiteTemplate } from '../../shared/graph/vocabulary.js'
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../../shared/i18n/languages.js'
import { writeAudit } from '../db/audit.js'
import { dialectOf } from '../db/dialect.js'
import {
  addressesOf,
  companySearchText,
  contactSearchText,
  foldForSearch,
  isOneOf,
  isRecord,
  parseData,
  textValues,
} from '../db/directory-data.js'
import { deleteFiles, type FileInfo, fileInfos, readFile, replaceFile } from '../db/files.js'
import type { CompanyRow, ContactRow, MyCompanyRow, UserRow } from '../db/schema.js'
import type { Executor } from '../db/shapes.js'
import { storedLanguage } from '../documents/language.js'
import { storedCalendar } from '../runtime/runtime.js'
import { actorOf } from './actor.js'
import {
  BANK_FIELDS,
  type CalendarSchema,
  CONTACT_TEMPLATES,
  DIRECTORY_DEFAULT_PAGE,
  type DirectoryOperationId,
  IMAGE_KINDS,
  type ImageKind,
  type ImageType,
  OWN_REQUISITE_FIELDS,
  USER_ROLES,
  type UserRole,
} from './directory-spec.js'
import { HttpError } from './errors.js'
import type { Handler, Services } from './runtime-api.js'

type DirectoryHandlers = { [K in DirectoryOperationId]: Handler<K> }

// ------------------------------------------------------------ search

/** `%text%` for LIKE … ESCAPE '\', with the text's own `%`, `_` and `\` taken literally. */
function containsPattern(text: string): string {
  return `%${foldForSearch(text).replace(/[\\%_]/g, (m) => `\\${m}`)}%`
}

// ------------------------------------------------------------ images

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/**
 * What the bytes are, from their first bytes (never from a header): a PNG (its signature, then an
 * IHDR chunk with a width and a height) or a JPEG (a start-of-image marker followed by another
 * marker); `undefined` for anything else, SVG included.
 */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  if (
    bytes.length >= 33 &&
    PNG_SIGNATURE.every((b, i) => bytes[i] === b) &&
    String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR'
  ) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (view.getUint32(16) > 0 && view.getUint32(20) > 0) return 'image/png'
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  return undefined
}

const EXTENSIONS: Readonly<Record<ImageType, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg' }

export const myCompanyOwner = (id: string) => `myCompany:${id}`

function imageUrl(id: string, kind: string): string {
  return `/api/my-companies/${encodeURIComponent(id)}/images/${kind}`
}

function imageView(companyId: string, file: FileInfo) {
  return {
    kind: file.kind as ImageKind,
    contentType: file.content_type as ImageType,
    size: file.size,
    sha256: file.sha256,
    url: imageUrl(companyId, file.kind),
    createdAt: file.created_at,
  }
}

// ------------------------------------------------------------ views

function contactView(row: ContactRow) {
  const stored = parseData(row.data).requisites
  const requisites =
    isRecord(stored) && isOneOf(CONTACT_TEMPLATES, stored.template)
      ? {
          template: stored.template,
          fields: textValues(stored.fields, REQUISITE_FIELDS),
          addresses: addressesOf(stored.addresses),
        }
      : null
  return {
    id: row.id,
    name: row.name,
    email: row.email === '' ? null : row.email,
    phone: row.phone === '' ? null : row.phone,
    companyId: row.company_id,
    requisites,
    language: storedLanguage(row.data) ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at ?? row.created_at,
  }
}

function companyView(row: CompanyRow) {
  const data = parseData(row.data)
  return {
    id: row.id,
    name: row.name,
    template: (isOneOf(REQUISITE_TEMPLATES, row.template) ? row.template : 'organization') as RequisiteTemplate,
    requisites: textValues(data.requisites, REQUISITE_FIELDS),
    addresses: addressesOf(data.addresses),
    createdAt: row.created_at,
    updatedAt: row.updated_at ?? row.created_at,
  }
}

function myCompanyView(row: MyCompanyRow, files: readonly FileInfo[]) {
  const data = parseData(row.data)
  const owner = myCompanyOwner(row.id)
  const images = Object.fromEntries(
    IMAGE_KINDS.map((kind) => {
      const file = files.findLast((f) => f.owner === owner && f.kind === kind)
      return [kind, file ? imageView(row.id, file) : null]
    }),
  ) as Record<ImageKind, ReturnType<typeof imageView> | null>
  return {
    id: row.id,
    name: row.name,
    requisites: textValues(data.requisites, OWN_REQUISITE_FIELDS),
    bankDetails: textValues(data.bankDetails, BANK_FIELDS),
    addresses: addressesOf(data.addresses),
    images,
    calendar: storedCalendar(row.calendar),
    language: storedLanguage(data) ?? ('en' as Language),
    createdAt: row.created_at,
    updatedAt: row.updated_at ?? row.created_at,
  }
}

function userView(row: UserRow) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: (isOneOf(USER_ROLES, row.role) ? row.role : 'readOnly') as UserRole,
    active: Number(row.active) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at ?? row.created_at,
  }
}

// ------------------------------------------------------------ errors

const notFound = (message: string) => new HttpError(404, 'not-found', message)
const invalid = (path: string, message: string) => new HttpError(422, 'invalid', message, { path })
const conflict = (message: string, path?: string) =>
  new HttpError(409, 'conflict', message, path === undefined ? {} : { path })
const idTaken = (what: string, id: string) =>
  conflict(`A ${what} "${id}" exists already; choose another id or leave it out.`, '/id')

// ------------------------------------------------------------ the working calendar

/** The time zone's canonical name ("europe/warsaw" → "Europe/Warsaw"), if `Intl` knows it. */
function knownTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

/** ` (did you mean "Europe/Warsaw"?)` for "Warsaw" or "warsaw": a known zone of that name or city, if any. */
function timeZoneHint(name: string): string {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  const key = name.trim().toLowerCase().replace(/\s+/g, '_')
  if (key === '') return ''
  const match = zones.find((z) => z.toLowerCase() === key) ?? zones.find((z) => z.toLowerCase().endsWith(`/${key}`))
  return match ? ` (did you mean "${match}"?)` : ''
}

/**
 * A calendar the body gave, checked beyond its schema (422 with the path): a time zone `Intl` knows (kept by its
 * canonical name), a day that ends after it starts, real dates; work days and holidays kept in order, each once.
 */
function checkedCalendar(calendar: Static<typeof CalendarSchema>): WorkingCalendar {
  const timeZone = knownTimeZone(calendar.timeZone)
  if (timeZone === undefined) {
    throw invalid(
      '/calendar/timeZone',
      `"${calendar.timeZone}" is not a time zone this server knows${timeZoneHint(calendar.timeZone)}; use an IANA ` +
        'name such as "Europe/Warsaw", "America/New_York" or "UTC".',
    )
  }
  if (calendar.end <= calendar.start) {
    throw invalid(
      '/calendar/end',
      `The working day must end after it starts: ${calendar.end} is not after ${calendar.start}.`,
    )
  }
  calendar.holidays.forEach((day, i) => {
    const date = new Date(`${day}T00:00:00Z`)
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
      throw invalid(`/calendar/holidays/${i}`, `"${day}" is not a date; write holidays as "YYYY-MM-DD".`)
    }
  })
  return {
    timeZone,
    workDays: [...new Set(calendar.workDays)].sort((a, b) => a - b),
    start: calendar.start,
    end: calendar.end,
    holidays: [...new Set(calendar.holidays)].sort(),
  }
}

// ------------------------------------------------------------ languages

/** Names of our languages a person might write instead of the code: "Polish", "polski", "Türkçe", "pl-PL". */
const LANGUAGE_ALIASES: ReadonlyMap<string, Language> = new Map(
  LANGUAGES.flatMap((language) => {
    const english = new Intl.DisplayNames('en', { type: 'language' }).of(language) ?? language
    return [english, LANGUAGE_NAMES[language]].map((name) => [foldForSearch(name), language] as const)
  }),
)

/**
 * A language a body gave, checked (422 at `path` otherwise): one of the codes we speak. A locale ("pl-PL") or a
 * language's name ("Polish", "polski") is refused with the code it likely means.
 */
function checkedLanguage(value: string, path: string): Language {
  if (isLanguage(value)) return value
  const folded = foldForSearch(value.trim())
  const primary = folded.split(/[-_]/)[0] ?? ''
  const meant = isLanguage(primary) ? primary : LANGUAGE_ALIASES.get(folded)
  throw invalid(
    path,
    `"${value}" is not a language Signflow speaks${meant ? ` (did you mean "${meant}"?)` : ''}; use one of ` +
      `${LANGUAGES.map((l) => `"${l}" (${LANGUAGE_NAMES[l]})`).join(', ')}.`,
  )
}

/** `2 contacts ("a", "b")`, naming at most 5. */
function someOf(rows: ReadonlyArray<{ id: string }>, one: string, many: string): string {
  const named = rows
    .slice(0, 5)
    .map((r) => `"${r.id}"`)
    .join(', ')
  const more = rows.length > 5 ? ` and ${rows.length - 5} more` : ''
  return `${rows.length} ${rows.length === 1 ? one : many} (${named}${more})`
}

/** The keys a PATCH body gave, for the audit row: what changed, not the values (they may be personal). */
const changedKeys = (body: object) => Object.keys(body).sort()

// ------------------------------------------------------------ the handlers

export function makeDirectoryHandlers(
  services: Pick<Services, 'db'> & { runtime?: Pick<Services['runtime'], 'forgetMyCompany'> },
): DirectoryHandlers {
  const { db } = services
  const nowIso = () => new Date().toISOString()

  /**
   * Runs `change` in a transaction. When it fails with something other than a refusal (the database's
   * unique key refused a row that a request running at the same time inserted first), `explain` may
   * turn that into the refusal it means.
   */
  async function inTransaction<T>(
    change: (trx: Executor) => Promise<T>,
    explain: () => Promise<HttpError | undefined> = async () => undefined,
  ): Promise<T> {
    try {
      return await db.transaction().execute(change)
    } catch (error) {
      if (!(error instanceof HttpError)) {
        const refusal = await explain()
        if (refusal) throw refusal
      }
      throw error
    }
  }

  const page = (query: { limit?: number; offset?: number }) => ({
    limit: query.limit ?? DIRECTORY_DEFAULT_PAGE,
    offset: query.offset ?? 0,
  })

  async function contactRow(tx: Executor, id: string | undefined): Promise<ContactRow> {
    const row =
      id === undefined ? undefined : await tx.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound(`No contact "${id}".`)
    return row
  }
  async function companyRow(tx: Executor, id: string | undefined): Promise<CompanyRow> {
    const row =
      id === undefined
        ? undefined
        : await tx.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound(`No company "${id}".`)
    return row
  }
  async function myCompanyRow(tx: Executor, id: string | undefined): Promise<MyCompanyRow> {
    const row =
      id === undefined
        ? undefined
        : await tx.selectFrom('my_companies').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound(`No company of ours "${id}".`)
    return row
  }
  async function userRow(tx: Executor, id: string | undefined): Promise<UserRow> {
    const row =
      id === undefined ? undefined : await tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound(`No user "${id}".`)
    return row
  }
  async function requireCompany(tx: Executor, id: string | null | undefined): Promise<void> {
    if (id === null || id === undefined) return
    const row = await tx.selectFrom('companies').select('id').where('id', '=', id).executeTakeFirst()
    if (!row) throw invalid('/companyId', `No company "${id}"; create it first, or leave companyId out.`)
  }
  async function myCompanyAnswer(tx: Executor, row: MyCompanyRow) {
    return myCompanyView(row, await fileInfos(tx, [myCompanyOwner(row.id)]))
  }
  function imageKind(kind: string | undefined): ImageKind {
    if (!isOneOf(IMAGE_KINDS, kind)) {
      throw notFound(`No image kind "${kind}"; a company of ours has a ${IMAGE_KINDS.join(' and a ')}.`)
    }
    return kind
  }

  /** Whether an email is some other user's (emails are kept in lower case). */
  async function emailOwner(tx: Executor, email: string, except?: string) {
    let select = tx.selectFrom('users').select('id').where('email', '=', email)
    if (except !== undefined) select = select.where('id', '!=', except)
    return select.executeTakeFirst()
  }
  const emailTaken = (email: string) =>
    conflict(`Another user has the email "${email}"; each user needs their own.`, '/email')

  /** Refuses (409) a change that would leave no active admin: nobody could manage users any more. */
  async function keepAnAdmin(tx: Executor, user: UserRow, role: UserRole, active: boolean, path: string) {
    if (user.role !== 'admin' || Number(user.active) !== 1 || (role === 'admin' && active)) return
    let others = tx
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('active', '=', 1)
      .where('id', '!=', user.id)
    // PostgreSQL: two requests demoting the last two admins at once must not both see the other one.
    if (dialectOf(tx) === 'postgres') others = others.forUpdate()
    if ((await others.execute()).length === 0) {
      throw conflict(`"${user.id}" is the last active admin; make another user an admin first.`, path)
    }
  }

  return {
    // ---------------------------------------------------------- contacts
    listContacts: async ({ c, query }) => {
      const { limit, offset } = page(query)
      let select = db.selectFrom('contacts')
      if (query.q !== undefined) {
        const pattern = containsPattern(query.q)
        select = select.where(
          sql<boolean>`coalesce(search_text, lower(name || ' ' || email || ' ' || phone)) like ${pattern} escape '\\'`,
        )
      }
      if (query.companyId !== undefined) select = select.where('company_id', '=', query.companyId)
      const count = await select.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()
      const rows = await select.selectAll().orderBy('name').orderBy('id').limit(limit).offset(offset).execute()
      return c.json({ items: rows.map(contactView), total: Number(count?.n ?? 0), limit, offset })
    },

    createContact: async ({ c, body }) => {
      const id = body.id ?? randomUUID()
      const at = nowIso()
      const email = body.email ?? ''
      const phone = body.phone ?? ''
      const language =
        body.language === undefined || body.language === null ? undefined : checkedLanguage(body.language, '/language')
      await inTransaction(
        async (trx) => {
          if (await trx.selectFrom('contacts').select('id').where('id', '=', id).executeTakeFirst()) {
            throw idTaken('contact', id)
          }
          await requireCompany(trx, body.companyId)
          await trx
            .insertInto('contacts')
            .values({
              id,
              name: body.name,
              email,
              phone,
              company_id: body.companyId ?? null,
              data: JSON.stringify({
                ...(body.requisites ? { requisites: body.requisites } : {}),
                ...(language ? { language } : {}),
              }),
              created_at: at,
              updated_at: at,
              search_text: contactSearchText(body.name, email, phone),
            })
            .execute()
          await writeAudit(
            trx,
            actorOf(c),
            { action: 'contact.created', target: `contact:${id}`, detail: { name: body.name } },
            at,
          )
        },
        async () =>
          (await db.selectFrom('contacts').select('id').where('id', '=', id).executeTakeFirst())
            ? idTaken('contact', id)
            : undefined,
      )
      c.header('Location', `/api/contacts/${encodeURIComponent(id)}`)
      return c.json(contactView(await contactRow(db, id)), 201)
    },

    getContact: async ({ c, params }) => c.json(contactView(await contactRow(db, params.id))),

    updateContact: async ({ c, params, body }) => {
      const at = nowIso()
      const language =
        body.language === undefined || body.language === null
          ? body.language
          : checkedLanguage(body.language, '/language')
      const row = await inTransaction(async (trx) => {
        const before = await contactRow(trx, params.id)
        if (body.companyId !== undefined) await requireCompany(trx, body.companyId)
        const data = parseData(before.data)
        if (body.requisites !== undefined) {
          if (body.requisites === null) delete data.requisites
          else data.requisites = body.requisites
        }
        if (language !== undefined) {
          if (language === null) delete data.language
          else data.language = language
        }
        const name = body.name ?? before.name
        const email = body.email === undefined ? before.email : (body.email ?? '')
        const phone = body.phone === undefined ? before.phone : (body.phone ?? '')
        await trx
          .updateTable('contacts')
          .set({
            name,
            email,
            phone,
            company_id: body.companyId === undefined ? before.company_id : body.companyId,
            data: JSON.stringify(data),
            updated_at: at,
            search_text: contactSearchText(name, email, phone),
          })
          .where('id', '=', before.id)
          .execute()
        await writeAudit(
          trx,
          actorOf(c),
          { action: 'contact.updated', target: `contact:${before.id}`, detail: { changed: changedKeys(body) } },
          at,
        )
        return contactRow(trx, before.id)
      })
      return c.json(contactView(row))
    },

    deleteContact: async ({ c, params }) => {
      await inTransaction(async (trx) => {
        const row = await contactRow(trx, params.id)
        const elements = await trx
          .selectFrom('elements')
          .select('id')
          .where('contact_id', '=', row.id)
          .orderBy('id')
          .execute()
        if (elements.length > 0) {
          throw conflict(
            `Contact "${row.id}" is the client of ${someOf(elements, 'element', 'elements')}; ` +
              'give them another client first. Nothing was deleted.',
          )
        }
        await trx.deleteFrom('contacts').where('id', '=', row.id).execute()
        await writeAudit(trx, actorOf(c), {
          action: 'contact.deleted',
          target: `contact:${row.id}`,
          detail: { name: row.name },
        })
      })
      return c.body(null, 204)
    },

    // ---------------------------------------------------------- companies
    listCompanies: async ({ c, query }) => {
      const { limit, offset } = page(query)
      let select = db.selectFrom('companies')
      if (query.q !== undefined) {
        const pattern = containsPattern(query.q)
        select = select.where(sql<boolean>`coalesce(search_text, lower(name)) like ${pattern} escape '\\'`)
      }
      if (query.template !== undefined) select = select.where('template', '=', query.template)
      const count = await select.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()
      const rows = await select.selectAll().orderBy('name').orderBy('id').limit(limit).offset(offset).execute()
      return c.json({ items: rows.map(companyView), total: Number(count?.n ?? 0), limit, offset })
    },

    createCompany: async ({ c, body }) => {
      const id = body.id ?? randomUUID()
      const at = nowIso()
      const requisites = body.requisites ?? {}
      await inTransaction(
        async (trx) => {
          if (await trx.selectFrom('companies').select('id').where('id', '=', id).executeTakeFirst()) {
            throw idTaken('company', id)
          }
          await trx
            .insertInto('companies')
            .values({
              id,
              name: body.name,
              template: body.template,
              data: JSON.stringify({ requisites, addresses: body.addresses ?? {} }),
              created_at: at,
              updated_at: at,
              search_text: companySearchText(body.name, requisites),
            })
            .execute()
          await writeAudit(
            trx,
            actorOf(c),
            {
              action: 'company.created',
              target: `company:${id}`,
              detail: { name: body.name, template: body.template },
            },
            at,
          )
        },
        async () =>
          (await db.selectFrom('companies').select('id').where('id', '=', id).executeTakeFirst())
            ? idTaken('company', id)
            : undefined,
      )
      c.header('Location', `/api/companies/${encodeURIComponent(id)}`)
      return c.json(companyView(await companyRow(db, id)), 201)
    },

    getCompany: async ({ c, params }) => c.json(companyView(await companyRow(db, params.id))),

    updateCompany: async ({ c, params, body }) => {
      const at = nowIso()
      const row = await inTransaction(async (trx) => {
        const before = await companyRow(trx, params.id)
        const view = companyView(before)
        const name = body.name ?? before.name
        const requisites = body.requisites ?? view.requisites
        await trx
          .updateTable('companies')
          .set({
            name,
            template: body.template ?? view.template,
            data: JSON.stringify({ requisites, addresses: body.addresses ?? view.addresses }),
            updated_at: at,
            search_text: companySearchText(name, requisites),
          })
          .where('id', '=', before.id)
          .execute()
        await writeAudit(
          trx,
          actorOf(c),
          { action: 'company.updated', target: `company:${before.id}`, detail: { changed: changedKeys(body) } },
          at,
        )
        return companyRow(trx, before.id)
      })
      return c.json(companyView(row))
    },

    deleteCompany: async ({ c, params }) => {
      await inTransaction(async (trx) => {
        const row = await companyRow(trx, params.id)
        const contacts = await trx
          .selectFrom('contacts')
          .select('id')
          .where('company_id', '=', row.id)
          .orderBy('id')
          .execute()
        const elements = await trx
          .selectFrom('elements')
          .select('id')
          .where('company_id', '=', row.id)
          .orderBy('id')
          .execute()
        if (contacts.length > 0 || elements.length > 0) {
          const parts = [
            ...(contacts.length > 0 ? [someOf(contacts, 'contact', 'contacts')] : []),
            ...(elements.length > 0 ? [someOf(elements, 'element', 'elements')] : []),
          ]
          throw conflict(
            `Company "${row.id}" is referred to by ${parts.join(' and ')}; move them to another company or ` +
              'delete them first. Nothing was deleted.',
          )
        }
        await trx.deleteFrom('companies').where('id', '=', row.id).execute()
        await writeAudit(trx, actorOf(c), {
          action: 'company.deleted',
          target: `company:${row.id}`,
          detail: { name: row.name },
        })
      })
      return c.body(null, 204)
    },

    // ---------------------------------------------------------- my companies
    listMyCompanies: async ({ c }) => {
      const rows = await db.selectFrom('my_companies').selectAll().orderBy('name').orderBy('id').execute()
      const files = await fileInfos(
        db,
        rows.map((r) => myCompanyOwner(r.id)),
      )
      return c.json({ items: rows.map((row) => myCompanyView(row, files)) })
    },

    createMyCompany: async ({ c, body }) => {
      const id = body.id ?? randomUUID()
      const at = nowIso()
      const taken = () => idTaken('company of ours', id)
      const calendar = body.calendar === undefined ? undefined : checkedCalendar(body.calendar)
      const language = body.language === undefined ? undefined : checkedLanguage(body.language, '/language')
      await inTransaction(
        async (trx) => {
          if (await trx.selectFrom('my_companies').select('id').where('id', '=', id).executeTakeFirst()) throw taken()
          await trx
            .insertInto('my_companies')
            .values({
              id,
              name: body.name,
              data: JSON.stringify({
                requisites: body.requisites ?? {},
                bankDetails: body.bankDetails ?? {},
                addresses: body.addresses ?? {},
                ...(language ? { language } : {}),
              }),
              calendar: calendar === undefined ? null : JSON.stringify(calendar),
              created_at: at,
              updated_at: at,
            })
            .execute()
          await writeAudit(
            trx,
            actorOf(c),
            { action: 'myCompany.created', target: `myCompany:${id}`, detail: { name: body.name } },
            at,
          )
        },
        async () =>
          (await db.selectFrom('my_companies').select('id').where('id', '=', id).executeTakeFirst())
            ? taken()
            : undefined,
      )
      // The first company of ours is the default one: its calendar is the runtime's from now on.
      services.runtime?.forgetMyCompany()
      c.header('Location', `/api/my-companies/${encodeURIComponent(id)}`)
      return c.json(await myCompanyAnswer(db, await myCompanyRow(db, id)), 201)
    },

    getMyCompany: async ({ c, params }) => c.json(await myCompanyAnswer(db, await myCompanyRow(db, params.id))),

    updateMyCompany: async ({ c, params, body }) => {
      const at = nowIso()
      const calendar = body.calendar === undefined ? undefined : checkedCalendar(body.calendar)
      const language = body.language === undefined ? undefined : checkedLanguage(body.language, '/language')
      const row = await inTransaction(async (trx) => {
        const before = await myCompanyRow(trx, params.id)
        const view = myCompanyView(before, [])
        const kept = storedLanguage(before.data)
        await trx
          .updateTable('my_companies')
          .set({
            name: body.name ?? before.name,
            data: JSON.stringify({
              requisites: body.requisites ?? view.requisites,
              bankDetails: body.bankDetails ?? view.bankDetails,
              addresses: body.addresses ?? view.addresses,
              ...((language ?? kept) ? { language: language ?? kept } : {}),
            }),
            calendar: calendar === undefined ? before.calendar : JSON.stringify(calendar),
            updated_at: at,
          })
          .where('id', '=', before.id)
          .execute()
        await writeAudit(
          trx,
          actorOf(c),
          {
            action: 'myCompany.updated',
            target: `myCompany:${before.id}`,
            // The calendar says nothing personal: kept as it was set, for "why did this run at 9?".
            detail: {
              changed: changedKeys(body),
              ...(calendar === undefined ? {} : { calendar: { ...calendar } }),
              ...(language === undefined ? {} : { language }),
            },
          },
          at,
        )
        return myCompanyRow(trx, before.id)
      })
      // This process schedules with the new calendar at once; other processes within a second.
      if (calendar !== undefined) services.runtime?.forgetMyCompany()
      return c.json(await myCompanyAnswer(db, row))
    },

    putMyCompanyImage: async ({ c, params, body }) => {
      const company = await myCompanyRow(db, params.id)
      const kind = imageKind(params.kind)
      const contentType = sniffImage(body)
      if (!contentType) {
        throw invalid(
          '',
          `The body is not a PNG or JPEG image (its first bytes say so, whatever the Content-Type header says). ` +
            `Upload the ${kind} as a PNG or a JPEG.`,
        )
      }
      const at = nowIso()
      const stored = await inTransaction(async (trx) => {
        const row = await myCompanyRow(trx, company.id)
        const file = await replaceFile(trx, {
          owner: myCompanyOwner(row.id),
          kind,
          name: `${kind}.${EXTENSIONS[contentType]}`,
          contentType,
          bytes: body,
          at,
        })
        await trx.updateTable('my_companies').set({ updated_at: at }).where('id', '=', row.id).execute()
        await writeAudit(
          trx,
          actorOf(c),
          {
            action: 'myCompany.imageSet',
            target: `myCompany:${row.id}`,
            detail: { kind, contentType, size: file.size, sha256: file.sha256 },
          },
          at,
        )
        return file
      })
      return c.json(imageView(company.id, stored))
    },

    getMyCompanyImage: async ({ c, params }) => {
      const company = await myCompanyRow(db, params.id)
      const kind = imageKind(params.kind)
      const file = await readFile(db, myCompanyOwner(company.id), kind)
      if (!file) throw notFound(`Company of ours "${company.id}" has no ${kind} image yet; PUT one.`)
      const etag = `"${file.sha256}"`
      const headers = {
        ETag: etag,
        'Cache-Control': 'private, no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      }
      if (matchesEtag(c, etag)) return c.body(null, 304, headers)
      const bytes = new Uint8Array(file.bytes.byteLength)
      bytes.set(file.bytes)
      return c.body(bytes, 200, {
        ...headers,
        'Content-Type': file.content_type,
        'Content-Disposition': `inline; filename="${file.name ?? kind}"`,
      })
    },

    deleteMyCompanyImage: async ({ c, params }) => {
      const company = await myCompanyRow(db, params.id)
      const kind = imageKind(params.kind)
      await inTransaction(async (trx) => {
        const removed = await deleteFiles(trx, myCompanyOwner(company.id), kind)
        if (removed === 0) throw notFound(`Company of ours "${company.id}" has no ${kind} image.`)
        const at = nowIso()
        await trx.updateTable('my_companies').set({ updated_at: at }).where('id', '=', company.id).execute()
        await writeAudit(
          trx,
          actorOf(c),
          { action: 'myCompany.imageDeleted', target: `myCompany:${company.id}`, detail: { kind } },
          at,
        )
      })
      return c.body(null, 204)
    },

    // ---------------------------------------------------------- users
    listUsers: async ({ c, query }) => {
      const { limit, offset } = page(query)
      let select = db.selectFrom('users')
      if (query.role !== undefined) select = select.where('role', '=', query.role)
      if (query.active !== undefined) select = select.where('active', '=', query.active === 'true' ? 1 : 0)
      const count = await select.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()
      const rows = await select.selectAll().orderBy('name').orderBy('id').limit(limit).offset(offset).execute()
      return c.json({ items: rows.map(userView), total: Number(count?.n ?? 0), limit, offset })
    },

    createUser: async ({ c, body }) => {
      const id = body.id ?? randomUUID()
      const email = body.email.toLowerCase()
      const at = nowIso()
      await inTransaction(
        async (trx) => {
          if (await trx.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) {
            throw idTaken('user', id)
          }
          if (await emailOwner(trx, email)) throw emailTaken(email)
          await trx
            .insertInto('users')
            .values({
              id,
              name: body.name,
              email,
              role: body.role,
              active: body.active === false ? 0 : 1,
              created_at: at,
              updated_at: at,
            })
            .execute()
          await writeAudit(
            trx,
            actorOf(c),
            {
              action: 'user.created',
              target: `user:${id}`,
              detail: { role: body.role, active: body.active !== false },
            },
            at,
          )
        },
        async () => {
          if (await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) {
            return idTaken('user', id)
          }
          return (await emailOwner(db, email)) ? emailTaken(email) : undefined
        },
      )
      c.header('Location', `/api/users/${encodeURIComponent(id)}`)
      return c.json(userView(await userRow(db, id)), 201)
    },

    getUser: async ({ c, params }) => c.json(userView(await userRow(db, params.id))),

    updateUser: async ({ c, params, body }) => {
      const at = nowIso()
      const email = body.email?.toLowerCase()
      const row = await inTransaction(
        async (trx) => {
          const before = await userRow(trx, params.id)
          if (email !== undefined && (await emailOwner(trx, email, before.id))) throw emailTaken(email)
          const view = userView(before)
          const role = body.role ?? view.role
          const active = body.active ?? view.active
          await keepAnAdmin(trx, before, role, active, body.active === false ? '/active' : '/role')
          await trx
            .updateTable('users')
            .set({
              name: body.name ?? before.name,
              email: email ?? before.email,
              role,
              active: active ? 1 : 0,
              updated_at: at,
            })
            .where('id', '=', before.id)
            .execute()
          // A deactivated user is signed out everywhere at once (the guard refuses them anyway; this ends the
          // sessions themselves, so that nothing of better-auth's answers to them either).
          if (!active) await trx.deleteFrom('auth_session').where('user_id', '=', before.id).execute()
          const detail = {
            changed: changedKeys(body),
            ...(body.role !== undefined ? { role } : {}),
            ...(body.active !== undefined ? { active } : {}),
          }
          await writeAudit(trx, actorOf(c), { action: 'user.updated', target: `user:${before.id}`, detail }, at)
          return userRow(trx, before.id)
        },
        async () => (email !== undefined && (await emailOwner(db, email, params.id)) ? emailTaken(email) : undefined),
      )
      return c.json(userView(row))
    },
  }
}

/** Whether If-None-Match names `etag` (or is `*`). */
function matchesEtag(c: Context, etag: string): boolean {
  const header = c.req.header('if-none-match')
  if (!header) return false
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*')
}
