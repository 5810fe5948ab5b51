/**
 * The element page's Automation tab, on SQLite and PostgreSQL: each rule of the current stay with its state and
 * why (`GET /api/elements/{id}` → `rules`: reason, error, at, waitsUntil), and retrying a failed rule
 * (`POST /api/elements/{id}/rules/{ruleId}/retry`) with a real failing email (an attachment that is not
 * stored), delivered through real SMTP once fixed; who may retry (sign-in and roles).
 */
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Graph, RuleNode } from '../../shared/graph/graph.js'
import { createAuth } from '../auth/auth.js'
import { addFile } from '../db/files.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { type Catcher, startCatcher } from '../runtime/catcher.js'
import { createDelivery } from '../runtime/delivery.js'
import { OutboxWorker } from '../runtime/outbox.js'
import { Runtime } from '../runtime/runtime.js'
import { email, START, seed } from '../runtime/test-fixtures.js'
import { OPERATIONS } from './api-spec.js'
import { type Answer, expectEachAnswered, send } from './api-test-support.js'
import { createApp } from './app.js'

const at = (ms: number) => new Date(ms).toISOString()
const MINUTE = 60_000

/**
 * Offer: the offer email with the price list the deal names attached, then "next steps" after it; beside them a
 * mail for big deals only, a reminder 2 minutes later and a one-hour pause.
 */
function automationGraph(): Graph {
  const big = {
    match: 'all',
    items: [{ left: { kind: 'field', path: 'amount' }, op: 'gt', values: [{ kind: 'literal', value: 5000 }] }],
  }
  const offerMail = email('offer-mail', 'Our offer: ', { title: 'Send the offer' })
  ;(offerMail.settings as { attachments: unknown[] }).attachments = [{ kind: 'field', path: 'custom.priceList' }]
  return {
    formatVersion: 1,
    flow: { id: 'sales-flow', name: 'Sales' },
    elementType: 'deal',
    pipeline: {
      id: 'sales',
      name: 'Sales',
      stages: [
        { id: 'new', name: 'New', color: '#1976d2', kind: 'inProgress', triggers: [], rules: [] },
        {
          id: 'offer',
          name: 'Offer',
          color: '#1976d2',
          kind: 'inProgress',
          triggers: [],
          rules: [
            offerMail,
            email('next-steps', 'Next steps: ', { title: 'Explain the next steps' }),
            email('big-deal', 'For a big deal: ', { execution: 'parallel', condition: big } as Partial<RuleNode>),
            email('reminder', 'Reminder: ', {
              execution: 'parallel',
              time: { mode: 'delay', delay: { amount: 2, unit: 'minutes' } },
            } as Partial<RuleNode>),
            {
              id: 'pause',
              type: 'wait',
              title: 'Pause',
              execution: 'parallel',
              time: { mode: 'immediately' },
              settings: { until: { mode: 'duration', duration: { amount: 1, unit: 'hours' } } },
            } as RuleNode,
          ],
        },
      ],
    },
    constants: [],
    variables: [],
    fields: [{ id: 'priceList', label: 'Price list', type: 'file' }],
  } as Graph
}

describeEachDatabase('the Automation tab: rule states and retrying a failed rule', (getDb) => {
  let db: Kysely<Database>
  let now = START
  let catcher: Catcher
  let runtime: Runtime
  let outbox: OutboxWorker
  let app: ReturnType<typeof createApp>
  const get = (url: string) => send(app, 'GET', url)
  const post = (url: string, body?: unknown) => send(app, 'POST', url, body)
  const expectError = (answer: Answer, status: number, code: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status)
    expect(answer.body.error.code).toBe(code)
  }
  const subjects = async () =>
    (await db.selectFrom('messages').select('subject').orderBy('id').execute()).map((m) => m.subject)

  beforeAll(async () => {
    db = getDb()
    catcher = await startCatcher(db)
  })
  afterAll(async () => {
    await catcher.close()
  })
  beforeEach(async () => {
    for (const table of [
      'audit_log',
      'files',
      'counters',
      'history',
      'outbox_attempts',
      'outbox',
      'due_jobs',
      'messages',
      'elements',
      'flow_versions',
      'flows',
      'pipelines',
    ] as const) {
      await db.deleteFrom(table).execute()
    }
    now = START
    runtime = new Runtime({ db, now: () => now })
    const deliver = createDelivery({ db, smtpUrl: catcher.url, from: 'sales@signflow.test', now: () => now })
    // One attempt: a delivery that fails fails its rule at once.
    outbox = new OutboxWorker({ db, runtime, worker: 'w1', now: () => now, maxAttempts: 1, deliver })
    await seed(db, 2)
    await db
      .updateTable('elements')
      .set({
        fields: JSON.stringify({
          title: 'Big deal 1',
          amount: 100,
          'client.email': 'buyer1@client.test',
          'client.name': 'Łucja Żak',
          'custom.priceList': 'no-such-file',
        }),
      })
      .where('id', '=', 'deal-1')
      .execute()
    await runtime.publish('sales-flow', automationGraph(), 'u-anna')
    app = createApp({ services: { db, runtime } })
  })

  it("shows each rule's state with when, why, the error and a Wait rule's end", async () => {
    const moved = await post('/api/elements/deal-1/move', { stage: 'offer' })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    expect(moved.body.rules).toEqual([
      { id: 'offer-mail', type: 'sendEmail', title: 'Send the offer', state: 'running', at: at(START) },
      { id: 'next-steps', type: 'sendEmail', title: 'Explain the next steps', state: 'pending', at: at(START) },
      {
        id: 'big-deal',
        type: 'sendEmail',
        title: 'big-deal',
        state: 'skipped',
        at: at(START),
        reason: expect.stringMatching(/^condition false: .*amount/),
      },
      {
        id: 'reminder',
        type: 'sendEmail',
        title: 'reminder',
        state: 'scheduled',
        dueAt: at(START + 2 * MINUTE),
        at: at(START),
        reason: 'after 2 minutes',
      },
      {
        id: 'pause',
        type: 'wait',
        title: 'Pause',
        state: 'running',
        at: at(START),
        waitsUntil: at(START + 60 * MINUTE),
      },
    ])
    expect((await get('/api/elements/deal-1')).body).toEqual(moved.body)

    // The offer email cannot go: its attachment is not a stored file.
    now += MINUTE
    expect(await outbox.runOnce()).toBe(1)
    const failed = (await get('/api/elements/deal-1')).body.rules
    expect(failed.slice(0, 2)).toEqual([
      {
        id: 'offer-mail',
        type: 'sendEmail',
        title: 'Send the offer',
        state: 'failed',
        at: at(START + MINUTE),
        error: expect.stringContaining('attachment "no-such-file" is not a stored file'),
      },
      {
        id: 'next-steps',
        type: 'sendEmail',
        title: 'Explain the next steps',
        state: 'notRun',
        at: at(START + MINUTE),
        reason: '"Send the offer" before it failed',
      },
    ])

    // Only the current stay counts: back in "New", nothing of the offer is shown; in "Offer" again, afresh.
    now += MINUTE
    expect((await post('/api/elements/deal-1/move', { stage: 'new' })).body.rules).toEqual([])
    now += MINUTE
    const again = (await post('/api/elements/deal-1/move', { stage: 'offer' })).body.rules
    expect(again[0]).toEqual({
      id: 'offer-mail',
      type: 'sendEmail',
      title: 'Send the offer',
      state: 'running',
      at: at(START + 3 * MINUTE),
    })
    expect(again[1]).toMatchObject({ state: 'pending', at: at(START + 3 * MINUTE) })
    expect(again[1].reason).toBeUndefined()
  })

  it('retries a failed rule once fixed: failed → done, the email goes once, the rule after it follows', async () => {
    await post('/api/elements/deal-1/move', { stage: 'offer' })
    expect(await outbox.runOnce()).toBe(1)
    expect((await get('/api/elements/deal-1')).body.rules[0].state).toBe('failed')
    expect(await subjects()).toEqual([])

    // Refusals change nothing: a rule that has not failed (409), unknown rules and elements (404).
    const notFailed = await post('/api/elements/deal-1/rules/next-steps/retry')
    expectError(notFailed, 409, 'conflict')
    expect(notFailed.body.error.message).toBe(
      'Rule "Explain the next steps" has not failed (it is not run); only a failed rule can be retried.',
    )
    expectError(await post('/api/elements/deal-1/rules/nope/retry'), 404, 'not-found')
    expectError(await post('/api/elements/deal-404/rules/offer-mail/retry'), 404, 'not-found')
    expectError(await post('/api/elements/deal-2/rules/offer-mail/retry'), 404, 'not-found') // never in "Offer"
    expect(
      await db.selectFrom('audit_log').select('action').where('action', '=', 'element.ruleRetried').execute(),
    ).toEqual([])

    // The right price list is uploaded and named on the deal; a salesperson retries 5 minutes later.
    const file = await addFile(db, {
      owner: 'upload',
      kind: 'file',
      name: 'Cennik 2026.pdf',
      contentType: 'application/pdf',
      bytes: Buffer.from('%PDF-1.4\n%%EOF\n'),
      at: at(START),
    })
    expect(
      (await send(app, 'PATCH', '/api/elements/deal-1/fields', { fields: { 'custom.priceList': file.id } })).status,
    ).toBe(200)
    now += 5 * MINUTE
    // The web app sends an empty JSON object; no body at all does as well (below).
    const retried = await post('/api/elements/deal-1/rules/offer-mail/retry', {})
    expect(retried.status, JSON.stringify(retried.body)).toBe(200)
    expect(retried.body.rules.slice(0, 2)).toEqual([
      { id: 'offer-mail', type: 'sendEmail', title: 'Send the offer', state: 'running', at: at(now) },
      { id: 'next-steps', type: 'sendEmail', title: 'Explain the next steps', state: 'pending', at: at(now) },
    ])
    const history = (await get('/api/elements/deal-1/history?limit=1000')).body.items as Array<{
      type: string
      at: string
      record: Record<string, unknown>
    }>
    expect(history.find((h) => h.type === 'rule.retried')).toMatchObject({
      at: at(now),
      record: { type: 'rule.retried', stage: 'offer', node: 'offer-mail', by: { kind: 'api' } },
    })
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target', 'detail'])
      .where('action', '=', 'element.ruleRetried')
      .execute()
    expect(audit.map((a) => ({ ...a, detail: JSON.parse(a.detail) }))).toEqual([
      { actor: 'api', action: 'element.ruleRetried', target: 'element:deal-1', detail: { rule: 'offer-mail' } },
    ])

    // The outbox sends it for real, with the price list, then the next steps follow.
    while ((await outbox.runOnce()) > 0) {}
    expect(await subjects()).toEqual(['Our offer: Big deal 1', 'Next steps: Big deal 1'])
    const [offer] = await db.selectFrom('messages').select('raw').orderBy('id').execute()
    expect(JSON.parse(offer?.raw ?? '{}').attachments).toMatchObject([{ filename: 'Cennik 2026.pdf' }])
    const done = (await get('/api/elements/deal-1')).body.rules
    expect(done.slice(0, 2).map((r: { state: string }) => r.state)).toEqual(['done', 'done'])
    expect(done[0].error).toBeUndefined()

    // Done now: retrying it again is refused, and nothing more is sent.
    const twice = await post('/api/elements/deal-1/rules/offer-mail/retry')
    expectError(twice, 409, 'conflict')
    expect(twice.body.error.message).toBe(
      'Rule "Send the offer" has not failed (it is done); only a failed rule can be retried.',
    )
    while ((await outbox.runOnce()) > 0) {}
    expect(await subjects()).toEqual(['Our offer: Big deal 1', 'Next steps: Big deal 1'])
    expect(await db.selectFrom('outbox').select('status').where('kind', '=', 'email').execute()).toHaveLength(3)
  })
})

describe('retryRule', () => {
  it('was answered with success and with a refusal', () => {
    expectEachAnswered([OPERATIONS.retryRule])
  })
})

describeEachDatabase('who may retry a failed rule', (getDb, dialect) => {
  const BASE = 'http://localhost:3000'
  let db: Kysely<Database>
  let app: ReturnType<typeof createApp>
  const cookies: Record<string, string> = {}
  const as = (role: string, url: string) =>
    app.request(url, { method: 'POST', headers: { cookie: cookies[role] ?? '', origin: BASE } })

  beforeAll(async () => {
    db = getDb()
    await seed(db, 1)
    const runtime = new Runtime({ db, now: () => START })
    await runtime.publish('sales-flow', automationGraph(), 'u-anna')
    await runtime.moveElement('deal-1', 'offer', { kind: 'api' })
    const effect = await db.selectFrom('outbox').select('effect_id').executeTakeFirstOrThrow()
    await runtime.completeEffect('deal-1', effect.effect_id, { status: 'failed', error: 'SMTP said no' })
    const auth = createAuth({
      db,
      dialect,
      baseURL: BASE,
      secret: 'test-secret-0123456789-0123456789-abc',
      signInPerMinute: 1000,
    })
    app = createApp({ services: { db, runtime, auth } })
    for (const role of ['analyst', 'readOnly', 'sales'] as const) {
      const password = `${role} password 2026`
      await auth.api.createUser({
        body: { email: `${role.toLowerCase()}@signflow.test`, password, name: role, role: role as 'admin' },
      })
      const res = await app.request('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${role.toLowerCase()}@signflow.test`, password }),
      })
      expect(res.status, await res.clone().text()).toBe(200)
      cookies[role] = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    }
  }, 60_000)

  it('refuses analysts and readers with 403, changing nothing; a salesperson retries, named in the history', async () => {
    for (const role of ['analyst', 'readOnly']) {
      const refused = await as(role, '/api/elements/deal-1/rules/offer-mail/retry')
      expect(refused.status, role).toBe(403)
    }
    const state = async () =>
      (
        await db
          .selectFrom('elements')
          .select(['revision', 'state'])
          .where('id', '=', 'deal-1')
          .executeTakeFirstOrThrow()
      ).revision
    const revision = await state()
    expect(await db.selectFrom('history').select('seq').where('type', '=', 'rule.retried').execute()).toEqual([])
    const retried = await as('sales', '/api/elements/deal-1/rules/offer-mail/retry')
    expect(retried.status, await retried.clone().text()).toBe(200)
    expect(await state()).toBe(revision + 1)
    const [record] = await db.selectFrom('history').select('record').where('type', '=', 'rule.retried').execute()
    const user = await db.selectFrom('users').select('id').where('email', '=', 'sales@signflow.test').executeTakeFirst()
    expect(JSON.parse(record?.record ?? '{}').by).toEqual({ kind: 'user', id: user?.id })
    const audit = await db.selectFrom('audit_log').select('actor').where('action', '=', 'element.ruleRetried').execute()
    expect(audit).toEqual([{ actor: `user:${user?.id}` }])
  })
})
