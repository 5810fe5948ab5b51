import { createHash } from 'node:crypto'
import { type Kysely, Migrator } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import { runScenario, type Scenario } from '../../shared/engine/scenario.js'
import { DEFAULT_CALENDAR } from '../../shared/engine/types.js'
import type { Graph, RuleNode } from '../../shared/graph/graph.js'
import { migrateToLatest } from '../db/database.js'
import { migrationProvider } from '../db/migrations/index.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase, withTestDatabase } from '../db/test-support.js'
import { demoSignaturePng, demoStampPng, encodePng } from '../runtime/demo-images.js'
import { Runtime } from '../runtime/runtime.js'
import { DEMO_CALENDAR, seedDemo } from '../runtime/seed.js'
import { email, graph as salesGraph, seed as seedSales } from '../runtime/test-fixtures.js'
import { type Answer, answered, expectEachAnswered, send } from './api-test-support.js'
import { createApp } from './app.js'
import { sniffImage } from './directory-api.js'
import { DIRECTORY_OPERATIONS, MAX_IMAGE_BYTES } from './directory-spec.js'
import { FILE_OPERATIONS } from './files-spec.js'
import { openApiDocument } from './openapi.js'

const AT = '2026-11-23T09:00:00.000Z'

/** A real PNG: `width` × `height` pixels of a gradient. */
function png(width = 3, height = 2): Buffer {
  const rgba = new Uint8Array(width * height * 4)
  for (let i = 0; i < width * height; i++) rgba.set([i * 40, 255 - i * 40, 128, 255], i * 4)
  return encodePng(width, height, rgba)
}

/** The first bytes of a JPEG (JFIF), then its end marker: what `sniffImage` looks at. */
const JPEG = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
  0x00, 0xff, 0xd9,
])

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>
}
const doc = JSON.parse(JSON.stringify(openApiDocument)) as Doc

interface RawAnswer {
  status: number
  headers: Headers
  bytes: Uint8Array
  body: any
}

/**
 * A request whose answer may not be JSON (an image, 204, 304): the status must be documented for the
 * operation, and a body's media type must be one the document lists for that status.
 */
async function request(
  app: ReturnType<typeof createApp>,
  method: string,
  url: string,
  init: { body?: Uint8Array | string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const res = await app.request(url, {
    method,
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : new Uint8Array(init.body) } : {}),
  })
  const path = url.split('?')[0] ?? ''
  const found = Object.entries(doc.paths).find(
    ([template, methods]) =>
      new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path) && methods[method.toLowerCase()],
  )
  expect(found, `${method} ${url} is documented`).toBeDefined()
  answered.add(`${method} ${found?.[0]} ${res.status}`)
  const documented = found?.[1][method.toLowerCase()]?.responses[String(res.status)]
  expect(documented, `${method} ${found?.[0]} documents ${res.status}`).toBeDefined()
  const bytes = new Uint8Array(await res.arrayBuffer())
  if (bytes.length > 0) {
    const type = (res.headers.get('content-type') ?? '').split(';')[0] ?? ''
    expect(Object.keys(documented?.content ?? {}), `${method} ${url} ${res.status} answers ${type}`).toContain(type)
  } else {
    expect(documented?.content, `${method} ${url} ${res.status} has no body`).toBeUndefined()
  }
  const isJson = (res.headers.get('content-type') ?? '').startsWith('application/json')
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    body: isJson ? JSON.parse(new TextDecoder().decode(bytes)) : undefined,
  }
}

const TABLES = [
  'audit_log',
  'files',
  'history',
  'outbox_attempts',
  'outbox',
  'due_jobs',
  'tasks',
  'notifications',
  'messages',
  'elements',
  'flow_versions',
  'flows',
  'pipelines',
  'contacts',
  'companies',
  'my_companies',
  'users',
] as const

describeEachDatabase('the directory API', (getDb, dialect) => {
  let db: Kysely<Database>
  let app: ReturnType<typeof createApp>
  const get = (url: string) => send(app, 'GET', url)
  const post = (url: string, body: unknown, raw?: string) =>
    send(app, 'POST', url, body, raw === undefined ? {} : { raw })
  const patch = (url: string, body: unknown) => send(app, 'PATCH', url, body)
  const del = (url: string) => request(app, 'DELETE', url)
  const expectError = (answer: Answer | RawAnswer, status: number, code: string, path?: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status)
    expect(answer.body.error.code).toBe(code)
    expect(answer.body.error.message).toEqual(expect.any(String))
    if (path !== undefined) expect(answer.body.error.path).toBe(path)
  }
  /** The audit rows, oldest first, as [action, target, detail]. */
  const audit = async (target?: string) => {
    let select = db.selectFrom('audit_log').selectAll()
    if (target !== undefined) select = select.where('target', '=', target)
    const rows = await select.orderBy('id').execute()
    return rows.map((r) => [r.action, r.target, JSON.parse(r.detail)])
  }
  const auditCount = async () => (await db.selectFrom('audit_log').select('id').execute()).length

  async function element(id: string, refs: { contact_id?: string; company_id?: string }) {
    await db
      .insertInto('pipelines')
      .values({ id: 'sales', name: 'Sales', element_type: 'deal', stages: '[]', created_at: AT })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    await db
      .insertInto('elements')
      .values({
        id,
        pipeline_id: 'sales',
        type: 'deal',
        title: id,
        fields: '{}',
        created_at: AT,
        updated_at: AT,
        ...refs,
      })
      .execute()
  }

  beforeEach(async () => {
    db = getDb()
    for (const table of TABLES) await db.deleteFrom(table).execute()
    app = createApp({ services: { db, runtime: new Runtime({ db }) } })
  })

  // ---------------------------------------------------------- contacts
  describe('contacts', () => {
    beforeEach(async () => {
      expect((await post('/api/companies', { id: 'c-sg', name: 'SG', template: 'organization' })).status).toBe(201)
    })

    it('creates, reads, lists with search, changes and deletes a contact, auditing each change', async () => {
      const created = await post('/api/contacts', {
        id: 'p-claire',
        name: 'Claire Martin',
        email: 'Claire.Martin@sg.fr',
        phone: '+33 1 00 00 00 00',
        companyId: 'c-sg',
        requisites: {
          template: 'individual',
          fields: { taxId: 'FR-123', name: 'Claire Martin' },
          addresses: { legal: { street: '29 bd Haussmann', city: 'Paris', postalCode: '75009' } },
        },
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      expect(created.headers.get('location')).toBe('/api/contacts/p-claire')
      expect(created.body).toEqual({
        id: 'p-claire',
        name: 'Claire Martin',
        email: 'Claire.Martin@sg.fr',
        phone: '+33 1 00 00 00 00',
        companyId: 'c-sg',
        requisites: {
          template: 'individual',
          fields: { name: 'Claire Martin', taxId: 'FR-123' },
          addresses: { legal: { street: '29 bd Haussmann', city: 'Paris', postalCode: '75009' } },
        },
        language: null,
        createdAt: expect.any(String),
        updatedAt: created.body.createdAt,
      })
      expect((await get('/api/contacts/p-claire')).body).toEqual(created.body)

      const mehmet = await post('/api/contacts', { name: 'Mehmet Öztürk', phone: '+90 555 000 00 00' })
      expect(mehmet.status).toBe(201)
      expect(mehmet.body).toMatchObject({ email: null, companyId: null, requisites: null })
      expect(mehmet.body.id).toMatch(/^[0-9a-f-]{36}$/)

      const names = async (query: string) =>
        (await get(`/api/contacts${query}`)).body.items.map((c: { name: string }) => c.name)
      expect(await names('')).toEqual(['Claire Martin', 'Mehmet Öztürk'])
      expect(await names('?q=%C3%96ZT%C3%9CRK')).toEqual(['Mehmet Öztürk']) // ÖZTÜRK
      expect(await names('?q=ozturk')).toEqual(['Mehmet Öztürk'])
      expect(await names('?q=claire.martin%40SG')).toEqual(['Claire Martin'])
      expect(await names('?q=%2B90%20555')).toEqual(['Mehmet Öztürk'])
      expect(await names('?q=%25')).toEqual([]) // "%" is text, not a wildcard
      expect(await names('?companyId=c-sg')).toEqual(['Claire Martin'])
      const page = await get('/api/contacts?limit=1&offset=1')
      expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 })
      expect(page.body.items.map((c: { id: string }) => c.id)).toEqual([mehmet.body.id])

      const changed = await patch('/api/contacts/p-claire', { phone: null, requisites: null, name: 'Claire M.' })
      expect(changed.status).toBe(200)
      expect(changed.body).toMatchObject({
        name: 'Claire M.',
        phone: null,
        requisites: null,
        email: 'Claire.Martin@sg.fr',
      })
      expect(changed.body.updatedAt >= created.body.updatedAt).toBe(true)
      expect(await names('?q=claire%20m.')).toEqual(['Claire M.'])
      expect((await patch('/api/contacts/p-claire', { companyId: null })).body.companyId).toBeNull()

      expect((await del('/api/contacts/p-claire')).status).toBe(204)
      expectError(await get('/api/contacts/p-claire'), 404, 'not-found')
      expect(await audit('contact:p-claire')).toEqual([
        ['contact.created', 'contact:p-claire', { name: 'Claire Martin' }],
        ['contact.updated', 'contact:p-claire', { changed: ['name', 'phone', 'requisites'] }],
        ['contact.updated', 'contact:p-claire', { changed: ['companyId'] }],
        ['contact.deleted', 'contact:p-claire', { name: 'Claire M.' }],
      ])
    })

    it('keeps the language a person is written to in: set, kept, cleared; a locale or a name is refused with a hint', async () => {
      const made = await post('/api/contacts', { id: 'p-ola', name: 'Ola Nowak', language: 'pl' })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      expect(made.body.language).toBe('pl')
      // Other changes keep it; null clears it (then our company's default applies).
      expect((await patch('/api/contacts/p-ola', { phone: '+48 600 100 200' })).body.language).toBe('pl')
      expect((await patch('/api/contacts/p-ola', { language: 'tr' })).body.language).toBe('tr')
      expect((await get('/api/contacts/p-ola')).body.language).toBe('tr')
      expect((await patch('/api/contacts/p-ola', { language: null })).body.language).toBeNull()
      const before = await auditCount()
      for (const [given, meant] of [
        ['pl-PL', 'pl'],
        ['Polish', 'pl'],
        ['Türkçe', 'tr'],
        ['klingon', undefined],
      ] as const) {
        const refused = await post('/api/contacts', { name: 'X', language: given })
        expectError(refused, 422, 'invalid', '/language')
        expect(refused.body.error.message).toContain(meant ? `did you mean "${meant}"?` : '"en" (English)')
        expectError(await patch('/api/contacts/p-ola', { language: given }), 422, 'invalid', '/language')
      }
      expectError(await post('/api/contacts', { name: 'X', language: 7 }), 400, 'bad-request', '/language')
      expect(await auditCount()).toBe(before)
      expect((await get('/api/contacts/p-ola')).body.language).toBeNull()
    })

    it('refuses bad input with its path and code, and writes no audit row', async () => {
      await post('/api/contacts', { id: 'p-1', name: 'One' })
      const before = await auditCount()
      expectError(await post('/api/contacts', { name: 'X', nickname: 'x' }), 400, 'bad-request', '/nickname')
      expectError(await post('/api/contacts', { email: 'a@b.co' }), 400, 'bad-request', '/name')
      expectError(await post('/api/contacts', { name: '' }), 400, 'bad-request', '/name')
      expectError(await post('/api/contacts', { name: 'X', email: 'not-an-email' }), 400, 'bad-request', '/email')
      expectError(await post('/api/contacts', { name: 'X', email: 'a@b' }), 400, 'bad-request', '/email')
      expectError(await post('/api/contacts', { name: 'X', phone: 'call me' }), 400, 'bad-request', '/phone')
      expectError(await post('/api/contacts', { name: 'X', phone: '12' }), 400, 'bad-request', '/phone')
      expectError(
        await post('/api/contacts', { name: 'X', requisites: { template: 'organization' } }),
        400,
        'bad-request',
        '/requisites/template',
      )
      expectError(
        await post('/api/contacts', { name: 'X', requisites: { fields: {} } }),
        400,
        'bad-request',
        '/requisites/template',
      )
      expectError(
        await post('/api/contacts', { name: 'X', requisites: { template: 'individual', fields: { iban: 'x' } } }),
        400,
        'bad-request',
        '/requisites/fields/iban',
      )
      expectError(
        await post('/api/contacts', {
          name: 'X',
          requisites: { template: 'individual', addresses: { home: { city: 'Paris' } } },
        }),
        400,
        'bad-request',
        '/requisites/addresses/home',
      )
      expectError(
        await post('/api/contacts', {
          name: 'X',
          requisites: { template: 'individual', fields: { taxId: 'x'.repeat(51) } },
        }),
        400,
        'bad-request',
        '/requisites/fields/taxId',
      )
      expectError(await post('/api/contacts', { name: 'X', companyId: 'c-none' }), 422, 'invalid', '/companyId')
      expectError(await post('/api/contacts', { id: 'p-1', name: 'Again' }), 409, 'conflict', '/id')
      expectError(await post('/api/contacts', { id: 'bad id!', name: 'X' }), 400, 'bad-request', '/id')
      expectError(
        await post('/api/contacts', undefined, '{"name":"X","__proto__":{"admin":true}}'),
        400,
        'bad-request',
        '/__proto__',
      )
      expectError(await post('/api/contacts', undefined, '{"name":'), 400, 'not-json')
      expectError(await patch('/api/contacts/p-1', {}), 400, 'bad-request', '')
      expectError(await patch('/api/contacts/p-1', { id: 'p-2' }), 400, 'bad-request', '/id')
      expectError(await patch('/api/contacts/p-1', { companyId: 'c-none' }), 422, 'invalid', '/companyId')
      expectError(await get('/api/contacts?limit=0'), 400, 'bad-request', '/limit')
      expectError(await get('/api/contacts?search=x'), 400, 'bad-request', '/search')
      expect(await auditCount()).toBe(before)
      expect((await get('/api/contacts')).body.total).toBe(1)
    })

    it('answers 404 for a contact that does not exist', async () => {
      expectError(await get('/api/contacts/nobody'), 404, 'not-found')
      expectError(await patch('/api/contacts/nobody', { name: 'X' }), 404, 'not-found')
      expectError(await del('/api/contacts/nobody'), 404, 'not-found')
      expect(await auditCount()).toBe(1) // the company of beforeEach
    })

    it('refuses (409) to delete a contact an element refers to, deleting nothing', async () => {
      await post('/api/contacts', { id: 'p-1', name: 'One' })
      await element('deal-1', { contact_id: 'p-1' })
      const before = await auditCount()
      const refused = await del('/api/contacts/p-1')
      expectError(refused, 409, 'conflict')
      expect(refused.body.error.message).toContain('"deal-1"')
      expect((await get('/api/contacts/p-1')).status).toBe(200)
      expect(await auditCount()).toBe(before)
    })
  })

  // ---------------------------------------------------------- companies
  describe('companies', () => {
    const acme = {
      id: 'c-acme',
      name: 'Société Générale des Achats',
      template: 'organization',
      requisites: {
        name: 'Société Générale des Achats SA',
        taxId: 'FR40303265045',
        registrationNumber: '552 120 222',
        director: 'Jeanne Roux',
        bankName: 'BNP Paribas',
        bankAccount: 'FR7630006000011234567890189',
        bic: 'BNPAFRPP',
      },
      addresses: {
        legal: { street: '29 boulevard Haussmann', city: 'Paris', postalCode: '75009', country: 'France' },
        actual: { street: '17 cours Valmy', city: 'Puteaux' },
      },
    }

    it('creates, reads, lists with search, changes and deletes a company, auditing each change', async () => {
      const created = await post('/api/companies', acme)
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      expect(created.headers.get('location')).toBe('/api/companies/c-acme')
      expect(created.body).toEqual({ ...acme, createdAt: expect.any(String), updatedAt: created.body.createdAt })
      expect((await get('/api/companies/c-acme')).body).toEqual(created.body)
      await post('/api/companies', { id: 'c-ip', name: 'Jan Nowak', template: 'soleProprietor' })

      const ids = async (query: string) =>
        (await get(`/api/companies${query}`)).body.items.map((c: { id: string }) => c.id)
      expect(await ids('')).toEqual(['c-ip', 'c-acme']) // by name
      expect(await ids('?q=SOCIETE%20generale')).toEqual(['c-acme'])
      expect(await ids('?q=303265')).toEqual(['c-acme']) // the tax id
      expect(await ids('?q=552%20120')).toEqual(['c-acme']) // the registration number
      expect(await ids('?template=soleProprietor')).toEqual(['c-ip'])
      expect((await get('/api/companies?limit=1')).body).toMatchObject({ total: 2, limit: 1, offset: 0 })

      const changed = await patch('/api/companies/c-acme', {
        template: 'soleProprietor',
        requisites: { taxId: 'FR99' },
      })
      expect(changed.status).toBe(200)
      // A key given replaces that part whole; the others stay.
      expect(changed.body).toMatchObject({
        name: acme.name,
        template: 'soleProprietor',
        requisites: { taxId: 'FR99' },
        addresses: acme.addresses,
      })
      expect(await ids('?q=303265')).toEqual([])
      expect(await ids('?q=fr99')).toEqual(['c-acme'])

      expect((await del('/api/companies/c-acme')).status).toBe(204)
      expectError(await get('/api/companies/c-acme'), 404, 'not-found')
      expect(await audit('company:c-acme')).toEqual([
        ['company.created', 'company:c-acme', { name: acme.name, template: 'organization' }],
        ['company.updated', 'company:c-acme', { changed: ['requisites', 'template'] }],
        ['company.deleted', 'company:c-acme', { name: acme.name }],
      ])
    })

    it('refuses bad input with its path and code, and writes no audit row', async () => {
      await post('/api/companies', acme)
      const before = await auditCount()
      expectError(
        await post('/api/companies', { ...acme, id: 'c-2', template: 'llc' }),
        400,
        'bad-request',
        '/template',
      )
      expectError(await post('/api/companies', { name: 'X' }), 400, 'bad-request', '/template')
      expectError(
        await post('/api/companies', { ...acme, id: 'c-2', requisites: { iban: 'x' } }),
        400,
        'bad-request',
        '/requisites/iban',
      )
      expectError(
        await post('/api/companies', { ...acme, id: 'c-2', addresses: { legal: { street2: 'x' } } }),
        400,
        'bad-request',
        '/addresses/legal/street2',
      )
      expectError(
        await post('/api/companies', { ...acme, id: 'c-2', requisites: { taxId: 7 } }),
        400,
        'bad-request',
        '/requisites/taxId',
      )
      expectError(
        await post('/api/companies', { ...acme, id: 'c-2', addresses: { legal: { city: 'x'.repeat(151) } } }),
        400,
        'bad-request',
        '/addresses/legal/city',
      )
      expectError(await post('/api/companies', acme), 409, 'conflict', '/id')
      expectError(await patch('/api/companies/c-acme', { template: 'person' }), 400, 'bad-request', '/template')
      expectError(await patch('/api/companies/c-acme', { id: 'c-3' }), 400, 'bad-request', '/id')
      expectError(await get('/api/companies?template=llc'), 400, 'bad-request', '/template')
      expect(await auditCount()).toBe(before)
    })

    it('answers 404 for a company that does not exist', async () => {
      expectError(await get('/api/companies/none'), 404, 'not-found')
      expectError(await patch('/api/companies/none', { name: 'X' }), 404, 'not-found')
      expectError(await del('/api/companies/none'), 404, 'not-found')
      expect(await auditCount()).toBe(0)
    })

    it('refuses (409) to delete a company contacts or elements refer to, saying which, deleting nothing', async () => {
      await post('/api/companies', acme)
      await post('/api/contacts', { id: 'p-1', name: 'One', companyId: 'c-acme' })
      await post('/api/contacts', { id: 'p-2', name: 'Two', companyId: 'c-acme' })
      await element('deal-1', { company_id: 'c-acme' })
      const before = await auditCount()
      const refused = await del('/api/companies/c-acme')
      expectError(refused, 409, 'conflict')
      expect(refused.body.error.message).toMatch(/2 contacts \("p-1", "p-2"\) and 1 element \("deal-1"\)/)
      expect((await get('/api/companies/c-acme')).status).toBe(200)
      expect((await get('/api/contacts/p-1')).body.companyId).toBe('c-acme')
      expect(await auditCount()).toBe(before)

      await db.deleteFrom('elements').execute()
      await patch('/api/contacts/p-1', { companyId: null })
      const still = await del('/api/companies/c-acme')
      expectError(still, 409, 'conflict')
      expect(still.body.error.message).toContain('1 contact ("p-2")')
      await patch('/api/contacts/p-2', { companyId: null })
      expect((await del('/api/companies/c-acme')).status).toBe(204)
    })
  })

  // ---------------------------------------------------------- my companies
  describe('my companies', () => {
    const ours = {
      id: 'mine',
      name: 'Signflow Demo Sp. z o.o.',
      requisites: { taxId: 'PL5250001009', director: 'Ayşe Yılmaz' },
      bankDetails: { bankName: 'Bank Demo S.A.', bankAccount: 'PL61109010140000071219812874', bic: 'WBKPPLPP' },
      addresses: { legal: { street: 'ul. Marszałkowska 1', city: 'Warszawa', postalCode: '00-001' } },
    }
    const image = (kind: string, id = 'mine') => `/api/my-companies/${id}/images/${kind}`
    const upload = (kind: string, body: Uint8Array | string, type = 'image/png', id = 'mine') =>
      request(app, 'PUT', image(kind, id), { body, headers: { 'content-type': type } })

    beforeEach(async () => {
      expect((await post('/api/my-companies', ours)).status).toBe(201)
    })

    it('creates, reads, lists and changes a company of ours, auditing each change', async () => {
      const { body } = await get('/api/my-companies/mine')
      expect(body).toEqual({
        ...ours,
        images: { stamp: null, signature: null },
        calendar: DEFAULT_CALENDAR, // none set: what the runtime schedules with then
        language: 'en', // none set: English
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      })
      expect((await get('/api/my-companies')).body.items).toEqual([body])
      const changed = await patch('/api/my-companies/mine', {
        bankDetails: { bankName: 'Other Bank', bic: 'OTHRPLPP' },
      })
      expect(changed.status).toBe(200)
      expect(changed.body).toMatchObject({
        requisites: ours.requisites,
        bankDetails: { bankName: 'Other Bank', bic: 'OTHRPLPP' },
        addresses: ours.addresses,
      })
      expect(changed.body.bankDetails.bankAccount).toBeUndefined()
      expect(await audit('myCompany:mine')).toEqual([
        ['myCompany.created', 'myCompany:mine', { name: ours.name }],
        ['myCompany.updated', 'myCompany:mine', { changed: ['bankDetails'] }],
      ])
    })

    it('keeps the default language of clients without one: set, kept by other changes, audited; refused with a hint', async () => {
      const made = await post('/api/my-companies', { id: 'polish', name: 'Polska Sp. z o.o.', language: 'pl' })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      expect(made.body.language).toBe('pl')
      expect((await patch('/api/my-companies/polish', { name: 'Polska S.A.' })).body.language).toBe('pl')
      expect((await patch('/api/my-companies/mine', { language: 'de' })).body.language).toBe('de')
      expect((await patch('/api/my-companies/mine', { bankDetails: {} })).body.language).toBe('de')
      expect((await audit('myCompany:mine')).at(-2)).toEqual([
        'myCompany.updated',
        'myCompany:mine',
        { changed: ['language'], language: 'de' },
      ])
      const before = await auditCount()
      const refused = await patch('/api/my-companies/mine', { language: 'de-AT' })
      expectError(refused, 422, 'invalid', '/language')
      expect(refused.body.error.message).toContain('did you mean "de"?')
      expectError(await post('/api/my-companies', { name: 'X', language: 'Deutsch' }), 422, 'invalid', '/language')
      expect(await auditCount()).toBe(before)
      expect((await get('/api/my-companies/mine')).body.language).toBe('de')
    })

    it('refuses bad input with its path, an id taken and an unknown company, writing no audit row', async () => {
      const before = await auditCount()
      expectError(
        await post('/api/my-companies', { name: 'X', bankDetails: { iban: 'x' } }),
        400,
        'bad-request',
        '/bankDetails/iban',
      )
      expectError(
        await post('/api/my-companies', { name: 'X', requisites: { bankAccount: 'x' } }),
        400,
        'bad-request',
        '/requisites/bankAccount',
      )
      expectError(await post('/api/my-companies', { name: 'X', images: {} }), 400, 'bad-request', '/images')
      expectError(await post('/api/my-companies', ours), 409, 'conflict', '/id')
      expectError(
        await patch('/api/my-companies/mine', { addresses: { moon: {} } }),
        400,
        'bad-request',
        '/addresses/moon',
      )
      expectError(await get('/api/my-companies/none'), 404, 'not-found')
      expectError(await get('/api/my-companies?limit=5'), 400, 'bad-request', '/limit') // it takes no query
      expectError(await patch('/api/my-companies/none', { name: 'X' }), 404, 'not-found')
      expect(await auditCount()).toBe(before)
    })

    it('keeps a working calendar: set, read back in order, audited with its values', async () => {
      const calendar = {
        timeZone: 'europe/warsaw',
        workDays: [5, 1, 2, 3, 4, 1],
        start: '08:30',
        end: '16:30',
        holidays: ['2026-12-25', '2026-11-11', '2026-12-25'],
      }
      const changed = await patch('/api/my-companies/mine', { calendar })
      expect(changed.status, JSON.stringify(changed.body)).toBe(200)
      const kept = {
        timeZone: 'Europe/Warsaw',
        workDays: [1, 2, 3, 4, 5],
        start: '08:30',
        end: '16:30',
        holidays: ['2026-11-11', '2026-12-25'],
      }
      expect(changed.body.calendar).toEqual(kept)
      expect(changed.body.requisites).toEqual(ours.requisites) // the rest stays
      expect((await get('/api/my-companies/mine')).body.calendar).toEqual(kept)
      expect((await patch('/api/my-companies/mine', { name: 'Renamed' })).body.calendar).toEqual(kept)
      expect((await audit('myCompany:mine')).slice(1)).toEqual([
        ['myCompany.updated', 'myCompany:mine', { changed: ['calendar'], calendar: kept }],
        ['myCompany.updated', 'myCompany:mine', { changed: ['name'] }],
      ])
      const made = await post('/api/my-companies', { id: 'other', name: 'Other', calendar: { ...kept, end: '24:00' } })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      expect(made.body.calendar).toEqual({ ...kept, end: '24:00' })
    })

    it('refuses a calendar that does not hold together, with its path and a hint; nothing changes', async () => {
      const good = { timeZone: 'UTC', workDays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] }
      const before = await auditCount()
      const warsaw = await patch('/api/my-companies/mine', { calendar: { ...good, timeZone: 'Warsaw' } })
      expectError(warsaw, 422, 'invalid', '/calendar/timeZone')
      expect(warsaw.body.error.message).toContain('(did you mean "Europe/Warsaw"?)')
      const mars = await patch('/api/my-companies/mine', { calendar: { ...good, timeZone: 'Mars/Olympus_Mons' } })
      expectError(mars, 422, 'invalid', '/calendar/timeZone')
      expect(mars.body.error.message).toMatch(/not a time zone this server knows; use an IANA name such as/)
      expectError(
        await post('/api/my-companies', { name: 'X', calendar: { ...good, timeZone: 'Nowhere/City' } }),
        422,
        'invalid',
        '/calendar/timeZone',
      )
      expectError(
        await patch('/api/my-companies/mine', { calendar: { ...good, start: '17:00', end: '09:00' } }),
        422,
        'invalid',
        '/calendar/end',
      )
      expectError(
        await patch('/api/my-companies/mine', { calendar: { ...good, end: '09:00' } }),
        422,
        'invalid',
        '/calendar/end',
      )
      expectError(
        await patch('/api/my-companies/mine', { calendar: { ...good, holidays: ['2026-12-25', '2026-02-30'] } }),
        422,
        'invalid',
        '/calendar/holidays/1',
      )
      const many = Array.from({ length: 367 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10))
      expectError(
        await patch('/api/my-companies/mine', { calendar: { ...good, holidays: many } }),
        400,
        'bad-request',
        '/calendar/holidays',
      )
      expect(
        (await patch('/api/my-companies/mine', { calendar: { ...good, holidays: many.slice(0, 366) } })).body.calendar
          .holidays,
      ).toHaveLength(366)
      await patch('/api/my-companies/mine', { calendar: good })
      const after = await auditCount()
      expect(after).toBe(before + 2)
      for (const [calendar, path] of [
        [{ ...good, workDays: [0] }, '/calendar/workDays/0'],
        [{ ...good, workDays: [] }, '/calendar/workDays'],
        [{ ...good, start: '9:00' }, '/calendar/start'],
        [{ ...good, end: '24:01' }, '/calendar/end'],
        [{ ...good, holidays: ['25.12.2026'] }, '/calendar/holidays/0'],
        [{ ...good, weekends: [6, 7] }, '/calendar/weekends'],
        [{ timeZone: 'UTC' }, '/calendar/workDays'],
      ] as const) {
        expectError(await patch('/api/my-companies/mine', { calendar }), 400, 'bad-request', path)
      }
      expect(await auditCount()).toBe(after)
      expect((await get('/api/my-companies/mine')).body.calendar).toEqual(good)
    })

    it('stores a PNG stamp and serves it back byte for byte, with its type, nosniff, inline and its ETag', async () => {
      const bytes = png(5, 4)
      const put = await upload('stamp', bytes)
      expect(put.status, JSON.stringify(put.body)).toBe(200)
      expect(put.body).toEqual({
        kind: 'stamp',
        contentType: 'image/png',
        size: bytes.length,
        sha256: sha256(bytes),
        url: '/api/my-companies/mine/images/stamp',
        createdAt: expect.any(String),
      })
      const got = await request(app, 'GET', image('stamp'))
      expect(got.status).toBe(200)
      expect(Buffer.from(got.bytes).equals(bytes)).toBe(true)
      expect(got.headers.get('content-type')).toBe('image/png')
      expect(got.headers.get('x-content-type-options')).toBe('nosniff')
      expect(got.headers.get('content-disposition')).toBe('inline; filename="stamp.png"')
      expect(got.headers.get('etag')).toBe(`"${sha256(bytes)}"`)
      const again = await request(app, 'GET', image('stamp'), { headers: { 'if-none-match': `"${sha256(bytes)}"` } })
      expect(again.status).toBe(304)
      expect(again.bytes.length).toBe(0)
      expect((await request(app, 'GET', image('stamp'), { headers: { 'if-none-match': '"other"' } })).status).toBe(200)
      expect((await get('/api/my-companies/mine')).body.images).toEqual({ stamp: put.body, signature: null })
      // The database gives the bytes back as a Buffer (SQLite BLOB, PostgreSQL bytea).
      const row = await db.selectFrom('files').selectAll().executeTakeFirstOrThrow()
      expect(Buffer.isBuffer(row.bytes)).toBe(true)
      expect(row).toMatchObject({
        owner: 'myCompany:mine',
        kind: 'stamp',
        content_type: 'image/png',
        size: bytes.length,
      })
    })

    it('takes the type from the bytes: a JPEG sent as image/png is stored and served as image/jpeg', async () => {
      const put = await upload('signature', JPEG, 'image/png')
      expect(put.status).toBe(200)
      expect(put.body.contentType).toBe('image/jpeg')
      const got = await request(app, 'GET', image('signature'))
      expect(got.headers.get('content-type')).toBe('image/jpeg')
      expect(got.headers.get('content-disposition')).toBe('inline; filename="signature.jpg"')
      expect(Buffer.from(got.bytes).equals(Buffer.from(JPEG))).toBe(true)
    })

    it('replaces an image, and deletes it; each change audited, one file kept', async () => {
      const first = png(2, 2)
      const second = png(7, 3)
      await upload('stamp', first)
      await upload('stamp', second)
      const got = await request(app, 'GET', image('stamp'))
      expect(Buffer.from(got.bytes).equals(second)).toBe(true)
      expect(await db.selectFrom('files').select('id').execute()).toHaveLength(1)
      expect((await del(image('stamp'))).status).toBe(204)
      expectError(await request(app, 'GET', image('stamp')), 404, 'not-found')
      expectError(await del(image('stamp')), 404, 'not-found')
      expect(await db.selectFrom('files').select('id').execute()).toHaveLength(0)
      expect((await get('/api/my-companies/mine')).body.images.stamp).toBeNull()
      expect((await audit('myCompany:mine')).slice(1)).toEqual([
        [
          'myCompany.imageSet',
          'myCompany:mine',
          { kind: 'stamp', contentType: 'image/png', size: first.length, sha256: sha256(first) },
        ],
        [
          'myCompany.imageSet',
          'myCompany:mine',
          { kind: 'stamp', contentType: 'image/png', size: second.length, sha256: sha256(second) },
        ],
        ['myCompany.imageDeleted', 'myCompany:mine', { kind: 'stamp' }],
      ])
    })

    it('refuses what is not a PNG or JPEG, whatever its header says, and too large a body; storing nothing', async () => {
      const before = await auditCount()
      expectError(await upload('stamp', 'just some text, not an image'), 422, 'invalid')
      const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
      expectError(await upload('stamp', svg, 'image/png'), 422, 'invalid')
      expectError(await upload('stamp', png().subarray(0, 20)), 422, 'invalid') // a signature without its IHDR
      expectError(await upload('stamp', png(), 'image/svg+xml'), 415, 'unsupported-media-type')
      expectError(await upload('stamp', png(), 'application/json'), 415, 'unsupported-media-type')
      expectError(await request(app, 'PUT', image('stamp'), { body: png() }), 415, 'unsupported-media-type')
      const huge = new Uint8Array(MAX_IMAGE_BYTES + 1)
      huge.set(png())
      expectError(await upload('stamp', huge), 413, 'payload-too-large')
      expectError(await upload('logo', png()), 404, 'not-found')
      expectError(await upload('stamp', png(), 'image/png', 'none'), 404, 'not-found')
      expectError(await request(app, 'GET', image('logo')), 404, 'not-found')
      expectError(await request(app, 'GET', image('stamp', 'none')), 404, 'not-found')
      expectError(await request(app, 'GET', image('signature')), 404, 'not-found')
      expect(await db.selectFrom('files').select('id').execute()).toEqual([])
      expect(await auditCount()).toBe(before)
      // exactly at the limit is fine
      const limit = new Uint8Array(MAX_IMAGE_BYTES)
      limit.set(png())
      expect((await upload('stamp', limit)).status).toBe(200)
    })
  })

  // ---------------------------------------------------------- files
  describe('files', () => {
    const PDF = new TextEncoder().encode('%PDF-1.4\n% Straße İğdır\ntrailer << >>\n%%EOF\n')
    const upload = (name: string | undefined, body: Uint8Array | string, type: string) =>
      request(app, 'POST', name === undefined ? '/api/files' : `/api/files?name=${encodeURIComponent(name)}`, {
        body,
        headers: { 'content-type': type },
      })

    it('stores an upload, serves it back byte for byte as an attachment the browser never runs, and audits it', async () => {
      const stored = await upload('Cennik 2026.pdf', PDF, 'application/pdf')
      expect(stored.status).toBe(201)
      expect(stored.body).toEqual({
        id: expect.any(String),
        name: 'Cennik 2026.pdf',
        contentType: 'application/pdf',
        size: PDF.length,
        sha256: sha256(PDF),
        url: `/api/files/${stored.body.id}`,
        createdAt: expect.any(String),
      })
      expect(stored.headers.get('location')).toBe(stored.body.url)
      const back = await request(app, 'GET', stored.body.url)
      expect(back.status).toBe(200)
      expect(Buffer.from(back.bytes).equals(Buffer.from(PDF))).toBe(true)
      expect(back.headers.get('content-type')).toBe('application/pdf')
      expect(back.headers.get('content-disposition')).toBe('attachment; filename="Cennik 2026.pdf"')
      expect(back.headers.get('x-content-type-options')).toBe('nosniff')
      expect(back.headers.get('content-security-policy')).toContain('sandbox')
      expect(await audit(`file:${stored.body.id}`)).toEqual([
        [
          'file.uploaded',
          `file:${stored.body.id}`,
          { name: 'Cennik 2026.pdf', size: PDF.length, contentType: 'application/pdf' },
        ],
      ])
      const text = await upload('notes.txt', 'Zażółć gęślą jaźń', 'text/plain; charset=utf-8')
      expect(text.status).toBe(201)
      expect(text.body.contentType).toBe('text/plain')
    })

    it('refuses bytes that are not what the header says, other types, big bodies and bad names; stores nothing', async () => {
      expectError(await upload('x.pdf', png(), 'application/pdf'), 422, 'invalid')
      expectError(await upload('x.png', PDF, 'image/png'), 422, 'invalid')
      expectError(await upload('x.txt', Uint8Array.from([0xc3, 0x28, 0x41]), 'text/plain'), 422, 'invalid')
      expectError(await upload('x.txt', 'a\u0000b', 'text/plain'), 422, 'invalid')
      expectError(await upload('x.html', '<script>alert(1)</script>', 'text/html'), 415, 'unsupported-media-type')
      expectError(await upload('x.svg', '<svg/>', 'image/svg+xml'), 415, 'unsupported-media-type')
      expectError(await upload(undefined, PDF, 'application/pdf'), 400, 'bad-request', '/name')
      expectError(await upload('../etc/passwd', PDF, 'application/pdf'), 400, 'bad-request', '/name')
      expectError(await upload('a"b.pdf', PDF, 'application/pdf'), 400, 'bad-request', '/name')
      const big = new Uint8Array(10 * 1024 * 1024 + 1)
      big.set(PDF)
      expectError(await upload('big.pdf', big, 'application/pdf'), 413, 'payload-too-large')
      expectError(await request(app, 'GET', '/api/files/nope'), 404, 'not-found')
      expect(await db.selectFrom('files').select('id').execute()).toEqual([])
      expect(await auditCount()).toBe(0)
    })

    it('does not serve other files (a stamp image) by id', async () => {
      const stamp = await request(app, 'POST', '/api/my-companies', {
        body: JSON.stringify({ id: 'ours', name: 'Ours' }),
        headers: { 'content-type': 'application/json' },
      })
      expect(stamp.status).toBe(201)
      const put = await request(app, 'PUT', '/api/my-companies/ours/images/stamp', {
        body: png(),
        headers: { 'content-type': 'image/png' },
      })
      expect(put.status).toBe(200)
      const row = await db.selectFrom('files').select('id').executeTakeFirstOrThrow()
      expectError(await request(app, 'GET', `/api/files/${row.id}`), 404, 'not-found')
    })
  })

  // ---------------------------------------------------------- users
  describe('users', () => {
    beforeEach(async () => {
      expect(
        (await post('/api/users', { id: 'u-anna', name: 'Anna Kowalska', email: 'anna@signflow.test', role: 'admin' }))
          .status,
      ).toBe(201)
    })

    it('creates, reads, lists, changes and deactivates users, auditing each change', async () => {
      const jean = await post('/api/users', {
        id: 'u-jean',
        name: 'Jean Dupont',
        email: 'Jean@Signflow.TEST',
        role: 'sales',
      })
      expect(jean.status).toBe(201)
      expect(jean.headers.get('location')).toBe('/api/users/u-jean')
      expect(jean.body).toEqual({
        id: 'u-jean',
        name: 'Jean Dupont',
        email: 'jean@signflow.test',
        role: 'sales',
        active: true,
        createdAt: expect.any(String),
        updatedAt: jean.body.createdAt,
      })
      expect((await get('/api/users/u-jean')).body).toEqual(jean.body)
      const ids = async (query: string) => (await get(`/api/users${query}`)).body.items.map((u: { id: string }) => u.id)
      expect(await ids('')).toEqual(['u-anna', 'u-jean'])
      expect(await ids('?role=sales')).toEqual(['u-jean'])

      const changed = await patch('/api/users/u-jean', { role: 'analyst', name: 'Jean D.' })
      expect(changed.body).toMatchObject({ role: 'analyst', name: 'Jean D.', active: true })
      const off = await patch('/api/users/u-jean', { active: false })
      expect(off.status).toBe(200)
      expect(off.body.active).toBe(false)
      expect(await ids('?active=true')).toEqual(['u-anna'])
      expect(await ids('?active=false')).toEqual(['u-jean'])
      expect((await get('/api/users/u-jean')).status).toBe(200) // deactivated, not deleted
      expect(await audit('user:u-jean')).toEqual([
        ['user.created', 'user:u-jean', { role: 'sales', active: true }],
        ['user.updated', 'user:u-jean', { changed: ['name', 'role'], role: 'analyst' }],
        ['user.updated', 'user:u-jean', { changed: ['active'], active: false }],
      ])
    })

    it('refuses an email another user has (409 at "/email"), whatever its case, writing nothing', async () => {
      await post('/api/users', { id: 'u-jean', name: 'Jean', email: 'jean@signflow.test', role: 'sales' })
      const before = await auditCount()
      expectError(
        await post('/api/users', { name: 'Anna 2', email: 'ANNA@signflow.test', role: 'sales' }),
        409,
        'conflict',
        '/email',
      )
      expectError(await patch('/api/users/u-jean', { email: 'Anna@Signflow.test' }), 409, 'conflict', '/email')
      expectError(
        await post('/api/users', { id: 'u-jean', name: 'J', email: 'j2@signflow.test', role: 'sales' }),
        409,
        'conflict',
        '/id',
      )
      expect(await auditCount()).toBe(before)
      // one's own email, again: no conflict
      expect((await patch('/api/users/u-jean', { email: 'JEAN@signflow.test' })).status).toBe(200)
    })

    it('refuses bad input with its path and code', async () => {
      const before = await auditCount()
      expectError(
        await post('/api/users', { name: 'X', email: 'x@y.test', role: 'manager' }),
        400,
        'bad-request',
        '/role',
      )
      expectError(await post('/api/users', { name: 'X', email: 'x@', role: 'sales' }), 400, 'bad-request', '/email')
      expectError(await post('/api/users', { name: 'X', role: 'sales' }), 400, 'bad-request', '/email')
      expectError(
        await post('/api/users', { name: 'X', email: 'x@y.test', role: 'sales', password: 'x' }),
        400,
        'bad-request',
        '/password',
      )
      expectError(await patch('/api/users/u-anna', { active: 'no' }), 400, 'bad-request', '/active')
      expectError(await get('/api/users?active=yes'), 400, 'bad-request', '/active')
      expectError(await get('/api/users/nobody'), 404, 'not-found')
      expectError(await patch('/api/users/nobody', { name: 'X' }), 404, 'not-found')
      expect(await auditCount()).toBe(before)
    })

    it('keeps an active admin: the last one cannot be deactivated or demoted (409)', async () => {
      const before = await auditCount()
      expectError(await patch('/api/users/u-anna', { active: false }), 409, 'conflict', '/active')
      expectError(await patch('/api/users/u-anna', { role: 'sales' }), 409, 'conflict', '/role')
      expect(await auditCount()).toBe(before)
      await post('/api/users', { id: 'u-two', name: 'Two', email: 'two@signflow.test', role: 'admin', active: false })
      expectError(await patch('/api/users/u-anna', { role: 'sales' }), 409, 'conflict', '/role') // u-two is inactive
      expect((await patch('/api/users/u-two', { active: true })).status).toBe(200)
      expect((await patch('/api/users/u-anna', { role: 'sales' })).body.role).toBe('sales')
    })
  })

  // ---------------------------------------------------------- the demo and the migration
  describe('the demo seed', () => {
    it('seeds a company of ours with real PNG stamp and signature images, and rows the API reads', async () => {
      expect(await seedDemo(db, new Runtime({ db }), Date.parse(AT))).toBe(true)
      const { body } = await get('/api/my-companies/my-company')
      expect(body.bankDetails).toEqual({
        bankName: 'Bank Demo S.A.',
        bankAccount: 'PL61109010140000071219812874',
        bic: 'WBKPPLPP',
      })
      expect(body.calendar).toEqual(DEMO_CALENDAR)
      expect(body.calendar).toMatchObject({ timeZone: 'Europe/Warsaw', workDays: [1, 2, 3, 4, 5], start: '09:00' })
      expect(body.images.stamp).toMatchObject({ contentType: 'image/png', sha256: sha256(demoStampPng()) })
      expect(body.images.signature).toMatchObject({ contentType: 'image/png', sha256: sha256(demoSignaturePng()) })
      for (const kind of ['stamp', 'signature']) {
        const got = await request(app, 'GET', `/api/my-companies/my-company/images/${kind}`)
        expect(got.status).toBe(200)
        expect(sniffImage(got.bytes)).toBe('image/png')
      }
      expect((await get('/api/companies?q=societe')).body.items[0]).toMatchObject({
        id: 'c-acme',
        addresses: { legal: { city: 'Paris', postalCode: '75009' } },
      })
      expect((await get('/api/contacts?q=igdir')).body.items.map((c: { id: string }) => c.id)).toEqual(['p-mehmet'])
      expect((await get('/api/contacts/p-mehmet')).body.requisites.template).toBe('soleProprietor')
      // Each client is written to in their own language; ours is the default of those who have none.
      expect((await get('/api/contacts/p-mehmet')).body.language).toBe('tr')
      expect((await get('/api/contacts/p-claire')).body.language).toBe('fr')
      expect((await get('/api/my-companies/my-company')).body.language).toBe('en')
      expect(
        (await get('/api/users')).body.items.map((u: { id: string; role: string }) => [u.id, u.role]).sort(),
      ).toEqual([
        ['u-anna', 'admin'],
        ['u-director', 'analyst'],
        ['u-jean', 'sales'],
      ])
      // Every seed flow keeps its scenario, and it passes on the flow's draft.
      const pipelines = (await get('/api/pipelines')).body.items as Array<{ id: string }>
      expect(pipelines.length).toBe(5)
      for (const { id } of pipelines) {
        // Each seed pipeline's flow has the pipeline's id.
        const kept = (await get(`/api/flows/${id}/scenarios`)).body.items as Array<{ scenario: Scenario }>
        expect(kept, id).toHaveLength(1)
        const result = runScenario(kept[0]?.scenario as Scenario, (await get(`/api/flows/${id}`)).body.draft as Graph)
        expect(result.error, id).toBeUndefined()
        expect(result.passed, id).toBe(true)
      }
    })
  })

  it("brings the first release's directory rows to today's shape when it migrates", async () => {
    await withTestDatabase(
      dialect,
      async ({ db: old }) => {
        const migrator = new Migrator({ db: old, provider: migrationProvider })
        const { error } = await migrator.migrateTo('2026_11_23_0003_webhooks')
        expect(error).toBeUndefined()
        const untyped = old as unknown as Kysely<Record<string, Record<string, unknown>>>
        await untyped
          .insertInto('users')
          .values([
            { id: 'u-a', name: 'A', email: 'a@x.test', role: 'admin', created_at: AT },
            { id: 'u-m', name: 'M', email: 'm@x.test', role: 'manager', created_at: AT },
            { id: 'u-s', name: 'S', email: 's@x.test', role: 'signer', created_at: AT },
            { id: 'u-o', name: 'O', email: 'o@x.test', role: 'owner', created_at: AT },
          ])
          .execute()
        await untyped
          .insertInto('my_companies')
          .values({
            id: 'mine',
            name: 'Mine',
            data: JSON.stringify({
              requisites: { taxId: 'PL1' },
              bankDetails: { bank: 'B', iban: 'PL61', swift: 'WBK' },
              addresses: { legal: 'ul. X 1, Warszawa' },
              images: { stamp: 'demo/stamp.png' },
            }),
            created_at: AT,
          })
          .execute()
        await untyped
          .insertInto('companies')
          .values({
            id: 'c-1',
            name: 'Société Un',
            template: 'organization',
            data: JSON.stringify({ requisites: { taxId: 'FR40' }, addresses: { legal: '1 rue X, Paris' } }),
            created_at: AT,
          })
          .execute()
        await untyped
          .insertInto('contacts')
          .values({
            id: 'p-1',
            name: 'Öykü',
            email: 'o@x.test',
            phone: '',
            company_id: 'c-1',
            data: '{}',
            created_at: AT,
          })
          .execute()
        await migrateToLatest(old)
        const oldApp = createApp({ services: { db: old, runtime: new Runtime({ db: old }) } })
        const read = (url: string) => send(oldApp, 'GET', url)
        expect((await read('/api/users')).body.items.map((u: { id: string; role: string }) => [u.id, u.role])).toEqual([
          ['u-a', 'admin'],
          ['u-m', 'sales'],
          ['u-o', 'readOnly'],
          ['u-s', 'analyst'],
        ])
        expect((await read('/api/users/u-a')).body).toMatchObject({ active: true, updatedAt: AT })
        expect((await read('/api/my-companies/mine')).body).toMatchObject({
          requisites: { taxId: 'PL1' },
          bankDetails: { bankName: 'B', bankAccount: 'PL61', bic: 'WBK' },
          addresses: { legal: { street: 'ul. X 1, Warszawa' } },
          images: { stamp: null, signature: null },
          calendar: DEFAULT_CALENDAR,
        })
        expect((await read('/api/companies?q=societe%20un')).body.items[0]).toMatchObject({
          id: 'c-1',
          addresses: { legal: { street: '1 rue X, Paris' } },
          updatedAt: AT,
        })
        expect((await read('/api/contacts?q=oyku')).body.items.map((c: { id: string }) => c.id)).toEqual(['p-1'])
      },
      { migrate: false },
    )
  })
})

describeEachDatabase('the working calendar the runtime schedules with', (getDb) => {
  // Monday 2026-11-23, 16:30 UTC: 17:30 in Warsaw.
  const NOW = Date.parse('2026-11-23T16:30:00Z')
  let db: Kysely<Database>
  let app: ReturnType<typeof createApp>
  let runtime: Runtime

  beforeEach(async () => {
    db = getDb()
    for (const table of TABLES) await db.deleteFrom(table).execute()
    runtime = new Runtime({ db, now: () => NOW })
    app = createApp({ services: { db, runtime } })
    await seedSales(db, 3)
    const g = structuredClone(salesGraph)
    const offer = g.pipeline.stages[1] as (typeof g.pipeline.stages)[number]
    // An hour after entering, within working hours.
    offer.rules = [
      email('follow-up', 'Following up: ', {
        time: { mode: 'delay', delay: { amount: 1, unit: 'hours' }, workingHours: 'company' },
      } as Partial<RuleNode>),
    ]
    await runtime.publish('sales-flow', g, 'u-anna')
    expect((await send(app, 'POST', '/api/my-companies', { id: 'mine', name: 'Mine' })).status).toBe(201)
  })

  const followUp = async (id: string) => {
    const moved = await send(app, 'POST', `/api/elements/${id}/move`, { stage: 'offer' })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    return moved.body.rules[0] as { state: string; dueAt: string; reason: string }
  }

  it('schedules in the hours of the calendar set through the API, at once; what was scheduled keeps its moment', async () => {
    // No calendar set: UTC, 09:00–18:00; 17:30 UTC is within it.
    expect(await followUp('deal-1')).toMatchObject({
      state: 'scheduled',
      dueAt: '2026-11-23T17:30:00.000Z',
      reason: 'after 1 hour',
    })
    const set = await send(app, 'PATCH', '/api/my-companies/mine', {
      calendar: {
        timeZone: 'Europe/Warsaw',
        workDays: [1, 2, 3, 4, 5],
        start: '09:00',
        end: '17:00',
        holidays: ['2026-11-24'],
      },
    })
    expect(set.status, JSON.stringify(set.body)).toBe(200)
    // 18:30 in Warsaw is after hours, Tuesday a holiday: Wednesday 09:00 in Warsaw (08:00 UTC).
    expect(await followUp('deal-2')).toMatchObject({
      state: 'scheduled',
      dueAt: '2026-11-25T08:00:00.000Z',
      reason: 'after 1 hour, moved into working hours',
    })
    const first = await send(app, 'GET', '/api/elements/deal-1')
    expect(first.body.rules[0].dueAt).toBe('2026-11-23T17:30:00.000Z')
    const due = await db.selectFrom('due_jobs').select(['element_id', 'due_at']).orderBy('element_id').execute()
    expect(due.map((d) => [d.element_id, Number(d.due_at)])).toEqual([
      ['deal-1', Date.parse('2026-11-23T17:30:00Z')],
      ['deal-2', Date.parse('2026-11-25T08:00:00Z')],
    ])

    // Another process (its own runtime) reads the stored calendar too; a later company of ours changes nothing.
    expect(
      (await send(app, 'POST', '/api/my-companies', { id: 'zeta', name: 'Zeta', calendar: DEFAULT_CALENDAR })).status,
    ).toBe(201)
    const other = new Runtime({ db, now: () => NOW })
    await other.moveElement('deal-3', 'offer', { kind: 'api' })
    const third = await send(app, 'GET', '/api/elements/deal-3')
    expect(third.body.rules[0].dueAt).toBe('2026-11-25T08:00:00.000Z')
  })

  it("falls back to the runtime's calendar when the company has none, or a stored one does not hold together", async () => {
    await db.updateTable('my_companies').set({ calendar: '{"timeZone":"Mars/Olympus_Mons"}' }).execute()
    const own = new Runtime({
      db,
      now: () => NOW,
      calendar: { ...DEFAULT_CALENDAR, timeZone: 'Asia/Tokyo' }, // 01:30 on Tuesday there
    })
    await own.moveElement('deal-1', 'offer', { kind: 'api' })
    const row = await db.selectFrom('due_jobs').select('due_at').where('element_id', '=', 'deal-1').executeTakeFirst()
    // Tuesday 09:00 in Tokyo.
    expect(Number(row?.due_at)).toBe(Date.parse('2026-11-24T00:00:00Z'))
    expect((await send(app, 'GET', '/api/my-companies/mine')).body.calendar).toEqual(DEFAULT_CALENDAR)
  })
})

describe('every directory operation', () => {
  it('was answered above with success and with a refusal', () => {
    expectEachAnswered([...Object.values(DIRECTORY_OPERATIONS), ...Object.values(FILE_OPERATIONS)])
  })
})
