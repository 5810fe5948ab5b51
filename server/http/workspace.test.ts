/**
 * The sales board's cards (GET /api/pipelines/{id}/board) on the demo data, on SQLite and PostgreSQL: what a
 * card shows (amount, client from the contact or the client field, responsible person, the newest document's
 * signing), search that ignores accents and case, the filters, and the counts per stage.
 */
import type { Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { createAuth } from '../auth/auth.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { Runtime } from '../runtime/runtime.js'
import { seedDemo } from '../runtime/seed.js'
import { type Answer, expectEachAnswered, send } from './api-test-support.js'
import { createApp } from './app.js'
import { WORKSPACE_OPERATIONS } from './workspace-spec.js'

interface Card {
  id: string
  title: string
  stage: string | null
  amount: number | null
  currency: string | null
  client: { name: string; kind: string } | null
  responsible: { id: string; name: string } | null
  signing: { status: string; signed: number; parties: number; title: string } | null
}

describeEachDatabase('the sales board', (getDb) => {
  let db: Kysely<Database>
  let call: (method: string, url: string, body?: unknown) => Promise<Answer>
  const board = async (query = '') => {
    const answer = await call('GET', `/api/pipelines/invoice-signing/board${query}`)
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    return answer.body as { items: Card[]; counts: Record<string, number>; truncated: boolean }
  }

  beforeAll(async () => {
    db = getDb()
    const runtime = new Runtime({ db })
    await seedDemo(db, runtime)
    const app = createApp({ services: { db, runtime } })
    call = (method, url, body) => send(app, method, url, body, { headers: { 'content-type': 'application/json' } })
    // A second deal with a real contact, handled by Jean, in Polish złoty.
    const made = await call('POST', '/api/elements', {
      id: 'zolc',
      pipelineId: 'invoice-signing',
      type: 'deal',
      title: 'Dostawa sprzętu',
      responsible: 'u-jean',
      contactId: 'p-mehmet',
      fields: { amount: 4999.99, currency: 'PLN' },
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
  }, 60_000)

  it('shows each card with its amount, client, responsible person and no document yet', async () => {
    const { items, counts, truncated } = await board()
    expect(truncated).toBe(false)
    const zolc = items.find((c) => c.id === 'zolc')
    expect(zolc).toMatchObject({
      title: 'Dostawa sprzętu',
      amount: 4999.99,
      currency: 'PLN',
      client: { kind: 'contact' },
      responsible: { id: 'u-jean', name: 'Jean Dupont' },
      signing: null,
    })
    const seeded = items.find((c) => c.id === 'invoice-signing:deal-1')
    // The seeded deal has no contact row: its client comes from its client field.
    expect(seeded?.client?.name).toBeTruthy()
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(items.length)
  })

  it('shows where the newest document’s signing stands, and filters by it', async () => {
    const sent = await call('POST', '/api/elements/zolc/signing', {
      template: 'tpl-contract',
      companySigner: 'jean@signflow.test',
      channel: 'email',
      client: { name: 'Mehmet Öztürk', email: 'mehmet@example.com', phone: '' },
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const zolc = (await board()).items.find((c) => c.id === 'zolc')
    expect(zolc?.signing).toMatchObject({ signed: 0, parties: 2 })
    expect(['sent', 'signing']).toContain(zolc?.signing?.status)
    expect((await board('?signing=waiting')).items.map((c) => c.id)).toEqual(['zolc'])
    expect((await board('?signing=none')).items.map((c) => c.id)).not.toContain('zolc')
    expect((await board('?signing=signed')).items).toEqual([])
    // The element's documents list who signs, in order, and how far each has got.
    const docs = await call('GET', '/api/documents?element=zolc')
    expect(docs.body.items[0].parties.map((p: { role: string; name: string }) => [p.role, p.name])).toEqual([
      ['company', 'Jean Dupont'],
      ['client', 'Mehmet Öztürk'],
    ])
  })

  it('finds cards by title, client or person, ignoring accents and case, and filters by responsible', async () => {
    expect((await board('?q=SPRZET')).items.map((c) => c.id)).toEqual(['zolc'])
    expect((await board('?q=ozturk')).items.map((c) => c.id)).toEqual(['zolc'])
    expect((await board('?q=dostawa%20jean')).items.map((c) => c.id)).toEqual(['zolc'])
    expect((await board('?q=nothing-like-this')).items).toEqual([])
    const jeans = await board('?responsible=u-jean')
    expect(jeans.items.every((c) => c.responsible?.id === 'u-jean')).toBe(true)
    const perStage: Record<string, number> = {}
    for (const c of jeans.items) perStage[c.stage ?? ''] = (perStage[c.stage ?? ''] ?? 0) + 1
    expect(jeans.counts).toEqual(perStage)
  })

  it('answers a bad filter and an unknown pipeline with the path', async () => {
    const bad = await call('GET', '/api/pipelines/invoice-signing/board?signing=maybe')
    expect(bad.status).toBe(400)
    expect(bad.body.error.path).toBe('/signing')
    const none = await call('GET', '/api/pipelines/nope/board')
    expect(none.status).toBe(404)
    expect(none.body.error.code).toBe('not-found')
  })
})

describeEachDatabase('the inbox', (getDb, dialect) => {
  let db: Kysely<Database>
  let app: ReturnType<typeof createApp>
  const cookies: Record<string, string> = {}
  const ids: Record<string, string> = {}
  const as = (who: string, method: string, url: string, body?: unknown) =>
    send(app, method, url, body, {
      headers: {
        cookie: cookies[who] ?? '',
        origin: 'http://localhost:3000',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
    })

  beforeAll(async () => {
    db = getDb()
    const auth = createAuth({
      db,
      dialect,
      baseURL: 'http://localhost:3000',
      secret: 'test-secret-0123456789-0123456789-abc',
      signInPerMinute: 1000,
    })
    const runtime = new Runtime({ db })
    await seedDemo(db, runtime)
    app = createApp({ services: { db, runtime, auth } })
    for (const [who, role] of [
      ['ola', 'sales'],
      ['piotr', 'readOnly'],
      ['boss', 'admin'],
    ] as const) {
      const email = `${who}@inbox.test`
      const password = `${who} password 2026`
      const made = await auth.api.createUser({ body: { email, password, name: who, role: role as 'admin' } })
      ids[who] = made.user.id
      const res = await app.request('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      })
      cookies[who] = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    }
    const at = '2026-11-24T09:00:00.000Z'
    await db
      .insertInto('notifications')
      .values({ user_id: ids.piotr ?? '', element_id: null, text: 'Sign the contract', created_at: at, read_at: null })
      .execute()
    await db
      .insertInto('tasks')
      .values({
        id: 'task-1',
        element_id: 'invoice-signing:deal-1',
        title: 'Call the client',
        description: null,
        responsible: ids.piotr ?? '',
        deadline: null,
        checklist: '["Ask about the date"]',
        done_at: null,
        created_at: at,
      })
      .execute()
  }, 60_000)

  it('lets only the recipient (or an admin) mark a notification read, once', async () => {
    const [note] = await db.selectFrom('notifications').select('id').execute()
    const url = `/api/notifications/${note?.id}/read`
    const notMine = await as('ola', 'POST', url)
    expect(notMine.status).toBe(403)
    expect(notMine.body.error.code).toBe('forbidden')
    const read = await as('piotr', 'POST', url)
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ text: 'Sign the contract', readAt: expect.any(String) })
    expect((await as('boss', 'POST', url)).body.readAt).toBe(read.body.readAt)
    expect((await as('piotr', 'POST', '/api/notifications/999999/read')).status).toBe(404)
  })

  it('closes a task for its responsible person (even read-only) or sales, audited, and opens it again', async () => {
    const done = await as('piotr', 'POST', '/api/tasks/task-1/done', {})
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({
      title: 'Call the client',
      checklist: ['Ask about the date'],
      doneAt: expect.any(String),
    })
    const again = await as('ola', 'POST', '/api/tasks/task-1/done', { done: false })
    expect(again.body.doneAt).toBeNull()
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('action', 'like', 'task.%')
      .orderBy('seq')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['task.done', 'task.reopened'])
    expect((await as('ola', 'POST', '/api/tasks/nope/done', {})).status).toBe(404)
  })
})

describe('the board operation', () => {
  it('is documented with its answers', () => {
    expectEachAnswered(Object.values(WORKSPACE_OPERATIONS))
  })
})
