import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RuleNode } from '../../shared/graph/graph.js'
import { dialectOf } from '../db/dialect.js'
import { addFile } from '../db/files.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { SigningError } from '../documents/signing.js'
import { type Catcher, startCatcher } from './catcher.js'
import { createDelivery } from './delivery.js'
import { isPermanent, OutboxWorker, PermanentDeliveryError } from './outbox.js'
import { Runtime, RuntimeError } from './runtime.js'
import { graph, START, seed } from './test-fixtures.js'

const history = (db: Kysely<Database>, id: string) =>
  db.selectFrom('history').selectAll().where('element_id', '=', id).orderBy('seq').execute()

describeEachDatabase('the runtime', (getDb) => {
  let db: Kysely<Database>
  let now = START
  let catcher: Catcher
  let runtime: Runtime
  let outbox: OutboxWorker
  let failNext = 0
  let refuse = false

  beforeAll(async () => {
    db = getDb()
    catcher = await startCatcher(db)
  })
  afterAll(async () => {
    await catcher.close()
  })
  beforeEach(async () => {
    for (const table of [
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
    failNext = 0
    refuse = false
    runtime = new Runtime({ db, now: () => now })
    const deliver = createDelivery({ db, smtpUrl: catcher.url, from: 'sales@signflow.test', now: () => now })
    outbox = new OutboxWorker({
      db,
      runtime,
      worker: 'w1',
      now: () => now,
      deliver: async (request, effect, element) => {
        if (failNext > 0) {
          failNext--
          throw new Error('SMTP is down (connection refused)')
        }
        if (refuse) throw new PermanentDeliveryError('The address "nobody@" is not one an email can go to.')
        return deliver(request, effect, element)
      },
    })
    await seed(db, 3)
    await runtime.publish('sales-flow', graph, 'u-anna')
  })

  it('publishes numbered versions with a content hash, and the same content once', async () => {
    const again = await runtime.publish('sales-flow', graph, 'u-anna')
    expect(again.number).toBe(1)
    const changed = { ...graph, flow: { ...graph.flow, name: 'Sales, v2' } }
    const second = await runtime.publish('sales-flow', changed, 'u-anna')
    expect(second.number).toBe(2)
    expect(second.hash).not.toBe(again.hash)
    await expect(
      runtime.publish('sales-flow', { ...graph, pipeline: { ...graph.pipeline, stages: [] } }, 'u'),
    ).rejects.toThrow(RuntimeError)
  })

  it('moves a deal, sends the email through real SMTP, and keeps the history', async () => {
    await runtime.moveElement('deal-1', 'offer', { kind: 'user', id: 'u-anna' })
    const row = await db.selectFrom('elements').selectAll().where('id', '=', 'deal-1').executeTakeFirstOrThrow()
    expect(row.stage).toBe('offer')
    expect(row.flow_version_id).toBe('sales-flow@1')
    const queued = await db.selectFrom('outbox').selectAll().execute()
    expect(queued.map((q) => q.kind)).toEqual(['email'])
    expect(await db.selectFrom('messages').selectAll().execute()).toEqual([]) // not before the worker

    expect(await outbox.runOnce()).toBe(1)
    const messages = await db.selectFrom('messages').selectAll().execute()
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({
      channel: 'email',
      to_address: 'buyer1@client.test',
      subject: 'Our offer: Big deal 1',
    })
    expect(messages[0]?.body).toContain('Dear Łucja Żak.')
    const types = (await history(db, 'deal-1')).map((h) => h.type)
    expect(types).toContain('stage.entered')
    expect(types.slice(-2)).toEqual(['effect.finished', 'rule.finished'])
    const seqs = (await history(db, 'deal-1')).map((h) => h.seq)
    expect(seqs).toEqual(seqs.map((_, i) => i + 1))
  })

  it('sends the attachments a rule names through real SMTP, byte for byte; an unknown one fails the email', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% Zażółć gęślą jaźń\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'utf8')
    const file = await addFile(db, {
      owner: 'upload',
      kind: 'file',
      name: 'Cennik 2026.pdf',
      contentType: 'application/pdf',
      bytes: pdf,
      at: new Date(START).toISOString(),
    })
    const withAttachment = structuredClone(graph)
    const offer = (withAttachment.pipeline.stages[1] as (typeof graph.pipeline.stages)[number]).rules[0] as RuleNode & {
      settings: { attachments: unknown[] }
    }
    offer.settings.attachments = [{ kind: 'literal', value: file.id }]
    await runtime.publish('sales-flow', withAttachment, 'u-anna')
    await runtime.moveElement('deal-1', 'offer', { kind: 'user', id: 'u-anna' })
    expect(await outbox.runOnce()).toBe(1)
    const [message] = await db.selectFrom('messages').selectAll().execute()
    expect(JSON.parse(message?.raw ?? '{}').attachments).toEqual([
      {
        filename: 'Cennik 2026.pdf',
        contentType: 'application/pdf',
        size: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
      },
    ])

    offer.settings.attachments = [{ kind: 'literal', value: 'no-such-file' }]
    await runtime.publish('sales-flow', withAttachment, 'u-anna')
    await runtime.moveElement('deal-2', 'offer', { kind: 'user', id: 'u-anna' })
    expect(await outbox.runOnce()).toBe(1)
    const failed = await db
      .selectFrom('outbox')
      .selectAll()
      .where('element_id', '=', 'deal-2')
      .executeTakeFirstOrThrow()
    expect(failed.last_error).toMatch(/attachment "no-such-file" is not a stored file/)
    expect(await db.selectFrom('messages').selectAll().execute()).toHaveLength(1)
  })

  it('escapes values from data in an HTML email, and keeps them as typed in a text one', async () => {
    const xss = '<img src=x onerror=alert(1)>'
    await db
      .updateTable('elements')
      .set({ fields: JSON.stringify({ title: xss, 'client.email': 'buyer@client.test', 'client.name': xss }) })
      .where('id', '=', 'deal-1')
      .execute()
    const html = structuredClone(graph)
    const offer = (html.pipeline.stages[1] as (typeof graph.pipeline.stages)[number]).rules[0] as RuleNode & {
      settings: Record<string, unknown>
    }
    offer.settings.format = 'html'
    offer.settings.body = {
      kind: 'template',
      parts: ['<p>Dear <b>', { kind: 'field', path: 'client.name' }, '</b></p>'],
    }
    await runtime.publish('sales-flow', html, 'u-anna')
    await runtime.moveElement('deal-1', 'offer', { kind: 'api' })
    const queued = await db.selectFrom('outbox').select('request').executeTakeFirstOrThrow()
    const request = JSON.parse(queued.request) as { subject: string; body: string }
    expect(request.body).toBe('<p>Dear <b>&#60;img src=x onerror=alert(1)&#62;</b></p>')
    expect(request.subject).toBe(`Our offer: ${xss}`) // a subject is text, not HTML
    expect(await outbox.runOnce()).toBe(1)
    const [message] = await db.selectFrom('messages').selectAll().execute()
    // What a mail reader shows: the characters, not an image.
    expect(message?.body).toContain(`Dear ${xss}`)
  })

  it('runs a delayed rule when it falls due, once, and cancels it when the deal moves on', async () => {
    await runtime.moveElement('deal-1', 'offer', { kind: 'user', id: 'u-anna' })
    await runtime.moveElement('deal-2', 'offer', { kind: 'user', id: 'u-anna' })
    expect(await db.selectFrom('due_jobs').select('element_id').orderBy('element_id').execute()).toEqual([
      { element_id: 'deal-1' },
      { element_id: 'deal-2' },
    ])
    await runtime.fireEvent('deal-2', { type: 'signedByClient' })
    expect(
      (await db.selectFrom('elements').select('stage').where('id', '=', 'deal-2').executeTakeFirstOrThrow()).stage,
    ).toBe('won')

    now += 60_000
    expect(await runtime.runDueJobs()).toBe(0)
    now += 60_000
    expect(await runtime.runDueJobs()).toBe(1)
    expect(await runtime.runDueJobs()).toBe(0)
    while ((await outbox.runOnce()) > 0) {}
    const subjects = (await db.selectFrom('messages').select('subject').orderBy('id').execute()).map((m) => m.subject)
    expect(subjects.sort()).toEqual(['Our offer: Big deal 1', 'Our offer: Big deal 2', 'Reminder: Big deal 1'])
    const cancelled = (await history(db, 'deal-2'))
      .filter((h) => h.type === 'rule.cancelled')
      .map((h) => JSON.parse(h.record) as { node: string; reason: string })
    expect(cancelled).toContainEqual({
      type: 'rule.cancelled',
      stage: 'offer',
      node: 'reminder',
      reason: 'the element left "Offer" for "Won"',
    })
  })

  it('retries a failed delivery with growing waits, records each attempt, and sends once', async () => {
    await runtime.moveElement('deal-1', 'offer', { kind: 'user', id: 'u-anna' })
    failNext = 2
    expect(await outbox.runOnce()).toBe(1)
    let row = await db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'SMTP is down (connection refused)' })
    expect(row.next_attempt_at).toBe(now + 1000)
    expect(await outbox.runOnce()).toBe(0) // not yet
    now += 1000
    expect(await outbox.runOnce()).toBe(1)
    row = await db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow()
    expect(row.next_attempt_at).toBe(now + 2000)
    now += 2000
    expect(await outbox.runOnce()).toBe(1)
    row = await db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'done', attempts: 3 })
    const attempts = await db.selectFrom('outbox_attempts').select(['ok', 'error']).orderBy('id').execute()
    expect(attempts.map((a) => Number(a.ok))).toEqual([0, 0, 1])
    expect(await db.selectFrom('messages').selectAll().execute()).toHaveLength(1)
    expect(await outbox.runOnce()).toBe(0)
  })

  it('gives up after the last attempt: the rule fails, and the history says why', async () => {
    await runtime.moveElement('deal-1', 'offer', { kind: 'user', id: 'u-anna' })
    failNext = 100
    for (let i = 0; i < 8; i++) {
      await outbox.runOnce()
      now += 10 * 60_000
    }
    const row = await db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'failed', attempts: 8 })
    const failed = (await history(db, 'deal-1')).find((h) => h.type === 'rule.failed')
    expect(JSON.parse(failed?.record ?? '{}').error).toContain('gave up after 8 attempts')
  })

  it('fails at once, without retrying, when the delivery says no retry can help', async () => {
    await runtime.moveElement('deal-1', 'offer', { kind: 'user', id: 'u-anna' })
    refuse = true
    expect(await outbox.runOnce()).toBe(1)
    const row = await db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'failed', attempts: 1 })
    const failed = (await history(db, 'deal-1')).find((h) => h.type === 'rule.failed')
    expect(JSON.parse(failed?.record ?? '{}').error).toBe('The address "nobody@" is not one an email can go to.')
    expect(isPermanent(new SigningError(422, 'invalid', 'no email'))).toBe(true)
    expect(isPermanent(new SigningError(409, 'conflict', 'sent already'))).toBe(false)
    expect(isPermanent(new Error('SMTP is down'))).toBe(false)
  })

  it('keeps history for the retention period, and numbers on after pruning', async () => {
    await runtime.moveElement('deal-1', 'offer', { kind: 'user', id: 'u-anna' })
    const early = (await history(db, 'deal-1')).length
    now += 31 * 86_400_000
    await runtime.fireEvent('deal-1', { type: 'signedByClient' })
    const all = await history(db, 'deal-1')
    expect(await runtime.pruneHistory(30)).toBe(early)
    const kept = await history(db, 'deal-1')
    expect(kept.map((h) => h.seq)).toEqual(all.slice(early).map((h) => h.seq))
    expect(kept[0]?.type).toBe('event.received')
    await runtime.changeField('deal-1', 'amount', 1, { kind: 'api' })
    const after = await history(db, 'deal-1')
    expect(after.at(-1)?.seq).toBe((all.at(-1)?.seq ?? 0) + 1)
  })

  it('writes nothing when an input fails', async () => {
    const before = await db.selectFrom('elements').selectAll().where('id', '=', 'deal-1').executeTakeFirstOrThrow()
    await expect(runtime.moveElement('deal-1', 'nowhere', { kind: 'user', id: 'u' })).rejects.toThrow(
      'no stage "nowhere"',
    )
    await expect(runtime.moveElement('deal-404', 'offer', { kind: 'user', id: 'u' })).rejects.toThrow(
      'no element "deal-404"',
    )
    const after = await db.selectFrom('elements').selectAll().where('id', '=', 'deal-1').executeTakeFirstOrThrow()
    expect(after).toEqual(before)
    expect(await history(db, 'deal-1')).toEqual([])
    expect(await db.selectFrom('outbox').selectAll().execute()).toEqual([])
  })

  it('applies 200 simultaneous changes to one deal one after another, losing none', async () => {
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => runtime.changeField('deal-3', `custom.n${i}`, i, { kind: 'api' })),
    )
    const row = await db.selectFrom('elements').selectAll().where('id', '=', 'deal-3').executeTakeFirstOrThrow()
    expect(row.revision).toBe(200)
    const fields = JSON.parse(row.fields) as Record<string, number>
    expect(Array.from({ length: 200 }, (_, i) => fields[`custom.n${i}`])).toEqual(
      Array.from({ length: 200 }, (_, i) => i),
    )
    const seqs = (await history(db, 'deal-3')).map((h) => h.seq)
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
  }, 60_000)

  it('writes inputs that arrive together in one transaction on SQLite; one that fails fails alone', async () => {
    const before = { ...runtime.counts }
    const inputs = [
      runtime.changeField('deal-1', 'custom.a', 1, { kind: 'api' }),
      runtime.moveElement('deal-2', 'nowhere', { kind: 'api' }),
      runtime.changeField('deal-404', 'custom.a', 1, { kind: 'api' }),
      ...Array.from({ length: 20 }, (_, i) => runtime.changeField('deal-3', `custom.n${i}`, i, { kind: 'api' })),
      runtime.moveElement('deal-1', 'offer', { kind: 'api' }),
    ]
    const settled = await Promise.allSettled(inputs)
    expect(settled.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      ...Array.from({ length: 20 }, () => 'fulfilled'),
      'fulfilled',
    ])
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'invalid', path: '/stage' })
    expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' })
    const rows = await db.selectFrom('elements').selectAll().orderBy('id').execute()
    expect(rows.map((r) => [r.id, r.stage, r.revision])).toEqual([
      ['deal-1', 'offer', 2],
      ['deal-2', 'new', 0],
      ['deal-3', 'new', 20],
    ])
    expect(await history(db, 'deal-2')).toEqual([])
    const used = runtime.counts.transactions - before.transactions
    expect(runtime.counts.inputs - before.inputs).toBe(24)
    if (dialectOf(db) === 'sqlite') expect(used).toBeLessThan(5)
    else expect(used).toBe(24)
  })

  it('takes round-robin turns across processes, and in parallel without giving one turn twice', async () => {
    const robin = structuredClone(graph)
    const offer = robin.pipeline.stages[1] as (typeof robin.pipeline.stages)[number]
    offer.rules = [
      {
        id: 'assign',
        type: 'changeResponsible',
        title: 'Next salesperson',
        execution: 'afterPrevious',
        time: { mode: 'immediately' },
        settings: { assign: { mode: 'roundRobin', users: ['u-a', 'u-b', 'u-c'] } },
      } as (typeof offer.rules)[number],
    ]
    await runtime.publish('sales-flow', robin, 'u-anna')
    for (let i = 4; i <= 9; i++) {
      await db
        .insertInto('elements')
        .values({
          id: `deal-${i}`,
          pipeline_id: 'sales',
          type: 'deal',
          title: `Deal ${i}`,
          stage: 'new',
          fields: '{}',
          responsible: null,
          contact_id: null,
          company_id: null,
          flow_version_id: null,
          state: null,
          created_at: new Date(START).toISOString(),
          updated_at: new Date(START).toISOString(),
        })
        .execute()
    }
    // Two server processes: each its own runtime (and engines) on the same database.
    const other = new Runtime({ db, now: () => now })
    const responsible = async (id: string) =>
      (await db.selectFrom('elements').select('responsible').where('id', '=', id).executeTakeFirstOrThrow()).responsible
    const taken: Array<string | null> = []
    for (const [i, rt] of [runtime, other, runtime, other].entries()) {
      await rt.moveElement(`deal-${i + 1}`, 'offer', { kind: 'api' })
      taken.push(await responsible(`deal-${i + 1}`))
    }
    expect(taken).toEqual(['u-a', 'u-b', 'u-c', 'u-a'])
    // Five at once, through both: five different turns (5, 6, 7, 8, 9 → b, c, a, b, c).
    await Promise.all(
      [5, 6, 7, 8, 9].map((i) => (i % 2 ? runtime : other).moveElement(`deal-${i}`, 'offer', { kind: 'api' })),
    )
    const parallel = await Promise.all([5, 6, 7, 8, 9].map((i) => responsible(`deal-${i}`)))
    expect(parallel.sort()).toEqual(['u-a', 'u-b', 'u-b', 'u-c', 'u-c'])
    const counter = await db.selectFrom('counters').selectAll().execute()
    expect(counter.map((c) => [c.key, Number(c.value)])).toEqual([['turn:sales-flow:assign', 9]])
  })
})

describe('graph hashes', () => {
  it('do not depend on key order', async () => {
    const { graphHash } = await import('./runtime.js')
    expect(graphHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(graphHash({ b: [1, { d: 3, c: 2 }], a: 1 }))
  })
})
