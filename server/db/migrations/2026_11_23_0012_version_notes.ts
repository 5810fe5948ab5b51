// A published version may carry a note: why it was published ("Publish with a note" in the designer), or
// "Rollback to version N" for a rollback. Older versions have none (null).
// Written against an untyped `Kysely`, as every migration is.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('flow_versions').addColumn('note', 'text').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('flow_versions').dropColumn('note').execute()
}
