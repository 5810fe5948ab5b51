// Frozen: once released, never edit this file; change the schema in a new migration.
// Written against an untyped `Kysely` on purpose: a migration must not depend on today's `Database` types.
import type { ColumnDefinitionBuilder, Kysely } from 'kysely'
import { dialectOf } from '../dialect.js'

type Db = Kysely<unknown>

/** Creates every table of the first release. */
export async function up(db: Db): Promise<void> {
  // The one unavoidable difference: SQLite's autoincrement key vs. PostgreSQL's identity column.
  const autoId =
    dialectOf(db) === 'sqlite'
      ? (col: ColumnDefinitionBuilder) => col.primaryKey().autoIncrement()
      : (col: ColumnDefinitionBuilder) => col.primaryKey().generatedByDefaultAsIdentity()
  const required = (col: ColumnDefinitionBuilder) => col.notNull()

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', required)
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('role', 'text', required)
    .addColumn('created_at', 'text', required)
    .execute()

  await db.schema
    .createTable('my_companies')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', required)
    .addColumn('data', 'text', required)
    .addColumn('created_at', 'text', required)
    .execute()

  await db.schema
    .createTable('companies')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', required)
    .addColumn('template', 'text', required)
    .addColumn('data', 'text', required)
    .addColumn('created_at', 'text', required)
    .execute()

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', required)
    .addColumn('email', 'text', required)
    .addColumn('phone', 'text', required)
    .addColumn('company_id', 'text', (col) => col.references('companies.id').onDelete('set null'))
    .addColumn('data', 'text', required)
    .addColumn('created_at', 'text', required)
    .execute()

  await db.schema
    .createTable('pipelines')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', required)
    .addColumn('element_type', 'text', required)
    .addColumn('stages', 'text', required)
    .addColumn('created_at', 'text', required)
    .execute()

  await db.schema
    .createTable('flows')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('pipeline_id', 'text', (col) => col.notNull().references('pipelines.id'))
    .addColumn('name', 'text', required)
    .addColumn('draft', 'text', required)
    .addColumn('updated_at', 'text', required)
    .addColumn('created_at', 'text', required)
    .execute()

  await db.schema
    .createTable('flow_versions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('flow_id', 'text', (col) => col.notNull().references('flows.id'))
    .addColumn('number', 'integer', required)
    .addColumn('graph', 'text', required)
    .addColumn('hash', 'text', required)
    .addColumn('published_at', 'text', required)
    .addColumn('published_by', 'text', required)
    .addUniqueConstraint('flow_versions_flow_id_number_key', ['flow_id', 'number'])
    .execute()

  await db.schema
    .createTable('elements')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('pipeline_id', 'text', (col) => col.notNull().references('pipelines.id'))
    .addColumn('type', 'text', required)
    .addColumn('title', 'text', required)
    .addColumn('stage', 'text')
    .addColumn('fields', 'text', required)
    .addColumn('responsible', 'text')
    .addColumn('contact_id', 'text', (col) => col.references('contacts.id').onDelete('set null'))
    .addColumn('company_id', 'text', (col) => col.references('companies.id').onDelete('set null'))
    .addColumn('flow_version_id', 'text', (col) => col.references('flow_versions.id'))
    .addColumn('state', 'text')
    .addColumn('revision', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute()
  await db.schema.createIndex('elements_pipeline_id_idx').on('elements').column('pipeline_id').execute()

  await db.schema
    .createTable('due_jobs')
    .addColumn('id', 'integer', autoId)
    .addColumn('element_id', 'text', (col) => col.notNull().references('elements.id').onDelete('cascade'))
    .addColumn('due_at', 'bigint', required)
    .addColumn('job', 'text', required)
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('created_at', 'text', required)
    .execute()
  await db.schema.createIndex('due_jobs_due_at_idx').on('due_jobs').column('due_at').execute()
  await db.schema.createIndex('due_jobs_element_id_idx').on('due_jobs').column('element_id').execute()

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', autoId)
    .addColumn('effect_id', 'text', (col) => col.notNull().unique())
    .addColumn('element_id', 'text', (col) => col.notNull().references('elements.id').onDelete('cascade'))
    .addColumn('kind', 'text', required)
    .addColumn('request', 'text', required)
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', required)
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('result', 'text')
    .addColumn('created_at', 'text', required)
    .addColumn('updated_at', 'text', required)
    .execute()
  await db.schema
    .createIndex('outbox_status_next_attempt_at_idx')
    .on('outbox')
    .columns(['status', 'next_attempt_at'])
    .execute()

  await db.schema
    .createTable('outbox_attempts')
    .addColumn('id', 'integer', autoId)
    .addColumn('outbox_id', 'integer', (col) => col.notNull().references('outbox.id').onDelete('cascade'))
    .addColumn('at', 'text', required)
    .addColumn('ok', 'integer', required)
    .addColumn('error', 'text')
    .execute()
  await db.schema.createIndex('outbox_attempts_outbox_id_idx').on('outbox_attempts').column('outbox_id').execute()

  await db.schema
    .createTable('history')
    .addColumn('element_id', 'text', (col) => col.notNull().references('elements.id').onDelete('cascade'))
    .addColumn('seq', 'integer', required)
    .addColumn('at', 'text', required)
    .addColumn('type', 'text', required)
    .addColumn('record', 'text', required)
    .addPrimaryKeyConstraint('history_pkey', ['element_id', 'seq'])
    .execute()

  await db.schema
    .createTable('messages')
    .addColumn('id', 'integer', autoId)
    .addColumn('channel', 'text', required)
    .addColumn('to_address', 'text', required)
    .addColumn('subject', 'text')
    .addColumn('body', 'text', required)
    .addColumn('raw', 'text')
    .addColumn('received_at', 'text', required)
    .execute()

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', autoId)
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('element_id', 'text', (col) => col.references('elements.id').onDelete('set null'))
    .addColumn('text', 'text', required)
    .addColumn('created_at', 'text', required)
    .addColumn('read_at', 'text')
    .execute()
  await db.schema.createIndex('notifications_user_id_idx').on('notifications').column('user_id').execute()

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('element_id', 'text', (col) => col.notNull().references('elements.id').onDelete('cascade'))
    .addColumn('title', 'text', required)
    .addColumn('description', 'text')
    .addColumn('responsible', 'text', required)
    .addColumn('deadline', 'text')
    .addColumn('checklist', 'text', required)
    .addColumn('done_at', 'text')
    .addColumn('created_at', 'text', required)
    .execute()
  await db.schema.createIndex('tasks_element_id_idx').on('tasks').column('element_id').execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', autoId)
    .addColumn('at', 'text', required)
    .addColumn('actor', 'text', required)
    .addColumn('action', 'text', required)
    .addColumn('target', 'text', required)
    .addColumn('detail', 'text', required)
    .execute()
}

/** Drops every table of the first release, dependents first (their indexes go with them). */
export async function down(db: Db): Promise<void> {
  const tables = [
    'audit_log',
    'tasks',
    'notifications',
    'messages',
    'history',
    'outbox_attempts',
    'outbox',
    'due_jobs',
    'elements',
    'flow_versions',
    'flows',
    'pipelines',
    'contacts',
    'companies',
    'my_companies',
    'users',
  ]
  for (const table of tables) await db.schema.dropTable(table).execute()
}
