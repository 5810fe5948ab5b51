/**
 * Templates, documents, their PDFs and public links through the HTTP API, on SQLite and PostgreSQL. Every
 * answer is checked against the OpenAPI document; each operation is answered with a success and a refusal.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { PDFDocument, PDFName, PDFString } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { Runtime } from '../runtime/runtime.js'
import { seed } from '../runtime/test-fixtures.js'
import { type Answer, expectEachAnswered, send } from './api-test-support.js'
import { createApp, isPublicApiPath } from './app.js'
import { DOCUMENT_OPERATIONS } from './documents-spec.js'

const dir = mkdtempSync(join(tmpdir(), 'signflow-documents-api-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const pdftotext = (bytes: Uint8Array, name: string): string | undefined => {
  const file = join(dir, name)
  writeFileSync(file, bytes)
  try {
    return execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' })
  } catch (error) {
    if (process.env.CI) throw error
    return undefined
  }
}

/** A blank PDF that, opened in a reader that runs scripts, would run one (and a page action). */
async function blankPdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  for (let i = 0; i < pages; i++) doc.addPage([595.28, 841.89])
  const script = doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert("gotcha")') })
  doc.catalog.set(PDFName.of('OpenAction'), script)
  doc.getPage(0).node.set(PDFName.of('AA'), doc.context.obj({ O: script }))
  return doc.save({ useObjectStreams: false })
}

describeEachDatabase('documents through the API', (getDb) => {
  let db: Kysely<Database>
  let app: ReturnType<typeof createApp>
  const call = (method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> =>
    send(app, method, url, body, headers ? { headers } : undefined)
  const raw = (url: string, init?: RequestInit) => app.request(url, init)

  beforeAll(async () => {
    db = getDb()
    await seed(db, 2)
    await db
      .updateTable('elements')
      .set({
        fields: JSON.stringify({
          title: 'Straße der Möbel',
          amount: 1000,
          currency: 'EUR',
          'client.name': 'Łucja Żak',
        }),
      })
      .where('id', '=', 'deal-1')
      .execute()
    app = createApp({ services: { db, runtime: new Runtime({ db }), publicUrl: 'https://sign.example.com' } })
  })

  it('lists the built-in templates, and keeps them as they are', async () => {
    const list = await call('GET', '/api/templates')
    expect(list.status).toBe(200)
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([
      'tpl-invoice',
      'tpl-contract',
      'tpl-offer',
      'tpl-act',
      'tpl-other',
    ])
    expect((await call('GET', '/api/templates/tpl-contract')).body).toMatchObject({
      type: 'contract',
      source: 'builtin',
    })
    expect((await call('GET', '/api/templates/tpl-nope')).status).toBe(404)
    expect((await call('GET', '/api/templates?type=invoice')).status).toBe(400)
    const patch = await call('PATCH', '/api/templates/tpl-invoice', { name: 'Mine' })
    expect(patch.status).toBe(409)
  })

  it('makes a document by hand, serves its PDF inert, and answers 304 for one already had', async () => {
    const made = await call('POST', '/api/elements/deal-1/documents', {
      template: 'tpl-invoice',
      fields: { Note: 'Zażółć' },
    })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({
      elementId: 'deal-1',
      type: 'invoice',
      number: 'INV-2026-0001',
      status: 'created',
      pages: 1,
    })
    expect(made.body.publicLinkUrl).toBeUndefined()
    expect(made.headers.get('location')).toBe(`/api/documents/${made.body.id}`)
    const pdf = await raw(`/api/documents/${made.body.id}/pdf`)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(pdf.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    expect(pdf.headers.get('x-content-type-options')).toBe('nosniff')
    const bytes = new Uint8Array(await pdf.arrayBuffer())
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-')
    const etag = pdf.headers.get('etag') ?? ''
    expect((await raw(`/api/documents/${made.body.id}/pdf`, { headers: { 'if-none-match': etag } })).status).toBe(304)
    const text = pdftotext(bytes, 'by-hand.pdf')
    if (text !== undefined) expect(text).toMatch(/Straße der Möbel[\s\S]*Note: Zażółć/)
    expect((await call('GET', `/api/documents/${made.body.id}/pdf?version=original&download=1`)).status).toBe(200)
    // Not signed yet: no signed version.
    expect((await call('GET', `/api/documents/${made.body.id}/pdf?version=signed`)).status).toBe(404)
    expect((await call('GET', '/api/documents/nope/pdf')).status).toBe(404)
    // Listed for its element; what happened to it so far.
    const listed = await call('GET', '/api/documents?element=deal-1')
    expect(listed.body.items.map((d: { number: string }) => d.number)).toEqual(['INV-2026-0001'])
    expect((await call('GET', '/api/documents?type=nonsense')).status).toBe(400)
    const one = await call('GET', `/api/documents/${made.body.id}`)
    expect(one.body.events.map((e: { type: string }) => e.type)).toEqual(['created'])
    expect((await call('GET', '/api/documents/nope')).status).toBe(404)
    // Refused with the path: an unknown template, an unknown element.
    const unknown = await call('POST', '/api/elements/deal-1/documents', { template: 'tpl-nope' })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.path).toBe('/template')
    expect((await call('POST', '/api/elements/nope/documents', { template: 'tpl-invoice' })).status).toBe(404)
  })

  it('opens a document by its public link without an account, until the link is replaced, stopped or expired', async () => {
    const made = await call('POST', '/api/elements/deal-2/documents', { template: 'tpl-contract', publicLink: true })
    expect(made.status).toBe(201)
    const first = new URL(made.body.publicLinkUrl as string)
    expect(first.origin).toBe('https://sign.example.com')
    const token = first.pathname.split('/').pop() ?? ''
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(isPublicApiPath(`/api/public/documents/${token}`)).toBe(true)
    expect(isPublicApiPath(`/api/public/documents/${token}/pdf`)).toBe(true)
    expect(isPublicApiPath(`/api/public/documents/${token}/other`)).toBe(false)

    const opened = await call('GET', `/api/public/documents/${token}`)
    expect(opened.status).toBe(200)
    expect(opened.body).toMatchObject({ number: 'CTR-2026-0001', type: 'contract', issuedBy: '' })
    expect(opened.headers.get('cache-control')).toBe('no-store')
    expect((await call('GET', `/api/public/documents/${token}/pdf`)).status).toBe(200)
    const pdf = await raw(`/api/public/documents/${token}/pdf?download=1`)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="CTR-2026-0001.pdf"')
    const events = await call('GET', `/api/documents/${made.body.id}`)
    expect(events.body.events.map((e: { type: string }) => e.type)).toContain('viewedByLink')

    // Hostile tokens: made up, too short, too long, with path tricks: all the same 404.
    for (const bad of ['A'.repeat(32), 'short', 'x'.repeat(500), '..%2F..%2Fetc', `${token.slice(0, -1)}`]) {
      const res = await call('GET', `/api/public/documents/${bad}`)
      expect(res.status, bad).toBe(404)
    }
    // A new link stops the old one.
    const again = await call('POST', `/api/documents/${made.body.id}/public-link`, { expiresInDays: 7 })
    expect(again.status).toBe(201)
    expect((await call('GET', `/api/public/documents/${token}`)).status).toBe(404)
    const second = new URL(again.body.url as string).pathname.split('/').pop() ?? ''
    expect((await call('GET', `/api/public/documents/${second}`)).status).toBe(200)
    expect((await call('POST', '/api/documents/nope/public-link', {})).status).toBe(404)
    expect((await call('POST', `/api/documents/${made.body.id}/public-link`, { expiresInDays: 0 })).status).toBe(400)
    // Stopped: 410, saying so.
    expect((await call('DELETE', `/api/documents/${made.body.id}/public-link`)).status).toBe(204)
    const stopped = await call('GET', `/api/public/documents/${second}/pdf`)
    expect(stopped.status).toBe(410)
    expect(stopped.body.error.message).toMatch(/stopped/)
    expect((await call('DELETE', '/api/documents/nope/public-link')).status).toBe(404)
    // Expired: 410.
    const third = await call('POST', `/api/documents/${made.body.id}/public-link`, {})
    const thirdToken = new URL(third.body.url as string).pathname.split('/').pop() ?? ''
    await db
      .updateTable('documents')
      .set({ public_expires_at: '2020-01-01T00:00:00.000Z' })
      .where('id', '=', made.body.id)
      .execute()
    const expired = await call('GET', `/api/public/documents/${thirdToken}`)
    expect(expired.status).toBe(410)
    expect(expired.body.error.message).toMatch(/expired/)
  })

  it('makes a template of an uploaded PDF, refusing fields off its pages, and fills it in', async () => {
    const upload = await raw('/api/files?name=Umowa.pdf', {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from(await blankPdf(2)),
    })
    expect(upload.status).toBe(201)
    const fileId = ((await upload.json()) as { id: string }).id
    const fields = [
      { id: 'who', kind: 'text', page: 1, x: 72, y: 100, width: 300, height: 20, bind: 'client.name', fontSize: 12 },
      { id: 'what', kind: 'text', page: 1, x: 72, y: 130, width: 300, height: 20, bind: 'title' },
      { id: 'number', kind: 'text', page: 2, x: 72, y: 72, width: 200, height: 20, bind: 'document.number' },
      { id: 'sign-here', kind: 'signature', party: 'client', page: 2, x: 300, y: 700, width: 200, height: 60 },
    ]
    const offPage = await call('POST', '/api/templates', {
      name: 'Umowa',
      type: 'contract',
      fileId,
      fields: [{ ...fields[0], x: 500 }],
    })
    expect(offPage.status).toBe(422)
    expect(offPage.body.error.path).toBe('/fields/0/x')
    const noPage = await call('POST', '/api/templates', {
      name: 'Umowa',
      type: 'contract',
      fileId,
      fields: [{ ...fields[0], page: 3 }],
    })
    expect(noPage.body.error.path).toBe('/fields/0/page')
    const noParty = await call('POST', '/api/templates', {
      name: 'Umowa',
      type: 'contract',
      fileId,
      fields: [{ id: 's', kind: 'signature', page: 1, x: 1, y: 1, width: 10, height: 10 }],
    })
    expect(noParty.body.error.path).toBe('/fields/0/party')
    const notPdf = await call('POST', '/api/templates', { name: 'Umowa', type: 'contract', fileId: 'nope', fields: [] })
    expect(notPdf.status).toBe(422)
    expect(notPdf.body.error.path).toBe('/fileId')

    const made = await call('POST', '/api/templates', {
      name: 'Umowa',
      type: 'contract',
      fileId,
      locale: 'pl-PL',
      fields,
    })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ source: 'upload', type: 'contract', locale: 'pl-PL', fileId })
    const renamed = await call('PATCH', `/api/templates/${made.body.id}`, { name: 'Umowa ramowa' })
    expect(renamed.body.name).toBe('Umowa ramowa')
    expect(
      (await call('PATCH', `/api/templates/${made.body.id}`, { fields: [{ ...fields[0], y: 900 }] })).body.error.path,
    ).toBe('/fields/0/y')
    expect((await call('GET', '/api/templates')).body.items.at(-1)).toMatchObject({ name: 'Umowa ramowa' })

    const doc = await call('POST', '/api/elements/deal-1/documents', { template: made.body.id })
    expect(doc.status).toBe(201)
    expect(doc.body.pages).toBe(2)
    const pdf = new Uint8Array(await (await raw(`/api/documents/${doc.body.id}/pdf`)).arrayBuffer())
    // What the upload would have run is gone from the document made of it.
    const bytes = Buffer.from(pdf).toString('latin1')
    expect(bytes).not.toContain('gotcha')
    expect(bytes).not.toContain('/OpenAction')
    expect(bytes).not.toContain('/JavaScript')
    const text = pdftotext(pdf, 'uploaded.pdf')
    if (text !== undefined) {
      expect(text).toContain('Łucja Żak')
      expect(text).toContain('Straße der Möbel')
      expect(text).toContain(doc.body.number)
      // The field bound to document.number stands on page 2 and shows the number the counter gave.
      // (besides the footer "Contract … · page 2 of 2" every page has).
      const pageTwo = text.split('\f')[1] ?? ''
      expect(pageTwo.split(doc.body.number).length - 1).toBe(2)
    }
  })
})

describe('every document operation', () => {
  it('was answered above with success and with a refusal', () => {
    expectEachAnswered(Object.values(DOCUMENT_OPERATIONS))
  })
})

describe('public links', () => {
  it('are rate-limited per address', async () => {
    const app = createApp({ rateLimits: { publicPerMinute: 3 } })
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await app.request(`/api/public/documents/${'A'.repeat(32)}`)).status)
    expect(statuses.slice(3)).toEqual([429, 429])
  })
})
