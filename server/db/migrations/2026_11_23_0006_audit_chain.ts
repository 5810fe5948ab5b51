// The audit log becomes a hash chain: each row gets a number (`seq`, 1, 2, …), the hash of the row before
// (`prev_hash`; 64 zeros before the first) and its own hash over its content and that link (`hash`).
// `audit_head` holds the newest seq and hash: every append locks it, so appends take turns, and a deleted tail
// shows. Rows already there are chained here, in id order.
// Written against an untyped `Kysely`, as every migration is; the hash is written out here (frozen), and
// `server/db/audit.ts` must compute the same.
import { createHash } from 'node:crypto'
import { type Kysely, sql } from 'kysely'

const GENESIS = '0'.repeat(64)

function rowHash(
  seq: number,
  at: string,
  actor: string,
  action: string,
  target: string,
  detail: string,
  prev: string,
): string {
  return createHash('sha256')
    .update(JSON.stringify([seq, at, actor, action, target, detail, prev]))
    .digest('hex')
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('seq', 'bigint').execute()
  await db.schema.alterTable('audit_log').addColumn('prev_hash', 'text').execute()
  await db.schema.alterTable('audit_log').addColumn('hash', 'text').execute()
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('seq', 'bigint', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .execute()
  let seq = 0
  let prev = GENESIS
  const rows = await sql<{
    id: number
    at: string
    actor: string
    action: string
    target: string
    detail: string
  }>`select id, at, actor, action, target, detail from audit_log order by id`.execute(db)
  for (const row of rows.rows) {
    seq += 1
    const hash = rowHash(seq, row.at, row.actor, row.action, row.target, row.detail, prev)
    await sql`update audit_log set seq = ${seq}, prev_hash = ${prev}, hash = ${hash} where id = ${row.id}`.execute(db)
    prev = hash
  }
  await sql`insert into audit_head (id, seq, hash) values (1, ${seq}, ${prev})`.execute(db)
  await db.schema.createIndex('audit_log_seq').on('audit_log').column('seq').unique().execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_log_seq').execute()
  await db.schema.dropTable('audit_head').execute()
  await db.schema.alterTable('audit_log').dropColumn('hash').execute()
  await db.schema.alterTable('audit_log').dropColumn('prev_hash').execute()
  await db.schema.alterTable('audit_log').dropColumn('seq').execute()
}
