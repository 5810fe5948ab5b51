/**
 * Documents as the runtime keeps them: made from a template and an element (its fields, its client's and
 * our company's requisites, a rule's extra fields), numbered per type and year ("INV-2026-0007", a
 * sequence in `counters`), drawn (`render.ts`), stored (`files`, owner `document:<id>`) and audited, all
 * in one transaction — a document exists whole or not at all, and numbers have no gaps.
 *
 * A public link is a random token of 192 bits; only its SHA-256 is stored. It expires (30 days by
 * default) and can be revoked or replaced.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Json } from '../../shared/engine/types.js'
import { flattenFields } from '../../shared/engine/values.js'
import type { DocumentType } from '../../shared/graph/vocabulary.js'
import { isLanguage, type Language, upper } from '../../shared/i18n/languages.js'
import { type Actor, writeAudit } from '../db/audit.js'
import { parseData } from '../db/directory-data.js'
import { addFile, readFile } from '../db/files.js'
import type { Database, DocumentRow, DocumentTemplateRow, ElementRow } from '../db/schema.js'
import type { Executor } from '../db/shapes.js'
import { clientFields, myCompanyFields } from '../runtime/linked.js'
import { type DocumentWords, documentWords } from './document-words.js'
import { clientsOwnLanguage, LOCALES, languageOf, storedLanguage } from './language.js'
import { type DocumentContent, type Item, type Rendered, renderDocument, type SigningBox } from './render.js'
import { builtinTemplate, type DocumentTemplate, isDocumentType, type PlacedField, TYPE_TITLES } from './templates.js'

let eventSeq = 0
/** Ids of document events that sort as they happened, also within one millisecond of one process. */
export const eventId = () =>
  `${Date.now().toString().padStart(13, '0')}-${(eventSeq++ % 1_000_000).toString().padStart(6, '0')}-${randomUUID().slice(0, 8)}`

/** How long a public link works unless told otherwise. */
export const PUBLIC_LINK_DAYS = 30

export const sha256Hex = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex')

/** A token of `bytes` random bytes, URL-safe. */
export const newToken = (bytes = 24) => randomBytes(bytes).toString('base64url')

export interface CreateDocumentInput {
  elementId: string
  templateId: string
  /** A rule's extra fields (constants, variables and outputs already resolved). */
  extraFields?: Readonly<Record<string, Json>>
  withSignatureAndStamp: boolean
  publicLink: boolean
  /** Which company of ours (default: the first). */
  myCompanyId?: string
  companySigner?: string
  /** The rule effect that asked for it: asked again, the same document answers. */
  effectId?: string
  actor: Actor
  /** Where people reach the server, for links: "https://sign.example.com". */
  publicUrl: string
  now?: number
}

export interface CreatedDocument {
  id: string
  templateId: string
  number: string
  type: DocumentType
  title: string
  pdfFileId: string
  sha256: string
  /** Only when asked for: the page anyone with the link can open. */
  publicLink?: string
  boxes: SigningBox[]
}

/** What `documents.data` holds. */
export interface DocumentData {
  content: Omit<DocumentContent, 'stamp' | 'signature'> & { withSignatureAndStamp: boolean }
  boxes: SigningBox[]
  pages: number
}

export class DocumentError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message)
  }
}

/** A template by id: a built-in one, or an uploaded one with its PDF. */
export async function loadTemplate(
  db: Executor,
  id: string,
): Promise<{ template: DocumentTemplate; base?: Uint8Array } | undefined> {
  const builtin = builtinTemplate(id)
  if (builtin) return { template: builtin }
  const row = await db.selectFrom('document_templates').selectAll().where('id', '=', id).executeTakeFirst()
  const template = row ? uploadedTemplate(row) : undefined
  if (!row || !template) return undefined
  const file = await db.selectFrom('files').select('bytes').where('id', '=', row.file_id).executeTakeFirst()
  return { template, ...(file ? { base: new Uint8Array(file.bytes) } : {}) }
}

/** An uploaded template as its row describes it (without reading its PDF). */
export function uploadedTemplate(row: DocumentTemplateRow): DocumentTemplate | undefined {
  if (!isDocumentType(row.type)) return undefined
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    source: 'upload',
    locale: row.locale,
    currency: row.currency,
    taxRate: row.tax_rate,
    fileId: row.file_id,
    fields: JSON.parse(row.fields) as PlacedField[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

const text = (value: Json | undefined): string =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value)

const number = (value: Json | undefined): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  return Number.isFinite(n) ? n : undefined
}

/** The lines under a party's name: address, ids, contacts, as a reader expects them. */
function partyLines(values: ReadonlyMap<string, Json>, prefix: string, words: DocumentWords): string[] {
  const get = (path: string) => text(values.get(`${prefix}.${path}`))
  const address = get('address.legal.full') || get('address.actual.full') || get('address.other.full')
  return [
    address,
    get('taxId') && words.taxId(get('taxId')),
    get('vatId') && words.vatId(get('vatId')),
    get('registrationNumber') && words.registration(get('registrationNumber')),
    get('email'),
    get('phone'),
  ].filter((line) => line !== '')
}

/** The client: the legal name from its requisites, and the person to the attention of, if another name. */
function buyerOf(values: ReadonlyMap<string, Json>, words: DocumentWords) {
  const legal = text(values.get('client.requisites.name'))
  const person = text(values.get('client.name'))
  const email = values.get('client.requisites.email') ? '' : text(values.get('client.email'))
  const lines = partyLines(values, 'client.requisites', words)
  return {
    name: legal || person,
    lines: [
      ...(legal && person && person !== legal ? [words.attention(person)] : []),
      ...lines,
      ...(email ? [email] : []),
    ],
  }
}

/** The items to bill: an element's `items` list, else one line of its title and amount. */
function itemsOf(
  fields: ReadonlyMap<string, Json>,
  raw: Record<string, unknown>,
  taxRate: number,
  words: DocumentWords,
): Item[] {
  const list = raw.items
  if (Array.isArray(list) && list.length > 0) {
    return list.slice(0, 200).map((entry, i) => {
      const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, Json>
      return {
        description: text(item.description ?? item.name) || words.item(i + 1),
        quantity: number(item.quantity) ?? 1,
        unit: text(item.unit),
        unitPrice: number(item.unitPrice ?? item.price) ?? 0,
        taxRate: number(item.taxRate) ?? taxRate,
      }
    })
  }
  const amount = number(fields.get('amount'))
  if (amount === undefined) return []
  return [{ description: text(fields.get('title')), quantity: 1, unit: '', unitPrice: amount, taxRate }]
}

async function nextNumber(trx: Executor, type: DocumentType, year: number): Promise<string> {
  const key = `document:${type}:${year}`
  const row = await trx
    .insertInto('counters')
    .values({ key, value: 1 })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow()
  return `${TYPE_TITLES[type].prefix}-${year}-${String(row.value).padStart(4, '0')}`
}

/** The public link of a token, as people open it. */
export const publicLinkOf = (publicUrl: string, token: string) => `${publicUrl.replace(/\/+$/, '')}/d/${token}`

/** What a stored document gives a rule (without a public link, which only its making shows). */
export const documentOutputs = (row: DocumentRow) => outputsOf(row, undefined)

function outputsOf(row: DocumentRow, publicLink: string | undefined): CreatedDocument {
  const data = JSON.parse(row.data) as DocumentData
  return {
    id: row.id,
    templateId: row.template_id,
    number: row.number,
    type: row.type as DocumentType,
    title: row.title,
    pdfFileId: row.original_file_id,
    sha256: row.original_sha256,
    ...(publicLink ? { publicLink } : {}),
    boxes: data.boxes,
  }
}

/** Makes a public link for a document, replacing the one it had; returns the token. */
export async function issuePublicLink(trx: Executor, documentId: string, now: number, days = PUBLIC_LINK_DAYS) {
  const token = newToken()
  await trx
    .updateTable('documents')
    .set({
      public_token_hash: sha256Hex(token),
      public_expires_at: new Date(now + days * 86_400_000).toISOString(),
      public_revoked_at: null,
      updated_at: new Date(now).toISOString(),
    })
    .where('id', '=', documentId)
    .execute()
  return token
}

/** Generates, numbers and stores a document of an element, in one transaction. */
export async function createDocument(db: Kysely<Database>, input: CreateDocumentInput): Promise<CreatedDocument> {
  const now = input.now ?? Date.now()
  if (input.effectId) {
    const done = await db.selectFrom('documents').selectAll().where('effect_id', '=', input.effectId).executeTakeFirst()
    if (done) {
      // Delivered again (the first answer was lost): the same document, with a fresh public link if it had one.
      const token = done.public_token_hash ? await issuePublicLink(db, done.id, now) : undefined
      return outputsOf(done, token ? publicLinkOf(input.publicUrl, token) : undefined)
    }
  }
  return db.transaction().execute((trx) => createDocumentIn(trx, input, now))
}

/** {@link createDocument} inside the caller's transaction (sending for signing makes one with its parties). */
export async function createDocumentIn(
  trx: Executor,
  input: CreateDocumentInput,
  now: number,
): Promise<CreatedDocument> {
  const at = new Date(now).toISOString()
  {
    const found = await loadTemplate(trx, input.templateId)
    if (!found) throw new DocumentError(`no template "${input.templateId}"`, '/template')
    const { template, base } = found
    const element = await trx.selectFrom('elements').selectAll().where('id', '=', input.elementId).executeTakeFirst()
    if (!element) throw new DocumentError(`no element "${input.elementId}"`)
    const content = await contentOf(trx, element, template, input, now)
    const id = randomUUID()
    content.number = await nextNumber(trx, template.type, new Date(now).getUTCFullYear())
    const rendered: Rendered = await renderDocument(content, template, base)
    const file = await addFile(trx, {
      owner: `document:${id}`,
      kind: 'original',
      name: `${content.number}.pdf`,
      contentType: 'application/pdf',
      bytes: rendered.pdf,
      at,
    })
    const { stamp: _stamp, signature: _signature, ...kept } = content
    const data: DocumentData = {
      content: { ...kept, withSignatureAndStamp: input.withSignatureAndStamp },
      boxes: rendered.boxes,
      pages: rendered.pages,
    }
    const title = `${documentWords(content.language).types[template.type]} ${content.number}`
    const row: DocumentRow = {
      id,
      element_id: element.id,
      effect_id: input.effectId ?? null,
      template_id: template.id,
      type: template.type,
      number: content.number,
      title,
      status: 'created',
      data: JSON.stringify(data),
      original_file_id: file.id,
      original_sha256: file.sha256,
      signed_file_id: null,
      signed_sha256: null,
      public_token_hash: null,
      public_expires_at: null,
      public_revoked_at: null,
      created_by: input.actor.id,
      created_at: at,
      updated_at: at,
    }
    await trx.insertInto('documents').values(row).execute()
    const token = input.publicLink ? await issuePublicLink(trx, id, now) : undefined
    await trx
      .insertInto('document_events')
      .values({
        id: eventId(),
        document_id: id,
        party_id: null,
        type: 'created',
        at,
        ip: input.actor.ip ?? null,
        user_agent: input.actor.userAgent ?? null,
        channel: null,
        detail: JSON.stringify({ number: content.number, template: template.id, sha256: file.sha256 }),
      })
      .execute()
    await writeAudit(
      trx,
      input.actor,
      {
        action: 'document.created',
        target: `document:${id}`,
        detail: { element: element.id, number: content.number, type: template.type, sha256: file.sha256 },
      },
      at,
    )
    return outputsOf(row, token ? publicLinkOf(input.publicUrl, token) : undefined)
  }
}

/** What a document says: the element's fields, its client, our company, the rule's extra fields. */
async function contentOf(
  trx: Executor,
  element: ElementRow,
  template: DocumentTemplate,
  input: CreateDocumentInput,
  now: number,
): Promise<DocumentContent> {
  const raw = parseData(element.fields)
  const values = flattenFields(raw)
  values.set('title', values.get('title') ?? element.title)
  const contact = element.contact_id
    ? await trx.selectFrom('contacts').selectAll().where('id', '=', element.contact_id).executeTakeFirst()
    : undefined
  const companyId = element.company_id ?? contact?.company_id ?? null
  const company = companyId
    ? await trx.selectFrom('companies').selectAll().where('id', '=', companyId).executeTakeFirst()
    : undefined
  // The element's own copy of a client field wins, as for rules.
  for (const [path, value] of Object.entries(clientFields(contact, company).fields)) {
    if (!values.has(path)) values.set(path, value)
  }
  const language = await clientsOwnLanguage(trx, element)
  return contentFrom(trx, values, raw, template, { ...input, ...(language ? { language } : {}) }, now)
}

/**
 * The rest of what a document says, from the element's values (its fields and its client's, by path): our
 * company, the rule's extra fields, language, locale, currency, items. Reads only; the number is left empty.
 *
 * Its language (`language.ts`): an uploaded PDF's is the one its locale names, when we speak it; a built-in
 * template's is the client's own (`input.language`), else our company's default. Amounts and dates follow
 * the rule's or the element's `locale`, else the uploaded template's, else the language's own locale (a
 * built-in template in English keeps its "en-GB").
 */
async function contentFrom(
  trx: Executor,
  values: Map<string, Json>,
  raw: Record<string, unknown>,
  template: DocumentTemplate,
  input: Pick<CreateDocumentInput, 'extraFields' | 'myCompanyId' | 'companySigner' | 'withSignatureAndStamp'> & {
    /** The client's own language, when they have one. */
    language?: Language
  },
  now: number,
): Promise<DocumentContent> {
  let ours = trx.selectFrom('my_companies').selectAll()
  ours = input.myCompanyId ? ours.where('id', '=', input.myCompanyId) : ours.orderBy('created_at').orderBy('id')
  const mine = await ours.limit(1).executeTakeFirst()
  if (input.myCompanyId && !mine)
    throw new DocumentError(`no company of ours "${input.myCompanyId}"`, '/myCompany/company')
  if (mine) {
    values.set('myCompany.name', mine.name)
    for (const [path, value] of Object.entries(myCompanyFields(mine))) values.set(path, value)
  }
  const extra = input.extraFields ?? {}
  for (const [name, value] of Object.entries(extra)) values.set(`fields.${name}`, value)

  const language =
    (template.source === 'upload' ? languageOf(template.locale) : undefined) ??
    input.language ??
    (mine ? storedLanguage(mine.data) : undefined) ??
    'en'
  const words = documentWords(language)
  const locale =
    text(extra.locale ?? values.get('locale')) ||
    (template.source === 'builtin' && language !== 'en' ? LOCALES[language] : template.locale)
  const currency = (text(values.get('currency') ?? extra.currency) || template.currency).toUpperCase()
  const taxRate = number(extra.taxRate ?? values.get('taxRate')) ?? template.taxRate
  const issuedOn = new Date(now).toISOString().slice(0, 10)
  const stamp = input.withSignatureAndStamp && mine ? await readFile(trx, `myCompany:${mine.id}`, 'stamp') : undefined
  const signature =
    input.withSignatureAndStamp && mine ? await readFile(trx, `myCompany:${mine.id}`, 'signature') : undefined
  const bank = [
    text(values.get('myCompany.bankName')),
    text(values.get('myCompany.bankAccount')) && `IBAN ${text(values.get('myCompany.bankAccount'))}`,
    text(values.get('myCompany.bic')) && `BIC ${text(values.get('myCompany.bic'))}`,
  ].filter((line) => line !== '')
  const strings: Record<string, string> = {}
  for (const [path, value] of values) strings[path] = text(value)
  strings['document.date'] = issuedOn
  return {
    type: template.type,
    number: '',
    subject: text(values.get('title')),
    issuedOn,
    language,
    locale,
    currency,
    seller: {
      name: text(values.get('myCompany.name')) || (mine?.name ?? ''),
      lines: partyLines(values, 'myCompany', words),
    },
    buyer: buyerOf(values, words),
    bank,
    items: itemsOf(values, raw, taxRate, words),
    details: Object.entries(extra)
      .filter(([name]) => !['locale', 'currency', 'taxRate'].includes(name))
      .map(([label, value]) => ({ label, value: text(value) })),
    ...(input.companySigner ? { companySigner: input.companySigner } : {}),
    ...(stamp ? { stamp: new Uint8Array(stamp.bytes) } : {}),
    ...(signature ? { signature: new Uint8Array(signature.bytes) } : {}),
    values: strings,
  }
}

/** The number a preview shows instead of one from the counter (in English; `previewWords` for the others). */
export const PREVIEW_NUMBER = 'PREVIEW'
/** Drawn across every page of a preview, so that no one takes it for a document (in English). */
export const PREVIEW_MARK = 'PREVIEW — NOT VALID'

/** A preview's number and mark in a language, in capitals as the language writes them ("ÖNİZLEME"). */
export function previewWords(language: Language): { number: string; mark: string } {
  const words = documentWords(language)
  return { number: upper(words.preview, language), mark: upper(words.previewMark, language) }
}

/** Whether a field path is one of our company's requisites ("myCompany", "myCompany.…"), which a caller never gives. */
export const isMyCompanyPath = (path: string) => path === 'myCompany' || path.startsWith('myCompany.')

/**
 * A document drawn from a template and given field values (flat paths such as "title", "amount",
 * "client.name"; nested objects are read as paths too) by the same code as `createDocument`, but without
 * an element and without writing anything: no number from the counter ("PREVIEW"), no file, no document, no
 * audit. Paths under "fields." are a "Create document" rule's extra fields. It cannot pass for a document:
 * every page is marked "PREVIEW — NOT VALID", and our stamp and signature are never drawn. Our company's
 * requisites come from our default company only: given "myCompany.…" paths are ignored. `undefined` for an
 * unknown template.
 *
 * `language` is the caller's: the number and the mark are in it ("ÖNİZLEME — GEÇERSİZ"; English without
 * it), and so are a built-in template's words unless the sample's client speaks a language of their own
 * ("client.language"). An uploaded template keeps the language of its locale.
 */
export async function previewDocument(
  db: Executor,
  templateId: string,
  fields: Readonly<Record<string, unknown>>,
  options: { language?: Language; now?: number } = {},
): Promise<(Rendered & { template: DocumentTemplate }) | undefined> {
  const now = options.now ?? Date.now()
  const found = await loadTemplate(db, templateId)
  if (!found) return undefined
  const own: Array<[string, Json]> = []
  const extra: Array<[string, Json]> = []
  // Flattening keeps lists whole: a list of items stays a list. (Object.fromEntries defines keys, so a
  // "__proto__" path is a plain key, never a prototype.)
  for (const [path, value] of flattenFields(fields)) {
    if (path.startsWith('fields.') && path.length > 'fields.'.length) extra.push([path.slice('fields.'.length), value])
    else if (!isMyCompanyPath(path)) own.push([path, value])
  }
  const raw: Record<string, unknown> = Object.fromEntries(own)
  const extraFields: Record<string, Json> = Object.fromEntries(extra)
  const values = new Map(own)
  values.set('title', values.get('title') ?? '')
  // The sample's client may speak a language of their own ("client.language"), as an element's may.
  const clientLanguage = values.get('client.language')
  const language = isLanguage(clientLanguage) ? clientLanguage : options.language
  const content = await contentFrom(
    db,
    values,
    raw,
    found.template,
    { extraFields, withSignatureAndStamp: false, ...(language ? { language } : {}) },
    now,
  )
  const marked = previewWords(options.language ?? 'en')
  content.number = marked.number
  content.mark = marked.mark
  const rendered = await renderDocument(content, found.template, found.base)
  return { ...rendered, template: found.template }
}
