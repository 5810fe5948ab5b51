/**
 * Every endpoint with random input (fast-check): random JSON and random text as bodies, random query
 * parameters and ids, `__proto__` keys, wrong media types. Whatever comes, the answer is never a 500 and
 * never shows a stack; a refused request changes nothing (the database's content is the same after it).
 */
import fc from 'fast-check'
import type { Kysely } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { Runtime } from '../runtime/runtime.js'
import { graph, seed } from '../runtime/test-fixtures.js'
import { OPERATIONS, type Operation } from './api-spec.js'
import { createApp } from './app.js'
import { isRawBody } from './operation.js'

/** What the database holds, as one text: the same before and after a refused request. */
async function contents(db: Kysely<Database>): Promise<string> {
  const tables = [
    'users',
    'my_companies',
    'companies',
    'contacts',
    'pipelines',
    'flows',
    'flow_versions',
    'flow_scenarios',
    'elements',
    'due_jobs',
    'outbox',
    'history',
    'constant_values',
    'webhook_secrets',
    'webhook_subscriptions',
    'audit_log',
  ] as const
  const parts: string[] = []
  for (const table of tables) parts.push(JSON.stringify(await db.selectFrom(table).selectAll().execute()))
  parts.push(String((await db.selectFrom('files').select('id').execute()).length))
  return parts.join('\n')
}

const ids = fc.oneof(
  fc.constantFrom('deal-1', 'sales-flow', 'sales', 'nope', 'offer', 'my-company', 'stamp', '1', '%00', '..'),
  fc.string({ maxLength: 20 }),
)
const keyish = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'stage', 'fields', 'type', 'id', 'value'),
  fc.string({ maxLength: 8 }),
)
const json = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(keyish, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
)
const body = fc.oneof(
  { weight: 5, arbitrary: json.map((v) => ({ text: JSON.stringify(v), type: 'application/json' })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ text, type: 'application/json' })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 50 }).map((text) => ({ text, type: 'text/plain' })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('{"__proto__":{"x":1}}', '{"a":{"constructor":{"prototype":{}}}}', '[[[[[[[[[[]]]]]]]]]]')
      .map((text) => ({ text, type: 'application/json' })),
  },
)
/** A valid body per operation: the fuzzer changes one part of it, so that requests reach the handlers. */
const EXAMPLES: Partial<Record<string, Record<string, unknown>>> = {
  createPipeline: { name: 'Fuzzed', elementType: 'deal' },
  saveDraft: graph as unknown as Record<string, unknown>,
  publishVersion: { note: 'Fuzzed' },
  rollback: { number: 1, note: 'Fuzzed back' },
  createElement: { pipelineId: 'sales', type: 'deal', title: 'Fuzzed', stage: 'new', fields: { amount: 1 } },
  moveElement: { stage: 'offer' },
  changeFields: { fields: { amount: 7000 } },
  fireEvent: { type: 'signedByClient' },
  setConstant: { value: 'x' },
  createContact: { name: 'Ann', email: 'ann@client.test', companyId: 'c-1' },
  updateContact: { name: 'Ann B' },
  createCompany: { name: 'Acme', template: 'organization', requisites: { taxId: '1' } },
  updateCompany: { name: 'Acme 2' },
  createMyCompany: { name: 'Ours' },
  updateMyCompany: { name: 'Ours 2' },
  createUser: { name: 'Zoë', email: 'zoe@x.test', role: 'sales' },
  updateUser: { active: false },
  createSubscription: { url: 'http://127.0.0.1:9/h', events: ['element.moved'] },
  updateSubscription: { active: false },
  callWebhook: { elementId: 'deal-1' },
  saveScenario: {
    formatVersion: 1,
    name: 'Fuzzed',
    graph: 'draft',
    start: '2026-11-23T09:00:00Z',
    elements: [{ id: 'deal-1', stage: 'new' }],
    steps: [{ move: { element: 'deal-1', to: 'offer' } }, { expect: { element: 'deal-1', emails: 1 } }],
  },
}

/** The example with one change: a value replaced by random JSON, a key dropped, or a key added. */
const mutated = (example: Record<string, unknown>) =>
  fc.oneof(
    fc.constant(example),
    fc
      .tuple(
        fc.constantFrom(...(Object.keys(example).length ? Object.keys(example) : ['x'])),
        fc.jsonValue({ maxDepth: 3 }),
      )
      .map(([key, value]) => ({ ...example, [key]: value })),
    fc.constantFrom(...(Object.keys(example).length ? Object.keys(example) : ['x'])).map((key) => {
      const { [key]: _dropped, ...rest } = example
      return rest
    }),
    fc.tuple(keyish, fc.jsonValue({ maxDepth: 2 })).map(([key, value]) => ({ ...example, [key]: value })),
  )

const query = fc.dictionary(keyish, fc.oneof(fc.string({ maxLength: 10 }), fc.integer().map(String)), { maxKeys: 3 })

/** Ids that exist, by the first segment of the path: most requests name something real. */
const KNOWN: Record<string, Record<string, string>> = {
  elements: { id: 'deal-1' },
  flows: { id: 'sales-flow', number: '1', constantId: 'director', triggerId: 'hook', scenarioId: 'fuzzed' },
  pipelines: { id: 'sales' },
  contacts: { id: 'p-1' },
  companies: { id: 'c-1' },
  'my-companies': { id: 'my-company', kind: 'stamp' },
  users: { id: 'u-1' },
  'webhook-subscriptions': { id: 'crm' },
  webhooks: { flowId: 'sales-flow', triggerId: 'hook' },
  templates: { id: 'tpl-contract' },
}

function url(op: Operation, params: string[], q: Record<string, string>, known: boolean): string {
  let i = 0
  const known_ = KNOWN[op.path.split('/')[2] ?? ''] ?? {}
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent((known ? known_[name] : undefined) ?? params[i++] ?? 'x'),
  )
  const search = new URLSearchParams(q).toString()
  return search ? `${path}?${search}` : path
}

describeEachDatabase('every endpoint with random input', (getDb) => {
  let db: Kysely<Database>
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    db = getDb()
    await seed(db, 2)
    const runtime = new Runtime({ db })
    await runtime.publish('sales-flow', graph, 'u-anna')
    app = createApp({ services: { db, runtime } })
    const make = async (path: string, body: unknown) => {
      const res = await app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(res.status, `${path}: ${await res.text()}`).toBe(201)
    }
    await make('/api/companies', { id: 'c-1', name: 'Acme', template: 'organization' })
    await make('/api/contacts', { id: 'p-1', name: 'Ann', companyId: 'c-1' })
    await make('/api/my-companies', { id: 'my-company', name: 'Ours' })
    await make('/api/users', { id: 'u-1', name: 'Zoë', email: 'zoe@x.test', role: 'admin' })
    await make('/api/webhook-subscriptions', { id: 'crm', url: 'http://127.0.0.1:9/h', events: ['rule.failed'] })
  })

  const ops = Object.entries(OPERATIONS) as Array<[string, Operation]>
  it('never answers 500 or a stack, and a refused request changes nothing', async () => {
    const statuses = new Map<number, number>()
    const spy = console.error
    const logged: unknown[] = []
    console.error = (...args: unknown[]) => logged.push(args)
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ops).chain(([id, op]) => {
            const example = EXAMPLES[id]
            return fc.tuple(
              fc.constant(op),
              example
                ? fc.oneof(
                    {
                      weight: 3,
                      arbitrary: mutated(example).map((v) => ({ text: JSON.stringify(v), type: 'application/json' })),
                    },
                    { weight: 1, arbitrary: body },
                  )
                : body,
            )
          }),
          fc.array(ids, { minLength: 3, maxLength: 3 }),
          fc.oneof({ weight: 1, arbitrary: query }, { weight: 2, arbitrary: fc.constant({}) }),
          fc.boolean(),
          async ([op, b], params, q, known) => {
            const before = op.method === 'get' ? undefined : await contents(db)
            const raw = op.body && isRawBody(op.body)
            const res = await app.request(url(op, params, q, known), {
              method: op.method.toUpperCase(),
              headers: { 'content-type': raw ? ((op.body as { raw: readonly string[] }).raw[0] ?? b.type) : b.type },
              ...(op.method === 'get' ? {} : { body: b.text }),
            })
            const text = await res.text()
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
            expect(res.status, `${op.method} ${op.path}: ${text}`).toBeLessThan(500)
            expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/)
            if (res.status >= 400) {
              expect(Object.keys(JSON.parse(text))).toEqual(['error'])
              if (before !== undefined) expect(await contents(db), `${op.method} ${op.path} changed data`).toBe(before)
            }
          },
        ),
        { numRuns: 500, seed: 20261123 },
      )
    } finally {
      console.error = spy
    }
    expect(logged).toEqual([])
    // The inputs reached the handlers: some changed things, some were refused there (not only by the schema).
    expect([...statuses.keys()].some((status) => status === 201 || status === 204)).toBe(true)
    expect([...statuses.keys()].some((status) => status === 404 || status === 409 || status === 422)).toBe(true)
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  }, 120_000)
})
