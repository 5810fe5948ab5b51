import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { OutboxWorker } from '../runtime/outbox.js'
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, verifySignature } from '../runtime/outgoing.js'
import { Runtime } from '../runtime/runtime.js'
import { graph, START, seed } from '../runtime/test-fixtures.js'
import { type Answer, answered, expectEachAnswered, send } from './api-test-support.js'
import { createApp } from './app.js'
import { SUBSCRIPTION_OPERATIONS } from './subscriptions-spec.js'

interface Received {
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A receiver on loopback: keeps what it gets; answers 500 to the first `failFirst` requests. */
async function startReceiver() {
  const received: Received[] = []
  const state = { failFirst: 0 }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      if (state.failFirst > 0) {
        state.failFirst--
        res.writeHead(500).end('down')
      } else res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const TABLES = [
  'audit_log',
  'webhook_subscriptions',
  'history',
  'outbox_attempts',
  'outbox',
  'due_jobs',
  'elements',
  'flow_versions',
  'flows',
  'pipelines',
] as const

describeEachDatabase('outgoing webhooks', (getDb) => {
  let db: Kysely<Database>
  let now = START
  let runtime: Runtime
  let worker: OutboxWorker
  let app: ReturnType<typeof createApp>
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  const post = (url: string, body: unknown) => send(app, 'POST', url, body)
  const get = (url: string) => send(app, 'GET', url)
  const expectError = (answer: Answer, status: number, code: string, path?: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status)
    expect(answer.body.error.code).toBe(code)
    if (path !== undefined) expect(answer.body.error.path).toBe(path)
  }
  const webhookRows = () => db.selectFrom('outbox').selectAll().where('kind', '=', 'webhook').orderBy('id').execute()

  beforeAll(async () => {
    receiver = await startReceiver()
  })
  afterAll(async () => {
    await receiver.close()
  })
  beforeEach(async () => {
    db = getDb()
    for (const table of TABLES) await db.deleteFrom(table).execute()
    receiver.received.length = 0
    receiver.state.failFirst = 0
    now = START
    runtime = new Runtime({ db, now: () => now })
    // Email is not what these tests are about: it is "delivered" at once.
    worker = new OutboxWorker({ db, runtime, worker: 'w', now: () => now, deliver: async () => ({}) })
    await seed(db, 2)
    await runtime.publish('sales-flow', graph, 'u-anna')
    app = createApp({ services: { db, runtime } })
  })

  it('tells a subscriber that a deal moved, signed with its secret; the answer showed the secret once', async () => {
    const made = await post('/api/webhook-subscriptions', {
      id: 'crm',
      url: receiver.url,
      events: ['element.moved'],
      description: 'Our CRM',
    })
    expect(made.status).toBe(201)
    expect(made.body.secret).toMatch(/^sfws_/)
    expect(made.headers.get('cache-control')).toBe('no-store')
    const secret: string = made.body.secret
    expect('secret' in (await get('/api/webhook-subscriptions/crm')).body).toBe(false)

    await post('/api/elements/deal-1/move', { stage: 'offer' })
    expect((await webhookRows()).map((r) => r.status)).toEqual(['pending'])
    await worker.runOnce()
    expect(receiver.received).toHaveLength(1)
    const [delivery] = receiver.received as [Received]
    expect(delivery.headers[EVENT_HEADER]).toBe('element.moved')
    expect(verifySignature(secret, delivery.body, delivery.headers[SIGNATURE_HEADER] as string, now / 1000)).toBe(true)
    // A forged body, another secret or an old signature do not pass.
    expect(
      verifySignature(
        secret,
        delivery.body.replace('offer', 'won'),
        delivery.headers[SIGNATURE_HEADER] as string,
        now / 1000,
      ),
    ).toBe(false)
    expect(verifySignature('sfws_other', delivery.body, delivery.headers[SIGNATURE_HEADER] as string, now / 1000)).toBe(
      false,
    )
    expect(
      verifySignature(secret, delivery.body, delivery.headers[SIGNATURE_HEADER] as string, now / 1000 + 3600),
    ).toBe(false)
    const body = JSON.parse(delivery.body)
    expect(body).toEqual({
      id: delivery.headers[DELIVERY_HEADER],
      type: 'element.moved',
      occurredAt: new Date(START).toISOString(),
      data: { elementId: 'deal-1', stage: 'offer', from: 'new' },
    })
    const log = (await get('/api/webhook-subscriptions/crm/deliveries')).body.items
    expect(log).toEqual([
      expect.objectContaining({ event: 'element.moved', elementId: 'deal-1', status: 'done', attempts: 1 }),
    ])
  })

  it('retries a failed delivery with the same delivery id, and only the events asked for', async () => {
    await post('/api/webhook-subscriptions', {
      id: 'signed',
      url: receiver.url,
      events: ['document.signed', 'document.completed'],
    })
    receiver.state.failFirst = 1
    await post('/api/elements/deal-1/move', { stage: 'offer' })
    expect(await webhookRows()).toEqual([]) // a move is not what it asked for
    await post('/api/elements/deal-1/events', { type: 'signedByClient', documentType: 'contract' })
    await worker.runOnce()
    const [row] = await webhookRows()
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'the receiver answered 500' })
    now += 60_000
    await worker.runOnce()
    expect(receiver.received).toHaveLength(2)
    const [first, second] = receiver.received as [Received, Received]
    expect(second.headers[DELIVERY_HEADER]).toBe(first.headers[DELIVERY_HEADER])
    expect(JSON.parse(second.body)).toMatchObject({
      type: 'document.signed',
      data: { elementId: 'deal-1', by: 'client', documentType: 'contract' },
    })
    const log = (await get('/api/webhook-subscriptions/signed/deliveries')).body.items
    expect(log).toEqual([expect.objectContaining({ status: 'done', attempts: 2, lastError: null })])
  })

  it('sends nothing more once paused or removed, and audits each change', async () => {
    await post('/api/webhook-subscriptions', { id: 'crm', url: receiver.url, events: ['element.moved'] })
    await post('/api/elements/deal-1/move', { stage: 'offer' })
    const paused = await send(app, 'PATCH', '/api/webhook-subscriptions/crm', { active: false })
    expect(paused.body).toMatchObject({ active: false })
    await worker.runOnce()
    expect(receiver.received).toEqual([])
    expect((await webhookRows())[0]?.last_error).toMatch(/removed or paused/)
    await post('/api/elements/deal-2/move', { stage: 'offer' })
    expect(await webhookRows()).toHaveLength(1)
    const removed = await app.request('/api/webhook-subscriptions/crm', { method: 'DELETE' })
    expect(removed.status).toBe(204)
    expect(await removed.text()).toBe('')
    answered.add('DELETE /api/webhook-subscriptions/{id} 204')
    expectError(await get('/api/webhook-subscriptions/crm'), 404, 'not-found')
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('target', '=', 'subscription:crm')
      .orderBy('seq')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['subscription.created', 'subscription.updated', 'subscription.deleted'])
  })

  it('refuses bad subscriptions with their path', async () => {
    expectError(
      await post('/api/webhook-subscriptions', { url: 'ftp://x.test/h', events: ['element.moved'] }),
      400,
      'bad-request',
      '/url',
    )
    expectError(
      await post('/api/webhook-subscriptions', { url: receiver.url, events: ['element.exploded'] }),
      400,
      'bad-request',
      '/events/0',
    )
    expectError(
      await post('/api/webhook-subscriptions', { url: receiver.url, events: [] }),
      400,
      'bad-request',
      '/events',
    )
    expectError(
      await post('/api/webhook-subscriptions', { url: receiver.url, events: ['rule.failed'], secret: 'mine' }),
      400,
      'bad-request',
      '/secret',
    )
    await post('/api/webhook-subscriptions', { id: 'crm', url: receiver.url, events: ['rule.failed'] })
    expectError(
      await post('/api/webhook-subscriptions', { id: 'crm', url: receiver.url, events: ['rule.failed'] }),
      409,
      'conflict',
      '/id',
    )
    expectError(await send(app, 'PATCH', '/api/webhook-subscriptions/crm', {}), 400, 'bad-request')
    expectError(await send(app, 'PATCH', '/api/webhook-subscriptions/nope', { active: true }), 404, 'not-found')
    expectError(await send(app, 'DELETE', '/api/webhook-subscriptions/nope'), 404, 'not-found')
    expectError(await get('/api/webhook-subscriptions/nope/deliveries'), 404, 'not-found')
    expect((await get('/api/webhook-subscriptions')).body.items.map((s: { id: string }) => s.id)).toEqual(['crm'])
    expectError(await get('/api/webhook-subscriptions?secret=1'), 400, 'bad-request', '/secret')
  })
})

describe('every outgoing-webhook operation', () => {
  it('was answered above with success and with a refusal', () => {
    expectEachAnswered(Object.values(SUBSCRIPTION_OPERATIONS))
  })
})
