// State the runtime shares between its processes:
// - `constant_values`: constants changed by hand after publishing: the value a flow's constant has now,
//   instead of the one its published graph declares (SPEC §10: "constants are changed only by hand"). One
//   row per changed constant; no row means the graph's own value.
// - `counters`: named counters, e.g. the next turn of a round-robin "change responsible" rule, so that
//   several processes take turns as one would.
// Written against an untyped `Kysely`, as every migration is.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('constant_values')
    .addColumn('flow_id', 'text', (col) => col.notNull().references('flows.id').onDelete('cascade'))
    .addColumn('constant_id', 'text', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('constant_values_pkey', ['flow_id', 'constant_id'])
    .execute()
  await db.schema
    .createTable('counters')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'bigint', (col) => col.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('counters').execute()
  await db.schema.dropTable('constant_values').execute()
}
