/** The handlers of signing (`SIGNING_OPERATIONS` in `documents-spec.ts`): sending by hand, and the signer's own page. */
import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import type { Language } from '../../shared/i18n/languages.js'
import { writeAudit } from '../db/audit.js'
import type { ElementRow } from '../db/schema.js'
import { DISCLOSURES, signerWords } from '../documents/messages.js'
import { currentSealingCertificate, keepSealingIdentity, platformCertificates } from '../documents/sealing.js'
import {
  boxesToFill,
  consent,
  decline,
  type Opened,
  openByToken,
  type PartyData,
  partyLanguage,
  recordView,
  type SignerContext,
  SigningError,
  type SigningSettings,
  sendCode,
  sendForSigning,
  sign,
  turnProblem,
} from '../documents/signing.js'
import { type CertificateSummary, loadSealingIdentity, SealError } from '../pdf/certificate.js'
import { verifySeal } from '../pdf/seal.js'
import type { Runtime } from '../runtime/runtime.js'
import { actorOf } from './actor.js'
import { sniffImage } from './directory-api.js'
import {
  MAX_VERIFY_UPLOAD,
  type SealingOperationId,
  type SigningOperationId,
  type VerifyOperationId,
} from './documents-spec.js'
import { HttpError } from './errors.js'
import type { Handler, Services } from './runtime-api.js'

/** The largest drawn signature kept (a phone's pad at 3× is about 1200 × 540). */
const MAX_DRAWING = { width: 4000, height: 2000 }

type SigningHandlers = { [K in SigningOperationId]: Handler<K> }

export function makeSigningHandlers(
  services: Pick<Services, 'db' | 'publicUrl' | 'seal'> & { runtime?: Runtime },
): SigningHandlers {
  const { db } = services
  const publicUrlOf = (c: Context) => services.publicUrl ?? new URL(c.req.url).origin
  /** The signer's context; `language`: what their page speaks, when it says (else their own). */
  const context = (c: Context, language?: Language): SignerContext => ({
    db,
    ...(services.runtime ? { runtime: services.runtime } : {}),
    actor: actorOf(c),
    now: Date.now(),
    publicUrl: publicUrlOf(c),
    ...(services.seal ? { seal: services.seal } : {}),
    ...(language ? { language } : {}),
  })
  const opened = (token: string | undefined, language?: Language) => openByToken(db, token, language)
  const noStore = (c: Context) => {
    c.header('Cache-Control', 'no-store')
    c.header('Referrer-Policy', 'no-referrer')
  }

  /** What the signer's page shows, its texts in `asked` (the page's language), else in the signer's own. */
  function view(o: Opened, token: string, now: number, asked: Language | undefined) {
    const own = partyLanguage(o.party)
    const language = asked ?? own
    const words = signerWords(language)
    const notice = DISCLOSURES[language]
    const problem = turnProblem(o, now, language)
    const data = JSON.parse(o.party.data) as PartyData
    return {
      document: {
        title: o.document.title,
        number: o.document.number,
        type: o.document.type,
        issuedBy: o.data.content.seller.name,
        pages: o.data.pages,
        status: o.document.status,
        pdfUrl: `/api/public/signing/${token}/pdf`,
      },
      language,
      partyLanguage: own,
      party: { name: o.party.name, role: o.party.role, status: o.party.status, channel: o.party.channel },
      parties: o.parties.map((p) => ({ name: p.name, role: p.role, status: p.status })),
      disclosure: { version: notice.version, text: notice.text, sha256: notice.sha256, language },
      fields: boxesToFill(o.data.boxes, o.party.role).map((b) => ({
        id: b.id,
        label: b.label ?? b.id,
        required: b.required ?? false,
      })),
      consented: data.consent !== undefined,
      oneTimeCode: data.otp !== undefined && !data.otp.verifiedAt,
      codeSentTo: data.otp?.lastSentAt ? words.codeSentTo[o.party.channel === 'sms' ? 'sms' : 'email'] : null,
      canSign: problem === undefined,
      problem: problem ? { code: problem.code, message: problem.message } : null,
    }
  }

  const elementRow = async (id: string | undefined) => {
    const element = await db
      .selectFrom('elements')
      .selectAll()
      .where('id', '=', id ?? '')
      .executeTakeFirst()
    if (!element) throw new HttpError(404, 'not-found', `No element "${id}".`)
    return element
  }

  /** The client of an element: its own client fields, else its contact's. */
  async function clientOf(element: ElementRow) {
    const fields = JSON.parse(element.fields) as Record<string, unknown>
    const contact = element.contact_id
      ? await db.selectFrom('contacts').selectAll().where('id', '=', element.contact_id).executeTakeFirst()
      : undefined
    const text = (v: unknown) => (typeof v === 'string' ? v : '')
    return {
      name: text(fields['client.name']) || contact?.name || '',
      email: text(fields['client.email']) || contact?.email || '',
      phone: text(fields['client.phone']) || contact?.phone || '',
    }
  }

  /** A document of another element sent for signing, with how it was sent; 422 (at "/reuse") otherwise. */
  async function reusable(id: string, elementId: string) {
    const row = await db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst()
    const settings = row ? (JSON.parse(row.data) as { signing?: SigningSettings }).signing : undefined
    if (!row || !settings || row.element_id === elementId) {
      throw new HttpError(422, 'invalid', `"${id}" is not a document sent for signing from another element.`, {
        path: '/reuse',
      })
    }
    return { row, settings }
  }

  return {
    suggestReuse: async ({ c, params, query }) => {
      const element = await elementRow(params.id)
      let select = db
        .selectFrom('documents')
        .selectAll()
        .where('element_id', '!=', element.id)
        .where('status', '!=', 'created')
      if (query.type) select = select.where('type', '=', query.type)
      const rows = await select.orderBy('created_at', 'desc').limit(20).execute()
      const row = rows.find((r) => (JSON.parse(r.data) as { signing?: SigningSettings }).signing)
      if (!row)
        throw new HttpError(
          404,
          'not-found',
          `Nothing${query.type ? ` of type ${query.type}` : ''} was sent for signing from another element yet.`,
        )
      const settings = (JSON.parse(row.data) as { signing: SigningSettings }).signing
      return c.json({
        document: { id: row.id, number: row.number, title: row.title, elementId: row.element_id, type: row.type },
        template: settings.templateId,
        companySigner: settings.companySigner,
        channel: settings.channel,
        signingOrder: settings.order,
        oneTimeCode: settings.oneTimeCode,
        fields: settings.extraFields,
        client: await clientOf(element),
      })
    },

    sendSigningCode: async ({ c, params, query }) => {
      const o = await opened(params.token, query.language)
      await sendCode(context(c, query.language), o)
      return c.body(null, 204)
    },

    sendForSigning: async ({ c, params, body }) => {
      const element = await elementRow(params.id)
      // "Use this template": everything but the client comes from a document sent from another element.
      const reused = body.reuse ? await reusable(body.reuse, element.id) : undefined
      if (!body.template && !body.document && !reused) {
        throw new HttpError(
          422,
          'invalid',
          'Say what to sign: "template" for a new document, or "document" for one the element has.',
          { path: '/template' },
        )
      }
      if (body.document) {
        const doc = await db
          .selectFrom('documents')
          .select('element_id')
          .where('id', '=', body.document)
          .executeTakeFirst()
        if (!doc || doc.element_id !== element.id)
          throw new HttpError(422, 'invalid', `The element has no document "${body.document}".`, { path: '/document' })
      }
      const found = await clientOf(element)
      const client = {
        name: body.client?.name ?? found.name,
        email: body.client?.email ?? found.email,
        phone: body.client?.phone ?? found.phone,
        ...(body.client?.language ? { language: body.client.language } : {}),
      }
      const companySigner = body.companySigner ?? reused?.settings.companySigner
      if (!companySigner) {
        throw new HttpError(422, 'invalid', 'Say who signs for us: a user (id, email or name) or an email address.', {
          path: '/companySigner',
        })
      }
      const sent = await sendForSigning(db, {
        elementId: element.id,
        templateId: body.template ?? reused?.settings.templateId ?? '',
        ...(body.document ? { documentId: body.document } : {}),
        companySigner,
        client,
        channel: body.channel ?? reused?.settings.channel ?? 'email',
        order: body.signingOrder ?? reused?.settings.order ?? 'companyFirst',
        extraFields: body.fields ?? reused?.settings.extraFields ?? {},
        ...((body.oneTimeCode ?? reused?.settings.oneTimeCode) ? { oneTimeCode: true } : {}),
        remindEveryDays: body.remindEveryDays ?? reused?.settings.remindEveryDays ?? 3,
        expiresInDays: body.expiresInDays ?? reused?.settings.expiresInDays ?? 14,
        actor: actorOf(c),
        publicUrl: publicUrlOf(c),
        now: Date.now(),
      })
      c.header('Cache-Control', 'no-store')
      c.header('Location', `/api/documents/${sent.outputs.documentId}`)
      return c.json(
        {
          documentId: sent.outputs.documentId,
          documentNumber: sent.outputs.documentNumber,
          // The client's link, to pass on another way if need be; the company signer's goes only to them.
          clientSigningLink: sent.clientLink ?? '',
        },
        201,
      )
    },

    getSigning: async ({ c, params, query }) => {
      const token = params.token ?? ''
      let o = await opened(token, query.language)
      const ctx = context(c, query.language)
      await recordView(ctx, o)
      o = await opened(token, query.language)
      noStore(c)
      return c.json(view(o, token, ctx.now, query.language))
    },

    getSigningPdf: async ({ c, params, query }) => {
      const o = await opened(params.token)
      const files = await db
        .selectFrom('files')
        .select(['id', 'kind', 'bytes', 'sha256'])
        .where('owner', '=', `document:${o.document.id}`)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute()
      const file =
        (query.version === 'original'
          ? undefined
          : (files.find((f) => f.kind === 'signed') ?? files.find((f) => f.kind === 'partial'))) ??
        files.find((f) => f.kind === 'original')
      if (!file) throw new HttpError(404, 'not-found', "The document's PDF is missing.")
      const bytes = new Uint8Array(file.bytes.byteLength)
      bytes.set(file.bytes)
      noStore(c)
      return c.body(bytes, 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `${query.download === '1' ? 'attachment' : 'inline'}; filename="${o.document.number}${file.kind === 'signed' ? '-signed' : ''}.pdf"`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        ETag: `"${file.sha256}"`,
      })
    },

    consentToSign: async ({ c, params, query, body }) => {
      const o = await opened(params.token, query.language)
      await consent(context(c, query.language), o, body.disclosureSha256)
      return c.body(null, 204)
    },

    signDocument: async ({ c, params, query, body }) => {
      const o = await opened(params.token, query.language)
      const problems = signerWords(query.language ?? partyLanguage(o.party)).problems
      let signature: { method: 'drawn'; png: Uint8Array } | { method: 'typed'; text: string }
      if (body.signature.method === 'drawn') {
        const png = new Uint8Array(Buffer.from(body.signature.png.slice('data:image/png;base64,'.length), 'base64'))
        if (sniffImage(png) !== 'image/png' || png.length < 100) {
          throw new HttpError(422, 'invalid', problems.notPng, { path: '/signature/png' })
        }
        // Its size as the PNG declares it (IHDR): a small file may unpack to gigabytes.
        const view = Buffer.from(png)
        const [width, height] = [view.readUInt32BE(16), view.readUInt32BE(20)]
        if (width === 0 || height === 0 || width > MAX_DRAWING.width || height > MAX_DRAWING.height) {
          throw new HttpError(422, 'invalid', problems.tooLarge(width, height, MAX_DRAWING.width, MAX_DRAWING.height), {
            path: '/signature/png',
          })
        }
        signature = { method: 'drawn', png }
      } else {
        signature = { method: 'typed', text: body.signature.text.replace(/\p{Cc}+/gu, ' ').trim() }
      }
      const input = { signature, fields: body.fields ?? {}, ...(body.code ? { code: body.code } : {}) }
      try {
        return c.json(await sign(context(c, query.language), o, input))
      } catch (error) {
        // Another party signed at the same moment: sign again, now completing the document.
        if (!(error instanceof SigningError) || error.code !== 'stale') throw error
        return c.json(await sign(context(c, query.language), await opened(params.token, query.language), input))
      }
    },

    declineSigning: async ({ c, params, query, body }) => {
      const o = await opened(params.token, query.language)
      await decline(context(c, query.language), o, body.reason.trim())
      return c.body(null, 204)
    },
  }
}

/** The public verify page's check (`VERIFY_OPERATIONS`): our seals are the platform's identities. */
export function makeVerifyHandlers(services: Pick<Services, 'db'>): { [K in VerifyOperationId]: Handler<K> } {
  const { db } = services
  return {
    verifyPdf: async ({ c, body }) => {
      const report = await verifySeal(body, await platformCertificates(db), { maxBytes: MAX_VERIFY_UPLOAD })
      const sha256 = createHash('sha256').update(body).digest('hex')
      const doc = await db
        .selectFrom('documents')
        .select(['number', 'title', 'updated_at'])
        .where('signed_sha256', '=', sha256)
        .executeTakeFirst()
      c.header('Cache-Control', 'no-store')
      return c.json({
        sealedByUs: report.sealedByUs,
        unchanged: report.unchanged,
        problem: report.problem ?? null,
        // The same as a stable code and its values, for a page that says it in its reader's language.
        problemCode: report.problemCode ?? null,
        params: report.params ?? {},
        document:
          doc && report.sealedByUs && report.unchanged
            ? { number: doc.number, title: doc.title, completedAt: doc.updated_at }
            : null,
        signatures: report.signatures.map((s) => ({
          valid: s.valid,
          coversWholeFile: s.coversWholeFile,
          signer: s.signer ? [s.signer.commonName, s.signer.organization].filter((v) => v).join(', ') || null : null,
          signingTime: s.signingTime ? s.signingTime.toISOString() : null,
          ours: s.trusted,
          problem: s.problem ?? null,
          problemCode: s.problemCode ?? null,
          params: s.params ?? {},
        })),
      })
    },
  }
}

const certificateView = (c: CertificateSummary) => ({
  commonName: c.commonName,
  organization: c.organization,
  fingerprint: c.fingerprint,
  notBefore: c.notBefore.toISOString(),
  notAfter: c.notAfter.toISOString(),
  selfSigned: c.selfSigned,
})

/** The admin's view of the sealing certificate, and replacing it with their own .p12. */
export function makeSealingHandlers(services: Pick<Services, 'db'>): { [K in SealingOperationId]: Handler<K> } {
  const { db } = services
  return {
    getSealingCertificate: async ({ c }) => c.json(certificateView(await currentSealingCertificate(db))),
    replaceSealingCertificate: async ({ c, body }) => {
      const p12 = new Uint8Array(Buffer.from(body.p12.replace(/\s+/g, ''), 'base64'))
      let key: Awaited<ReturnType<typeof loadSealingIdentity>>
      try {
        key = await loadSealingIdentity(p12, body.password)
      } catch (error) {
        if (error instanceof SealError) {
          throw new HttpError(422, 'invalid', error.message, {
            path: error.code === 'wrong-password' ? '/password' : '/p12',
          })
        }
        throw error
      }
      await keepSealingIdentity(db, key)
      await db.transaction().execute((trx) =>
        writeAudit(trx, actorOf(c), {
          action: 'settings.sealingReplaced',
          target: 'settings:sealing',
          detail: { fingerprint: key.certificate.fingerprint, commonName: key.certificate.commonName ?? '' },
        }),
      )
      return c.json(certificateView(key.certificate))
    },
  }
}
