// Sign-in (better-auth, see server/auth/auth.ts): the columns it keeps on our `users` and its own `auth_*`
// tables, written out here as better-auth 1.7.5 would create them for our configuration (its types: dates are
// `timestamptz` on PostgreSQL, `date` on SQLite; booleans `boolean` / `integer`). A test checks that
// better-auth finds nothing to add after this migration.
// Written against an untyped `Kysely`, as every migration is.
import { type ColumnDataType, type Kysely, sql } from 'kysely'
import { dialectOf } from '../dialect.js'

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = dialectOf(db) === 'postgres'
  const date: ColumnDataType = pg ? 'timestamptz' : 'date'
  const bool: ColumnDataType = pg ? 'boolean' : 'integer'
  const no = pg ? sql`false` : sql`0`
  const now = pg ? sql`CURRENT_TIMESTAMP` : undefined

  await db.schema
    .alterTable('users')
    .addColumn('email_verified', bool, (col) => col.defaultTo(no).notNull())
    .execute()
  await db.schema.alterTable('users').addColumn('image', 'text').execute()
  await db.schema
    .alterTable('users')
    .addColumn('banned', bool, (col) => col.defaultTo(no))
    .execute()
  await db.schema.alterTable('users').addColumn('ban_reason', 'text').execute()
  await db.schema.alterTable('users').addColumn('ban_expires', date).execute()

  await db.schema
    .createTable('auth_session')
    .addColumn('id', 'text', (col) => col.notNull().primaryKey())
    .addColumn('expires_at', date, (col) => col.notNull())
    .addColumn('token', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', date, (col) => (now ? col.defaultTo(now).notNull() : col.notNull()))
    .addColumn('updated_at', date, (col) => col.notNull())
    .addColumn('ip_address', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('impersonated_by', 'text')
    .execute()
  await db.schema
    .createTable('auth_account')
    .addColumn('id', 'text', (col) => col.notNull().primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull())
    .addColumn('provider_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('access_token', 'text')
    .addColumn('refresh_token', 'text')
    .addColumn('id_token', 'text')
    .addColumn('access_token_expires_at', date)
    .addColumn('refresh_token_expires_at', date)
    .addColumn('scope', 'text')
    .addColumn('password', 'text')
    .addColumn('created_at', date, (col) => (now ? col.defaultTo(now).notNull() : col.notNull()))
    .addColumn('updated_at', date, (col) => col.notNull())
    .execute()
  await db.schema
    .createTable('auth_verification')
    .addColumn('id', 'text', (col) => col.notNull().primaryKey())
    .addColumn('identifier', 'text', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('expires_at', date, (col) => col.notNull())
    .addColumn('created_at', date, (col) => (now ? col.defaultTo(now).notNull() : col.notNull()))
    .addColumn('updated_at', date, (col) => (now ? col.defaultTo(now).notNull() : col.notNull()))
    .execute()
  await db.schema
    .createTable('auth_apikey')
    .addColumn('id', 'text', (col) => col.notNull().primaryKey())
    .addColumn('config_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('start', 'text')
    .addColumn('reference_id', 'text', (col) => col.notNull())
    .addColumn('prefix', 'text')
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('refill_interval', 'integer')
    .addColumn('refill_amount', 'integer')
    .addColumn('last_refill_at', date)
    .addColumn('enabled', bool)
    .addColumn('rate_limit_enabled', bool)
    .addColumn('rate_limit_time_window', 'integer')
    .addColumn('rate_limit_max', 'integer')
    .addColumn('request_count', 'integer')
    .addColumn('remaining', 'integer')
    .addColumn('last_request', date)
    .addColumn('expires_at', date)
    .addColumn('created_at', date, (col) => col.notNull())
    .addColumn('updated_at', date, (col) => col.notNull())
    .addColumn('permissions', 'text')
    .addColumn('metadata', 'text')
    .execute()
  await db.schema
    .createTable('auth_rate_limit')
    .addColumn('id', 'text', (col) => col.notNull().primaryKey())
    .addColumn('key', 'text', (col) => col.notNull().unique())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addColumn('last_request', 'bigint', (col) => col.notNull())
    .execute()
  await db.schema.createIndex('auth_session_user_id_idx').on('auth_session').column('user_id').execute()
  await db.schema.createIndex('auth_account_user_id_idx').on('auth_account').column('user_id').execute()
  await db.schema.createIndex('auth_verification_identifier_idx').on('auth_verification').column('identifier').execute()
  await db.schema.createIndex('auth_apikey_config_id_idx').on('auth_apikey').column('config_id').execute()
  await db.schema.createIndex('auth_apikey_reference_id_idx').on('auth_apikey').column('reference_id').execute()
  await db.schema.createIndex('auth_apikey_key_idx').on('auth_apikey').column('key').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['auth_rate_limit', 'auth_apikey', 'auth_verification', 'auth_account', 'auth_session']) {
    await db.schema.dropTable(table).execute()
  }
  for (const column of ['ban_expires', 'ban_reason', 'banned', 'image', 'email_verified']) {
    await db.schema.alterTable('users').dropColumn(column).execute()
  }
}
