// A password someone else chose (the first admin's printed one, or one an admin gave) must be changed at the
// next sign-in: until then the person may only see who they are and choose their own.
// Written against an untyped `Kysely`, as every migration is.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (col) => col.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('must_change_password').execute()
}
