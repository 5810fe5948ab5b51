// Secrets of incoming webhooks: one per webhook trigger of a flow. Only a SHA-256 hash of the secret is
// kept (the secret itself is shown once, when created or rotated), with its last 4 characters as a hint.
// Written against an untyped `Kysely` on purpose: a migration must not depend on today's `Database` types.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_secrets')
    .addColumn('flow_id', 'text', (col) => col.notNull().references('flows.id').onDelete('cascade'))
    .addColumn('trigger_id', 'text', (col) => col.notNull())
    .addColumn('secret_hash', 'text', (col) => col.notNull())
    .addColumn('secret_hint', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('rotated_at', 'text')
    .addPrimaryKeyConstraint('webhook_secrets_pkey', ['flow_id', 'trigger_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_secrets').execute()
}
