import type { Kysely } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Graph, TriggerNode } from '../../shared/graph/graph.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { Runtime } from '../runtime/runtime.js'
import { MAX_WEBHOOK_BODY_BYTES, OPERATIONS } from './api-spec.js'
import { type Answer, expectEachAnswered, send, WEBHOOK_OPERATIONS } from './api-test-support.js'
import { createApp } from './app.js'
import { hashSecret, WEBHOOK_SECRET_HEADER } from './webhook-secrets.js'

const START = Date.parse('2026-11-23T09:00:00Z')
const at = (ms: number) => new Date(ms).toISOString()

function trigger(id: string, type: 'webhook' | 'signedByClient'): TriggerNode {
  return {
    id,
    type,
    title: `Trigger ${id}`,
    changeStageAs: { mode: 'responsible' },
    allowReturn: false,
    settings: type === 'webhook' ? {} : { documentType: 'any' },
  } as TriggerNode
}

/**
 * New → Mid (webhook "hook-mid") → B (webhook "hook-b", and "signed" when the client signs) → Won.
 * Were "hook-mid" to fire on a call of "hook-b", Mid, the nearer stage, would win: an element that
 * lands in B shows that only the named trigger fired.
 */
function hooksGraph(): Graph {
  const stage = (id: string, triggers: TriggerNode[], kind = 'inProgress') => ({
    id,
    name: id.toUpperCase(),
    color: '#1976d2',
    kind,
    triggers,
    rules: [],
  })
  return {
    formatVersion: 1,
    flow: { id: 'hooks-flow', name: 'Hooks' },
    elementType: 'deal',
    pipeline: {
      id: 'hooks',
      name: 'Hooks',
      stages: [
        stage('new', []),
        stage('mid', [trigger('hook-mid', 'webhook')]),
        stage('b', [trigger('hook-b', 'webhook'), trigger('signed', 'signedByClient')]),
        stage('won', [], 'success'),
      ],
    },
    constants: [],
    variables: [],
    fields: [],
  } as Graph
}

/** Another pipeline, whose flow has a webhook of the same trigger id. */
function otherGraph(): Graph {
  const g = hooksGraph()
  return { ...g, flow: { id: 'other-flow', name: 'Other' }, pipeline: { ...g.pipeline, id: 'other', name: 'Other' } }
}

const TABLES = [
  'audit_log',
  'webhook_secrets',
  'history',
  'outbox',
  'due_jobs',
  'elements',
  'flow_versions',
  'flows',
  'pipelines',
]

async function seed(db: Kysely<Database>) {
  const created = at(START)
  await db
    .insertInto('pipelines')
    .values(
      ['hooks', 'other', 'empty'].map((id) => ({
        id,
        name: id,
        element_type: 'deal',
        stages: '[]',
        created_at: created,
      })),
    )
    .execute()
  await db
    .insertInto('flows')
    .values(
      [
        ['hooks-flow', 'hooks', hooksGraph()],
        ['other-flow', 'other', otherGraph()],
        ['empty-flow', 'empty', hooksGraph()],
      ].map(([id, pipeline, graph]) => ({
        id: id as string,
        pipeline_id: pipeline as string,
        name: id as string,
        draft: JSON.stringify(graph),
        updated_at: created,
        created_at: created,
      })),
    )
    .execute()
  const element = (id: string, pipeline: string) => ({
    id,
    pipeline_id: pipeline,
    type: 'deal',
    title: id,
    stage: 'new',
    fields: JSON.stringify({ title: id }),
    responsible: null,
    contact_id: null,
    company_id: null,
    flow_version_id: null,
    state: null,
    created_at: created,
    updated_at: created,
  })
  await db
    .insertInto('elements')
    .values([element('deal-1', 'hooks'), element('deal-2', 'hooks'), element('other-1', 'other')])
    .execute()
}

describeEachDatabase('incoming webhooks', (getDb) => {
  let db: Kysely<Database>
  let runtime: Runtime
  let app: ReturnType<typeof createApp>
  const get = (url: string) => send(app, 'GET', url)
  const rotate = (triggerId: string, flowId = 'hooks-flow') =>
    send(app, 'POST', `/api/flows/${flowId}/webhooks/${triggerId}/rotate`)
  /** Calls a webhook; `secret: undefined` sends no secret header. */
  const call = (
    url: string,
    secret: string | undefined,
    body: unknown,
    init: { raw?: string; contentType?: string } = {},
  ) =>
    send(app, 'POST', url, init.raw === undefined ? body : undefined, {
      ...(init.raw !== undefined ? { raw: init.raw } : {}),
      headers: {
        'content-type': init.contentType ?? 'application/json',
        ...(secret !== undefined ? { [WEBHOOK_SECRET_HEADER]: secret } : {}),
      },
    })
  const hookB = '/api/webhooks/hooks-flow/hook-b'
  const expectError = (answer: Answer, status: number, code: string, path?: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status)
    expect(answer.body.error.code).toBe(code)
    if (path !== undefined) expect(answer.body.error.path).toBe(path)
  }
  /** The secrets the first listing shows, by trigger id. */
  async function secrets(flowId = 'hooks-flow'): Promise<Record<string, string>> {
    const { status, body } = await get(`/api/flows/${flowId}/webhooks`)
    expect(status).toBe(200)
    return Object.fromEntries(body.items.map((i: { triggerId: string; secret: string }) => [i.triggerId, i.secret]))
  }
  /** What the element is and did, to show a refused call changed nothing. */
  async function snapshot(id = 'deal-1') {
    const row = await db.selectFrom('elements').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const history = await db.selectFrom('history').selectAll().where('element_id', '=', id).execute()
    return { row, history }
  }

  beforeEach(async () => {
    db = getDb()
    for (const table of TABLES) await db.deleteFrom(table as 'flows').execute()
    runtime = new Runtime({ db, now: () => START })
    await seed(db)
    await runtime.publish('hooks-flow', hooksGraph(), 'u-anna')
    await runtime.publish('other-flow', otherGraph(), 'u-anna')
    app = createApp({ services: { db, runtime } })
  })

  describe('listing', () => {
    it('lists the webhook triggers of the latest version; a new secret is shown once, and only its hash is kept', async () => {
      const first = await get('/api/flows/hooks-flow/webhooks')
      expect(first.status).toBe(200)
      expect(first.headers.get('cache-control')).toBe('no-store')
      expect(first.body.items).toEqual([
        {
          triggerId: 'hook-mid',
          title: 'Trigger hook-mid',
          stage: 'mid',
          url: '/api/webhooks/hooks-flow/hook-mid',
          secretHint: expect.any(String),
          createdAt: expect.any(String),
          rotatedAt: null,
          secret: expect.stringMatching(/^sfwh_[A-Za-z0-9_-]{43}$/),
        },
        {
          triggerId: 'hook-b',
          title: 'Trigger hook-b',
          stage: 'b',
          url: '/api/webhooks/hooks-flow/hook-b',
          secretHint: expect.any(String),
          createdAt: expect.any(String),
          rotatedAt: null,
          secret: expect.stringMatching(/^sfwh_/),
        },
      ])
      const [mid, b] = first.body.items
      expect(mid.secret).not.toBe(b.secret)
      for (const item of first.body.items) expect(item.secretHint).toBe(item.secret.slice(-4))

      const second = await get('/api/flows/hooks-flow/webhooks')
      expect(second.body.items).toEqual(first.body.items.map(({ secret: _, ...rest }: { secret: string }) => rest))

      const rows = await db.selectFrom('webhook_secrets').selectAll().orderBy('trigger_id').execute()
      expect(rows.map((r) => [r.trigger_id, r.secret_hash, r.secret_hint])).toEqual([
        ['hook-b', hashSecret(b.secret), b.secret.slice(-4)],
        ['hook-mid', hashSecret(mid.secret), mid.secret.slice(-4)],
      ])
      expect(JSON.stringify(rows)).not.toContain(b.secret)
    })

    it('shows each new secret once, and the stored one, when several listings run at once', async () => {
      const answers = await Promise.all(Array.from({ length: 6 }, () => get('/api/flows/hooks-flow/webhooks')))
      const shown = answers.flatMap((a) =>
        a.body.items.filter((i: { secret?: string }) => i.secret !== undefined),
      ) as Array<{ triggerId: string; secret: string }>
      expect(shown.map((i) => i.triggerId).sort()).toEqual(['hook-b', 'hook-mid'])
      const rows = await db.selectFrom('webhook_secrets').selectAll().execute()
      for (const item of shown) {
        expect(rows.find((r) => r.trigger_id === item.triggerId)?.secret_hash).toBe(hashSecret(item.secret))
      }
    })

    it('makes no secret on HEAD, whose answer nobody reads', async () => {
      const res = await app.request('/api/flows/hooks-flow/webhooks', { method: 'HEAD' })
      expect(res.status).toBe(200)
      expect(await db.selectFrom('webhook_secrets').selectAll().execute()).toEqual([])
      expect(Object.keys(await secrets())).toEqual(['hook-mid', 'hook-b'])
    })

    it('answers an empty list before the first publish, and 404 for an unknown flow', async () => {
      expect((await get('/api/flows/empty-flow/webhooks')).body).toEqual({ items: [] })
      expectError(await get('/api/flows/nope/webhooks'), 404, 'not-found')
    })

    it('follows the latest version: a trigger added later gets its secret then, the others keep theirs', async () => {
      const before = await secrets()
      const g = hooksGraph()
      g.pipeline.stages[3]?.triggers.push(trigger('hook-won', 'webhook'))
      await runtime.publish('hooks-flow', g, 'u-anna')
      const { body } = await get('/api/flows/hooks-flow/webhooks')
      expect(
        body.items.map((i: { triggerId: string; secret?: string }) => [i.triggerId, i.secret !== undefined]),
      ).toEqual([
        ['hook-mid', false],
        ['hook-b', false],
        ['hook-won', true],
      ])
      expect((await call(hookB, before['hook-b'], { elementId: 'deal-1' })).status).toBe(202)
    })
  })

  describe('calling', () => {
    it('with the right secret: the named trigger moves the element, the history shows the event and the triggers considered', async () => {
      const { 'hook-b': secret } = await secrets()
      const answer = await call(hookB, secret, { elementId: 'deal-1', data: { orderId: 'ORD-77', lines: [1, 2] } })
      expect(answer.status).toBe(202)
      expect(answer.body).toEqual({ accepted: true, stage: 'b' })
      expect((await get('/api/elements/deal-1')).body.stage).toBe('b')

      const { body } = await get('/api/elements/deal-1/history')
      const records = body.items.map((i: { type: string; record: object }) => ({ type: i.type, ...i.record }))
      expect(records).toContainEqual({ type: 'event.received', event: { type: 'webhook', trigger: 'hook-b' } })
      expect(records).toContainEqual(
        expect.objectContaining({ type: 'trigger.considered', node: 'hook-b', stage: 'b', fired: true }),
      )
      expect(records).toContainEqual(
        expect.objectContaining({
          type: 'trigger.considered',
          node: 'hook-mid',
          fired: false,
          reason: 'another webhook was called',
        }),
      )
      expect(records).toContainEqual(expect.objectContaining({ type: 'stage.entered', stage: 'b' }))
      // The engine's webhook event has no payload: `data` is accepted and not kept.
      expect(JSON.stringify(body)).not.toContain('ORD-77')
      // The other element did not move.
      expect((await get('/api/elements/deal-2')).body.stage).toBe('new')
      // The audit log names the webhook as the one who acted.
      const audit = await db.selectFrom('audit_log').selectAll().where('target', '=', 'element:deal-1').execute()
      expect(audit.map((r) => [r.actor, r.action, JSON.parse(r.detail)])).toEqual([
        ['webhook:hooks-flow/hook-b', 'element.event', { event: 'webhook' }],
      ])
    })

    it('with the other trigger: that one fires instead', async () => {
      const { 'hook-mid': secret } = await secrets()
      const answer = await call('/api/webhooks/hooks-flow/hook-mid', secret, { elementId: 'deal-1' })
      expect(answer.body).toEqual({ accepted: true, stage: 'mid' })
    })

    it('refuses a wrong, missing or other webhook’s secret with one 401, and changes nothing', async () => {
      const all = await secrets()
      const before = await snapshot()
      const answers = [
        await call(hookB, 'sfwh_wrong', { elementId: 'deal-1' }),
        await call(hookB, `${all['hook-b']}x`, { elementId: 'deal-1' }),
        await call(hookB, '', { elementId: 'deal-1' }),
        await call(hookB, undefined, { elementId: 'deal-1' }),
        await call(hookB, all['hook-mid'], { elementId: 'deal-1' }),
        await call('/api/webhooks/other-flow/hook-b', all['hook-b'], { elementId: 'other-1' }),
      ]
      for (const answer of answers) {
        expectError(answer, 401, 'unauthorized')
        expect(answer.body).toEqual(answers[0]?.body)
      }
      expect(await snapshot()).toEqual(before)
    })

    it('limits the calls one address makes to a webhook, before its secret is checked', async () => {
      const limited = createApp({ services: { db, runtime }, rateLimits: { webhookPerMinute: 3 } })
      const guess = (secret: string) =>
        limited.request(hookB, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [WEBHOOK_SECRET_HEADER]: secret },
          body: JSON.stringify({ elementId: 'deal-1' }),
        })
      for (let i = 0; i < 3; i++) expect((await guess(`sfwh_guess${i}`)).status).toBe(401)
      const refused = await guess('sfwh_guess3')
      expect(refused.status).toBe(429)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate-limited')
      // Another webhook has its own count.
      expect(
        (
          await limited.request('/api/webhooks/hooks-flow/hook-mid', {
            method: 'POST',
            headers: { 'content-type': 'application/json', [WEBHOOK_SECRET_HEADER]: 'x' },
            body: '{}',
          })
        ).status,
      ).toBe(401)
    })

    it('refuses every call of a webhook that has no secret yet', async () => {
      expectError(await call(hookB, '', { elementId: 'deal-1' }), 401, 'unauthorized')
      expectError(await call(hookB, undefined, { elementId: 'deal-1' }), 401, 'unauthorized')
    })

    it('checks the secret before it reads the body', async () => {
      await secrets()
      expectError(await call(hookB, 'wrong', { elementId: 'deal-1', extra: 1 }), 401, 'unauthorized')
      expectError(await call(hookB, 'wrong', undefined, { raw: '{not json' }), 401, 'unauthorized')
      expectError(
        await call(hookB, 'wrong', { elementId: 'deal-1' }, { contentType: 'text/plain' }),
        401,
        'unauthorized',
      )
    })

    it('answers 404 for an unknown flow, an unknown trigger, and a trigger that is not a webhook', async () => {
      const { 'hook-b': secret } = await secrets()
      for (const url of [
        '/api/webhooks/nope/hook-b',
        '/api/webhooks/hooks-flow/nope',
        '/api/webhooks/hooks-flow/signed',
      ]) {
        expectError(await call(url, secret, { elementId: 'deal-1' }), 404, 'not-found')
      }
      expectError(await call('/api/webhooks/empty-flow/hook-b', secret, { elementId: 'deal-1' }), 404, 'not-found')
    })

    it('answers an element of another pipeline as an unknown one, and leaves it alone', async () => {
      const { 'hook-b': secret } = await secrets()
      const before = await snapshot('other-1')
      const foreign = await call(hookB, secret, { elementId: 'other-1' })
      const unknown = await call(hookB, secret, { elementId: 'nope' })
      expectError(foreign, 404, 'not-found')
      expectError(unknown, 404, 'not-found')
      expect(foreign.body.error.message.replace('other-1', 'X')).toBe(unknown.body.error.message.replace('nope', 'X'))
      expect(await snapshot('other-1')).toEqual(before)
    })

    it('refuses unknown keys, forbidden keys, bad values, big and non-JSON bodies with their path', async () => {
      const { 'hook-b': secret } = await secrets()
      const before = await snapshot()
      expectError(await call(hookB, secret, { elementId: 'deal-1', extra: 1 }), 400, 'bad-request', '/extra')
      expectError(
        await call(hookB, secret, undefined, { raw: '{"elementId":"deal-1","__proto__":{"x":1}}' }),
        400,
        'bad-request',
        '/__proto__',
      )
      expectError(
        await call(hookB, secret, undefined, { raw: '{"elementId":"deal-1","data":{"a":{"constructor":1}}}' }),
        400,
        'bad-request',
        '/data/a/constructor',
      )
      expectError(await call(hookB, secret, { data: {} }), 400, 'bad-request', '/elementId')
      expectError(await call(hookB, secret, { elementId: 'deal-1', data: [1] }), 400, 'bad-request', '/data')
      expectError(await call(hookB, secret, { elementId: '' }), 400, 'bad-request', '/elementId')
      expectError(await call(hookB, secret, undefined, { raw: '{"elementId":' }), 400, 'not-json')
      expectError(
        await call(hookB, secret, { elementId: 'deal-1', data: { big: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES) } }),
        413,
        'payload-too-large',
      )
      expectError(
        await call(hookB, secret, { elementId: 'deal-1' }, { contentType: 'text/plain' }),
        415,
        'unsupported-media-type',
      )
      expect(({} as Record<string, unknown>).x).toBeUndefined()
      expect(await snapshot()).toEqual(before)
    })

    it('passes the guard of the rest of the API: callers bring the secret, not its credentials', async () => {
      const { 'hook-b': secret } = await secrets()
      app = createApp({
        services: { db, runtime },
        guard: async (c) => c.json({ error: { code: 'unauthorized', message: 'Sign in first.' } }, 401),
      })
      expect((await app.request('/api/flows/hooks-flow/webhooks')).status).toBe(401)
      expect((await app.request('/api/flows/hooks-flow/webhooks/hook-b/rotate', { method: 'POST' })).status).toBe(401)
      const answer = await call(hookB, secret, { elementId: 'deal-1' })
      expect(answer.body).toEqual({ accepted: true, stage: 'b' })
    })
  })

  describe('rotating', () => {
    it('gives a new secret, shown once; the old one stops working at once', async () => {
      const { 'hook-b': old } = await secrets()
      const rotated = await rotate('hook-b')
      expect(rotated.status).toBe(200)
      expect(rotated.headers.get('cache-control')).toBe('no-store')
      const fresh: string = rotated.body.secret
      expect(fresh).toMatch(/^sfwh_/)
      expect(fresh).not.toBe(old)
      expect(rotated.body).toMatchObject({
        triggerId: 'hook-b',
        stage: 'b',
        url: '/api/webhooks/hooks-flow/hook-b',
        secretHint: fresh.slice(-4),
        rotatedAt: expect.any(String),
      })

      expectError(await call(hookB, old, { elementId: 'deal-1' }), 401, 'unauthorized')
      expect((await call(hookB, fresh, { elementId: 'deal-1' })).body).toEqual({ accepted: true, stage: 'b' })

      const listed = (await get('/api/flows/hooks-flow/webhooks')).body.items
      const b = listed.find((i: { triggerId: string }) => i.triggerId === 'hook-b')
      expect(b).toEqual({ ...rotated.body, secret: undefined })
      expect('secret' in b).toBe(false)
      // The other webhook's secret is untouched.
      expect(listed.find((i: { triggerId: string }) => i.triggerId === 'hook-mid').rotatedAt).toBeNull()
      const audit = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('target', '=', 'flow:hooks-flow')
        .orderBy('id')
        .execute()
      expect(audit.map((r) => [r.action, JSON.parse(r.detail).triggerId])).toEqual([
        ['webhook.secretCreated', 'hook-mid'],
        ['webhook.secretCreated', 'hook-b'],
        ['webhook.secretRotated', 'hook-b'],
      ])
      expect(JSON.stringify(audit)).not.toContain(fresh)
    })

    it('makes the first secret of a webhook that had none', async () => {
      const rotated = await rotate('hook-b')
      expect(rotated.body).toMatchObject({ triggerId: 'hook-b', rotatedAt: null, secret: expect.any(String) })
      const { body } = await get('/api/flows/hooks-flow/webhooks')
      expect(
        body.items.map((i: { triggerId: string; secret?: string }) => [i.triggerId, i.secret !== undefined]),
      ).toEqual([
        ['hook-mid', true],
        ['hook-b', false],
      ])
    })

    it('answers 404 for an unknown flow, an unknown trigger and one that is not a webhook', async () => {
      expectError(await rotate('hook-b', 'nope'), 404, 'not-found')
      expectError(await rotate('nope'), 404, 'not-found')
      expectError(await rotate('signed'), 404, 'not-found')
      expectError(await rotate('hook-b', 'empty-flow'), 404, 'not-found')
      expect(await db.selectFrom('webhook_secrets').selectAll().execute()).toEqual([])
    })
  })
})

describe('every webhook operation', () => {
  it('was answered above with success and with a refusal', () => {
    expectEachAnswered(WEBHOOK_OPERATIONS.map((id) => OPERATIONS[id]))
  })
})
