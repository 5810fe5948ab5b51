// Signing links: a signer may hold several personal links (the invitation's, and one minted for each later
// message a rule sends with "the client's signing link" in it), each a random token kept only as its SHA-256.
// The links made before this table are carried over from `signing_parties.token_hash`.
// Written against an untyped `Kysely`, as every migration is.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signing_links')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('party_id', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute()
  await db.schema.createIndex('signing_links_party_idx').on('signing_links').columns(['party_id']).execute()
  await sql`insert into signing_links (token_hash, party_id, created_at) select token_hash, id, created_at from signing_parties`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('signing_links').execute()
}
