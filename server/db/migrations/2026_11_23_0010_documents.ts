// Documents and e-signature:
// - `document_templates`: uploaded PDF templates (`file_id`, a `files` row) with the fields placed on their
//   pages (`fields`, JSON); the built-in templates live in code.
// - `documents`: one generated document of an element — its type, number (per-type sequence in `counters`),
//   the values it was made from (`data`, JSON), the generated PDF (`original_file_id`, its SHA-256), later the
//   signed and sealed PDF; its public link is kept only as the SHA-256 of its token, with expiry and revocation.
//   `effect_id` (unique) makes generation idempotent: a rule's effect delivered twice makes one document.
// - `signing_parties` and `document_events`: who signs, by which personal link (token hash), and what
//   happened to each of them (sent, viewed, consented, signed, declined, …) with time, address and device.
// Written against an untyped `Kysely`, as every migration is.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('document_templates')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('locale', 'text', (col) => col.notNull())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('tax_rate', 'real', (col) => col.notNull())
    .addColumn('file_id', 'text', (col) => col.notNull())
    .addColumn('fields', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute()

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('element_id', 'text', (col) => col.notNull())
    .addColumn('effect_id', 'text', (col) => col.unique())
    .addColumn('template_id', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('number', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('original_file_id', 'text', (col) => col.notNull())
    .addColumn('original_sha256', 'text', (col) => col.notNull())
    .addColumn('signed_file_id', 'text')
    .addColumn('signed_sha256', 'text')
    .addColumn('public_token_hash', 'text', (col) => col.unique())
    .addColumn('public_expires_at', 'text')
    .addColumn('public_revoked_at', 'text')
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute()
  await db.schema.createIndex('documents_element_idx').on('documents').columns(['element_id', 'created_at']).execute()
  await db.schema
    .createIndex('documents_type_number_idx')
    .on('documents')
    .columns(['type', 'number'])
    .unique()
    .execute()

  await db.schema
    .createTable('signing_parties')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('document_id', 'text', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('phone', 'text', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute()
  await db.schema.createIndex('signing_parties_document_idx').on('signing_parties').columns(['document_id']).execute()

  await db.schema
    .createTable('document_events')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('document_id', 'text', (col) => col.notNull())
    .addColumn('party_id', 'text')
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('channel', 'text')
    .addColumn('detail', 'text', (col) => col.notNull())
    .execute()
  await db.schema
    .createIndex('document_events_document_idx')
    .on('document_events')
    .columns(['document_id', 'at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('document_events').execute()
  await db.schema.dropTable('signing_parties').execute()
  await db.schema.dropTable('documents').execute()
  await db.schema.dropTable('document_templates').execute()
}
