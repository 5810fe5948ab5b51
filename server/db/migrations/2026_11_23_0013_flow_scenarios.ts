// Scenarios stored next to a flow: what the designer's dry-run simulator saves (a sample of elements, steps
// and expectations; `body` is the scenario file's JSON, shared/engine/scenario.ts), and what "run all
// scenarios" and `signflow test --server … --flow …` run. One row per scenario, by the flow and its own id.
// Written against an untyped `Kysely`, as every migration is.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_scenarios')
    .addColumn('flow_id', 'text', (col) => col.notNull().references('flows.id').onDelete('cascade'))
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('flow_scenarios_pkey', ['flow_id', 'id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_scenarios').execute()
}
