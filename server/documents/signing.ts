/**
 * Signing a document: its parties (our company signer and the client), each reached by email or SMS with a
 * personal link (a random 192-bit token, kept only as its SHA-256), in order (company first, client first, or
 * both at once), reminded, and expiring. Each step is an event of the document with its time, address,
 * device and channel: sent, delivered, viewed, consented, signed, declined, expired, reminded, completed.
 * Signing and declining tell the element's flow (signed by company / client / all, refused, expired, viewed),
 * in the same transaction as the document's own change.
 *
 * Messages to signers are outbox rows of kind "notice" (delivered like email, retried, never waited on by
 * a rule); reminders are such rows due later, and the expiry is a row of kind "signingExpiry" due at the
 * deadline. Either does nothing when the party has already acted.
 */
import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { EffectRequest, EngineEvent, Json } from '../../shared/engine/types.js'
import type { DocumentType } from '../../shared/graph/vocabulary.js'
import { isLanguage, type Language } from '../../shared/i18n/languages.js'
import { type Actor, writeAudit } from '../db/audit.js'
import { dialectOf } from '../db/dialect.js'
import { addFile } from '../db/files.js'
import type { Database, DocumentRow, SigningPartyRow } from '../db/schema.js'
import type { Executor } from '../db/shapes.js'
import { type Runtime, RuntimeError } from '../runtime/runtime.js'
import { type AgreedNotice, type DateStyle, finalDocument, type SignedParty, signedPages } from './compose.js'
import { clientLanguage, LOCALES, momentFormat, ourDefaults } from './language.js'
import { DISCLOSURES, disclosureBySha256, type SignerWords, signerWords } from './messages.js'
import type { SigningBox } from './render.js'
import {
  type CreatedDocument,
  createDocumentIn,
  type DocumentData,
  documentOutputs,
  eventId,
  newToken,
  sha256Hex,
} from './store.js'

/**
 * The notice a signer agrees to before signing (SPEC §3.4, §11), in English; its version and hash are
 * recorded. Each language has its own (`DISCLOSURES` of `messages.ts`), and a signer may agree to any of them.
 */
export const DISCLOSURE = { version: DISCLOSURES.en.version, text: DISCLOSURES.en.text } as const
export const DISCLOSURE_SHA256 = DISCLOSURES.en.sha256

export type SigningOrder = 'companyFirst' | 'clientFirst' | 'parallel'
export type PartyRole = 'company' | 'client'
export const ACTIVE_STATUSES = ['waiting', 'sent', 'viewed', 'consented'] as const

export interface PartyInput {
  role: PartyRole
  name: string
  email: string
  phone: string
  channel: 'email' | 'sms'
  /** The language their messages and page speak; default: our company's. */
  language?: Language
}

export interface PartyData {
  signedAt?: string
  method?: 'drawn' | 'typed'
  signatureFileId?: string
  typed?: string
  fields?: Record<string, string>
  declineReason?: string
  /** The language the party is written to in (absent in parties made before languages: English). */
  language?: Language
  /** The notice agreed to: its version, hash and language (absent before languages: English). */
  consent?: { version: string; sha256: string; at: string; language?: Language }
  /** A one-time code the signer must confirm: its hash, when it expires, the wrong tries, how many were sent. */
  otp?: {
    required: true
    hash?: string
    expiresAt?: string
    tries?: number
    sent?: number
    lastSentAt?: string
    verifiedAt?: string
  }
}

/** How long a one-time code works, how many wrong tries it allows, how many codes a signer may ask for. */
const CODE_MINUTES = 10
const CODE_TRIES = 5
const CODES_PER_SIGNING = 5
const CODE_GAP_MS = 30_000
const codeHash = (partyId: string, code: string) => sha256Hex(`${partyId}:${code}`)

export class SigningError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 410 | 422,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message)
  }

  /** A refused request (bad input, a conflict) stays refused however often it is tried: the outbox fails at once. */
  get permanent(): boolean {
    return this.status === 400 || this.status === 404 || this.status === 422
  }
}

const positionOf = (role: PartyRole, order: SigningOrder) =>
  order === 'parallel' ? 1 : (role === 'company') === (order === 'companyFirst') ? 1 : 2

export const signingLinkOf = (publicUrl: string, token: string) => `${publicUrl.replace(/\/+$/, '')}/s/${token}`

/** The language a party is written to in. */
export function partyLanguage(party: Pick<SigningPartyRow, 'data'>): Language {
  const language = (JSON.parse(party.data) as PartyData).language
  return isLanguage(language) ? language : 'en'
}

const maskedAddress = (party: Pick<SigningPartyRow, 'channel' | 'email' | 'phone'>, words: SignerWords) =>
  party.channel === 'sms'
    ? words.reached.sms(party.phone.replace(/\d(?=(?:\D*\d){3})/g, '•'))
    : words.reached.email(party.email.replace(/^(.).*(@.*)$/, '$1…$2'))

async function event(
  trx: Executor,
  documentId: string,
  partyId: string | null,
  type: string,
  at: string,
  actor: Pick<Actor, 'ip' | 'userAgent'> = {},
  channel: string | null = null,
  detail: Record<string, Json> = {},
) {
  await trx
    .insertInto('document_events')
    .values({
      id: eventId(),
      document_id: documentId,
      party_id: partyId,
      type,
      at,
      ip: actor.ip ?? null,
      user_agent: actor.userAgent ?? null,
      channel,
      detail: JSON.stringify(detail),
    })
    .execute()
}

/**
 * How a signer was reached (and, once they confirmed one, that a one-time code proved it was them), in a
 * language (English, as events keep it, unless told).
 */
function masked(
  party: Pick<SigningPartyRow, 'channel' | 'email' | 'phone' | 'data'>,
  language: Language = 'en',
): string {
  const data = JSON.parse(party.data) as PartyData
  const words = signerWords(language)
  return `${maskedAddress(party, words)}${data.otp?.verifiedAt ? words.reached.confirmed : ''}`
}

/** A message to a signer, through the outbox (kind "notice"), optionally due later and only while they have not acted. */
async function notice(
  trx: Executor,
  elementId: string,
  key: string,
  message: Extract<EffectRequest, { kind: 'email' | 'sms' }>,
  due: number,
  onlyWhileActive: { party: string; document: string; event: string } | undefined,
  now: number,
) {
  const at = new Date(now).toISOString()
  await outboxRow(
    trx,
    key,
    elementId,
    { kind: 'notice', message, ...(onlyWhileActive ? { party: onlyWhileActive } : {}) },
    due,
    at,
  )
}

/** An outbox row no rule waits for (a "detached" kind), due at `due`; written once per key. */
async function outboxRow(
  trx: Executor,
  key: string,
  elementId: string,
  request: { kind: string } & Record<string, unknown>,
  due: number,
  at: string,
) {
  await trx
    .insertInto('outbox')
    .values({
      effect_id: key,
      element_id: elementId,
      kind: request.kind,
      request: JSON.stringify(request),
      next_attempt_at: due,
      claimed_by: null,
      claimed_until: null,
      last_error: null,
      result: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('effect_id').doNothing())
    .execute()
}

interface Invite {
  party: SigningPartyRow
  link: string
}

/** The invitation to sign (or a reminder of it), in the party's language; its deadline as a day of our time zone. */
function invitation(
  doc: Pick<DocumentRow, 'title'>,
  issuer: string,
  invite: Invite,
  timeZone: string,
  reminder = false,
): Extract<EffectRequest, { kind: 'email' | 'sms' }> {
  const { party, link } = invite
  const language = partyLanguage(party)
  const words = signerWords(language).invitation
  if (party.channel === 'sms') {
    const text = reminder ? words.reminderSms : words.sms
    return { kind: 'sms', to: party.phone, text: text(doc.title, issuer, link) }
  }
  return {
    kind: 'email',
    to: party.email,
    subject: (reminder ? words.reminderSubject : words.subject)(doc.title, issuer),
    body: words.body({
      name: party.name,
      issuer,
      title: doc.title,
      link,
      until: momentFormat(LOCALES[language], timeZone).day(party.expires_at),
    }),
    format: 'text',
    attachments: [],
  }
}

/** Messages wait in the outbox "on hold" (due at the end of time) until it is their party's turn. */
const HOLD = 8_640_000_000_000_000
const REMINDERS = 3

/** Writes a party's invitation and reminders, on hold; {@link invite} releases them when it is their turn. */
async function prepareMessages(
  trx: Executor,
  doc: DocumentRow,
  issuer: string,
  one: Invite,
  timeZone: string,
  now: number,
) {
  const { party } = one
  await notice(
    trx,
    doc.element_id,
    `sign:${party.id}:invite`,
    invitation(doc, issuer, one, timeZone),
    HOLD,
    {
      party: party.id,
      document: doc.id,
      event: 'delivered',
    },
    now,
  )
  for (let n = 1; n <= REMINDERS; n++) {
    await notice(
      trx,
      doc.element_id,
      `sign:${party.id}:remind:${n}`,
      invitation(doc, issuer, one, timeZone, true),
      HOLD,
      {
        party: party.id,
        document: doc.id,
        event: 'reminded',
      },
      now,
    )
  }
}

/** It is these parties' turn: their invitation goes now, their reminders every few days until the deadline. */
async function invite(
  trx: Executor,
  doc: DocumentRow,
  parties: readonly SigningPartyRow[],
  options: { now: number; remindEveryDays: number },
) {
  const at = new Date(options.now).toISOString()
  for (const party of parties) {
    await trx
      .updateTable('signing_parties')
      .set({ status: 'sent', updated_at: at })
      .where('id', '=', party.id)
      .execute()
    await trx
      .updateTable('outbox')
      .set({ next_attempt_at: options.now, updated_at: at })
      .where('effect_id', '=', `sign:${party.id}:invite`)
      .execute()
    for (let n = 1; n <= REMINDERS; n++) {
      const due = options.now + n * options.remindEveryDays * 86_400_000
      const key = `sign:${party.id}:remind:${n}`
      if (options.remindEveryDays <= 0 || due >= Date.parse(party.expires_at)) {
        await trx.deleteFrom('outbox').where('effect_id', '=', key).where('status', '=', 'pending').execute()
      } else {
        await trx
          .updateTable('outbox')
          .set({ next_attempt_at: due, updated_at: at })
          .where('effect_id', '=', key)
          .execute()
      }
    }
    await event(trx, doc.id, party.id, 'sent', at, {}, party.channel, { to: masked(party) })
  }
}

export interface StartSigning {
  document: CreatedDocument
  elementId: string
  parties: readonly PartyInput[]
  order: SigningOrder
  publicUrl: string
  now: number
  actor: Actor
  expiresInDays?: number
  remindEveryDays?: number
  /** Each signer confirms a one-time code before signing. */
  oneTimeCode?: boolean
}

export interface Started {
  links: Partial<Record<PartyRole, string>>
  /** The parties' ids, by role. */
  parties: Partial<Record<PartyRole, string>>
}

/** Adds the parties of a document and invites the first of them, in the caller's transaction. */
export async function startSigning(trx: Executor, s: StartSigning): Promise<Started> {
  const at = new Date(s.now).toISOString()
  const expiresAt = s.now + (s.expiresInDays ?? 14) * 86_400_000
  const doc = await trx.selectFrom('documents').selectAll().where('id', '=', s.document.id).executeTakeFirstOrThrow()
  const data = JSON.parse(doc.data) as DocumentData
  const ours = await ourDefaults(trx)
  const made: Invite[] = []
  s.parties.forEach((p, i) => {
    if (p.channel === 'email' && !/^[^@\s]+@[^@\s]+$/.test(p.email)) {
      throw new SigningError(
        422,
        'invalid',
        `The ${p.role === 'company' ? 'company signer' : 'client'} "${p.name}" has no email address to send the link to.`,
        `/parties/${i}/email`,
      )
    }
    if (p.channel === 'sms' && p.phone.replace(/\D/g, '').length < 6) {
      throw new SigningError(
        422,
        'invalid',
        `The ${p.role === 'company' ? 'company signer' : 'client'} "${p.name}" has no phone number to text the link to.`,
        `/parties/${i}/phone`,
      )
    }
  })
  for (const p of s.parties) {
    const token = newToken()
    const party: SigningPartyRow = {
      id: randomUUID(),
      document_id: doc.id,
      role: p.role,
      position: positionOf(p.role, s.order),
      name: p.name,
      email: p.email,
      phone: p.phone,
      channel: p.channel,
      token_hash: sha256Hex(token),
      status: 'waiting',
      expires_at: new Date(expiresAt).toISOString(),
      data: JSON.stringify({
        language: p.language ?? ours.language,
        ...(s.oneTimeCode ? { otp: { required: true } } : {}),
      } satisfies PartyData),
      created_at: at,
      updated_at: at,
    }
    await trx.insertInto('signing_parties').values(party).execute()
    await trx
      .insertInto('signing_links')
      .values({ token_hash: party.token_hash, party_id: party.id, created_at: at })
      .execute()
    made.push({ party, link: signingLinkOf(s.publicUrl, token) })
    // At the deadline, whoever has not signed expires.
    const expiry = { kind: 'signingExpiry', party: party.id, document: doc.id }
    await outboxRow(trx, `sign:${party.id}:expire`, s.elementId, expiry, expiresAt, at)
  }
  await trx.updateTable('documents').set({ status: 'sent', updated_at: at }).where('id', '=', doc.id).execute()
  const issuer = data.content.seller.name || 'us'
  for (const one of made) await prepareMessages(trx, doc, issuer, one, ours.timeZone, s.now)
  const first = Math.min(...made.map((m) => m.party.position))
  await invite(
    trx,
    doc,
    made.filter((m) => m.party.position === first).map((m) => m.party),
    { now: s.now, remindEveryDays: s.remindEveryDays ?? 3 },
  )
  await writeAudit(
    trx,
    s.actor,
    {
      action: 'document.sentForSigning',
      target: `document:${doc.id}`,
      detail: { order: s.order, parties: made.map((m) => ({ role: m.party.role, channel: m.party.channel })) },
    },
    at,
  )
  return {
    links: Object.fromEntries(made.map((m) => [m.party.role, m.link])),
    parties: Object.fromEntries(made.map((m) => [m.party.role, m.party.id])),
  }
}

// ------------------------------------------------------------------ the signer's side

export interface Opened {
  party: SigningPartyRow
  document: DocumentRow
  data: DocumentData
  parties: SigningPartyRow[]
}

/**
 * The party and document a signing token opens: 404 for none (said in `language`: no party, no language of
 * theirs); expired, declined or cancelled: 410.
 */
export async function openByToken(db: Executor, token: string | undefined, language?: Language): Promise<Opened> {
  const notFound = () => new SigningError(404, 'not-found', signerWords(language).problems.notFound)
  if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound()
  const party = await db
    .selectFrom('signing_links')
    .innerJoin('signing_parties', 'signing_parties.id', 'signing_links.party_id')
    .selectAll('signing_parties')
    .where('signing_links.token_hash', '=', sha256Hex(token))
    .executeTakeFirst()
  if (!party) throw notFound()
  const document = await db
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', party.document_id)
    .executeTakeFirstOrThrow()
  const parties = await db
    .selectFrom('signing_parties')
    .selectAll()
    .where('document_id', '=', document.id)
    .orderBy('position')
    .orderBy('role')
    .execute()
  return { party, document, data: JSON.parse(document.data) as DocumentData, parties }
}

/**
 * Whether the party may act now: not expired, not done, the document not declined, their turn. Said in
 * `language` (default: the party's own).
 */
export function turnProblem(o: Opened, now: number, language = partyLanguage(o.party)): SigningError | undefined {
  const words = signerWords(language).problems
  if (o.party.status === 'signed') return new SigningError(409, 'conflict', words.signedAlready)
  if (o.party.status === 'declined') return new SigningError(410, 'gone', words.youDeclined)
  if (o.document.status === 'declined') return new SigningError(410, 'gone', words.otherDeclined)
  if (o.document.status === 'signed') return new SigningError(409, 'conflict', words.everyoneSigned)
  if (o.document.status === 'expired') return new SigningError(410, 'gone', words.signingExpired)
  if (o.party.status === 'expired' || Date.parse(o.party.expires_at) <= now) {
    return new SigningError(410, 'gone', words.linkExpired)
  }
  const before = o.parties.filter((p) => p.position < o.party.position && p.status !== 'signed')
  if (before.length > 0) {
    return new SigningError(409, 'not-your-turn', words.notYourTurn(before.map((p) => p.name)))
  }
  return undefined
}

/** Another request of the same signer is being handled (a double tap): this one stops. */
const busy = (language: Language) => new SigningError(409, 'busy', signerWords(language).problems.busy)

/** Someone else acted on this signing meanwhile (another tab, the other party, the deadline). */
const moved = (language: Language) => new SigningError(409, 'conflict', signerWords(language).problems.moved)

const eventOf = (role: PartyRole): EngineEvent['type'] => (role === 'company' ? 'signedByCompany' : 'signedByClient')

/**
 * Runs `write` in one transaction with the element's flow hearing `events`; an element whose pipeline has
 * no published flow just gets the write.
 */
async function withFlow(
  db: Kysely<Database>,
  runtime: Runtime | undefined,
  elementId: string,
  events: readonly EngineEvent[],
  write: (trx: Executor) => Promise<void>,
) {
  if (!runtime || events.length === 0) return db.transaction().execute(write)
  try {
    const [first, ...rest] = events as [EngineEvent, ...EngineEvent[]]
    await runtime.fireEvent(elementId, first, write)
    for (const next of rest) await runtime.fireEvent(elementId, next)
  } catch (error) {
    if (error instanceof RuntimeError && (error.code === 'conflict' || error.code === 'not_found')) {
      await db.transaction().execute(write)
      return
    }
    throw error
  }
}

export interface SignerContext {
  db: Kysely<Database>
  runtime?: Runtime
  actor: Actor
  now: number
  publicUrl: string
  /** Seals a finished PDF (the platform's digital signature); absent: left unsealed. */
  seal?: (pdf: Uint8Array) => Promise<Uint8Array>
  /** The language the signer's page speaks (they may have picked another); default: the party's own. */
  language?: Language
}

/** The language a refusal is said in: the page's, else the party's. */
const spoken = (ctx: Pick<SignerContext, 'language'>, o: Opened): Language => ctx.language ?? partyLanguage(o.party)

/** The first look at the document: "viewed" (once), which the flow hears as "document viewed". */
export async function recordView(ctx: SignerContext, o: Opened) {
  if (o.party.status !== 'sent' && o.party.status !== 'waiting') return
  // Opened before their turn (the link reached them some other way): the view is evidence, recorded once;
  // they stay waiting, so that their invitation still goes when their turn comes.
  if (o.party.status === 'waiting') {
    const seen = await ctx.db
      .selectFrom('document_events')
      .select('id')
      .where('party_id', '=', o.party.id)
      .where('type', '=', 'viewed')
      .executeTakeFirst()
    if (seen) return
  }
  const at = new Date(ctx.now).toISOString()
  await withFlow(
    ctx.db,
    ctx.runtime,
    o.document.element_id,
    [{ type: 'documentViewed', documentType: o.document.type as DocumentType }],
    async (trx) => {
      await trx
        .updateTable('signing_parties')
        .set({ status: 'viewed', updated_at: at })
        .where('id', '=', o.party.id)
        .where('status', '=', 'sent')
        .execute()
      await event(trx, o.document.id, o.party.id, 'viewed', at, ctx.actor, o.party.channel)
    },
  )
}

/** The signer agrees to the notice (in whichever language they read it): its version, hash and language are kept. */
export async function consent(ctx: SignerContext, o: Opened, sha256: string) {
  const language = spoken(ctx, o)
  const problem = turnProblem(o, ctx.now, language)
  if (problem) throw problem
  const notice = disclosureBySha256(sha256)
  if (!notice) {
    throw new SigningError(422, 'invalid', signerWords(language).problems.noticeNotCurrent, '/disclosureSha256')
  }
  const at = new Date(ctx.now).toISOString()
  const data: PartyData = {
    ...(JSON.parse(o.party.data) as PartyData),
    consent: { version: notice.version, sha256, at, language: notice.language },
  }
  await ctx.db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('signing_parties')
      .set({ status: 'consented', data: JSON.stringify(data), updated_at: at })
      .where('id', '=', o.party.id)
      .where('status', 'in', ['sent', 'viewed', 'consented'])
      .executeTakeFirst()
    if (Number(changed.numUpdatedRows) !== 1) throw moved(language)
    await event(trx, o.document.id, o.party.id, 'consented', at, ctx.actor, o.party.channel, {
      version: notice.version,
      sha256,
      language: notice.language,
    })
  })
}

export interface SignInput {
  signature: { method: 'drawn'; png: Uint8Array } | { method: 'typed'; text: string }
  fields: Record<string, string>
  /** The one-time code, when the signing asks for one. */
  code?: string
}

/** Sends the signer a one-time code by their channel (email or SMS), if their signing asks for one. */
export async function sendCode(ctx: SignerContext, o: Opened) {
  const language = spoken(ctx, o)
  const words = signerWords(language).problems
  const problem = turnProblem(o, ctx.now, language)
  if (problem) throw problem
  const data = JSON.parse(o.party.data) as PartyData
  if (!data.otp) throw new SigningError(409, 'conflict', words.noCodeNeeded)
  if (data.otp.lastSentAt && ctx.now - Date.parse(data.otp.lastSentAt) < CODE_GAP_MS) {
    throw new SigningError(409, 'too-soon', words.codeTooSoon)
  }
  if ((data.otp.sent ?? 0) >= CODES_PER_SIGNING) {
    throw new SigningError(409, 'too-many-codes', words.tooManyCodes)
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  const at = new Date(ctx.now).toISOString()
  const otp = {
    ...data.otp,
    hash: codeHash(o.party.id, code),
    expiresAt: new Date(ctx.now + CODE_MINUTES * 60_000).toISOString(),
    tries: 0,
    sent: (data.otp.sent ?? 0) + 1,
    lastSentAt: at,
  }
  // The code goes in the party's own language, as their other messages do.
  const codeWords = signerWords(partyLanguage(o.party)).code
  const text = codeWords.text(o.document.title, code, CODE_MINUTES)
  await ctx.db.transaction().execute(async (trx) => {
    const sent = await trx
      .updateTable('signing_parties')
      .set({ data: JSON.stringify({ ...data, otp }), updated_at: at })
      .where('id', '=', o.party.id)
      .where('data', '=', o.party.data)
      .executeTakeFirst()
    if (Number(sent.numUpdatedRows) !== 1) throw busy(language)
    await notice(
      trx,
      o.document.element_id,
      `sign:${o.party.id}:code:${otp.sent}`,
      o.party.channel === 'sms'
        ? { kind: 'sms', to: o.party.phone, text }
        : {
            kind: 'email',
            to: o.party.email,
            subject: codeWords.subject(o.document.title),
            body: `${text}\n`,
            format: 'text',
            attachments: [],
          },
      ctx.now,
      undefined,
      ctx.now,
    )
    await event(trx, o.document.id, o.party.id, 'codeSent', at, ctx.actor, o.party.channel, { to: masked(o.party) })
  })
}

/** Checks the code given with a signature; a wrong one counts against the tries (kept even though signing fails). */
async function checkCode(ctx: SignerContext, o: Opened, data: PartyData, code: string | undefined) {
  const otp = data.otp
  if (!otp) return
  const language = spoken(ctx, o)
  const words = signerWords(language).problems
  if (!otp.hash || !otp.expiresAt) throw new SigningError(409, 'code-required', words.codeFirst)
  if ((otp.tries ?? 0) >= CODE_TRIES) throw new SigningError(409, 'code-locked', words.codeLocked)
  if (Date.parse(otp.expiresAt) <= ctx.now) throw new SigningError(422, 'invalid', words.codeExpired, '/code')
  // Every try counts before the code is compared, atomically: parallel guesses cannot share one try.
  const tries = (otp.tries ?? 0) + 1
  const counted = await ctx.db
    .updateTable('signing_parties')
    .set({ data: JSON.stringify({ ...data, otp: { ...otp, tries } }) })
    .where('id', '=', o.party.id)
    .where('data', '=', o.party.data)
    .executeTakeFirst()
  if (Number(counted.numUpdatedRows) !== 1) throw busy(language)
  const given = (code ?? '').trim()
  const expected = Buffer.from(otp.hash, 'hex')
  const actual = Buffer.from(codeHash(o.party.id, given), 'hex')
  if (!/^\d{6}$/.test(given) || !timingSafeEqual(expected, actual)) {
    throw new SigningError(422, 'invalid', tries >= CODE_TRIES ? words.codeWrongLast : words.codeWrong, '/code')
  }
}

/** The boxes a party fills in themselves (text boxes of theirs). */
export const boxesToFill = (boxes: readonly SigningBox[], role: string) =>
  boxes.filter((b) => b.party === role && b.kind === 'clientText')

/** Signs for the party; the last signature completes the document (certificate page, seal, copies sent). */
export async function sign(ctx: SignerContext, o: Opened, input: SignInput): Promise<{ completed: boolean }> {
  const language = spoken(ctx, o)
  const words = signerWords(language).problems
  const problem = turnProblem(o, ctx.now, language)
  if (problem) throw problem
  const before = JSON.parse(o.party.data) as PartyData
  if (!before.consent) throw new SigningError(409, 'consent-required', words.consentRequired)
  await checkCode(ctx, o, before, input.code)
  for (const box of boxesToFill(o.data.boxes, o.party.role)) {
    if (box.required && !(input.fields[box.id] ?? '').trim()) {
      throw new SigningError(422, 'invalid', words.fillIn(box.label ?? box.id), `/fields/${box.id}`)
    }
  }
  // Signing dates in their boxes and the certificate's moments: in our company's time zone.
  const { timeZone } = await ourDefaults(ctx.db)
  const dates: DateStyle = { locale: o.data.content.locale, timeZone }
  const at = new Date(ctx.now).toISOString()
  const doc = o.document
  const documentType = doc.type as DocumentType
  let signatureFileId: string | undefined
  const data: PartyData = {
    ...before,
    ...(before.otp ? { otp: { ...before.otp, verifiedAt: at } } : {}),
    signedAt: at,
    method: input.signature.method,
    ...(input.signature.method === 'typed' ? { typed: input.signature.text } : {}),
    fields: Object.fromEntries(
      boxesToFill(o.data.boxes, o.party.role).map((b) => [b.id, (input.fields[b.id] ?? '').slice(0, 500)]),
    ),
  }
  const others = o.parties.filter((p) => p.id !== o.party.id)
  const completed = others.every((p) => p.status === 'signed')
  const events: EngineEvent[] = [{ type: eventOf(o.party.role as PartyRole), documentType }]
  if (completed) events.push({ type: 'signedByAll', documentType })

  // The pages with everyone's signatures so far (and, when complete, the certificate and the seal), made
  // before the transaction: drawing takes a while, and nothing is written if it fails.
  const signedSoFar: SignedParty[] = []
  const partyFiles = new Map<string, Uint8Array>()
  for (const p of [...others.filter((x) => x.status === 'signed'), { ...o.party, data: JSON.stringify(data) }]) {
    const d = JSON.parse(p.data) as PartyData
    let image: Uint8Array | undefined
    if (p.id === o.party.id && input.signature.method === 'drawn') image = input.signature.png
    else if (d.signatureFileId) {
      const file = await ctx.db
        .selectFrom('files')
        .select('bytes')
        .where('id', '=', d.signatureFileId)
        .executeTakeFirst()
      if (file) image = new Uint8Array(file.bytes)
    }
    if (image) partyFiles.set(p.id, image)
    signedSoFar.push({
      id: p.id,
      role: p.role as PartyRole,
      name: p.name,
      reachedBy: masked(p),
      signedAt: d.signedAt ?? at,
      method: d.method ?? 'typed',
      ...(image ? { image } : {}),
      ...(d.typed ? { typed: d.typed } : {}),
      fields: d.fields ?? {},
    })
  }
  const original = await ctx.db
    .selectFrom('files')
    .select('bytes')
    .where('id', '=', doc.original_file_id)
    .executeTakeFirstOrThrow()
  let pdf: Uint8Array
  if (completed) {
    // The certificate speaks the client's language (the document's, if there is no client).
    const client = o.parties.find((p) => p.role === 'client')
    const certificateLanguage = client ? partyLanguage(client) : (o.data.content.language ?? 'en')
    const noticeOf = (d: PartyData): AgreedNotice | null => {
      if (!d.consent) return null
      const agreed = disclosureBySha256(d.consent.sha256)
      return {
        language: d.consent.language ?? agreed?.language ?? 'en',
        version: d.consent.version,
        sha256: d.consent.sha256,
      }
    }
    const history = await ctx.db
      .selectFrom('document_events')
      .selectAll()
      .where('document_id', '=', doc.id)
      .orderBy('at')
      .orderBy('id')
      .execute()
    const whoOf = new Map(o.parties.map((p) => [p.id, { name: p.name, role: p.role }]))
    const final = await finalDocument(
      new Uint8Array(original.bytes),
      o.data.boxes,
      signedSoFar,
      {
        documentId: doc.id,
        title: doc.title,
        number: doc.number,
        originalSha256: doc.original_sha256,
        language: certificateLanguage,
        locale:
          (o.data.content.language ?? 'en') === certificateLanguage
            ? o.data.content.locale
            : LOCALES[certificateLanguage],
        timeZone,
        parties: o.parties.map((p) => {
          const d = p.id === o.party.id ? data : (JSON.parse(p.data) as PartyData)
          return {
            role: p.role,
            name: p.name,
            reachedBy: masked({ ...p, data: JSON.stringify(d) }, certificateLanguage),
            status: p.id === o.party.id ? 'signed' : p.status,
            signedAt: d.signedAt ?? null,
            method: d.method ?? null,
            consent: noticeOf(d),
          }
        }),
        events: [
          ...history.map((e) => ({
            at: e.at,
            type: e.type,
            party: e.party_id ? (whoOf.get(e.party_id) ?? { name: '', role: '' }) : null,
            ip: e.ip,
            userAgent: e.user_agent,
            channel: e.channel,
          })),
          {
            at,
            type: 'signed',
            party: whoOf.get(o.party.id) ?? null,
            ip: ctx.actor.ip ?? null,
            userAgent: ctx.actor.userAgent ?? null,
            channel: o.party.channel,
          },
        ],
        completedAt: at,
      },
      dates,
    )
    pdf = ctx.seal ? await ctx.seal(final.pdf) : final.pdf
  } else {
    pdf = await signedPages(new Uint8Array(original.bytes), o.data.boxes, signedSoFar, dates)
  }

  await withFlow(ctx.db, ctx.runtime, doc.element_id, events, async (trx) => {
    // The party may have signed in another tab meanwhile: only an active party signs.
    const changed = await trx
      .updateTable('signing_parties')
      .set({ status: 'signed', updated_at: at })
      .where('id', '=', o.party.id)
      .where('status', 'in', [...ACTIVE_STATUSES])
      .executeTakeFirst()
    if (Number(changed.numUpdatedRows) !== 1) throw new SigningError(409, 'conflict', words.signedAlready)
    // Another party may have signed while the pages were drawn: then this signature completes the document
    // after all, and is made again with everyone's (the caller retries on "stale").
    const now = await trx
      .selectFrom('signing_parties')
      .select(['id', 'status'])
      .where('document_id', '=', doc.id)
      .execute()
    if (now.every((p) => p.id === o.party.id || p.status === 'signed') !== completed) {
      throw new SigningError(409, 'stale', words.stale)
    }
    const drawn = partyFiles.get(o.party.id)
    if (drawn && input.signature.method === 'drawn') {
      signatureFileId = (
        await addFile(trx, {
          owner: `party:${o.party.id}`,
          kind: 'signature',
          name: 'signature.png',
          contentType: 'image/png',
          bytes: drawn,
          at,
        })
      ).id
    }
    await trx
      .updateTable('signing_parties')
      .set({ data: JSON.stringify({ ...data, ...(signatureFileId ? { signatureFileId } : {}) }) })
      .where('id', '=', o.party.id)
      .execute()
    if (before.otp) await event(trx, doc.id, o.party.id, 'codeConfirmed', at, ctx.actor, o.party.channel)
    await event(trx, doc.id, o.party.id, 'signed', at, ctx.actor, o.party.channel, { method: input.signature.method })
    const file = await addFile(trx, {
      owner: `document:${doc.id}`,
      kind: completed ? 'signed' : 'partial',
      name: `${doc.number}${completed ? '-signed' : ''}.pdf`,
      contentType: 'application/pdf',
      bytes: pdf,
      at,
    })
    await trx
      .updateTable('documents')
      .set({
        status: completed ? 'signed' : 'signing',
        ...(completed ? { signed_file_id: file.id, signed_sha256: file.sha256 } : {}),
        updated_at: at,
      })
      .where('id', '=', doc.id)
      .where('status', 'in', ['sent', 'signing'])
      .executeTakeFirst()
      .then((r) => {
        // Declined or expired meanwhile: nothing of this signature is kept.
        if (Number(r.numUpdatedRows) !== 1) throw moved(language)
      })
    await writeAudit(
      trx,
      { ...ctx.actor, id: `signer:${o.party.id}` },
      {
        action: 'document.signed',
        target: `document:${doc.id}`,
        detail: { party: o.party.role, method: input.signature.method },
      },
      at,
    )
    const issuer = o.data.content.seller.name || 'us'
    if (completed) {
      await event(trx, doc.id, null, 'completed', at, {}, null, { sha256: file.sha256 })
      // Everyone gets the signed PDF.
      for (const p of o.parties) {
        const to = p.channel === 'sms' && p.email === '' ? undefined : p.email
        if (!to) continue
        // Each in their own language.
        const done = signerWords(partyLanguage(p)).completed
        await notice(
          trx,
          doc.element_id,
          `sign:${p.id}:completed`,
          {
            kind: 'email',
            to,
            subject: done.subject(doc.title),
            body: done.body({ name: p.name, title: doc.title, issuer }),
            format: 'text',
            attachments: [file.id],
          },
          ctx.now,
          undefined,
          ctx.now,
        )
      }
    } else {
      // The next in order, if everyone before them has signed now.
      const signed = new Set([...o.parties.filter((p) => p.status === 'signed').map((p) => p.id), o.party.id])
      const waiting = o.parties.filter(
        (p) => p.status === 'waiting' && o.parties.every((q) => q.position >= p.position || signed.has(q.id)),
      )
      const remindEveryDays = (o.data as { signing?: SigningSettings }).signing?.remindEveryDays ?? 3
      if (waiting.length > 0) await invite(trx, doc, waiting, { now: ctx.now, remindEveryDays })
    }
  })
  return { completed }
}

/** Declines with a reason: the document stops, and the flow hears "refused". */
export async function decline(ctx: SignerContext, o: Opened, reason: string) {
  const language = spoken(ctx, o)
  const problem = turnProblem(o, ctx.now, language)
  if (problem && problem.code !== 'not-your-turn') throw problem
  const at = new Date(ctx.now).toISOString()
  const data: PartyData = { ...(JSON.parse(o.party.data) as PartyData), declineReason: reason }
  await withFlow(
    ctx.db,
    ctx.runtime,
    o.document.element_id,
    [{ type: 'signingRefused', documentType: o.document.type as DocumentType }],
    async (trx) => {
      const party = await trx
        .updateTable('signing_parties')
        .set({ status: 'declined', data: JSON.stringify(data), updated_at: at })
        .where('id', '=', o.party.id)
        .where('status', 'in', [...ACTIVE_STATUSES])
        .executeTakeFirst()
      const document = await trx
        .updateTable('documents')
        .set({ status: 'declined', updated_at: at })
        .where('id', '=', o.document.id)
        .where('status', 'in', ['sent', 'signing'])
        .executeTakeFirst()
      if (Number(party.numUpdatedRows) !== 1 || Number(document.numUpdatedRows) !== 1) throw moved(language)
      await event(trx, o.document.id, o.party.id, 'declined', at, ctx.actor, o.party.channel, { reason })
      await writeAudit(
        trx,
        { ...ctx.actor, id: `signer:${o.party.id}` },
        { action: 'document.declined', target: `document:${o.document.id}`, detail: { party: o.party.role, reason } },
        at,
      )
    },
  )
}

/** The outbox's handler of "signingExpiry" rows: a party who has not acted by the deadline expires. */
export async function expireParty(
  db: Kysely<Database>,
  runtime: Runtime | undefined,
  request: { party: string; document: string },
  now: number,
): Promise<Record<string, Json>> {
  const party = await db.selectFrom('signing_parties').selectAll().where('id', '=', request.party).executeTakeFirst()
  if (!party || !(ACTIVE_STATUSES as readonly string[]).includes(party.status)) return { skipped: true }
  const doc = await db.selectFrom('documents').selectAll().where('id', '=', party.document_id).executeTakeFirstOrThrow()
  if (doc.status === 'declined' || doc.status === 'signed') return { skipped: true }
  const at = new Date(now).toISOString()
  if (doc.status === 'expired') {
    // Another party's deadline expired the document (and the flow heard it once): this one just expires too.
    await db
      .updateTable('signing_parties')
      .set({ status: 'expired', updated_at: at })
      .where('id', '=', party.id)
      .where('status', 'in', [...ACTIVE_STATUSES])
      .execute()
    return { expired: party.id }
  }
  await withFlow(
    db,
    runtime,
    doc.element_id,
    [{ type: 'signingExpired', documentType: doc.type as DocumentType }],
    async (trx) => {
      await trx
        .updateTable('signing_parties')
        .set({ status: 'expired', updated_at: at })
        .where('id', '=', party.id)
        .where('status', 'in', [...ACTIVE_STATUSES])
        .execute()
      await trx
        .updateTable('documents')
        .set({ status: 'expired', updated_at: at })
        .where('id', '=', doc.id)
        .where('status', 'in', ['sent', 'signing'])
        .execute()
      await event(trx, doc.id, party.id, 'expired', at)
    },
  )
  return { expired: party.id }
}

/** Whether a notice is still worth sending (its party has not acted), and the event it records when sent. */
export async function noticeStillDue(db: Executor, party: { party: string } | undefined) {
  if (!party) return true
  const row = await db.selectFrom('signing_parties').select('status').where('id', '=', party.party).executeTakeFirst()
  return row !== undefined && (ACTIVE_STATUSES as readonly string[]).includes(row.status)
}

export async function noticeSent(
  db: Executor,
  party: { party: string; document: string; event: string } | undefined,
  now: number,
) {
  if (!party) return
  const row = await db.selectFrom('signing_parties').select('channel').where('id', '=', party.party).executeTakeFirst()
  await event(db, party.document, party.party, party.event, new Date(now).toISOString(), {}, row?.channel ?? null)
}

// ------------------------------------------------------------------ from rules and the outbox

const SIGNER_ROLES: readonly string[] = ['admin', 'sales']

/** Who signs for us: an active admin or sales user of Signflow, named by id, email or name. */
export async function companySignerOf(db: Executor, text: string): Promise<{ name: string; email: string }> {
  const wanted = text.trim()
  if (wanted === '')
    throw new SigningError(
      422,
      'invalid',
      'The company signer is empty: name a user of Signflow, or give an email address.',
      '/companySigner',
    )
  const users = await db.selectFrom('users').select(['id', 'name', 'email', 'active', 'role']).execute()
  const folded = wanted.toLocaleLowerCase()
  const user = users.find(
    (u) =>
      Number(u.active) === 1 &&
      (u.id === wanted || u.email.toLowerCase() === folded || u.name.toLocaleLowerCase() === folded),
  )
  if (!user) {
    throw new SigningError(
      422,
      'invalid',
      `The company signer "${wanted}" is not an active user of Signflow: name one by id, email or name.`,
      '/companySigner',
    )
  }
  // Signing for the company is for those who may send documents: admins and sales employees.
  if (!SIGNER_ROLES.includes(user.role)) {
    throw new SigningError(
      422,
      'invalid',
      `${user.name} is ${user.role === 'readOnly' ? 'a read-only user' : `an ${user.role}`}: only admins and sales employees sign for the company.`,
      '/companySigner',
    )
  }
  return { name: user.name, email: user.email }
}

export interface SendForSigning {
  elementId: string
  templateId: string
  companySigner: string
  /** The client; their language, unless given, is theirs or our company's (`language.ts`). */
  client: { name: string; email: string; phone: string; language?: Language }
  channel: 'email' | 'sms'
  order: SigningOrder
  /** An existing document to sign instead of making one from the template. */
  documentId?: string
  extraFields?: Record<string, Json>
  /** Each signer confirms a one-time code sent to them (by their channel) before signing. */
  oneTimeCode?: boolean
  /** Remind a signer who has not signed every N days (0: never; default 3); the links expire after N days (default 14). */
  remindEveryDays?: number
  expiresInDays?: number
  effectId?: string
  actor: Actor
  publicUrl: string
  now: number
}

/** How a document was sent for signing, kept with it: "Use this template" sends the next one the same way. */
export interface SigningSettings {
  templateId: string
  companySigner: string
  channel: 'email' | 'sms'
  order: SigningOrder
  oneTimeCode: boolean
  remindEveryDays: number
  expiresInDays: number
  extraFields: Record<string, Json>
}

export interface SentForSigning {
  documentId: string
  documentNumber: string
  documentType: DocumentType
  pdf: string
  /** A marker a later rule's message turns into a fresh link of the client's (see {@link signingLinkMarker}). */
  clientSigningLink: string
}

/** Makes the document (or takes the given one) and sends it for signing: one transaction, idempotent per effect. */
export async function sendForSigning(
  db: Kysely<Database>,
  s: SendForSigning,
): Promise<{ outputs: SentForSigning; clientLink?: string }> {
  if (s.effectId) {
    const done = await db.selectFrom('documents').select('data').where('effect_id', '=', s.effectId).executeTakeFirst()
    const outputs = done ? (JSON.parse(done.data) as DocumentData & { outputs?: SentForSigning }).outputs : undefined
    if (outputs) return { outputs }
  }
  return db.transaction().execute(async (trx) => {
    const signer = await companySignerOf(trx, s.companySigner)
    const clientName = s.client.name.trim() || s.client.email || s.client.phone
    let document: CreatedDocument
    if (s.documentId) {
      let query = trx.selectFrom('documents').selectAll().where('id', '=', s.documentId)
      // Two requests to send one document: the second waits, then finds it sent.
      if (dialectOf(trx) === 'postgres') query = query.forUpdate()
      const row = await query.executeTakeFirst()
      if (!row) throw new SigningError(404, 'not-found', `No document "${s.documentId}".`)
      if (row.status !== 'created') {
        throw new SigningError(
          409,
          'conflict',
          `Document ${row.number} was sent for signing already (it is ${row.status}).`,
        )
      }
      document = documentOutputs(row)
    } else {
      document = await createDocumentIn(
        trx,
        {
          elementId: s.elementId,
          templateId: s.templateId,
          extraFields: s.extraFields ?? {},
          withSignatureAndStamp: false,
          publicLink: false,
          ...(s.effectId ? { effectId: s.effectId } : {}),
          actor: s.actor,
          publicUrl: s.publicUrl,
        },
        s.now,
      )
    }
    const started = await startSigning(trx, {
      document,
      elementId: s.elementId,
      parties: [
        { role: 'company', name: signer.name, email: signer.email, phone: '', channel: 'email' },
        {
          role: 'client',
          name: clientName,
          email: s.client.email.trim(),
          phone: s.client.phone.trim(),
          channel: s.channel,
          language: s.client.language ?? (await clientLanguage(trx, s.elementId)),
        },
      ],
      order: s.order,
      publicUrl: s.publicUrl,
      now: s.now,
      actor: s.actor,
      ...(s.oneTimeCode ? { oneTimeCode: true } : {}),
      ...(s.remindEveryDays !== undefined ? { remindEveryDays: s.remindEveryDays } : {}),
      ...(s.expiresInDays !== undefined ? { expiresInDays: s.expiresInDays } : {}),
    })
    const outputs: SentForSigning = {
      documentId: document.id,
      documentNumber: document.number,
      documentType: document.type,
      pdf: document.pdfFileId,
      clientSigningLink: started.parties.client ? signingLinkMarker(started.parties.client) : '',
    }
    const row = await trx.selectFrom('documents').select('data').where('id', '=', document.id).executeTakeFirstOrThrow()
    await trx
      .updateTable('documents')
      .set({
        data: JSON.stringify({
          ...JSON.parse(row.data),
          outputs,
          // What "Use this template" copies to another element's signing.
          signing: {
            templateId: document.templateId,
            companySigner: signer.email,
            channel: s.channel,
            order: s.order,
            oneTimeCode: s.oneTimeCode === true,
            remindEveryDays: s.remindEveryDays ?? 3,
            expiresInDays: s.expiresInDays ?? 14,
            extraFields: s.extraFields ?? {},
          } satisfies SigningSettings,
        }),
      })
      .where('id', '=', document.id)
      .execute()
    return { outputs, ...(started.links.client ? { clientLink: started.links.client } : {}) }
  })
}

type Deliver = (request: EffectRequest, effectId: string, elementId: string) => Promise<Record<string, Json>>

/** The outbox's handlers of signing's own rows: messages to signers, and deadlines. */
export function signingOutboxHandlers(
  db: Kysely<Database>,
  runtime: Runtime | undefined,
  deliver: Deliver,
  now: () => number,
) {
  return {
    notice: async (request: Record<string, unknown>, row: { effect_id: string; element_id: string }) => {
      const party = request.party as { party: string; document: string; event: string } | undefined
      if (!(await noticeStillDue(db, party))) return { skipped: true }
      const result = await deliver(request.message as EffectRequest, row.effect_id, row.element_id)
      await noticeSent(db, party, now())
      return result
    },
    signingExpiry: (request: Record<string, unknown>) =>
      expireParty(db, runtime, request as unknown as { party: string; document: string }, now()),
  }
}

// ------------------------------------------------------------------ links in messages rules send

const LINK_MARKER = /signflow-signing-link:([0-9a-f-]{36})/g

/**
 * What a "Send document for signing" rule gives later rules as "the client's signing link": not the link
 * itself (which would then sit in the element's fields and history for anyone who may read them), but a
 * marker that {@link expandSigningLinks} turns into a fresh personal link when a message carries it.
 */
export const signingLinkMarker = (partyId: string) => `signflow-signing-link:${partyId}`

/**
 * Replaces signing-link markers in a message's text with fresh personal links of those signers, minted now
 * (each message its own token, all kept hashed) — only for signers of this element's documents.
 */
export async function expandSigningLinks(
  db: Executor,
  text: string,
  elementId: string,
  publicUrl: string,
  now: number,
): Promise<string> {
  const ids = [...new Set([...text.matchAll(LINK_MARKER)].map((m) => m[1] as string))]
  if (ids.length === 0) return text
  const parties = await db
    .selectFrom('signing_parties')
    .innerJoin('documents', 'documents.id', 'signing_parties.document_id')
    .select(['signing_parties.id'])
    .where('signing_parties.id', 'in', ids)
    .where('documents.element_id', '=', elementId)
    .execute()
  const links = new Map<string, string>()
  for (const { id } of parties) {
    const token = newToken()
    await db
      .insertInto('signing_links')
      .values({ token_hash: sha256Hex(token), party_id: id, created_at: new Date(now).toISOString() })
      .execute()
    links.set(id, signingLinkOf(publicUrl, token))
  }
  return text.replace(LINK_MARKER, (_, id: string) => links.get(id) ?? '(the signing link is not available)')
}
