// Outgoing webhooks: integrators subscribe a URL to event types; each delivery goes through the outbox
// (kind "webhook", effect id "wh:<subscription>:<uuid>") and is signed with the subscription's secret, which
// is kept as is because signing needs it (it is shown once, when made).
// Written against an untyped `Kysely`, as every migration is.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('events', 'text', (col) => col.notNull())
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('active', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_subscriptions').execute()
}
