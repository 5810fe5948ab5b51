// Messages the demo catcher and the demo SMS outbox keep get the effect's idempotency key, unique,
// so a message delivered twice (a worker died after sending, before recording it) is kept once.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('effect_id', 'text').execute()
  await db.schema.createIndex('messages_effect_id').unique().on('messages').column('effect_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('messages_effect_id').execute()
  await db.schema.alterTable('messages').dropColumn('effect_id').execute()
}
