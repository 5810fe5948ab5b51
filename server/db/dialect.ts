import { type Kysely, PostgresAdapter, SqliteAdapter } from 'kysely'

/** The two databases the server runs on. */
export type DialectName = 'sqlite' | 'postgres'

/**
 * Which database `db` (a `Kysely` instance or a transaction) talks to, for the few places that must
 * differ: autoincrement columns in migrations and row locks. Reads the adapter through `getExecutor()`,
 * which Kysely marks internal; the tests run on both databases and would catch a change.
 */
export function dialectOf<DB>(db: Kysely<DB>): DialectName {
  const adapter = db.getExecutor().adapter
  if (adapter instanceof SqliteAdapter) return 'sqlite'
  if (adapter instanceof PostgresAdapter) return 'postgres'
  throw new Error(`unsupported database adapter ${adapter.constructor.name}; Signflow runs on SQLite or PostgreSQL`)
}
