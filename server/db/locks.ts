import type { Transaction } from 'kysely'
import { dialectOf } from './dialect.js'
import type { Database, ElementRow } from './schema.js'

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
  const query = trx.selectFrom('elements').selectAll().where('id', '=', id)
  return (dialectOf(trx) === 'postgres' ? query.forUpdate() : query).executeTakeFirst()
}
