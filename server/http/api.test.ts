import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Graph, RuleNode } from '../../shared/graph/graph.js'
import { validate } from '../../shared/validate/validate.js'
import type { Database, NewRow } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { Runtime } from '../runtime/runtime.js'
import { MAX_BODY_BYTES_SMALL, MAX_GRAPH_BODY_BYTES, OPERATIONS, type OperationId } from './api-spec.js'
import { type Answer, answered, expectEachAnswered, send, WEBHOOK_OPERATIONS } from './api-test-support.js'
import { createApp } from './app.js'
import { AUTH_OPERATIONS } from './auth-spec.js'
import { DIRECTORY_OPERATIONS } from './directory-spec.js'
import { DOCUMENT_OPERATIONS, SEALING_OPERATIONS, SIGNING_OPERATIONS, VERIFY_OPERATIONS } from './documents-spec.js'
import { FILE_OPERATIONS } from './files-spec.js'
import { SIMULATOR_OPERATIONS } from './simulator-spec.js'
import { SUBSCRIPTION_OPERATIONS } from './subscriptions-spec.js'
import { WORKSPACE_OPERATIONS } from './workspace-spec.js'

const START = Date.parse('2026-11-23T09:00:00Z')
const at = (ms: number) => new Date(ms).toISOString()

function email(id: string, subject: string, over: Partial<RuleNode> = {}): RuleNode {
  return {
    id,
    type: 'sendEmail',
    title: id,
    execution: 'afterPrevious',
    time: { mode: 'immediately' },
    settings: {
      to: { kind: 'field', path: 'client.email' },
      subject: { kind: 'template', parts: [subject, { kind: 'field', path: 'title' }] },
      body: { kind: 'template', parts: ['Dear ', { kind: 'field', path: 'client.name' }, '.'] },
      format: 'text',
      attachments: [],
    },
    ...over,
  } as RuleNode
}

/** New → Offer (an email now, a reminder 2 minutes later) → Won (when the client signs). */
function salesGraph(): Graph {
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
            email('offer-mail', 'Our offer: '),
            email('reminder', 'Reminder: ', {
              execution: 'parallel',
              time: { mode: 'delay', delay: { amount: 2, unit: 'minutes' } },
            } as Partial<RuleNode>),
          ],
        },
        {
          id: 'won',
          name: 'Won',
          color: '#2e7d32',
          kind: 'success',
          triggers: [
            {
              id: 'signed',
              type: 'signedByClient',
              title: 'Client signed',
              changeStageAs: { mode: 'responsible' },
              allowReturn: false,
              settings: { documentType: 'any' },
            },
          ],
          rules: [],
        },
      ],
    },
    constants: [],
    variables: [],
    fields: [],
  } as Graph
}

/** Version 2: the offer mail says something else, the reminder is gone, Won thanks the client. */
function salesGraphV2(): Graph {
  const g = salesGraph()
  const [, offer, won] = g.pipeline.stages as [unknown, Graph['pipeline']['stages'][0], Graph['pipeline']['stages'][0]]
  offer.rules = [email('offer-mail', 'Our new offer: ')]
  won.rules = [email('thanks', 'Thank you: ')]
  return g
}

async function seed(db: Kysely<Database>) {
  const created = at(START)
  await db
    .insertInto('pipelines')
    .values([
      { id: 'sales', name: 'Sales', element_type: 'deal', stages: '[]', created_at: created },
      {
        id: 'leads',
        name: 'Leads',
        element_type: 'lead',
        stages: JSON.stringify([{ id: 'fresh', name: 'Fresh', color: '#000000', kind: 'inProgress' }]),
        created_at: created,
      },
    ])
    .execute()
  await db
    .insertInto('flows')
    .values({
      id: 'sales-flow',
      pipeline_id: 'sales',
      name: 'Sales',
      draft: JSON.stringify(salesGraph()),
      updated_at: created,
      created_at: created,
    })
    .execute()
  const element = (id: string, pipeline: string, type: string, title: string, i: number) => ({
    id,
    pipeline_id: pipeline,
    type,
    title,
    stage: pipeline === 'sales' ? 'new' : 'fresh',
    fields: JSON.stringify({ title, 'client.email': `buyer${i}@client.test`, 'client.name': 'Łucja Żak' }),
    responsible: null,
    contact_id: null,
    company_id: null,
    flow_version_id: null,
    state: null,
    created_at: at(START + i * 1000),
    updated_at: at(START + i * 1000),
  })
  await db
    .insertInto('elements')
    .values([
      element('deal-1', 'sales', 'deal', 'Deal 1', 1),
      element('deal-2', 'sales', 'deal', 'Deal 2', 2),
      element('deal-3', 'sales', 'deal', 'Deal 3', 3),
      element('lead-1', 'leads', 'lead', 'Lead 1', 4),
    ])
    .execute()
}

const TABLES = [
  'audit_log',
  'constant_values',
  'history',
  'outbox_attempts',
  'outbox',
  'due_jobs',
  'messages',
  'notifications',
  'tasks',
  'elements',
  'flow_versions',
  'flow_scenarios',
  'flows',
  'pipelines',
  'contacts',
  'companies',
  'users',
] as const

// ------------------------------------------------------------ the suite

describeEachDatabase('the HTTP API', (getDb) => {
  let db: Kysely<Database>
  let now = START
  let runtime: Runtime
  let app: ReturnType<typeof createApp>
  const get = (url: string) => send(app, 'GET', url)
  const post = (url: string, body?: unknown, init?: { raw?: string; headers?: Record<string, string> }) =>
    send(app, 'POST', url, body, init)
  const put = (url: string, body?: unknown, init?: { raw?: string; headers?: Record<string, string> }) =>
    send(app, 'PUT', url, body, init)
  const patch = (url: string, body?: unknown, init?: { raw?: string; headers?: Record<string, string> }) =>
    send(app, 'PATCH', url, body, init)
  const expectError = (answer: Answer, status: number, code: string, path?: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status)
    expect(answer.body.error.code).toBe(code)
    expect(answer.body.error.message).toEqual(expect.any(String))
    if (path !== undefined) expect(answer.body.error.path).toBe(path)
  }

  beforeEach(async () => {
    db = getDb()
    for (const table of TABLES) await db.deleteFrom(table).execute()
    now = START
    runtime = new Runtime({ db, now: () => now })
    await seed(db)
    await runtime.publish('sales-flow', salesGraph(), 'u-anna')
    app = createApp({ services: { db, runtime } })
  })

  describe('pipelines', () => {
    it('lists pipelines with the stages of their published flow, or their own list before one', async () => {
      const { status, body } = await get('/api/pipelines')
      expect(status).toBe(200)
      expect(body.items).toEqual([
        {
          id: 'leads',
          name: 'Leads',
          elementType: 'lead',
          flows: [],
          version: null,
          stages: [{ id: 'fresh', name: 'Fresh', color: '#000000', kind: 'inProgress' }],
        },
        {
          id: 'sales',
          name: 'Sales',
          elementType: 'deal',
          flows: [{ id: 'sales-flow', name: 'Sales' }],
          version: { flowId: 'sales-flow', number: 1, id: 'sales-flow@1' },
          stages: [
            { id: 'new', name: 'New', color: '#1976d2', kind: 'inProgress' },
            { id: 'offer', name: 'Offer', color: '#1976d2', kind: 'inProgress' },
            { id: 'won', name: 'Won', color: '#2e7d32', kind: 'success' },
          ],
        },
      ])
      expect((await get('/api/pipelines/sales')).body).toEqual(body.items[1])
    })

    it('follows the newest version', async () => {
      const g = salesGraph()
      ;(g.pipeline.stages[2] as { name: string }).name = 'Signed'
      await runtime.publish('sales-flow', g, 'u-anna')
      const { body } = await get('/api/pipelines/sales')
      expect(body.version.number).toBe(2)
      expect(body.stages.map((s: { name: string }) => s.name)).toEqual(['New', 'Offer', 'Signed'])
    })

    it('answers 404 for an unknown pipeline and 400 for an unknown query parameter', async () => {
      expectError(await get('/api/pipelines/nope'), 404, 'not-found')
      expectError(await get('/api/pipelines?sort=name'), 400, 'bad-request', '/sort')
    })
  })

  describe('creating a pipeline', () => {
    const firstStage = { id: 'new', name: 'New', color: '#1976d2', kind: 'inProgress' }
    const countRows = async () => ({
      pipelines: (await db.selectFrom('pipelines').select('id').execute()).length,
      flows: (await db.selectFrom('flows').select('id').execute()).length,
      audit: (await db.selectFrom('audit_log').select('id').execute()).length,
    })

    it('creates a pipeline and its flow with a one-stage draft that validates; it is listed, designed, published', async () => {
      const created = await post('/api/pipelines', { name: '  Contracts  ', elementType: 'signingDocument' })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const summary = {
        id: 'Contracts',
        name: 'Contracts',
        elementType: 'signingDocument',
        flows: [{ id: 'Contracts', name: 'Contracts' }],
        version: null,
        stages: [firstStage],
      }
      expect(created.body).toEqual(summary)
      expect(created.headers.get('location')).toBe('/api/pipelines/Contracts')
      // Listed as GET /api/pipelines lists every pipeline, in the same shape.
      const listed = (await get('/api/pipelines')).body.items
      expect(listed.map((p: { id: string }) => p.id)).toEqual(['Contracts', 'leads', 'sales'])
      expect(listed[0]).toEqual(summary)
      expect((await get('/api/pipelines/Contracts')).body).toEqual(summary)

      // The designer opens its flow: the draft, never published.
      const flow = await get('/api/flows/Contracts')
      expect(flow.status).toBe(200)
      expect(flow.body).toMatchObject({
        id: 'Contracts',
        pipelineId: 'Contracts',
        name: 'Contracts',
        latestVersion: null,
      })
      const draft: Graph = flow.body.draft
      expect(draft).toEqual({
        formatVersion: 1,
        flow: { id: 'Contracts', name: 'Contracts' },
        elementType: 'signingDocument',
        pipeline: { id: 'Contracts', name: 'Contracts', stages: [{ ...firstStage, triggers: [], rules: [] }] },
        constants: [],
        variables: [],
        fields: [],
      })
      expect(validate(draft)).toMatchObject({ valid: true, findings: [] })
      expect((await get('/api/flows/Contracts/versions')).body.items).toEqual([])
      expect(await db.selectFrom('flow_versions').select('id').where('flow_id', '=', 'Contracts').execute()).toEqual([])

      // Designed and published like any flow.
      const designed: Graph = {
        ...draft,
        pipeline: {
          ...draft.pipeline,
          stages: [
            ...draft.pipeline.stages,
            { id: 'signed', name: 'Signed', color: '#2e7d32', kind: 'success', triggers: [], rules: [] },
          ],
        },
      }
      expect((await put('/api/flows/Contracts/draft', designed)).status).toBe(200)
      const published = await post('/api/flows/Contracts/versions', {})
      expect(published.status, JSON.stringify(published.body)).toBe(201)
      expect(published.body).toMatchObject({ id: 'Contracts@1', number: 1 })
      const after = (await get('/api/pipelines/Contracts')).body
      expect(after.version).toEqual({ flowId: 'Contracts', number: 1, id: 'Contracts@1' })
      expect(after.stages.map((s: { id: string }) => s.id)).toEqual(['new', 'signed'])
      expect((await get('/api/flows/Contracts')).body.latestVersion).toBe(1)

      // Audited, in the creation's transaction, with what was made.
      const audit = (await get('/api/audit?target=pipeline:Contracts')).body.items
      expect(audit).toEqual([
        expect.objectContaining({
          actor: 'api',
          action: 'pipeline.created',
          target: 'pipeline:Contracts',
          detail: { name: 'Contracts', elementType: 'signingDocument', flowId: 'Contracts' },
        }),
      ])
    })

    it('makes the id from the name, in Latin letters, unique on a second pipeline of the same name', async () => {
      const name = 'Umowy: Łódź & Iğdır'
      const first = await post('/api/pipelines', { name, elementType: 'deal' })
      const second = await post('/api/pipelines', { name, elementType: 'deal' })
      expect([first.status, second.status]).toEqual([201, 201])
      expect([first.body.id, second.body.id]).toEqual(['Umowy-Lodz-Igdir', 'Umowy-Lodz-Igdir-2'])
      for (const { body } of [first, second]) {
        expect(body.id).toMatch(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/)
        expect(body.name).toBe(name)
        expect(body.flows).toEqual([{ id: body.id, name }])
        const draft: Graph = (await get(`/api/flows/${body.id}`)).body.draft
        expect(draft.flow).toEqual({ id: body.id, name })
        expect(draft.pipeline.id).toBe(body.id)
        expect(validate(draft).valid).toBe(true)
      }
      // Unique among flows too: a flow's id is not a pipeline's here ("sales-flow" of the pipeline "sales").
      expect((await post('/api/pipelines', { name: 'sales-flow', elementType: 'deal' })).body.id).toBe('sales-flow-2')
      // A name with nothing to keep in an id: "pipeline".
      expect((await post('/api/pipelines', { name: 'Воронка 2026', elementType: 'lead' })).body.id).toBe('pipeline')
      expect((await post('/api/pipelines', { name: '2026', elementType: 'lead' })).body.id).toBe('pipeline-2')
      // A long name gives an id of at most 64 characters.
      const long = await post('/api/pipelines', { name: 'Ż'.repeat(200), elementType: 'contact' })
      expect(long.status).toBe(201)
      expect(long.body.id).toMatch(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/)
      // Its one stage is named in the maker's language when they say so; "New" otherwise.
      const polish = await post('/api/pipelines', { name: 'Umowy', elementType: 'deal', firstStage: ' Nowe ' })
      expect(polish.body.stages.map((st: { name: string }) => st.name)).toEqual(['Nowe'])
      const flow = await get(`/api/flows/${polish.body.id}`)
      expect(flow.body.draft.pipeline.stages.map((st: { name: string }) => st.name)).toEqual(['Nowe'])
      expect((await post('/api/pipelines', { name: 'x', elementType: 'deal', firstStage: '   ' })).status).toBe(400)
    })

    it('makes distinct ids for pipelines of one name created at once; one of a given id at once wins', async () => {
      const made = await Promise.all(
        [1, 2, 3, 4].map(() => post('/api/pipelines', { name: 'Rush', elementType: 'deal' })),
      )
      expect(made.map((a) => a.status)).toEqual([201, 201, 201, 201])
      expect(made.map((a) => a.body.id).sort()).toEqual(['Rush', 'Rush-2', 'Rush-3', 'Rush-4'])
      const given = await Promise.all(
        [1, 2, 3].map((i) => post('/api/pipelines', { id: 'rush', name: `Rush ${i}`, elementType: 'deal' })),
      )
      expect(given.map((a) => a.status).sort()).toEqual([201, 409, 409])
      expect(await db.selectFrom('flows').select('id').where('id', '=', 'rush').execute()).toHaveLength(1)
    })

    it('takes a given id, and refuses one that is taken with 409 at /id', async () => {
      const made = await post('/api/pipelines', { id: 'nda_2026', name: 'NDAs', elementType: 'contact' })
      expect(made.status).toBe(201)
      expect(made.body).toMatchObject({ id: 'nda_2026', name: 'NDAs', flows: [{ id: 'nda_2026', name: 'NDAs' }] })
      const before = await countRows()
      expectError(
        await post('/api/pipelines', { id: 'nda_2026', name: 'Again', elementType: 'deal' }),
        409,
        'conflict',
        '/id',
      )
      // A pipeline's id, or a flow's.
      expectError(
        await post('/api/pipelines', { id: 'sales', name: 'Sales 2', elementType: 'deal' }),
        409,
        'conflict',
        '/id',
      )
      expectError(
        await post('/api/pipelines', { id: 'sales-flow', name: 'x', elementType: 'deal' }),
        409,
        'conflict',
        '/id',
      )
      expect(await countRows()).toEqual(before)
      expect((await get('/api/pipelines/sales')).body.name).toBe('Sales')
    })

    it('refuses a blank or long name, an unknown element type, a bad id, unknown keys with 400; nothing is made', async () => {
      const before = await countRows()
      for (const name of ['', '   ', '\t\n', '\u00a0']) {
        expectError(await post('/api/pipelines', { name, elementType: 'deal' }), 400, 'bad-request', '/name')
      }
      expectError(
        await post('/api/pipelines', { name: 'x'.repeat(201), elementType: 'deal' }),
        400,
        'bad-request',
        '/name',
      )
      expectError(await post('/api/pipelines', { name: 7, elementType: 'deal' }), 400, 'bad-request', '/name')
      expectError(await post('/api/pipelines', { elementType: 'deal' }), 400, 'bad-request', '/name')
      expectError(
        await post('/api/pipelines', { name: 'Deals', elementType: 'invoice' }),
        400,
        'bad-request',
        '/elementType',
      )
      expectError(await post('/api/pipelines', { name: 'Deals' }), 400, 'bad-request', '/elementType')
      for (const id of ['1st', '', 'has space', 'ł', `a${'b'.repeat(64)}`]) {
        expectError(await post('/api/pipelines', { id, name: 'Deals', elementType: 'deal' }), 400, 'bad-request', '/id')
      }
      expectError(
        await post('/api/pipelines', { name: 'Deals', elementType: 'deal', stages: [] }),
        400,
        'bad-request',
        '/stages',
      )
      expectError(await post('/api/pipelines', [1]), 400, 'bad-request')
      expect(await countRows()).toEqual(before)
    })
  })

  describe('flows and drafts', () => {
    it('shows the draft and the latest version number', async () => {
      const { status, body } = await get('/api/flows/sales-flow')
      expect(status).toBe(200)
      expect(body).toMatchObject({ id: 'sales-flow', pipelineId: 'sales', name: 'Sales', latestVersion: 1 })
      expect(body.draft).toEqual(salesGraph())
      expectError(await get('/api/flows/nope'), 404, 'not-found')
    })

    it('saves a draft with warnings and answers them', async () => {
      const draft = { ...salesGraphV2(), designer: { nodes: [{ id: 'ghost' }] } }
      const { status, body } = await put('/api/flows/sales-flow/draft', draft)
      expect(status).toBe(200)
      expect(body.findings).toEqual([
        expect.objectContaining({ severity: 'warning', code: 'designer-dangling', path: '/designer/nodes/0/id' }),
      ])
      expect((await get('/api/flows/sales-flow')).body.draft).toEqual(draft)
    })

    it('saves a draft that breaks rules but has the shape of a graph, answers its errors, and will not publish it', async () => {
      const draft = salesGraphV2()
      const rule = draft.pipeline.stages.flatMap((s) => s.rules)[0] as { settings: Record<string, unknown> }
      rule.settings = { ...rule.settings, subject: { kind: 'constant', id: 'nowhere' } }
      const { status, body } = await put('/api/flows/sales-flow/draft', draft)
      expect(status).toBe(200)
      expect(body.findings).toContainEqual(expect.objectContaining({ severity: 'error', code: 'unknown-constant' }))
      expect((await get('/api/flows/sales-flow')).body.draft).toEqual(draft)
      const refused = await post('/api/flows/sales-flow/versions', {})
      expectError(refused, 422, 'invalid')
      expect(refused.body.error.message).toMatch(/cannot be published/)
    })

    it('refuses a draft that is not shaped like a graph with 422 and the first error path, and keeps the old draft', async () => {
      const g = salesGraph()
      ;(g.pipeline.stages[1] as { color: string }).color = 'red'
      expectError(await put('/api/flows/sales-flow/draft', g), 422, 'invalid', '/pipeline/stages/1/color')
      const extra = salesGraph() as unknown as { pipeline: { stages: Array<Record<string, unknown>> } }
      ;(extra.pipeline.stages[2] as Record<string, unknown>).colour = '#ffffff'
      expectError(await put('/api/flows/sales-flow/draft', extra), 422, 'invalid', '/pipeline/stages/2/colour')
      expectError(await put('/api/flows/sales-flow/draft', [1, 2]), 400, 'bad-request', '')
      expect((await get('/api/flows/sales-flow')).body.draft).toEqual(salesGraph())
    })

    it('refuses __proto__ and constructor keys anywhere with 400 and their path, polluting nothing', async () => {
      const text = JSON.stringify(salesGraph())
      const inStage = text.replace('"kind":"inProgress"', '"kind":"inProgress","__proto__":{"isAdmin":true}')
      expectError(
        await put('/api/flows/sales-flow/draft', undefined, { raw: inStage }),
        400,
        'bad-request',
        '/pipeline/stages/0/__proto__',
      )
      const atTop = `{"constructor":{"prototype":{"isAdmin":true}},${text.slice(1)}`
      expectError(
        await put('/api/flows/sales-flow/draft', undefined, { raw: atTop }),
        400,
        'bad-request',
        '/constructor',
      )
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty('isAdmin')
    })

    it('answers malformed JSON with 400 and its line and column', async () => {
      const answer = await put('/api/flows/sales-flow/draft', undefined, {
        raw: '{\n  "formatVersion": 1\n  "flow": {}\n}',
      })
      expectError(answer, 400, 'not-json')
      expect(answer.body.error).toMatchObject({ line: 3, column: 3 })
      expect(answer.body.error.message).toMatch(/line 3, column 3/)
    })

    it('refuses a graph over 5 MB with 413, a body not declared as JSON with 415, an unknown flow with 404', async () => {
      const big = JSON.stringify({ ...salesGraph(), flow: { id: 'x', name: 'x'.repeat(MAX_GRAPH_BODY_BYTES) } })
      expectError(await put('/api/flows/sales-flow/draft', undefined, { raw: big }), 413, 'payload-too-large')
      const text = JSON.stringify(salesGraph())
      expectError(
        await put('/api/flows/sales-flow/draft', undefined, { raw: text, headers: { 'content-type': 'text/plain' } }),
        415,
        'unsupported-media-type',
      )
      expectError(await put('/api/flows/nope/draft', salesGraph()), 404, 'not-found')
    })
  })

  describe('versions', () => {
    it('publishes the draft or a given graph; versions list both; the diff names the changed node ids', async () => {
      // The draft is version 1's graph: publishing it again answers version 1.
      const same = await post('/api/flows/sales-flow/versions', {})
      expect(same.status).toBe(200)
      expect(same.body).toMatchObject({ id: 'sales-flow@1', number: 1 })

      expect((await put('/api/flows/sales-flow/draft', salesGraphV2())).status).toBe(200)
      const second = await post('/api/flows/sales-flow/versions', {})
      expect(second.status).toBe(201)
      expect(second.body).toEqual({ id: 'sales-flow@2', number: 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/) })
      expect(second.headers.get('location')).toBe('/api/flows/sales-flow/versions/2')

      const list = await get('/api/flows/sales-flow/versions')
      expect(list.body.items).toEqual([
        {
          id: 'sales-flow@1',
          number: 1,
          hash: same.body.hash,
          publishedAt: at(START),
          publishedBy: 'u-anna',
          note: null,
        },
        {
          id: 'sales-flow@2',
          number: 2,
          hash: second.body.hash,
          publishedAt: at(START),
          publishedBy: 'api',
          note: null,
        },
      ])
      expect((await get('/api/flows/sales-flow')).body.latestVersion).toBe(2)
      expect((await get('/api/flows/sales-flow/versions/2')).body).toEqual(salesGraphV2())

      const diff = await get('/api/flows/sales-flow/diff?from=1&to=2')
      expect(diff.status).toBe(200)
      expect(diff.body).toEqual({
        from: 1,
        to: 2,
        added: [{ kind: 'rule', id: 'thanks', stage: 'won' }],
        removed: [{ kind: 'rule', id: 'reminder', stage: 'offer' }],
        changed: [
          { kind: 'stage', id: 'offer', stage: 'offer' },
          { kind: 'rule', id: 'offer-mail', stage: 'offer' },
          { kind: 'stage', id: 'won', stage: 'won' },
        ],
        other: [],
      })
      const back = await get('/api/flows/sales-flow/diff?from=2&to=1')
      expect(back.body.added).toEqual([{ kind: 'rule', id: 'reminder', stage: 'offer' }])
      expect(back.body.removed).toEqual([{ kind: 'rule', id: 'thanks', stage: 'won' }])
    })

    it('publishes a graph from the body, and answers its errors with paths into the body', async () => {
      const given = await post('/api/flows/sales-flow/versions', { graph: salesGraphV2() })
      expect(given.status).toBe(201)
      expect(given.body.number).toBe(2)
      const broken = salesGraphV2()
      ;(broken.pipeline.stages[0] as { color: string }).color = 'red'
      expectError(
        await post('/api/flows/sales-flow/versions', { graph: broken }),
        422,
        'invalid',
        '/graph/pipeline/stages/0/color',
      )
      expectError(await post('/api/flows/sales-flow/versions', { grph: salesGraphV2() }), 400, 'bad-request', '/grph')
      expectError(await post('/api/flows/sales-flow/versions', { graph: 'v2' }), 400, 'bad-request', '/graph')
      expectError(await post('/api/flows/sales-flow/versions', []), 400, 'bad-request', '')
      expectError(await post('/api/flows/nope/versions', {}), 404, 'not-found')
      expect((await get('/api/flows/sales-flow/versions')).body.items).toHaveLength(2)
    })

    it('answers 404 for a version that does not exist', async () => {
      expect((await get('/api/flows/sales-flow/versions/1')).body).toEqual(salesGraph())
      expectError(await get('/api/flows/sales-flow/versions/9'), 404, 'not-found')
      expectError(await get('/api/flows/sales-flow/versions/one'), 404, 'not-found')
      expectError(await get('/api/flows/nope/versions'), 404, 'not-found')
    })

    it('checks the diff query: both numbers, whole, once, nothing else', async () => {
      expectError(await get('/api/flows/sales-flow/diff?from=1'), 400, 'bad-request', '/to')
      expectError(await get('/api/flows/sales-flow/diff?from=one&to=1'), 400, 'bad-request', '/from')
      expectError(await get('/api/flows/sales-flow/diff?from=0&to=1'), 400, 'bad-request', '/from')
      expectError(await get('/api/flows/sales-flow/diff?from=1&from=2&to=1'), 400, 'bad-request', '/from')
      expectError(await get('/api/flows/sales-flow/diff?from=1&to=1&verbose=1'), 400, 'bad-request', '/verbose')
      expectError(await get('/api/flows/sales-flow/diff?from=1&to=7'), 404, 'not-found', '/to')
      expect((await get('/api/flows/sales-flow/diff?from=1&to=1')).body).toMatchObject({ added: [], changed: [] })
    })

    it('rolls back: version 3 is version 1 again', async () => {
      await post('/api/flows/sales-flow/versions', { graph: salesGraphV2() })
      const rolled = await post('/api/flows/sales-flow/rollback', { number: 1 })
      expect(rolled.status).toBe(201)
      expect(rolled.body.number).toBe(3)
      const v1 = await get('/api/flows/sales-flow/versions/1')
      expect((await get('/api/flows/sales-flow/versions/3')).body).toEqual(v1.body)
      const items = (await get('/api/flows/sales-flow/versions')).body.items
      expect(items.map((v: { number: number }) => v.number)).toEqual([1, 2, 3])
      expect(items[2].hash).toBe(items[0].hash)
      expect((await get('/api/flows/sales-flow/diff?from=1&to=3')).body).toMatchObject({
        added: [],
        removed: [],
        changed: [],
      })
      // Rolling back to what is already the latest content answers it.
      const again = await post('/api/flows/sales-flow/rollback', { number: 1 })
      expect(again.status).toBe(200)
      expect(again.body.number).toBe(3)
    })

    it('keeps a note with a new version, lists it, and leaves it as it was when the same content comes again', async () => {
      const noted = await post('/api/flows/sales-flow/versions', {
        graph: salesGraphV2(),
        note: '  Thank the client when they sign — Zoë asked  ',
      })
      expect(noted.status).toBe(201)
      expect(noted.body).toEqual({ id: 'sales-flow@2', number: 2, hash: expect.any(String) })
      const notes = async () =>
        (await get('/api/flows/sales-flow/versions')).body.items.map((v: { number: number; note: string | null }) => [
          v.number,
          v.note,
        ])
      // Spaces around it are dropped; version 1 (published without one) has none.
      expect(await notes()).toEqual([
        [1, null],
        [2, 'Thank the client when they sign — Zoë asked'],
      ])

      // The same content again: version 2 is answered, its note unchanged, no audit row.
      const audited = (await get('/api/audit?target=flow:sales-flow')).body.items.length
      const again = await post('/api/flows/sales-flow/versions', { graph: salesGraphV2(), note: 'Something else' })
      expect(again.status).toBe(200)
      expect(again.body).toEqual(noted.body)
      expect(await notes()).toEqual([
        [1, null],
        [2, 'Thank the client when they sign — Zoë asked'],
      ])
      expect((await get('/api/audit?target=flow:sales-flow')).body.items.length).toBe(audited)

      // The saved draft, with a note of exactly 1000 letters (not bytes); a note of only spaces is none.
      expect((await put('/api/flows/sales-flow/draft', salesGraph())).status).toBe(200)
      const long = 'ł'.repeat(1000)
      expect((await post('/api/flows/sales-flow/versions', { note: long })).body.number).toBe(3)
      const v2 = salesGraphV2()
      v2.pipeline.name = 'Sales 2'
      expect((await post('/api/flows/sales-flow/versions', { graph: v2, note: ' \n\t ' })).body.number).toBe(4)
      expect(await notes()).toEqual([
        [1, null],
        [2, 'Thank the client when they sign — Zoë asked'],
        [3, long],
        [4, null],
      ])
      const audit = (await get('/api/audit?target=flow:sales-flow')).body.items
      expect(
        audit
          .filter((r: { action: string }) => r.action === 'flow.published')
          .map((r: { detail: unknown }) => r.detail),
      ).toEqual([
        { version: 4, hash: expect.any(String) },
        { version: 3, hash: expect.any(String), note: long },
        { version: 2, hash: noted.body.hash, note: 'Thank the client when they sign — Zoë asked' },
      ])
    })

    it('refuses a note over 1000 characters or not a string with 400 at /note, publishing nothing', async () => {
      const tooLong = 'x'.repeat(1001)
      expectError(
        await post('/api/flows/sales-flow/versions', { graph: salesGraphV2(), note: tooLong }),
        400,
        'bad-request',
        '/note',
      )
      expectError(await post('/api/flows/sales-flow/versions', { note: tooLong }), 400, 'bad-request', '/note')
      expectError(
        await post('/api/flows/sales-flow/versions', { graph: salesGraphV2(), note: 7 }),
        400,
        'bad-request',
        '/note',
      )
      expectError(
        await post('/api/flows/sales-flow/versions', { graph: salesGraphV2(), note: null }),
        400,
        'bad-request',
        '/note',
      )
      expectError(
        await post('/api/flows/sales-flow/rollback', { number: 1, note: tooLong }),
        400,
        'bad-request',
        '/note',
      )
      expectError(
        await post('/api/flows/sales-flow/rollback', { number: 1, note: ['why'] }),
        400,
        'bad-request',
        '/note',
      )
      expect((await get('/api/flows/sales-flow/versions')).body.items).toHaveLength(1)
    })

    it('notes a rollback: "Rollback to version N" by default, or the note given', async () => {
      await post('/api/flows/sales-flow/versions', { graph: salesGraphV2(), note: 'Thanks on Won' })
      expect((await post('/api/flows/sales-flow/rollback', { number: 1 })).body.number).toBe(3)
      const custom = await post('/api/flows/sales-flow/rollback', { number: 2, note: 'Back: the client liked it' })
      expect(custom.status).toBe(201)
      expect(custom.body.number).toBe(4)
      expect((await post('/api/flows/sales-flow/rollback', { number: 1, note: '   ' })).body.number).toBe(5)
      // Already the latest content: version 5 is answered and keeps its note.
      const same = await post('/api/flows/sales-flow/rollback', { number: 3, note: 'Not kept' })
      expect(same.status).toBe(200)
      expect(same.body.number).toBe(5)
      const items = (await get('/api/flows/sales-flow/versions')).body.items
      expect(items.map((v: { number: number; note: string | null }) => [v.number, v.note])).toEqual([
        [1, null],
        [2, 'Thanks on Won'],
        [3, 'Rollback to version 1'],
        [4, 'Back: the client liked it'],
        [5, 'Rollback to version 1'],
      ])
      const audit = (await get('/api/audit?target=flow:sales-flow')).body.items
      expect(audit[0].detail).toEqual({
        version: 5,
        hash: items[0].hash,
        note: 'Rollback to version 1',
        rolledBackTo: 1,
      })
      expect(audit[1].detail).toEqual({
        version: 4,
        hash: items[1].hash,
        note: 'Back: the client liked it',
        rolledBackTo: 2,
      })
    })

    it('refuses a rollback to a version that does not exist, or a body of the wrong shape', async () => {
      expectError(await post('/api/flows/sales-flow/rollback', { number: 9 }), 422, 'invalid', '/number')
      expectError(await post('/api/flows/sales-flow/rollback', { number: 'one' }), 400, 'bad-request', '/number')
      expectError(await post('/api/flows/sales-flow/rollback', { number: 1.5 }), 400, 'bad-request', '/number')
      expectError(await post('/api/flows/sales-flow/rollback', {}), 400, 'bad-request', '/number')
      expectError(await post('/api/flows/sales-flow/rollback', { number: 1, why: 'oops' }), 400, 'bad-request', '/why')
      expectError(await post('/api/flows/nope/rollback', { number: 1 }), 404, 'not-found')
    })
  })

  describe('elements', () => {
    it('lists elements newest first, filtered and paged', async () => {
      const all = await get('/api/elements')
      expect(all.body.items.map((e: { id: string }) => e.id)).toEqual(['lead-1', 'deal-3', 'deal-2', 'deal-1'])
      expect(all.body.items[3]).toEqual({
        id: 'deal-1',
        pipelineId: 'sales',
        type: 'deal',
        title: 'Deal 1',
        stage: 'new',
        responsible: null,
        revision: 0,
        updatedAt: at(START + 1000),
      })
      expect((await get('/api/elements?pipeline=&stage=&limit=&offset=')).body.items).toEqual(all.body.items)
      const page = await get('/api/elements?pipeline=sales&limit=2&offset=1')
      expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 1 })
      expect(page.body.items.map((e: { id: string }) => e.id)).toEqual(['deal-2', 'deal-1'])
      await post('/api/elements/deal-2/move', { stage: 'offer' })
      const offer = await get('/api/elements?pipeline=sales&stage=offer')
      expect(offer.body.items.map((e: { id: string }) => e.id)).toEqual(['deal-2'])
      expect(offer.body.total).toBe(1)
    })

    it('checks the list query', async () => {
      expectError(await get('/api/elements?limit=201'), 400, 'bad-request', '/limit')
      expectError(await get('/api/elements?limit=0'), 400, 'bad-request', '/limit')
      expectError(await get('/api/elements?limit=ten'), 400, 'bad-request', '/limit')
      expectError(await get('/api/elements?offset=-1'), 400, 'bad-request', '/offset')
      expectError(await get('/api/elements?pipline=sales'), 400, 'bad-request', '/pipline')
    })

    it('creates an element; GET shows it, its title also in its fields', async () => {
      await db
        .insertInto('contacts')
        .values({
          id: 'c-1',
          name: 'Ann',
          email: 'ann@client.test',
          phone: '',
          company_id: null,
          data: '{}',
          created_at: at(START),
        })
        .execute()
      const created = await post('/api/elements', {
        id: 'deal-9',
        pipelineId: 'sales',
        type: 'deal',
        title: 'Big deal',
        stage: 'offer',
        fields: { 'client.email': 'ann@client.test', amount: 1200 },
        responsible: 'u-anna',
        contactId: 'c-1',
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      expect(created.headers.get('location')).toBe('/api/elements/deal-9')
      expect(created.body).toMatchObject({
        id: 'deal-9',
        pipelineId: 'sales',
        type: 'deal',
        title: 'Big deal',
        stage: 'offer',
        fields: { title: 'Big deal', responsible: 'u-anna', 'client.email': 'ann@client.test', amount: 1200 },
        responsible: 'u-anna',
        contactId: 'c-1',
        companyId: null,
        flowVersionId: null,
        revision: 0,
        rules: [],
      })
      expect((await get('/api/elements/deal-9')).body).toEqual(created.body)
      expect((await get('/api/elements')).body.items[0].id).toBe('deal-9')
      // Standing in "offer" does not run its rules; a move does.
      expect((await get('/api/outbox')).body.items).toEqual([])

      const unnamed = await post('/api/elements', { pipelineId: 'sales', type: 'deal', title: 'No id' })
      expect(unnamed.status).toBe(201)
      expect(unnamed.body.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(unnamed.body.stage).toBeNull()
    })

    it('refuses a new element that does not fit, naming the offending part', async () => {
      const good = { pipelineId: 'sales', type: 'deal', title: 'Deal' }
      const create = (body: unknown) => post('/api/elements', body)
      expectError(await create({ ...good, colour: 'red' }), 400, 'bad-request', '/colour')
      expectError(await create({ pipelineId: 'sales', type: 'deal' }), 400, 'bad-request', '/title')
      expectError(await create({ ...good, title: 5 }), 400, 'bad-request', '/title')
      expectError(await create({ ...good, title: '' }), 400, 'bad-request', '/title')
      expectError(await create({ ...good, type: 'spaceship' }), 400, 'bad-request', '/type')
      expectError(await create({ ...good, id: 'deal 10/x' }), 400, 'bad-request', '/id')
      expectError(
        await create({ ...good, fields: { 'client email': 'x' } }),
        400,
        'bad-request',
        '/fields/client email',
      )
      expectError(await create({ ...good, fields: [] }), 400, 'bad-request', '/fields')
      expectError(
        await post('/api/elements', undefined, {
          raw: '{"pipelineId":"sales","type":"deal","title":"D","fields":{"__proto__":{"polluted":true}}}',
        }),
        400,
        'bad-request',
        '/fields/__proto__',
      )
      expectError(
        await post('/api/elements', undefined, {
          raw: '{"pipelineId":"sales","type":"deal","title":"D","constructor":{}}',
        }),
        400,
        'bad-request',
        '/constructor',
      )
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expectError(await create({ ...good, pipelineId: 'nope' }), 422, 'invalid', '/pipelineId')
      expectError(await create({ ...good, type: 'lead' }), 422, 'invalid', '/type')
      expectError(await create({ ...good, stage: 'nowhere' }), 422, 'invalid', '/stage')
      expectError(await create({ ...good, contactId: 'c-404' }), 422, 'invalid', '/contactId')
      expectError(await create({ ...good, companyId: 'co-404' }), 422, 'invalid', '/companyId')
      expectError(await create({ ...good, fields: { stage: 'won' } }), 422, 'invalid', '/fields/stage')
      expectError(await create({ ...good, id: 'deal-1' }), 409, 'conflict', '/id')
      expect((await get('/api/elements?pipeline=sales')).body.total).toBe(3)
    })

    it('answers 404 for an unknown element on every element route', async () => {
      expectError(await get('/api/elements/deal-404'), 404, 'not-found')
      expectError(await post('/api/elements/deal-404/move', { stage: 'offer' }), 404, 'not-found')
      expectError(await patch('/api/elements/deal-404/fields', { fields: { amount: 1 } }), 404, 'not-found')
      expectError(await post('/api/elements/deal-404/events', { type: 'signedByClient' }), 404, 'not-found')
      expectError(await get('/api/elements/deal-404/history'), 404, 'not-found')
    })
  })

  describe('moving an element', () => {
    it('moves it: GET shows the new stage and its rules, the history has stage.entered, the outbox the email', async () => {
      const moved = await post('/api/elements/deal-1/move', { stage: 'offer' })
      expect(moved.status).toBe(200)
      expect(moved.body).toMatchObject({ id: 'deal-1', stage: 'offer', flowVersionId: 'sales-flow@1', revision: 1 })
      expect(moved.body.rules).toEqual([
        { id: 'offer-mail', type: 'sendEmail', title: 'offer-mail', state: 'running', at: at(START) },
        {
          id: 'reminder',
          type: 'sendEmail',
          title: 'reminder',
          state: 'scheduled',
          dueAt: at(START + 120_000),
          at: at(START),
          reason: 'after 2 minutes',
        },
      ])
      expect((await get('/api/elements/deal-1')).body).toEqual(moved.body)

      const history = (await get('/api/elements/deal-1/history')).body.items
      const entered = history.find((h: { type: string }) => h.type === 'stage.entered')
      expect(entered).toMatchObject({
        at: at(START),
        record: { type: 'stage.entered', stage: 'offer', from: 'new', by: { kind: 'api' } },
      })
      expect(history.map((h: { seq: number }) => h.seq)).toEqual(history.map((_: unknown, i: number) => i + 1))

      const outbox = (await get('/api/outbox')).body.items
      expect(outbox).toEqual([
        {
          id: expect.any(Number),
          kind: 'email',
          status: 'pending',
          attempts: 0,
          lastError: null,
          nextAttemptAt: at(START),
          elementId: 'deal-1',
          createdAt: at(START),
        },
      ])

      // Two minutes later the reminder runs.
      now += 120_000
      await runtime.runDueJobs()
      const later = await get('/api/elements/deal-1')
      expect(later.body.rules.map((r: { state: string }) => r.state)).toEqual(['running', 'running'])
      expect((await get('/api/outbox')).body.items).toHaveLength(2)
    })

    it('refuses an unknown stage with 422 at /stage, and bad bodies with 400 at their path', async () => {
      expectError(await post('/api/elements/deal-1/move', { stage: 'nowhere' }), 422, 'invalid', '/stage')
      expectError(await post('/api/elements/deal-1/move', { stage: 5 }), 400, 'bad-request', '/stage')
      expectError(await post('/api/elements/deal-1/move', {}), 400, 'bad-request', '/stage')
      expectError(await post('/api/elements/deal-1/move', { stage: 'offer', by: 'me' }), 400, 'bad-request', '/by')
      expectError(await post('/api/elements/deal-1/move', 'offer'), 400, 'bad-request', '')
      const malformed = await post('/api/elements/deal-1/move', undefined, { raw: "{'stage': 'offer'}" })
      expectError(malformed, 400, 'not-json')
      expect(malformed.body.error).toMatchObject({ line: 1, column: 2 })
      expectError(await post('/api/elements/deal-1/move', undefined, { raw: '' }), 400, 'not-json')
      expectError(
        await post('/api/elements/deal-1/move', undefined, {
          raw: JSON.stringify({ stage: 'x'.repeat(MAX_BODY_BYTES_SMALL) }),
        }),
        413,
        'payload-too-large',
      )
      const announced = 'x'.repeat(MAX_BODY_BYTES_SMALL + 1)
      expectError(
        await post('/api/elements/deal-1/move', undefined, {
          raw: announced,
          headers: { 'content-type': 'application/json', 'content-length': String(announced.length) },
        }),
        413,
        'payload-too-large',
      )
      expectError(
        await post('/api/elements/deal-1/move', undefined, { raw: '{"stage":"offer"}', headers: {} }),
        415,
        'unsupported-media-type',
      )
      const row = await db
        .selectFrom('elements')
        .select(['stage', 'revision'])
        .where('id', '=', 'deal-1')
        .executeTakeFirst()
      expect(row).toEqual({ stage: 'new', revision: 0 })
    })

    it('answers 409 when the pipeline has no published flow', async () => {
      expectError(await post('/api/elements/lead-1/move', { stage: 'fresh' }), 409, 'conflict')
    })

    it('answers 405 with Allow for a wrong method', async () => {
      const res = await app.request('/api/elements/deal-1/move')
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('POST')
    })
  })

  describe('changing fields', () => {
    it('changes each field in order, one history record each', async () => {
      const changed = await patch('/api/elements/deal-1/fields', {
        fields: { amount: 1000, 'custom.note': 'call back', 'client.name': 'Anna' },
      })
      expect(changed.status, JSON.stringify(changed.body)).toBe(200)
      expect(changed.body.fields).toMatchObject({ amount: 1000, 'custom.note': 'call back', 'client.name': 'Anna' })
      expect(changed.body.revision).toBe(1) // one request, one transaction
      const history = (await get('/api/elements/deal-1/history')).body.items
      expect(
        history
          .filter((h: { type: string }) => h.type === 'field.changed')
          .map((h: { record: { field: string } }) => h.record.field),
      ).toEqual(['amount', 'custom.note', 'client.name'])
      expect(history[0].record).toMatchObject({ before: null, after: 1000, by: { kind: 'api' } })
    })

    it('refuses system fields, bad paths and bad bodies', async () => {
      expectError(
        await patch('/api/elements/deal-1/fields', { fields: { amount: 1, stage: 'won' } }),
        422,
        'invalid',
        '/fields/stage',
      )
      expectError(
        await patch('/api/elements/deal-1/fields', { fields: { createdAt: 'now' } }),
        422,
        'invalid',
        '/fields/createdAt',
      )
      expectError(await patch('/api/elements/deal-1/fields', { fields: {} }), 400, 'bad-request', '/fields')
      expectError(
        await patch('/api/elements/deal-1/fields', { fields: { 'a b': 1 } }),
        400,
        'bad-request',
        '/fields/a b',
      )
      expectError(
        await patch('/api/elements/deal-1/fields', { fields: { 'a/b': 1 } }),
        400,
        'bad-request',
        '/fields/a~1b',
      )
      expectError(await patch('/api/elements/deal-1/fields', { amount: 1 }), 400, 'bad-request', '/amount')
      expectError(
        await patch('/api/elements/deal-1/fields', { fields: { x: 1 }, note: 'n' }),
        400,
        'bad-request',
        '/note',
      )
      expectError(
        await patch('/api/elements/deal-1/fields', undefined, {
          raw: '{"fields":{"custom.x":{"a":[{"__proto__":{"p":1}}]}}}',
        }),
        400,
        'bad-request',
        '/fields/custom.x/a/0/__proto__',
      )
      const deep = `{"fields":{"x":${'['.repeat(100)}${']'.repeat(100)}}}`
      expectError(await patch('/api/elements/deal-1/fields', undefined, { raw: deep }), 400, 'bad-request')
      expect((await get('/api/elements/deal-1')).body.revision).toBe(0)
    })
  })

  describe('events', () => {
    it('fires an event: the client signs and the deal moves to Won', async () => {
      await post('/api/elements/deal-1/move', { stage: 'offer' })
      const signed = await post('/api/elements/deal-1/events', { type: 'signedByClient', documentType: 'contract' })
      expect(signed.status).toBe(200)
      expect(signed.body.stage).toBe('won')
      const types = (await get('/api/elements/deal-1/history')).body.items.map((h: { type: string }) => h.type)
      expect(types).toContain('event.received')
      expect(types.lastIndexOf('stage.entered')).toBeGreaterThan(types.indexOf('event.received'))
    })

    it('refuses events the API does not fire and bad bodies', async () => {
      expectError(await post('/api/elements/deal-1/events', { type: 'webhook' }), 400, 'bad-request', '/type')
      expectError(await post('/api/elements/deal-1/events', { type: 'signed' }), 400, 'bad-request', '/type')
      expectError(await post('/api/elements/deal-1/events', {}), 400, 'bad-request', '/type')
      expectError(
        await post('/api/elements/deal-1/events', { type: 'signedByClient', documentType: 'poem' }),
        400,
        'bad-request',
        '/documentType',
      )
      expectError(
        await post('/api/elements/deal-1/events', { type: 'signedByClient', trigger: 't' }),
        400,
        'bad-request',
        '/trigger',
      )
    })
  })

  describe('history', () => {
    it('pages with after and limit', async () => {
      await post('/api/elements/deal-1/move', { stage: 'offer' })
      const all = (await get('/api/elements/deal-1/history')).body.items
      expect(all.length).toBeGreaterThan(3)
      const page = (await get('/api/elements/deal-1/history?after=1&limit=2')).body.items
      expect(page.map((h: { seq: number }) => h.seq)).toEqual([2, 3])
      expect(page).toEqual(all.slice(1, 3))
      expectError(await get('/api/elements/deal-1/history?limit=1001'), 400, 'bad-request', '/limit')
      expectError(await get('/api/elements/deal-1/history?after=x'), 400, 'bad-request', '/after')
    })
  })

  describe('what the runtime produced', () => {
    it('lists the outbox newest first', async () => {
      await post('/api/elements/deal-1/move', { stage: 'offer' })
      now += 1000
      await post('/api/elements/deal-2/move', { stage: 'offer' })
      const items = (await get('/api/outbox')).body.items
      expect(items.map((o: { elementId: string }) => o.elementId)).toEqual(['deal-2', 'deal-1'])
      expect(items[0].nextAttemptAt).toBe(at(START + 1000))
      expect((await get('/api/outbox?limit=1')).body.items).toHaveLength(1)
      expectError(await get('/api/outbox?limit=500'), 400, 'bad-request', '/limit')
    })

    it('lists the messages the catcher received, newest first', async () => {
      const message = (to: string, subject: string | null, channel: 'email' | 'sms', received: number) =>
        ({
          channel,
          to_address: to,
          subject,
          body: `Hello ${to}`,
          raw: null,
          received_at: at(received),
        }) as NewRow<'messages'>
      await db
        .insertInto('messages')
        .values({
          ...message('a@client.test', 'Our offer', 'email', START),
          raw: JSON.stringify({
            attachments: [{ filename: 'offer.pdf', contentType: 'application/pdf', size: 12, sha256: 'ab12' }],
          }),
        })
        .execute()
      await db
        .insertInto('messages')
        .values(message('+100', null, 'sms', START + 1000))
        .execute()
      const items = (await get('/api/messages')).body.items
      expect(items).toEqual([
        {
          id: expect.any(Number),
          channel: 'sms',
          to: '+100',
          subject: null,
          body: 'Hello +100',
          attachments: [],
          receivedAt: at(START + 1000),
        },
        {
          id: expect.any(Number),
          channel: 'email',
          to: 'a@client.test',
          subject: 'Our offer',
          body: 'Hello a@client.test',
          attachments: [{ filename: 'offer.pdf', contentType: 'application/pdf', size: 12, sha256: 'ab12' }],
          receivedAt: at(START),
        },
      ])
      expect((await get('/api/messages?limit=1')).body.items).toHaveLength(1)
      expectError(await get('/api/messages?channel=sms'), 400, 'bad-request', '/channel')
    })

    it('lists notifications, for one user', async () => {
      await db
        .insertInto('users')
        .values([
          { id: 'u-anna', name: 'Anna', email: 'anna@co.test', role: 'manager', created_at: at(START) },
          { id: 'u-ben', name: 'Ben', email: 'ben@co.test', role: 'manager', created_at: at(START) },
        ])
        .execute()
      await db
        .insertInto('notifications')
        .values([
          { user_id: 'u-anna', element_id: 'deal-1', text: 'Deal 1 signed', created_at: at(START) },
          { user_id: 'u-ben', element_id: null, text: 'Welcome', created_at: at(START + 1000) },
        ])
        .execute()
      expect((await get('/api/notifications')).body.items.map((n: { text: string }) => n.text)).toEqual([
        'Welcome',
        'Deal 1 signed',
      ])
      expect((await get('/api/notifications?user=u-anna')).body.items).toEqual([
        {
          id: expect.any(Number),
          userId: 'u-anna',
          elementId: 'deal-1',
          text: 'Deal 1 signed',
          createdAt: at(START),
          readAt: null,
        },
      ])
      expectError(await get('/api/notifications?user=u-anna&user=u-ben'), 400, 'bad-request', '/user')
    })

    it('lists tasks, for one element', async () => {
      const task = (id: string, element: string, created: number) => ({
        id,
        element_id: element,
        title: `Call about ${element}`,
        description: null,
        responsible: 'u-anna',
        deadline: null,
        checklist: JSON.stringify(['dial', 'talk']),
        done_at: null,
        created_at: at(created),
      })
      await db
        .insertInto('tasks')
        .values([task('t-1', 'deal-1', START), task('t-2', 'deal-2', START + 1)])
        .execute()
      expect((await get('/api/tasks')).body.items.map((t: { id: string }) => t.id)).toEqual(['t-2', 't-1'])
      expect((await get('/api/tasks?element=deal-1')).body.items).toEqual([
        {
          id: 't-1',
          elementId: 'deal-1',
          title: 'Call about deal-1',
          description: null,
          responsible: 'u-anna',
          deadline: null,
          checklist: ['dial', 'talk'],
          doneAt: null,
          createdAt: at(START),
        },
      ])
      expectError(await get('/api/tasks?element=deal-1&limit=0'), 400, 'bad-request', '/limit')
    })
  })

  describe('constants', () => {
    /** The sales graph whose offer mail is signed by a constant, with a numeric and a multiple one. */
    function withConstants(): Graph {
      const g = salesGraph()
      g.constants = [
        { id: 'director', name: 'Director', type: 'text', value: 'Anna Kowalska', description: 'Signs offers' },
        { id: 'discount', name: 'Discount', type: 'number', value: 5 },
        { id: 'cc', name: 'Copies to', type: 'text', multiple: true, value: ['a@x.test'] },
      ]
      const offer = g.pipeline.stages[1]?.rules[0] as RuleNode & { settings: { subject: unknown } }
      offer.settings.subject = { kind: 'template', parts: ['Offer from ', { kind: 'constant', id: 'director' }] }
      return g
    }
    const subjects = async () =>
      (await db.selectFrom('outbox').select('request').orderBy('id').execute()).map(
        (r) => (JSON.parse(r.request) as { subject?: string }).subject,
      )

    it('lists the published constants; a value changed by hand is what rules read next, without publishing', async () => {
      expect((await post('/api/flows/sales-flow/versions', { graph: withConstants() })).status).toBe(201)
      const listed = await get('/api/flows/sales-flow/constants')
      expect(listed.status).toBe(200)
      expect(listed.body.items[0]).toEqual({
        id: 'director',
        name: 'Director',
        type: 'text',
        multiple: false,
        description: 'Signs offers',
        value: 'Anna Kowalska',
        publishedValue: 'Anna Kowalska',
        changedAt: null,
        changedBy: null,
      })
      await post('/api/elements/deal-1/move', { stage: 'offer' })
      now += 1000
      const changed = await put('/api/flows/sales-flow/constants/director', { value: 'Zofia Nowak' })
      expect(changed.status).toBe(200)
      expect(changed.body).toMatchObject({
        value: 'Zofia Nowak',
        publishedValue: 'Anna Kowalska',
        changedAt: at(now),
        changedBy: 'api',
      })
      await post('/api/elements/deal-2/move', { stage: 'offer' })
      expect(await subjects()).toEqual(['Offer from Anna Kowalska', 'Offer from Zofia Nowak'])
      expect((await get('/api/flows/sales-flow/versions')).body.items).toHaveLength(2)
      const audit = (await get('/api/audit?action=constant.changed')).body.items
      expect(audit).toEqual([
        expect.objectContaining({
          target: 'flow:sales-flow',
          detail: { constant: 'director', before: 'Anna Kowalska', after: 'Zofia Nowak' },
        }),
      ])
    })

    it('refuses a value of another type or multiplicity with its path, and unknown constants; nothing changes', async () => {
      expect((await get('/api/flows/sales-flow/constants')).body.items).toEqual([])
      expectError(await put('/api/flows/sales-flow/constants/director', { value: 'x' }), 404, 'not-found')
      await post('/api/flows/sales-flow/versions', { graph: withConstants() })
      expectError(await put('/api/flows/sales-flow/constants/discount', { value: 'five' }), 422, 'invalid', '/value')
      expectError(
        await put('/api/flows/sales-flow/constants/director', { value: ['a', 'b'] }),
        422,
        'invalid',
        '/value',
      )
      expectError(await put('/api/flows/sales-flow/constants/cc', { value: ['ok@x.test', { a: 1 }] }), 422, 'invalid')
      // One value for a multiple constant is a list of one.
      expect((await put('/api/flows/sales-flow/constants/cc', { value: 'one@x.test' })).body.value).toEqual([
        'one@x.test',
      ])
      expectError(await get('/api/flows/nowhere/constants'), 404, 'not-found')
      expectError(
        await put('/api/flows/sales-flow/constants/director', { value: 'x', extra: 1 }),
        400,
        'bad-request',
        '/extra',
      )
      expectError(await put('/api/flows/sales-flow/constants/nobody', { value: 'x' }), 404, 'not-found')
      expectError(await put('/api/flows/nowhere/constants/director', { value: 'x' }), 404, 'not-found')
      expect((await put('/api/flows/sales-flow/constants/cc', { value: ['b@x.test', 'c@x.test'] })).status).toBe(200)
      expect((await put('/api/flows/sales-flow/constants/discount', { value: 7.5 })).status).toBe(200)
      const values = (await get('/api/flows/sales-flow/constants')).body.items.map((k: { value: unknown }) => k.value)
      expect(values).toEqual(['Anna Kowalska', 7.5, ['b@x.test', 'c@x.test']])
      expect((await get('/api/audit?action=constant.changed')).body.items).toHaveLength(3)
    })
  })

  describe('the audit log', () => {
    it("records each change with who, what and the caller, in the change's transaction; newest first", async () => {
      const before = (await get('/api/audit')).body.items.length
      expect((await post('/api/elements/deal-1/move', { stage: 'offer' })).status).toBe(200)
      expect(
        (await patch('/api/elements/deal-1/fields', { fields: { amount: 7000, 'custom.note': 'x' } })).status,
      ).toBe(200)
      expect(
        (
          await send(
            app,
            'POST',
            '/api/elements/deal-1/events',
            { type: 'signedByClient' },
            {
              headers: { 'content-type': 'application/json', 'user-agent': 'integration-test/1.0' },
            },
          )
        ).status,
      ).toBe(200)
      const { status, body } = await get('/api/audit?target=element:deal-1')
      expect(status).toBe(200)
      expect(body.items.map((r: { action: string }) => r.action)).toEqual([
        'element.event',
        'element.fieldsChanged',
        'element.moved',
      ])
      const [event, fields, moved] = body.items
      expect(moved).toMatchObject({ actor: 'api', target: 'element:deal-1', detail: { stage: 'offer' } })
      expect(fields.detail).toEqual({ fields: ['amount', 'custom.note'] })
      expect(event.detail).toEqual({ event: 'signedByClient', userAgent: 'integration-test/1.0' })
      expect(event.id).toBeGreaterThan(fields.id)
      expect((await get('/api/audit')).body.items.length).toBe(before + 3)
    })

    it('records publishing, rollback and drafts on the flow; a refused change writes nothing', async () => {
      expect((await put('/api/flows/sales-flow/draft', salesGraphV2())).status).toBe(200)
      expect((await post('/api/flows/sales-flow/versions', {})).status).toBe(201)
      expect((await post('/api/flows/sales-flow/rollback', { number: 1 })).status).toBe(201)
      const items = (await get('/api/audit?target=flow:sales-flow')).body.items
      expect(items.map((r: { action: string; detail: unknown }) => [r.action, r.detail])).toEqual([
        ['flow.published', { version: 3, hash: expect.any(String), note: 'Rollback to version 1', rolledBackTo: 1 }],
        ['flow.published', { version: 2, hash: expect.any(String) }],
        ['flow.draftSaved', {}],
      ])
      // Publishing the same content again makes no version and no row.
      expect((await post('/api/flows/sales-flow/rollback', { number: 1 })).status).toBe(200)
      const total = (await get('/api/audit?limit=200')).body.items.length
      expectError(await post('/api/elements/deal-1/move', { stage: 'nowhere' }), 422, 'invalid', '/stage')
      expectError(await post('/api/elements', { pipelineId: 'none', type: 'deal', title: 'x' }), 422, 'invalid')
      expect((await get('/api/audit?limit=200')).body.items.length).toBe(total)
      expect(await db.selectFrom('audit_log').select('id').where('target', '=', 'element:deal-1').execute()).toEqual([])
    })

    it("exports one element's trail, oldest first, with the chain's head, and says when a row was edited", async () => {
      await post('/api/elements/deal-1/move', { stage: 'offer' })
      await post('/api/elements/deal-2/move', { stage: 'offer' })
      await post('/api/elements/deal-1/events', { type: 'signedByClient' })
      const trail = await get('/api/elements/deal-1/audit')
      expect(trail.status).toBe(200)
      expect(trail.body).toMatchObject({ target: 'element:deal-1', rowsIntact: true })
      expect(trail.body.items.map((r: { action: string }) => r.action)).toEqual(['element.moved', 'element.event'])
      const [first, second] = trail.body.items
      expect(second.seq).toBe(first.seq + 2) // deal-2's move stands between them in the chain
      expect(trail.body.head.seq).toBe(second.seq)
      expect(trail.body.head.hash).toBe(second.hash)
      await db.updateTable('audit_log').set({ actor: 'someone-else' }).where('seq', '=', first.seq).execute()
      expect((await get('/api/elements/deal-1/audit')).body.rowsIntact).toBe(false)
      expectError(await get('/api/elements/nope/audit'), 404, 'not-found')
    })

    it("prints one element's trail as a PDF that real readers open, its text searchable", async () => {
      await patch('/api/elements/deal-1/fields', { fields: { title: 'Umowa: Zażółć gęślą jaźń — İğdır Şirketi' } })
      await send(
        app,
        'POST',
        '/api/elements/deal-1/move',
        { stage: 'offer' },
        {
          headers: { 'content-type': 'application/json', 'user-agent': 'Straße-Client/1.0' },
        },
      )
      const res = await app.request('/api/elements/deal-1/audit.pdf')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/pdf')
      answered.add('GET /api/elements/{id}/audit.pdf 200')
      const folder = mkdtempSync(join(tmpdir(), 'signflow-trail-'))
      try {
        const file = join(folder, 'trail.pdf')
        writeFileSync(file, new Uint8Array(await res.arrayBuffer()))
        execFileSync('qpdf', ['--check', file], { stdio: 'pipe' })
        const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
        expect(text).toContain('Audit trail')
        expect(text).toContain('Umowa: Zażółć gęślą jaźń — İğdır Şirketi')
        expect(text).toContain('element.fieldsChanged')
        expect(text).toContain('element.moved')
        expect(text).toContain('Straße-Client/1.0')
        const trail = (await get('/api/elements/deal-1/audit')).body
        for (const row of trail.items) expect(text.replace(/\s+/g, '')).toContain(row.hash)
        expect(text).toContain(`row ${trail.head.seq}`)
        expect(text.replace(/\s+/g, ' ')).toContain('Every row below still gives its hash.')
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
      expectError(await get('/api/elements/nope/audit.pdf'), 404, 'not-found')
    })

    it('filters by actor and by a kind of action, and pages with "before"', async () => {
      for (const stage of ['offer', 'won', 'new']) await post('/api/elements/deal-2/move', { stage })
      expect(
        (await post('/api/elements', { id: 'deal-9', pipelineId: 'sales', type: 'deal', title: 'Nine' })).status,
      ).toBe(201)
      const elements = (await get('/api/audit?action=element.')).body.items
      expect(elements.map((r: { action: string }) => r.action)).toEqual([
        'element.created',
        'element.moved',
        'element.moved',
        'element.moved',
      ])
      const moved = (await get('/api/audit?action=element.moved&limit=2')).body.items
      expect(moved.map((r: { detail: { stage: string } }) => r.detail.stage)).toEqual(['new', 'won'])
      const next = (await get(`/api/audit?action=element.moved&limit=2&before=${moved[1].id}`)).body.items
      expect(next.map((r: { detail: { stage: string } }) => r.detail.stage)).toEqual(['offer'])
      expect((await get('/api/audit?actor=someone-else')).body.items).toEqual([])
      expectError(await get('/api/audit?action=element%25'), 400, 'bad-request', '/action')
      expectError(await get('/api/audit?before=0'), 400, 'bad-request', '/before')
    })
  })

  describe('failures', () => {
    it('answers a broken row with 500 "internal", without details', async () => {
      await db.updateTable('elements').set({ fields: '{not json' }).where('id', '=', 'deal-3').execute()
      const spy = console.error
      const logged: unknown[] = []
      console.error = (...args: unknown[]) => logged.push(args)
      try {
        const res = await app.request('/api/elements/deal-3')
        expect(res.status).toBe(500)
        const body = (await res.json()) as { error: { code: string; message: string } }
        expect(body).toEqual({ error: { code: 'internal', message: expect.any(String) } })
        expect(body.error.message).not.toMatch(/JSON|position|at /)
        expect(logged).toHaveLength(1)
      } finally {
        console.error = spy
      }
    })
  })
})

describe("every runtime operation but the webhooks (webhooks.test.ts), the directory and files (directory.test.ts), the simulator's (simulator.test.ts)", () => {
  it('was answered above with success and with a refusal', () => {
    // The webhooks' and the directory's operations are checked by their own suites.
    const ops = Object.entries(OPERATIONS).filter(
      ([id]) =>
        !WEBHOOK_OPERATIONS.includes(id as OperationId) &&
        !(id in DIRECTORY_OPERATIONS) &&
        !(id in FILE_OPERATIONS) &&
        !(id in SUBSCRIPTION_OPERATIONS) &&
        !(id in AUTH_OPERATIONS) &&
        !(id in DOCUMENT_OPERATIONS) &&
        !(id in SIGNING_OPERATIONS) &&
        !(id in VERIFY_OPERATIONS) &&
        !(id in SEALING_OPERATIONS) &&
        !(id in SIMULATOR_OPERATIONS) &&
        // retrying a failed rule needs a rule that fails for real: automation.test.ts
        id !== 'retryRule' &&
        !(id in WORKSPACE_OPERATIONS),
    )
    expectEachAnswered(ops.map(([, op]) => op))
  })
})
