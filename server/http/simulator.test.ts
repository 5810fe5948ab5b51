/**
 * What the designer's simulator keeps on the server and asks of it, through the HTTP API on SQLite and
 * PostgreSQL: scenarios stored next to a flow (made, listed, replaced, deleted, refused with the path of the
 * first problem, audited, by role) and template previews (a real PDF with the given values, marked "PREVIEW —
 * NOT VALID" on every page, without our stamp and signature or a caller's "myCompany.…" values, bounded in
 * size, for analysts and admins only, and nothing written). Every answer is checked against the OpenAPI
 * document; each operation answers a success and a refusal.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Scenario } from '../../shared/engine/scenario.js'
import { type Auth, createAuth, ROLES, type Role } from '../auth/auth.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { DOCUMENT_WORDS } from '../documents/document-words.js'
import { demoSignaturePng, demoStampPng } from '../runtime/demo-images.js'
import { Runtime } from '../runtime/runtime.js'
import { graph, seed } from '../runtime/test-fixtures.js'
import { type Answer, expectEachAnswered, send } from './api-test-support.js'
import { createApp } from './app.js'
import { startServer } from './serve.js'
import { MAX_PREVIEW_ENTRIES, MAX_PREVIEW_QUERY, MAX_PREVIEW_TEXT, SIMULATOR_OPERATIONS } from './simulator-spec.js'

const dir = mkdtempSync(join(tmpdir(), 'signflow-simulator-api-'))
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

/** How many images (XObjects of subtype Image) each page of a PDF draws. */
async function imagesPerPage(bytes: Uint8Array): Promise<number[]> {
  const doc = await PDFDocument.load(bytes)
  return doc.getPages().map((page) => {
    const xObjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict)
    if (!xObjects) return 0
    return xObjects.keys().filter((key) => {
      const object = xObjects.lookup(key)
      const dict = object instanceof PDFDict ? object : (object as { dict?: PDFDict } | undefined)?.dict
      return dict?.get(PDFName.of('Subtype')) === PDFName.of('Image')
    }).length
  })
}

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url')
const fieldsParam = (fields: unknown) => b64url(JSON.stringify(fields))

/** The sales flow's offer: entering "Offer" sends one email now and a reminder 2 minutes later. */
const offerScenario: Scenario = {
  formatVersion: 1,
  name: 'The offer goes out',
  graph: 'draft',
  start: '2026-11-23T09:00:00Z',
  elements: [{ id: 'deal-1', stage: 'new', fields: { title: 'Big deal', client: { email: 'a@client.test' } } }],
  steps: [
    { move: { element: 'deal-1', to: 'offer' } },
    { expect: { element: 'deal-1', emails: 1 } },
    { advance: 'end' },
    { expect: { element: 'deal-1', emails: 2 } },
  ],
}

describeEachDatabase('the simulator through the API', (getDb, dialect) => {
  let db: Kysely<Database>
  let app: ReturnType<typeof createApp>
  const call = (method: string, url: string, body?: unknown, init?: { raw?: string }): Promise<Answer> =>
    send(app, method, url, body, init)
  const expectError = (answer: Answer, status: number, code: string, path?: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status)
    expect(answer.body.error.code).toBe(code)
    if (path !== undefined) expect(answer.body.error.path).toBe(path)
  }
  const audit = (action: string) =>
    db
      .selectFrom('audit_log')
      .select(['actor', 'target', 'detail'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute()

  beforeAll(async () => {
    db = getDb()
    await seed(db, 1)
    const runtime = new Runtime({ db })
    await runtime.publish('sales-flow', graph, 'u-anna')
    app = createApp({ services: { db, runtime } })
  })

  describe('scenarios stored next to a flow', () => {
    it('makes, lists, replaces and deletes them, each change audited', async () => {
      expect((await call('GET', '/api/flows/sales-flow/scenarios')).body).toEqual({ items: [] })

      const made = await call('PUT', '/api/flows/sales-flow/scenarios/offer-goes-out', offerScenario)
      expect(made.status).toBe(201)
      expect(made.body).toEqual({ id: 'offer-goes-out', name: 'The offer goes out', updatedAt: expect.any(String) })
      expect(made.headers.get('location')).toBe('/api/flows/sales-flow/scenarios/offer-goes-out')

      const second = { ...offerScenario, name: 'Ärger mit İstanbul', steps: [] }
      expect((await call('PUT', '/api/flows/sales-flow/scenarios/a-second', second)).status).toBe(201)

      const listed = await call('GET', '/api/flows/sales-flow/scenarios')
      expect(listed.status).toBe(200)
      // By name; each as it was saved (the graph it runs against kept as given), with who saved it.
      expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual(['a-second', 'offer-goes-out'])
      expect(listed.body.items[1]).toEqual({
        id: 'offer-goes-out',
        name: 'The offer goes out',
        updatedAt: made.body.updatedAt,
        updatedBy: 'api',
        scenario: offerScenario,
      })
      expect(listed.body.items[0].scenario.name).toBe('Ärger mit İstanbul')

      const renamed = { ...offerScenario, name: 'The offer, renamed', graph: 'version 1' }
      const replaced = await call('PUT', '/api/flows/sales-flow/scenarios/offer-goes-out', renamed)
      expect(replaced.status).toBe(200)
      expect(replaced.headers.get('location')).toBeNull()
      const after = (await call('GET', '/api/flows/sales-flow/scenarios')).body.items
      expect(after).toHaveLength(2)
      expect(after.find((s: { id: string }) => s.id === 'offer-goes-out').scenario).toEqual(renamed)

      expect((await call('DELETE', '/api/flows/sales-flow/scenarios/a-second')).status).toBe(204)
      expectError(await call('DELETE', '/api/flows/sales-flow/scenarios/a-second'), 404, 'not-found')
      expect(
        (await call('GET', '/api/flows/sales-flow/scenarios')).body.items.map((s: { id: string }) => s.id),
      ).toEqual(['offer-goes-out'])

      const saved = await audit('flow.scenarioSaved')
      expect(saved.map((r) => [r.actor, r.target, JSON.parse(r.detail)])).toEqual([
        ['api', 'flow:sales-flow', { scenario: 'offer-goes-out', name: 'The offer goes out', created: true }],
        ['api', 'flow:sales-flow', { scenario: 'a-second', name: 'Ärger mit İstanbul', created: true }],
        ['api', 'flow:sales-flow', { scenario: 'offer-goes-out', name: 'The offer, renamed', created: false }],
      ])
      const deleted = await audit('flow.scenarioDeleted')
      expect(deleted.map((r) => [r.target, JSON.parse(r.detail)])).toEqual([
        ['flow:sales-flow', { scenario: 'a-second' }],
      ])
    })

    it('refuses an invalid scenario with the path of its first problem, and stores nothing', async () => {
      const before = await db.selectFrom('flow_scenarios').selectAll().execute()
      const auditBefore = (await db.selectFrom('audit_log').select('id').execute()).length
      const { steps: _steps, ...noSteps } = offerScenario
      const cases: Array<[unknown, string]> = [
        [noSteps, ''],
        [{ ...offerScenario, elements: [] }, '/elements'],
        [{ ...offerScenario, elements: [{ id: 'deal-1', colour: 'red' }] }, '/elements/0'],
        [{ ...offerScenario, steps: [{ move: { element: 'deal-1' } }] }, '/steps/0/move'],
        [{ ...offerScenario, formatVersion: 2 }, '/formatVersion'],
        [{ ...offerScenario, graph: '' }, '/graph'],
      ]
      for (const [body, path] of cases) {
        const answer = await call('PUT', '/api/flows/sales-flow/scenarios/broken', body)
        expectError(answer, 422, 'invalid', path)
        expect(answer.body.error.message).toMatch(/^The scenario is not valid: /)
      }
      // The deepest problem first (scenarioProblems): the steps that are not a list, not the missing name.
      expect((await call('PUT', '/api/flows/sales-flow/scenarios/broken', { steps: 'x' })).body.error.path).toBe(
        '/steps',
      )
      // Not an object at all: refused by the route's schema (400); the id must be a graph id.
      expectError(await call('PUT', '/api/flows/sales-flow/scenarios/broken', [offerScenario]), 400, 'bad-request')
      for (const id of ['1st', 'with%20space', 'a'.repeat(65), '%C5%81%C3%B3d%C5%BA']) {
        const answer = await call('PUT', `/api/flows/sales-flow/scenarios/${id}`, offerScenario)
        expectError(answer, 422, 'invalid')
        expect(answer.body.error.path).toBeUndefined()
      }
      // At most 1 MB.
      const huge = { ...offerScenario, description: 'x'.repeat(1024 * 1024) }
      expectError(await call('PUT', '/api/flows/sales-flow/scenarios/huge', huge), 413, 'payload-too-large')
      expect(await db.selectFrom('flow_scenarios').selectAll().execute()).toEqual(before)
      expect((await db.selectFrom('audit_log').select('id').execute()).length).toBe(auditBefore)
    })

    it('answers 404 for an unknown flow', async () => {
      expectError(await call('GET', '/api/flows/nope/scenarios'), 404, 'not-found')
      expectError(await call('PUT', '/api/flows/nope/scenarios/offer', offerScenario), 404, 'not-found')
      expectError(await call('DELETE', '/api/flows/nope/scenarios/offer'), 404, 'not-found')
      expect(await db.selectFrom('flow_scenarios').select('flow_id').where('flow_id', '=', 'nope').execute()).toEqual(
        [],
      )
    })
  })

  describe('template previews', () => {
    const counts = async () => {
      const count = async (table: 'documents' | 'files' | 'audit_log' | 'counters' | 'document_events') =>
        (await db.selectFrom(table).selectAll().execute()).length
      return {
        documents: await count('documents'),
        files: await count('files'),
        audit: await count('audit_log'),
        counters: JSON.stringify(await db.selectFrom('counters').selectAll().orderBy('key').execute()),
        events: await count('document_events'),
      }
    }

    it('draws a real PDF from the given values with our company, numbered PREVIEW, and writes nothing', async () => {
      // Our company (made through the API before counting: that is audited) shows on the preview.
      expect(
        (
          await call('POST', '/api/my-companies', {
            id: 'ours',
            name: 'Signflow Sp. z o.o.',
            requisites: { taxId: 'PL 525' },
          })
        ).status,
      ).toBe(201)
      // Its stamp and signature, which real documents carry and previews never do.
      for (const [kind, png] of [
        ['stamp', demoStampPng()],
        ['signature', demoSignaturePng()],
      ] as const) {
        const put = await app.request(`/api/my-companies/ours/images/${kind}`, {
          method: 'PUT',
          headers: { 'content-type': 'image/png' },
          body: new Uint8Array(png),
        })
        expect(put.status, kind).toBeLessThan(300)
      }
      // A real document first, so that the counter exists and must stay as it is.
      const real = await call('POST', '/api/elements/deal-1/documents', { template: 'tpl-contract' })
      expect(real.status).toBe(201)
      const realPdf = await app.request(`/api/documents/${real.body.id}/pdf`)
      expect(realPdf.status).toBe(200)
      // The real one has the stamp and the signature drawn (two images on the page of the signing boxes).
      expect((await imagesPerPage(new Uint8Array(await realPdf.arrayBuffer()))).reduce((a, b) => a + b)).toBe(2)
      const before = await counts()
      const fields = {
        title: 'Straße der Möbel',
        amount: 12000,
        currency: 'PLN',
        'client.name': 'Łucja Żak',
        client: { requisites: { taxId: 'TR 123' } },
        'fields.Delivery': 'piątek',
        // Our company's requisites come from the stored company, never from the caller.
        'myCompany.name': 'Evil Twin Ltd',
        'myCompany.bankAccount': 'XX00 EVIL 0000',
        myCompany: { requisites: { taxId: 'EVIL-TAX' }, bic: 'EVILBIC' },
      }
      const res = await app.request(`/api/templates/tpl-contract/preview?fields=${fieldsParam(fields)}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/pdf')
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="tpl-contract-preview\.pdf"$/)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      const bytes = new Uint8Array(await res.arrayBuffer())
      expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-')
      // No stamp, no signature: no image on any page.
      const images = await imagesPerPage(bytes)
      expect(images.length).toBeGreaterThan(0)
      expect(images.every((n) => n === 0)).toBe(true)
      const text = pdftotext(bytes, 'preview.pdf')
      if (text !== undefined) {
        expect(text).toContain('Łucja Żak')
        expect(text).toContain('Straße der Möbel')
        expect(text).toContain('PREVIEW')
        expect(text).toContain('NOT VALID')
        expect(text).toContain('Signflow Sp. z o.o.')
        expect(text).toContain('TR 123')
        expect(text).toMatch(/Delivery: piątek/)
        for (const evil of ['Evil', 'EVIL', 'XX00']) expect(text).not.toContain(evil)
      }
      // Also checked against the OpenAPI document, and without any fields.
      expect((await call('GET', `/api/templates/tpl-invoice/preview?fields=${fieldsParam(fields)}`)).status).toBe(200)
      expect((await call('GET', '/api/templates/tpl-other/preview')).status).toBe(200)
      expect(await counts()).toEqual(before)
    })

    it('marks every page of a preview "PREVIEW — NOT VALID", however many there are', async () => {
      const words = 'Zażółć gęślą jaźń, İğdır Şirketi, Straße der Möbel. '
      const long = words.repeat(Math.floor(MAX_PREVIEW_TEXT / words.length))
      const fields = { title: long, 'fields.Terms': long, 'fields.Notes': long, 'client.name': 'Jean Dupont' }
      for (const template of ['tpl-contract', 'tpl-invoice']) {
        const res = await app.request(`/api/templates/${template}/preview?fields=${fieldsParam(fields)}`)
        expect(res.status, template).toBe(200)
        const bytes = new Uint8Array(await res.arrayBuffer())
        const pages = (await PDFDocument.load(bytes)).getPageCount()
        expect(pages, template).toBeGreaterThan(2)
        expect(await imagesPerPage(bytes)).toEqual(new Array(pages).fill(0))
        const text = pdftotext(bytes, `${template}-long-preview.pdf`)
        if (text === undefined) continue
        // pdftotext ends each page with a form feed.
        const pageTexts = text.split('\f').slice(0, pages)
        expect(pageTexts).toHaveLength(pages)
        pageTexts.forEach((pageText, i) => {
          expect(pageText, `${template} page ${i + 1}`).toContain('PREVIEW')
          expect(pageText, `${template} page ${i + 1}`).toContain('NOT VALID')
        })
      }
    })

    it('previews an uploaded template by its id, as a rule names it', async () => {
      const { PDFDocument } = await import('pdf-lib')
      const blank = await PDFDocument.create()
      blank.addPage([595.28, 841.89])
      const upload = await app.request('/api/files?name=blank.pdf', {
        method: 'POST',
        headers: { 'content-type': 'application/pdf' },
        body: Buffer.from(await blank.save()),
      })
      expect(upload.status).toBe(201)
      const fileId = ((await upload.json()) as { id: string }).id
      const template = await call('POST', '/api/templates', {
        name: 'Umowa',
        type: 'contract',
        fileId,
        fields: [{ id: 'who', kind: 'text', page: 1, x: 50, y: 50, width: 300, height: 20, bind: 'client.name' }],
      })
      expect(template.status).toBe(201)
      const before = await counts()
      const res = await app.request(
        `/api/templates/${template.body.id}/preview?fields=${fieldsParam({ 'client.name': 'Ayşe Yılmaz' })}`,
      )
      expect(res.status).toBe(200)
      const text = pdftotext(new Uint8Array(await res.arrayBuffer()), 'uploaded-preview.pdf')
      if (text !== undefined) {
        expect(text).toContain('Ayşe Yılmaz')
        expect(text).toContain('PREVIEW — NOT VALID')
      }
      expect(await counts()).toEqual(before)
    })

    it('marks a preview in the language asked for ("ÖNİZLEME", "VORSCHAU"), its words too; English by default', async () => {
      const before = await counts()
      const preview = async (template: string, query: string, fields: Record<string, unknown> = {}) => {
        const res = await app.request(`/api/templates/${template}/preview?fields=${fieldsParam(fields)}${query}`)
        expect(res.status, query).toBe(200)
        return pdftotext(new Uint8Array(await res.arrayBuffer()), `${template}-preview${query.replace(/\W/g, '-')}.pdf`)
      }
      const marks = {
        tr: 'ÖNİZLEME — GEÇERSİZ',
        de: 'VORSCHAU — UNGÜLTIG',
        pl: 'PODGLĄD — NIEWAŻNE',
        fr: 'APERÇU — SANS VALEUR',
        en: 'PREVIEW — NOT VALID',
      } as const
      for (const [language, mark] of Object.entries(marks)) {
        const text = await preview('tpl-contract', `&language=${language}`, { 'client.name': 'Jean Dupont' })
        if (text === undefined) continue
        expect(text, language).toContain(mark)
        // The number is the word too, and the built-in template speaks the language asked for.
        expect(text, language).toContain(mark.split(' — ')[0])
        expect(text, language).toContain(DOCUMENT_WORDS[language as keyof typeof marks].types.contract)
        if (language !== 'en') expect(text, language).not.toContain('PREVIEW')
      }
      // Turkish capitals: the dotted İ, never a plain I.
      const turkish = await preview('tpl-invoice', '&language=tr')
      if (turkish !== undefined) {
        expect(turkish).toContain('ÖNİZLEME')
        expect(turkish).not.toContain('ÖNIZLEME')
        expect(turkish).toContain(DOCUMENT_WORDS.tr.types.invoice)
      }
      const german = await preview('tpl-invoice', '&language=de')
      if (german !== undefined) expect(german).toContain('VORSCHAU')
      // Without a language: English, as before.
      const english = await preview('tpl-invoice', '')
      if (english !== undefined) {
        expect(english).toContain('PREVIEW — NOT VALID')
        expect(english).toContain(DOCUMENT_WORDS.en.types.invoice)
      }
      // The sample client's own language keeps the document's words; the mark is the caller's.
      const polishClient = await preview('tpl-contract', '&language=de', { 'client.language': 'pl' })
      if (polishClient !== undefined) {
        expect(polishClient).toContain('VORSCHAU — UNGÜLTIG')
        expect(polishClient).toContain(DOCUMENT_WORDS.pl.types.contract)
      }
      for (const language of ['xx', 'TR', 'de-DE', 'tr%20']) {
        expectError(
          await call('GET', `/api/templates/tpl-contract/preview?language=${language}`),
          400,
          'bad-request',
          '/language',
        )
      }
      expect((await call('GET', '/api/templates/tpl-contract/preview?language=tr')).status).toBe(200)
      // An empty one is not given, as for every query parameter.
      expect((await call('GET', '/api/templates/tpl-contract/preview?language=')).status).toBe(200)
      expect(await counts()).toEqual(before)
    })

    it('refuses fields that are not base64url of a JSON object (400 at /fields), and unknown templates (404)', async () => {
      const before = await counts()
      const bad = [
        '@@@',
        'a',
        b64url('{"title": '),
        b64url('[1, 2]'),
        b64url('null'),
        Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64url'),
        b64url('{"__proto__": {"polluted": 1}}'),
        'x'.repeat(MAX_PREVIEW_QUERY + 1),
      ]
      for (const fields of bad) {
        expectError(
          await call('GET', `/api/templates/tpl-contract/preview?fields=${fields}`),
          400,
          'bad-request',
          '/fields',
        )
      }
      expectError(await call('GET', '/api/templates/tpl-contract/preview?field=x'), 400, 'bad-request', '/field')
      expectError(await call('GET', '/api/templates/tpl-nope/preview'), 404, 'not-found')
      expect(await counts()).toEqual(before)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    })

    it('refuses a value longer than 10 000 characters at its path, and more than 1 000 entries, with a hint', async () => {
      const before = await counts()
      const tooLong = 'ß'.repeat(MAX_PREVIEW_TEXT + 1)
      const cases: Array<[unknown, string]> = [
        [{ title: tooLong }, '/fields/title'],
        [{ 'client.name': 'ok', client: { requisites: { name: tooLong } } }, '/fields/client/requisites/name'],
        [{ items: [{ description: 'ok' }, { description: tooLong }] }, '/fields/items/1/description'],
        [{ 'fields.a/b~c': tooLong }, '/fields/fields.a~1b~0c'],
        [{ list: [tooLong] }, '/fields/list/0'],
        // A key as long (the path of the object holding it).
        [{ client: { [`k${tooLong}`]: 1 } }, '/fields/client'],
        [{ items: new Array(MAX_PREVIEW_ENTRIES + 1).fill(0) }, '/fields'],
        [Object.fromEntries(Array.from({ length: MAX_PREVIEW_ENTRIES + 1 }, (_, i) => [`f${i}`, i])), '/fields'],
      ]
      for (const [fields, path] of cases) {
        const answer = await call('GET', `/api/templates/tpl-contract/preview?fields=${fieldsParam(fields)}`)
        expectError(answer, 400, 'bad-request', path)
        expect(answer.body.error.message, path).toMatch(/at most (10 000|1 000)/)
        expect(answer.body.error.message, path).toMatch(/shorten it|send only/)
      }
      // As long as allowed: drawn.
      const longest = { title: 'ß'.repeat(MAX_PREVIEW_TEXT), items: new Array(MAX_PREVIEW_ENTRIES - 2).fill(0) }
      expect((await call('GET', `/api/templates/tpl-offer/preview?fields=${fieldsParam(longest)}`)).status).toBe(200)
      expect(await counts()).toEqual(before)
    })

    it('takes fields of up to 64 KB through the real server, each value at most 10 000 characters', async () => {
      const server = await startServer({ port: 0, services: { db, runtime: new Runtime({ db }) } })
      try {
        const long = 'Zażółć gęślą jaźń '.repeat(600).slice(0, MAX_PREVIEW_TEXT)
        const fields = fieldsParam({ title: long, 'fields.Terms': long, 'fields.Notes': long, 'client.name': 'Jean' })
        expect(fields.length).toBeGreaterThan(40_000)
        expect(fields.length).toBeLessThanOrEqual(MAX_PREVIEW_QUERY)
        const res = await fetch(`${server.url}/api/templates/tpl-offer/preview?fields=${fields}`)
        expect(res.status).toBe(200)
        expect(res.headers.get('content-type')).toBe('application/pdf')
        const tooLong = await fetch(
          `${server.url}/api/templates/tpl-offer/preview?fields=${'A'.repeat(MAX_PREVIEW_QUERY + 4)}`,
        )
        expect(tooLong.status).toBe(400)
        const oneTooLong = await fetch(
          `${server.url}/api/templates/tpl-offer/preview?fields=${fieldsParam({ title: `${long}x` })}`,
        )
        expect(oneTooLong.status).toBe(400)
        expect(((await oneTooLong.json()) as { error: { path: string } }).error.path).toBe('/fields/title')
      } finally {
        await server.close()
      }
    })
  })

  describe('who may', () => {
    let auth: Auth
    let signed: ReturnType<typeof createApp>
    const cookies = {} as Record<Role, string>
    const as = (role: Role, method: string, url: string, body?: unknown) =>
      signed.request(url, {
        method,
        headers: {
          cookie: cookies[role],
          origin: 'http://localhost:3000',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })

    beforeAll(async () => {
      auth = createAuth({
        db,
        dialect,
        baseURL: 'http://localhost:3000',
        secret: 'test-secret-0123456789-0123456789-abc',
        signInPerMinute: 1000,
      })
      signed = createApp({ services: { db, runtime: new Runtime({ db }), auth } })
      for (const role of ROLES) {
        const email = `${role.toLowerCase()}@simulator.test`
        const password = `${role} password 2026`
        await auth.api.createUser({ body: { email, password, name: `The ${role}`, role: role as 'admin' } })
        const res = await signed.request('/api/auth/sign-in/email', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        })
        expect(res.status).toBe(200)
        cookies[role] = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      }
    }, 60_000)

    it('lets whoever reads flows read scenarios, and whoever saves drafts write scenarios', async () => {
      const url = '/api/flows/sales-flow/scenarios/by-role'
      for (const role of ['sales', 'readOnly'] as const) {
        expect((await as(role, 'PUT', url, offerScenario)).status, role).toBe(403)
        expect((await as(role, 'DELETE', url)).status, role).toBe(403)
        expect((await as(role, 'GET', '/api/flows/sales-flow/scenarios')).status, role).toBe(200)
      }
      expect((await as('analyst', 'PUT', url, offerScenario)).status).toBe(201)
      const stored = await db
        .selectFrom('flow_scenarios')
        .select('updated_by')
        .where('id', '=', 'by-role')
        .executeTakeFirstOrThrow()
      expect(stored.updated_by).toMatch(/^user:/)
      expect((await as('admin', 'PUT', url, offerScenario)).status).toBe(200)
      expect((await as('admin', 'DELETE', url)).status).toBe(204)
      expect((await signed.request('/api/flows/sales-flow/scenarios')).status).toBe(401)
    })

    it('lets only those who design flows (analyst, admin) preview templates: 403 for sales and readOnly', async () => {
      const preview = `/api/templates/tpl-act/preview?fields=${fieldsParam({ title: 'By role' })}`
      const headersOf = (role: Role) => ({ cookie: cookies[role], origin: 'http://localhost:3000' })
      for (const role of ['sales', 'readOnly'] as const) {
        const refused = await send(signed, 'GET', preview, undefined, { headers: headersOf(role) })
        expectError(refused, 403, 'forbidden')
        expect(refused.body.error.message, role).toMatch(/admin or analyst/)
      }
      for (const role of ['analyst', 'admin'] as const) {
        const res = await as(role, 'GET', preview)
        expect(res.status, role).toBe(200)
        expect(res.headers.get('content-type')).toBe('application/pdf')
      }
      // Not signed in (as a public document link's visitor is): 401.
      expect((await signed.request(preview)).status).toBe(401)
      // API tokens act with the role they were made for: an analyst's token for readOnly is refused.
      const tokens: Record<string, string> = {}
      for (const role of ['analyst', 'readOnly'] as const) {
        const made = await as('analyst', 'POST', '/api/tokens', { name: `preview ${role}`, role })
        expect(made.status, role).toBe(201)
        tokens[role] = ((await made.json()) as { token: string }).token
      }
      const byToken = (role: string) =>
        signed.request(preview, { headers: { authorization: `Bearer ${tokens[role]}` } })
      expect((await byToken('analyst')).status).toBe(200)
      expect((await byToken('readOnly')).status).toBe(403)
    })
  })
})

describe('every simulator operation', () => {
  it('was answered above with success and with a refusal', () => {
    expectEachAnswered(Object.values(SIMULATOR_OPERATIONS))
  })
})
