import type { Transaction } from 'kysely'
import { dialectOf } from './dialect.js'
import type { Database, ElementRow } from './schema.js'
import { QueryShape } from './shapes.js'

/**
 * Reads the element and locks its row until `trx` ends, so a read-modify-write of the element (its state,
 * its revision) cannot interleave with another transaction's. Returns `undefined` when there is no such
 * element.
 *
 * PostgreSQL: `select … for update`. SQLite: a plain read, the lock is a no-op, because Kysely's SQLite
 * driver has a single connection that a transaction holds from `begin` to `commit`, so transactions already
 * run one at a time (db.test.ts checks this). Consequence on SQLite: never use the outer `db` inside a
 * transaction, it would wait for the connection the transaction holds.
 */
export async function lockElement(trx: Transaction<Database>, id: string): Promise<ElementRow | undefined> {
  if (!trx.isTransaction) throw new Error('lockElement needs a transaction: a lock outside one ends at once')
  const dialect = dialectOf(trx)
  const result = await (dialect === 'postgres' ? lockForUpdate : readElement).run<ElementRow>(trx, dialect, id)
  return result.rows[0]
}

/** Compiled once: this runs for every input the runtime handles. */
const readElement = new QueryShape((db, id: string) => db.selectFrom('elements').selectAll().where('id', '=', id))
const lockForUpdate = new QueryShape((db, id: string) =>
  db.selectFrom('elements').selectAll().where('id', '=', id).forUpdate(),
)
