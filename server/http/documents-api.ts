/** The handlers of `documents-spec.ts`: templates, documents, their PDFs and public links. */
import type { Context } from 'hono'
import { PDFDocument } from 'pdf-lib'
import { writeAudit } from '../db/audit.js'
import type { DocumentEventRow, DocumentRow } from '../db/schema.js'
import {
  createDocument,
  type DocumentData,
  eventId,
  issuePublicLink,
  loadTemplate,
  publicLinkOf,
  sha256Hex,
  uploadedTemplate,
} from '../documents/store.js'
import { BUILTIN_TEMPLATES, type DocumentTemplate, type PlacedField } from '../documents/templates.js'
import { actorOf } from './actor.js'
import type { DocumentOperationId } from './documents-spec.js'
import { HttpError } from './errors.js'
import { UPLOAD_OWNER } from './files-spec.js'
import type { Handler, Services } from './runtime-api.js'

type DocumentHandlers = { [K in DocumentOperationId]: Handler<K> }

const nowIso = () => new Date().toISOString()
const notFound = (message: string) => new HttpError(404, 'not-found', message)
const invalid = (message: string, path: string) => new HttpError(422, 'invalid', message, { path })

function templateView(t: DocumentTemplate) {
  return {
    id: t.id,
    type: t.type,
    name: t.name,
    source: t.source,
    locale: t.locale,
    currency: t.currency,
    taxRate: t.taxRate,
    ...(t.fileId ? { fileId: t.fileId } : {}),
    fields: t.fields,
  }
}

/** The pages' sizes of an uploaded PDF, or a 422 naming `path` when it is not one we can read. */
async function pageSizes(bytes: Uint8Array, path: string): Promise<Array<{ width: number; height: number }>> {
  try {
    const pdf = await PDFDocument.load(bytes, { updateMetadata: false })
    return pdf.getPages().map((p) => p.getSize())
  } catch {
    throw invalid('The file is not a PDF we can read (an encrypted or damaged one?); upload another.', path)
  }
}

/** Each field must lie on a page of the PDF, inside its edges; field ids are unique; parties where needed. */
function checkFields(fields: readonly PlacedField[], pages: ReadonlyArray<{ width: number; height: number }>) {
  const seen = new Set<string>()
  fields.forEach((field, i) => {
    const path = `/fields/${i}`
    if (seen.has(field.id)) throw invalid(`Two fields are called "${field.id}"; give each its own id.`, `${path}/id`)
    seen.add(field.id)
    const page = pages[field.page - 1]
    if (!page) throw invalid(`The PDF has ${pages.length} page(s); there is no page ${field.page}.`, `${path}/page`)
    if (field.x + field.width > page.width + 0.5) {
      throw invalid(
        `The field runs off the right edge of page ${field.page} (${Math.round(page.width)} points wide).`,
        `${path}/x`,
      )
    }
    if (field.y + field.height > page.height + 0.5) {
      throw invalid(
        `The field runs off the bottom of page ${field.page} (${Math.round(page.height)} points high).`,
        `${path}/y`,
      )
    }
    if (field.kind === 'text' && !field.bind)
      throw invalid('A text field shows a value: say which in "bind".', `${path}/bind`)
    if (field.kind !== 'text' && !field.party) {
      throw invalid(`Say who fills this ${field.kind} box: "company" or "client".`, `${path}/party`)
    }
  })
}

export function makeDocumentHandlers(services: Pick<Services, 'db'> & { publicUrl?: string }): DocumentHandlers {
  const { db } = services
  const publicUrlOf = (c: Context) => services.publicUrl ?? new URL(c.req.url).origin

  const documentRow = async (id: string | undefined) => {
    const row = await db
      .selectFrom('documents')
      .selectAll()
      .where('id', '=', id ?? '')
      .executeTakeFirst()
    if (!row) throw notFound(`No document "${id}".`)
    return row
  }

  /** The events of these documents, in order, by document: one query for a whole list. */
  async function eventsOf(ids: readonly string[]) {
    const byDocument = new Map<string, DocumentEventRow[]>()
    if (ids.length === 0) return byDocument
    const rows = await db
      .selectFrom('document_events')
      .selectAll()
      .where('document_id', 'in', ids)
      .orderBy('at')
      .orderBy('id')
      .execute()
    for (const e of rows) byDocument.set(e.document_id, [...(byDocument.get(e.document_id) ?? []), e])
    return byDocument
  }

  /** Each document's signing parties, in signing order. */
  async function partiesOf(ids: readonly string[]) {
    const byDocument = new Map<
      string,
      Array<{
        id: string
        role: string
        position: number
        name: string
        channel: string
        status: string
        updatedAt: string
      }>
    >()
    if (ids.length === 0) return byDocument
    const rows = await db
      .selectFrom('signing_parties')
      .select(['id', 'document_id', 'role', 'position', 'name', 'channel', 'status', 'updated_at'])
      .where('document_id', 'in', [...ids])
      .orderBy('position')
      .orderBy('id')
      .execute()
    for (const p of rows) {
      const list = byDocument.get(p.document_id) ?? []
      list.push({
        id: p.id,
        role: p.role,
        position: p.position,
        name: p.name,
        channel: p.channel,
        status: p.status,
        updatedAt: p.updated_at,
      })
      byDocument.set(p.document_id, list)
    }
    return byDocument
  }

  async function documentView(
    row: DocumentRow,
    known?: ReadonlyMap<string, DocumentEventRow[]>,
    knownParties?: Awaited<ReturnType<typeof partiesOf>>,
  ) {
    const data = JSON.parse(row.data) as DocumentData
    const events = (known ?? (await eventsOf([row.id]))).get(row.id) ?? []
    const parties = (knownParties ?? (await partiesOf([row.id]))).get(row.id) ?? []
    const linkActive =
      row.public_token_hash !== null &&
      row.public_revoked_at === null &&
      row.public_expires_at !== null &&
      Date.parse(row.public_expires_at) > Date.now()
    return {
      id: row.id,
      elementId: row.element_id,
      type: row.type,
      number: row.number,
      title: row.title,
      status: row.status,
      templateId: row.template_id,
      pages: data.pages,
      sha256: row.original_sha256,
      signedSha256: row.signed_sha256,
      pdfUrl: `/api/documents/${row.id}/pdf`,
      publicLink: {
        active: linkActive,
        expiresAt: row.public_token_hash ? row.public_expires_at : null,
        revokedAt: row.public_revoked_at,
      },
      createdBy: row.created_by,
      createdAt: row.created_at,
      parties,
      events: events.map((e) => ({
        type: e.type,
        at: e.at,
        party: e.party_id,
        ip: e.ip,
        userAgent: e.user_agent,
        channel: e.channel,
      })),
    }
  }

  async function pdfAnswer(
    c: Context,
    row: DocumentRow,
    version: 'original' | 'signed' | undefined,
    download: boolean,
  ) {
    const fileId =
      version === 'original'
        ? row.original_file_id
        : (row.signed_file_id ?? (version === 'signed' ? null : row.original_file_id))
    if (!fileId) throw notFound(`Document ${row.number} is not signed yet.`)
    const file = await db.selectFrom('files').select(['bytes', 'sha256']).where('id', '=', fileId).executeTakeFirst()
    if (!file) throw notFound(`The PDF of document ${row.number} is missing.`)
    if (c.req.header('if-none-match') === `"${file.sha256}"`) return c.body(null, 304)
    const bytes = new Uint8Array(file.bytes.byteLength)
    bytes.set(file.bytes)
    const name = `${row.number}${fileId === row.signed_file_id ? '-signed' : ''}.pdf`
    return c.body(bytes, 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `${download ? 'attachment' : 'inline'}; filename="${name}"`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-cache',
      'Referrer-Policy': 'no-referrer',
      ETag: `"${file.sha256}"`,
    })
  }

  /** The document a public token opens: 404 for none, 410 for an expired or stopped link. */
  async function byToken(token: string | undefined): Promise<DocumentRow> {
    // Tokens are 32 URL-safe characters; anything else is no token of ours, answered without a lookup.
    if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound('No document has this link.')
    const row = await db
      .selectFrom('documents')
      .selectAll()
      .where('public_token_hash', '=', sha256Hex(token))
      .executeTakeFirst()
    if (!row) throw notFound('No document has this link.')
    if (row.public_revoked_at !== null)
      throw new HttpError(410, 'gone', 'This link was stopped; ask the sender for a new one.')
    if (row.public_expires_at === null || Date.parse(row.public_expires_at) <= Date.now()) {
      throw new HttpError(410, 'gone', 'This link has expired; ask the sender for a new one.')
    }
    return row
  }

  async function viewedByLink(c: Context, row: DocumentRow) {
    const actor = actorOf(c)
    await db
      .insertInto('document_events')
      .values({
        id: eventId(),
        document_id: row.id,
        party_id: null,
        type: 'viewedByLink',
        at: nowIso(),
        ip: actor.ip ?? null,
        user_agent: actor.userAgent ?? null,
        channel: 'publicLink',
        detail: '{}',
      })
      .execute()
  }

  return {
    listTemplates: async ({ c }) => {
      // The rows say all a list shows: no template's PDF is read.
      const rows = await db.selectFrom('document_templates').selectAll().orderBy('name').orderBy('id').execute()
      const uploaded = rows.flatMap((row) => {
        const template = uploadedTemplate(row)
        return template ? [templateView(template)] : []
      })
      return c.json({ items: [...BUILTIN_TEMPLATES.map(templateView), ...uploaded] })
    },

    getTemplate: async ({ c, params }) => {
      const found = await loadTemplate(db, params.id ?? '')
      if (!found) throw notFound(`No template "${params.id}".`)
      return c.json(templateView(found.template))
    },

    createTemplate: async ({ c, body }) => {
      const file = await db
        .selectFrom('files')
        .select(['id', 'bytes', 'content_type'])
        .where('id', '=', body.fileId)
        .where('owner', '=', UPLOAD_OWNER)
        .executeTakeFirst()
      if (file?.content_type !== 'application/pdf') {
        throw invalid(`"${body.fileId}" is not an uploaded PDF; upload it with POST /api/files first.`, '/fileId')
      }
      checkFields(body.fields, await pageSizes(new Uint8Array(file.bytes), '/fileId'))
      const id = `tpl-${crypto.randomUUID().slice(0, 8)}`
      const at = nowIso()
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('document_templates')
          .values({
            id,
            type: body.type,
            name: body.name,
            locale: body.locale ?? 'en-GB',
            currency: body.currency ?? 'EUR',
            tax_rate: body.taxRate ?? 0,
            file_id: file.id,
            fields: JSON.stringify(body.fields),
            created_at: at,
            updated_at: at,
          })
          .execute()
        await writeAudit(
          trx,
          actorOf(c),
          { action: 'template.created', target: `template:${id}`, detail: { name: body.name, type: body.type } },
          at,
        )
      })
      const made = await loadTemplate(db, id)
      c.header('Location', `/api/templates/${id}`)
      return c.json(templateView((made as { template: DocumentTemplate }).template), 201)
    },

    updateTemplate: async ({ c, params, body }) => {
      const found = await loadTemplate(db, params.id ?? '')
      if (!found) throw notFound(`No template "${params.id}".`)
      if (found.template.source === 'builtin') {
        throw new HttpError(
          409,
          'conflict',
          `"${params.id}" is built in and stays as it is; make your own from a PDF (POST /api/templates).`,
        )
      }
      if (body.fields) checkFields(body.fields, await pageSizes(found.base ?? new Uint8Array(), '/fields'))
      const at = nowIso()
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('document_templates')
          .set({
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.locale !== undefined ? { locale: body.locale } : {}),
            ...(body.currency !== undefined ? { currency: body.currency } : {}),
            ...(body.taxRate !== undefined ? { tax_rate: body.taxRate } : {}),
            ...(body.fields !== undefined ? { fields: JSON.stringify(body.fields) } : {}),
            updated_at: at,
          })
          .where('id', '=', found.template.id)
          .execute()
        await writeAudit(
          trx,
          actorOf(c),
          {
            action: 'template.updated',
            target: `template:${found.template.id}`,
            detail: { changed: Object.keys(body) },
          },
          at,
        )
      })
      const made = await loadTemplate(db, found.template.id)
      return c.json(templateView((made as { template: DocumentTemplate }).template))
    },

    listDocuments: async ({ c, query }) => {
      let select = db.selectFrom('documents').selectAll()
      if (query.element) select = select.where('element_id', '=', query.element)
      if (query.type) select = select.where('type', '=', query.type)
      const rows = await select.orderBy('created_at', 'desc').orderBy('number', 'desc').limit(200).execute()
      const events = await eventsOf(rows.map((r) => r.id))
      const parties = await partiesOf(rows.map((r) => r.id))
      const items = []
      for (const row of rows) items.push(await documentView(row, events, parties))
      return c.json({ items })
    },

    getDocument: async ({ c, params }) => c.json(await documentView(await documentRow(params.id))),

    getDocumentPdf: async ({ c, params, query }) =>
      pdfAnswer(c, await documentRow(params.id), query.version, query.download === '1'),

    makeDocument: async ({ c, params, body }) => {
      const element = await db
        .selectFrom('elements')
        .select('id')
        .where('id', '=', params.id ?? '')
        .executeTakeFirst()
      if (!element) throw notFound(`No element "${params.id}".`)
      const made = await createDocument(db, {
        elementId: element.id,
        templateId: body.template,
        extraFields: body.fields ?? {},
        withSignatureAndStamp: body.withSignatureAndStamp ?? true,
        publicLink: body.publicLink ?? false,
        ...(body.myCompany ? { myCompanyId: body.myCompany } : {}),
        actor: actorOf(c),
        publicUrl: publicUrlOf(c),
      })
      c.header('Location', `/api/documents/${made.id}`)
      c.header('Cache-Control', 'no-store')
      const view = await documentView(await documentRow(made.id))
      return c.json({ ...view, ...(made.publicLink ? { publicLinkUrl: made.publicLink } : {}) }, 201)
    },

    createPublicLink: async ({ c, params, body }) => {
      const row = await documentRow(params.id)
      const days = body.expiresInDays ?? 30
      const now = Date.now()
      const token = await db.transaction().execute(async (trx) => {
        const made = await issuePublicLink(trx, row.id, now, days)
        await writeAudit(trx, actorOf(c), {
          action: 'document.publicLinkMade',
          target: `document:${row.id}`,
          detail: { days },
        })
        return made
      })
      c.header('Cache-Control', 'no-store')
      return c.json(
        { url: publicLinkOf(publicUrlOf(c), token), expiresAt: new Date(now + days * 86_400_000).toISOString() },
        201,
      )
    },

    revokePublicLink: async ({ c, params }) => {
      const row = await documentRow(params.id)
      if (row.public_token_hash !== null && row.public_revoked_at === null) {
        const at = nowIso()
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('documents')
            .set({ public_revoked_at: at, updated_at: at })
            .where('id', '=', row.id)
            .execute()
          await writeAudit(trx, actorOf(c), { action: 'document.publicLinkStopped', target: `document:${row.id}` }, at)
        })
      }
      return c.body(null, 204)
    },

    getPublicDocument: async ({ c, params }) => {
      const row = await byToken(params.token)
      const data = JSON.parse(row.data) as DocumentData
      await viewedByLink(c, row)
      c.header('Cache-Control', 'no-store')
      c.header('Referrer-Policy', 'no-referrer')
      return c.json({
        title: row.title,
        number: row.number,
        type: row.type,
        issuedBy: data.content.seller.name,
        issuedOn: data.content.issuedOn,
        pages: data.pages,
        status: row.status,
        pdfUrl: `/api/public/documents/${params.token}/pdf`,
        expiresAt: row.public_expires_at ?? '',
        // Documents made before languages name none: they are in English.
        language: data.content.language ?? 'en',
      })
    },

    getPublicDocumentPdf: async ({ c, params, query }) =>
      pdfAnswer(c, await byToken(params.token), query.version, query.download === '1'),
  }
}
