import { type Kysely, Migrator, sql } from 'kysely'
import { expect, it } from 'vitest'
import { writeAudit } from './audit.js'
import { migrateToLatest } from './database.js'
import { dialectOf } from './dialect.js'
import { lockElement } from './locks.js'
import { migrationProvider, migrations } from './migrations/index.js'
import type { Database } from './schema.js'
import { describeEachDatabase, withTestDatabase } from './test-support.js'

const AT = '2026-11-23T10:00:00.000Z'
const TABLES = [
  'users',
  'my_companies',
  'companies',
  'contacts',
  'pipelines',
  'flows',
  'flow_versions',
  'elements',
  'due_jobs',
  'outbox',
  'outbox_attempts',
  'history',
  'messages',
  'notifications',
  'tasks',
  'audit_log',
  'webhook_secrets',
  'flow_scenarios',
]

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function tableNames(db: Kysely<any>): Promise<string[]> {
  return (await db.introspection.getTables()).map((table) => table.name)
}

/** A pipeline and one element in it, both called `id`. */
async function seedElement(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .insertInto('pipelines')
    .values({ id, name: 'Deals', element_type: 'deal', stages: '[]', created_at: AT })
    .execute()
  await db
    .insertInto('elements')
    .values({ id, pipeline_id: id, type: 'deal', title: id, fields: '{}', created_at: AT, updated_at: AT })
    .execute()
}

function outboxRow(elementId: string, effectId: string) {
  return {
    effect_id: effectId,
    element_id: elementId,
    kind: 'sendEmail',
    request: '{}',
    next_attempt_at: Date.parse(AT),
    created_at: AT,
    updated_at: AT,
  }
}

describeEachDatabase('database layer', (getDb, dialect) => {
  it('migrates an empty database, does nothing the second time, and takes the last migration down', async () => {
    await withTestDatabase(
      dialect,
      async ({ db }) => {
        expect(dialectOf(db)).toBe(dialect)
        const first = await migrateToLatest(db)
        expect(first.map((r) => [r.migrationName, r.direction, r.status])).toEqual(
          Object.keys(migrations).map((name) => [name, 'Up', 'Success']),
        )
        expect(await tableNames(db)).toEqual(expect.arrayContaining(TABLES))
        expect(await migrateToLatest(db)).toEqual([])

        const last = Object.keys(migrations).sort().at(-1)
        const down = await new Migrator({ db, provider: migrationProvider }).migrateDown()
        expect(down.error).toBeUndefined()
        expect(down.results).toEqual([{ migrationName: last, direction: 'Down', status: 'Success' }])
        if (Object.keys(migrations).length === 1) {
          expect((await tableNames(db)).filter((name) => TABLES.includes(name))).toEqual([])
        }
        expect((await migrateToLatest(db)).map((r) => r.migrationName)).toEqual([last])
      },
      { migrate: false },
    )
  })

  it('names the migration that failed', async () => {
    await withTestDatabase(
      dialect,
      async ({ db }) => {
        await db.schema.createTable('users').addColumn('id', 'text').execute()
        await expect(migrateToLatest(db)).rejects.toThrow(
          /^database migration "2026_11_23_0001_initial" failed: .*users/,
        )
      },
      { migrate: false },
    )
  })

  it('round-trips JSON text with non-ASCII letters', async () => {
    const db = getDb()
    const text = 'Łódź, Straße, İstanbul, ç'
    const data = { address: { legal: text }, tags: [text, '日本', '🙂'], nested: { empty: {}, n: 1.5, no: null } }
    await db
      .insertInto('companies')
      .values({ id: 'c-json', name: text, template: 'organization', data: JSON.stringify(data), created_at: AT })
      .execute()
    const row = await db.selectFrom('companies').selectAll().where('id', '=', 'c-json').executeTakeFirstOrThrow()
    expect(row.name).toBe(text)
    expect(JSON.parse(row.data)).toEqual(data)
    const byName = await db.selectFrom('companies').select('id').where('name', '=', text).execute()
    expect(byName).toEqual([{ id: 'c-json' }])
  })

  it('returns BIGINT millisecond columns, counts and new ids as JS numbers', async () => {
    const db = getDb()
    await seedElement(db, 'e-ms')
    const now = Date.parse('2026-11-23T10:00:00.123Z')
    const farFuture = Date.parse('9999-12-31T23:59:59.999Z') // well above 2^31
    const { id } = await db
      .insertInto('due_jobs')
      .values({ element_id: 'e-ms', due_at: farFuture, job: '{}', claimed_until: now, created_at: AT })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(typeof id).toBe('number')
    await db.insertInto('due_jobs').values({ element_id: 'e-ms', due_at: now, job: '{}', created_at: AT }).execute()

    const rows = await db
      .selectFrom('due_jobs')
      .selectAll()
      .where('element_id', '=', 'e-ms')
      .orderBy('due_at')
      .execute()
    expect(rows.map((r) => r.due_at)).toEqual([now, farFuture])
    expect(rows.map((r) => typeof r.due_at)).toEqual(['number', 'number'])
    expect(rows[1]?.claimed_until).toBe(now)
    const due = await db
      .selectFrom('due_jobs')
      .select('id')
      .where('due_at', '<=', now + 1)
      .execute()
    expect(due.length).toBe(1)

    const { count } = await db
      .selectFrom('due_jobs')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('element_id', '=', 'e-ms')
      .executeTakeFirstOrThrow()
    expect(count).toBe(2)
  })

  it('leaves nothing written when a transaction throws', async () => {
    const db = getDb()
    const attempt = db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({ id: 'u-rollback', name: 'Ann', email: 'ann@example.test', role: 'admin', created_at: AT })
        .execute()
      await writeAudit(trx, { id: 'u-rollback' }, { action: 'user.created', target: 'user:u-rollback' }, AT)
      throw new Error('boom')
    })
    await expect(attempt).rejects.toThrow('boom')
    expect(await db.selectFrom('users').selectAll().where('id', '=', 'u-rollback').execute()).toEqual([])
    expect(await db.selectFrom('audit_log').selectAll().where('actor', '=', 'u-rollback').execute()).toEqual([])
  })

  it('rejects a second outbox row with the same effect_id, and "on conflict do nothing" skips it', async () => {
    const db = getDb()
    await seedElement(db, 'e-effect')
    await db.insertInto('outbox').values(outboxRow('e-effect', 'effect-1')).execute()
    await expect(db.insertInto('outbox').values(outboxRow('e-effect', 'effect-1')).execute()).rejects.toThrow(/unique/i)
    const skipped = await db
      .insertInto('outbox')
      .values(outboxRow('e-effect', 'effect-1'))
      .onConflict((oc) => oc.column('effect_id').doNothing())
      .returning('id')
      .execute()
    expect(skipped).toEqual([])
    const rows = await db.selectFrom('outbox').selectAll().where('effect_id', '=', 'effect-1').execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: Date.parse(AT) })
  })

  it('enforces foreign keys (SQLite: foreign_keys = ON, with WAL and a busy timeout)', async () => {
    const db = getDb()
    if (dialect === 'sqlite') {
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)
      expect(await pragma('journal_mode')).toEqual(['wal'])
      expect(await pragma('foreign_keys')).toEqual([1])
      expect(await pragma('busy_timeout')).toEqual([5000])
    }
    const orphan = db
      .insertInto('due_jobs')
      .values({ element_id: 'no-such-element', due_at: 1, job: '{}', created_at: AT })
      .execute()
    await expect(orphan).rejects.toThrow(/foreign key/i)
  })

  it('increments elements.revision 50 times from concurrent transactions, locking with lockElement', async () => {
    const db = getDb()
    await seedElement(db, 'e-rev')
    const increment = () =>
      db.transaction().execute(async (trx) => {
        const row = await lockElement(trx, 'e-rev')
        if (!row) throw new Error('element missing')
        await sleep(1) // give other transactions every chance to interleave
        await trx
          .updateTable('elements')
          .set({ revision: row.revision + 1 })
          .where('id', '=', 'e-rev')
          .execute()
      })
    await Promise.all(Array.from({ length: 50 }, increment))
    const { revision } = await db
      .selectFrom('elements')
      .select('revision')
      .where('id', '=', 'e-rev')
      .executeTakeFirstOrThrow()
    expect(revision).toBe(50)
    await db.transaction().execute(async (trx) => expect(await lockElement(trx, 'missing')).toBeUndefined())
  })

  it(
    dialect === 'sqlite'
      ? 'runs SQLite transactions one at a time (why lockElement need not lock there)'
      : 'interleaves PostgreSQL transactions, losing updates without lockElement (why it locks there)',
    async () => {
      const db = getDb()
      const events: string[] = []
      const tx = (name: string, ms: number) =>
        db.transaction().execute(async (trx) => {
          events.push(`${name}:begin`)
          await trx.selectFrom('elements').select('id').execute()
          await sleep(ms)
          events.push(`${name}:end`)
        })
      await Promise.all([tx('a', 100), tx('b', 0)])
      if (dialect === 'sqlite') {
        expect(events).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end'])
        return
      }
      expect(events.indexOf('b:end')).toBeLessThan(events.indexOf('a:end'))

      // The same read-modify-write as above without the lock: concurrent readers see the same revision.
      await seedElement(db, 'e-unlocked')
      const unlockedIncrement = () =>
        db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom('elements')
            .select('revision')
            .where('id', '=', 'e-unlocked')
            .executeTakeFirstOrThrow()
          await sleep(5)
          await trx
            .updateTable('elements')
            .set({ revision: row.revision + 1 })
            .where('id', '=', 'e-unlocked')
            .execute()
        })
      await Promise.all(Array.from({ length: 20 }, unlockedIncrement))
      const { revision } = await db
        .selectFrom('elements')
        .select('revision')
        .where('id', '=', 'e-unlocked')
        .executeTakeFirstOrThrow()
      expect(revision).toBeLessThan(20)
    },
  )
})
