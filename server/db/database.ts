import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import SQLite from 'better-sqlite3'
import {
  Kysely,
  type MigrationResult,
  Migrator,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  sql,
} from 'kysely'
import pg from 'pg'
import type { DialectName } from './dialect.js'
import { migrationProvider } from './migrations/index.js'
import type { Database } from './schema.js'

export type { DialectName } from './dialect.js'
export { dialectOf } from './dialect.js'

/** Where the SQLite database lives when neither a URL nor a file is given (relative to the working folder). */
export const DEFAULT_SQLITE_FILE = 'data/signflow.sqlite'

export interface OpenDatabaseOptions {
  /** `postgres://…` or `postgresql://…` for PostgreSQL; `file:…` or a plain path for SQLite. */
  url?: string
  /** A SQLite file, used when `url` is not given; `:memory:` for a database that lives in memory. */
  file?: string
}

export interface OpenDatabase {
  db: Kysely<Database>
  dialect: DialectName
  /** Closes the connection (SQLite) or ends the pool (PostgreSQL); calling it again does nothing. */
  close(): Promise<void>
}

// PostgreSQL returns int8 (BIGINT, and `count(*)`) as text because it may exceed 2^53. Our BIGINT columns hold
// millisecond timestamps, which are far below that, so read them as numbers and refuse anything inexact.
pg.types.setTypeParser(pg.types.builtins.INT8, (text: string) => {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} does not fit a JS number exactly`)
  return value
})

/**
 * Opens the server's database: PostgreSQL for a `postgres://` URL (a `pg` pool, checked with one query so a
 * wrong address fails here), otherwise SQLite through better-sqlite3 (the folder is created; WAL journal,
 * foreign keys on, 5 s busy timeout). Does not migrate: call {@link migrateToLatest}. The caller decides the
 * URL (e.g. from `DATABASE_URL`); with neither `url` nor `file` the file is {@link DEFAULT_SQLITE_FILE}.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
  const { url } = options
  if (url && /^postgres(ql)?:\/\//i.test(url)) return openPostgres(url)
  if (url && /^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('file:')) {
    throw new Error(`unsupported database URL ${redact(url)}: use postgres://… or a SQLite file path`)
  }
  return openSqlite(url ? sqlitePath(url) : (options.file ?? DEFAULT_SQLITE_FILE))
}

/**
 * Applies every migration not yet applied, in order, and returns what ran (empty when the database was up to
 * date). Throws an error naming the failed migration; on PostgreSQL the failed run leaves nothing behind.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationResult[]> {
  const { error, results = [] } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest()
  if (error) {
    const failed = results.find((result) => result.status === 'Error')
    const what = failed ? `migration "${failed.migrationName}"` : 'migrating'
    throw new Error(`database ${what} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    })
  }
  return results
}

function openSqlite(file: string): OpenDatabase {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true })
  const sqlite = new SQLite(file)
  try {
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('busy_timeout = 5000')
  } catch (error) {
    sqlite.close()
    throw new Error(`cannot open SQLite database ${file}: ${(error as Error).message}`, { cause: error })
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
  return { db, dialect: 'sqlite', close: once(() => db.destroy()) }
}

/** Statements kept per SQL text; past this many distinct texts the cache starts over. */
const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely's SQLite driver prepares every query anew; preparing is most of a small query's cost.
 * better-sqlite3 statements can be run again and again, and the driver runs one query at a
 * time on its one connection, so one prepared statement per SQL text is safe to reuse.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      let statement = statements.get(text)
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear()
        statement = sqlite.prepare(text)
        statements.set(text, statement)
      }
      return statement
    },
  }
}

async function openPostgres(url: string): Promise<OpenDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  // Without a listener, an idle connection that breaks (server restart) would crash the process.
  pool.on('error', (error) => console.error(`signflow: idle PostgreSQL connection failed: ${error.message}`))
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  try {
    await sql`select 1`.execute(db)
  } catch (error) {
    await db.destroy()
    throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`, { cause: error })
  }
  return { db, dialect: 'postgres', close: once(() => db.destroy()) }
}

/** `file:///abs/x.db` → `/abs/x.db`; `file:x.db` and `file:./x.db` → relative paths; anything else as is. */
function sqlitePath(url: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url)
  return url.startsWith('file:') ? url.slice('file:'.length) : url
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(unparsable URL)'
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined
  return () => {
    done ??= fn()
    return done
  }
}
