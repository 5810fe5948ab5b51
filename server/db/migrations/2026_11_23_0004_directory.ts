// Frozen: once released, never edit this file; change the schema in a new migration.
// Written against an untyped `Kysely` on purpose: a migration must not depend on today's `Database` types
// (nor on today's code: the text folding below is a copy, kept as it was).
//
// The directory (contacts, companies, my companies, users) as the API serves it:
// - `updated_at` on the four tables (rows made before get their `created_at`);
// - `users.active` (1 or 0; users are deactivated, never deleted) and the roles of the sign-in issue
//   (admin, analyst, sales, readOnly): the first demo's "manager" becomes sales, "signer" analyst, and any other
//   unknown role readOnly, the least one;
// - `search_text` on contacts and companies: their searchable text folded (lower case, no accents), the same in
//   SQLite, whose lower() knows only ASCII, and PostgreSQL;
// - the `data` of the first demo's rows in today's shape (addresses by part, bank details by field);
// - indexes for the references the API checks before a delete;
// - `files`: stored bytes (my companies' stamp and signature images now; attachments and documents later), each
//   owned by a row (`owner` such as "myCompany:<id>") and of a `kind` ("stamp"); BLOB in SQLite, bytea in
//   PostgreSQL, both read back as a Buffer.
import { type Kysely, sql } from 'kysely'
import { dialectOf } from '../dialect.js'

type Db = Kysely<unknown>

function fold(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')
}

function parse(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {}
  } catch {
    return {}
  }
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}

/** `{ legal: "ul. X 1, Warszawa" }` (the first demo) → `{ legal: { street: "ul. X 1, Warszawa" } }`. */
function addressesNow(value: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(asRecord(value)).map(([type, address]) => [
      type,
      typeof address === 'string' ? { street: address } : address,
    ]),
  )
}

export async function up(db: Db): Promise<void> {
  for (const table of ['users', 'my_companies', 'companies', 'contacts']) {
    await db.schema.alterTable(table).addColumn('updated_at', 'text').execute()
    await sql`update ${sql.table(table)} set updated_at = created_at`.execute(db)
  }

  await db.schema
    .alterTable('users')
    .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1))
    .execute()
  await sql`update users set role = 'sales' where role = 'manager'`.execute(db)
  await sql`update users set role = 'analyst' where role = 'signer'`.execute(db)
  await sql`update users set role = 'readOnly' where role not in ('admin', 'analyst', 'sales', 'readOnly')`.execute(db)

  await db.schema.alterTable('contacts').addColumn('search_text', 'text').execute()
  const contacts = await sql<{ id: string; name: string; email: string; phone: string }>`
    select id, name, email, phone from contacts`.execute(db)
  for (const row of contacts.rows) {
    const text = fold([row.name, row.email, row.phone].join(' '))
    await sql`update contacts set search_text = ${text} where id = ${row.id}`.execute(db)
  }

  await db.schema.alterTable('companies').addColumn('search_text', 'text').execute()
  const companies = await sql<{ id: string; name: string; data: string }>`select id, name, data from companies`.execute(
    db,
  )
  for (const row of companies.rows) {
    const data = parse(row.data)
    const requisites = asRecord(data.requisites)
    const ids = ['taxId', 'vatId', 'registrationNumber'].map((k) => requisites[k]).filter((v) => typeof v === 'string')
    const text = fold([row.name, ...ids].join(' '))
    const now = JSON.stringify({ ...data, addresses: addressesNow(data.addresses) })
    await sql`update companies set search_text = ${text}, data = ${now} where id = ${row.id}`.execute(db)
  }

  const mine = await sql<{ id: string; data: string }>`select id, data from my_companies`.execute(db)
  for (const row of mine.rows) {
    const { images: _references, bankDetails, addresses, ...rest } = parse(row.data)
    const bank = asRecord(bankDetails)
    const renamed = new Map([
      ['bank', 'bankName'],
      ['iban', 'bankAccount'],
      ['account', 'bankAccount'],
      ['swift', 'bic'],
    ])
    const details: Record<string, string> = {}
    for (const [key, value] of Object.entries(bank)) {
      if (typeof value === 'string') details[renamed.get(key) ?? key] = value
    }
    const now = JSON.stringify({ ...rest, bankDetails: details, addresses: addressesNow(addresses) })
    await sql`update my_companies set data = ${now} where id = ${row.id}`.execute(db)
  }

  await db.schema.createIndex('contacts_company_id_idx').on('contacts').column('company_id').execute()
  await db.schema.createIndex('elements_contact_id_idx').on('elements').column('contact_id').execute()
  await db.schema.createIndex('elements_company_id_idx').on('elements').column('company_id').execute()

  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('owner', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('content_type', 'text', (col) => col.notNull())
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('bytes', dialectOf(db) === 'sqlite' ? 'blob' : 'bytea', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute()
  await db.schema.createIndex('files_owner_kind_idx').on('files').columns(['owner', 'kind']).execute()
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('files').execute()
  await db.schema.dropIndex('elements_company_id_idx').execute()
  await db.schema.dropIndex('elements_contact_id_idx').execute()
  await db.schema.dropIndex('contacts_company_id_idx').execute()
  await db.schema.alterTable('companies').dropColumn('search_text').execute()
  await db.schema.alterTable('contacts').dropColumn('search_text').execute()
  await db.schema.alterTable('users').dropColumn('active').execute()
  for (const table of ['users', 'my_companies', 'companies', 'contacts']) {
    await db.schema.alterTable(table).dropColumn('updated_at').execute()
  }
}
