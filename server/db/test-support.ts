// Runs database tests on SQLite and, when it can reach one, PostgreSQL. Each test file gets fresh databases:
// SQLite in a temporary file, PostgreSQL as a new database `signflow_t_<random>` created through the admin URL
// `TEST_DATABASE_URL` and dropped afterwards.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe } from 'vitest'
import { migrateToLatest, type OpenDatabase, openDatabase, redact } from './database.js'
import type { DialectName } from './dialect.js'
import type { Database } from './schema.js'

/** The admin connection used when `TEST_DATABASE_URL` is not set (what `.ci/run` creates). */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://signflow:signflow@127.0.0.1:5432/signflow'

const HOW_TO_ENABLE =
  'start it with `pg_ctlcluster 15 main start` and create the role and database as .ci/run does ' +
  '(role signflow, password signflow, LOGIN CREATEDB; database signflow), or set TEST_DATABASE_URL ' +
  'to a postgres:// URL whose role may CREATE DATABASE'

let probed: Promise<DialectName[]> | undefined

/**
 * The databases to run a suite on: always `sqlite`, plus `postgres` when the admin URL answers. When it does
 * not: throws if `CI` is set (CI must test both), otherwise prints one warning line and returns `['sqlite']`.
 * Asked once per test file.
 */
export function databasesUnderTest(): Promise<DialectName[]> {
  probed ??= probePostgres()
  return probed
}

/**
 * Opens a fresh database of the given dialect for tests, migrated unless `migrate: false`. Its `close()` also
 * removes it: deletes the SQLite folder, or terminates the PostgreSQL database's connections and drops it.
 */
/** A test database, and where another process finds it (a SQLite file path or a `postgres://` URL). */
export type TestDatabase = OpenDatabase & { target: string }

export async function openTestDatabase(
  dialect: DialectName,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const handle = dialect === 'sqlite' ? await openSqliteForTest() : await openPostgresForTest()
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(handle.db)
    } catch (error) {
      await handle.close()
      throw error
    }
  }
  return handle
}

/** Runs `fn` on a fresh test database (see {@link openTestDatabase}) and removes the database afterwards. */
export async function withTestDatabase<T>(
  dialect: DialectName,
  fn: (handle: OpenDatabase) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const handle = await openTestDatabase(dialect, options)
  try {
    return await fn(handle)
  } finally {
    await handle.close()
  }
}

/**
 * Declares the suite `name` once per database from {@link databasesUnderTest}, as `name > sqlite` and
 * `name > postgres`. Each gets one fresh migrated database for the whole file, opened before the suite's own
 * `beforeAll` hooks and removed after its `afterAll` hooks. `getDb()` works inside tests and hooks only.
 */
export function describeEachDatabase(
  name: string,
  fn: (getDb: () => Kysely<Database>, dialect: DialectName, getTarget: () => string) => void,
): void {
  describe(name, async () => {
    for (const dialect of await databasesUnderTest()) {
      describe(dialect, () => {
        let handle: TestDatabase | undefined
        beforeAll(async () => {
          handle = await openTestDatabase(dialect)
        }, 60_000)
        afterAll(async () => {
          await handle?.close()
        }, 60_000)
        const get = () => {
          if (!handle) throw new Error('getDb() is available inside tests and hooks, not while declaring them')
          return handle
        }
        fn(
          () => get().db,
          dialect,
          () => get().target,
        )
      })
    }
  })
}

function adminUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL
}

function isCi(): boolean {
  const ci = process.env.CI?.trim().toLowerCase()
  return !!ci && ci !== 'false' && ci !== '0'
}

async function probePostgres(): Promise<DialectName[]> {
  const url = adminUrl()
  try {
    await withAdmin((client) => client.query('select 1'))
    return ['sqlite', 'postgres']
  } catch (error) {
    const problem = `PostgreSQL at ${redact(url)} is not available (${(error as Error).message})`
    if (isCi()) throw new Error(`${problem}; CI runs the database tests on it. To fix: ${HOW_TO_ENABLE}.`)
    console.warn(
      `WARNING: ${problem}: database tests ran on SQLite only, the PostgreSQL half was skipped. To enable it: ${HOW_TO_ENABLE}.`,
    )
    return ['sqlite']
  }
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3000 })
  client.on('error', () => {}) // a broken connection also rejects the pending query, which reports it
  try {
    await client.connect()
    return await fn(client)
  } finally {
    await client.end().catch(() => {})
  }
}

async function openSqliteForTest(): Promise<TestDatabase> {
  const folder = mkdtempSync(join(tmpdir(), 'signflow-db-test-'))
  const file = join(folder, 'test.sqlite')
  const handle = await openDatabase({ file })
  return {
    ...handle,
    target: file,
    close: async () => {
      await handle.close()
      rmSync(folder, { recursive: true, force: true })
    },
  }
}

async function openPostgresForTest(): Promise<TestDatabase> {
  const name = `signflow_t_${randomBytes(6).toString('hex')}` // letters, digits, underscore: safe unquoted
  try {
    await withAdmin((client) => client.query(`create database ${name}`))
  } catch (error) {
    const message = (error as Error).message
    throw new Error(`cannot create test database ${name} via ${redact(adminUrl())}: ${message} (needs CREATEDB)`, {
      cause: error,
    })
  }
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  let handle: OpenDatabase
  try {
    handle = await openDatabase({ url: url.toString() })
  } catch (error) {
    await dropDatabase(name)
    throw error
  }
  return {
    ...handle,
    target: url.toString(),
    close: async () => {
      await handle.close()
      await dropDatabase(name)
    },
  }
}

async function dropDatabase(name: string): Promise<void> {
  await withAdmin(async (client) => {
    // Our own leftover connections only: an autovacuum worker (a superuser's process, which we may not
    // terminate) can be busy in the database at that moment, and DROP DATABASE stops it by itself.
    await client.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend' and usename = current_user`,
      [name],
    )
    await client.query(`drop database if exists ${name}`)
  })
}
