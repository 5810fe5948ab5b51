/**
 * The platform's seal: the identity (certificate and key) that seals every completed signed document. It is
 * made on first use — a self-signed certificate in our company's name — and kept in `files` (owner
 * `platform:sealing`), never served; an admin may replace it with their own .p12 (the newest seals; all of
 * them count as ours on the verify page). Opened once per process.
 */
import type { Kysely } from 'kysely'
import { addFile, readFile } from '../db/files.js'
import type { Database } from '../db/schema.js'
import {
  createSealingCertificate,
  loadSealingIdentity,
  type SealingIdentity,
  type SealingKey,
} from '../pdf/certificate.js'
import { sealPdf } from '../pdf/seal.js'

const OWNER = 'platform:sealing'
const KIND = 'identity'

interface Stored {
  p12: string
  password: string
  createdAt: string
}

async function storedIdentity(db: Kysely<Database>): Promise<SealingIdentity | undefined> {
  const row = await readFile(db, OWNER, KIND)
  if (!row) return undefined
  const stored = JSON.parse(Buffer.from(row.bytes).toString('utf8')) as Stored
  return { p12: new Uint8Array(Buffer.from(stored.p12, 'base64')), password: stored.password }
}

/** Keeps `identity` as the platform's seal (the one made at first use, or an admin's .p12). */
export async function keepSealingIdentity(db: Kysely<Database>, identity: SealingIdentity, now = new Date()) {
  const stored: Stored = {
    p12: Buffer.from(identity.p12).toString('base64'),
    password: identity.password,
    createdAt: now.toISOString(),
  }
  // Kept beside the ones before: documents they sealed still verify as ours.
  await addFile(db, {
    owner: OWNER,
    kind: KIND,
    name: 'sealing.json',
    contentType: 'application/json',
    bytes: new Uint8Array(Buffer.from(JSON.stringify(stored), 'utf8')),
    at: now.toISOString(),
  })
}

/** The platform's sealing key: the stored one, or a new self-signed one made and stored now. */
export async function platformSealingKey(db: Kysely<Database>): Promise<SealingKey> {
  let identity = await storedIdentity(db)
  if (!identity) {
    const ours = await db
      .selectFrom('my_companies')
      .select('name')
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst()
    const name = (ours?.name ?? 'Signflow').slice(0, 48)
    identity = await createSealingCertificate({ commonName: `${name} seal`.slice(0, 64), organization: name, years: 3 })
    await keepSealingIdentity(db, identity)
  }
  return loadSealingIdentity(identity.p12, identity.password)
}

/** A function that seals a completed document with the platform's key (made now if there is none yet). */
export async function platformSeal(db: Kysely<Database>): Promise<(pdf: Uint8Array) => Promise<Uint8Array>> {
  const key = await platformSealingKey(db)
  return async (pdf) => {
    return sealPdf(pdf, key, {
      reason: 'Signed by all parties on Signflow; sealed by the platform',
      contactInfo: 'Signflow',
    })
  }
}

/** Every identity the platform has sealed with, for the verify page to recognise our seals. */
export async function platformIdentities(db: Kysely<Database>): Promise<SealingIdentity[]> {
  const rows = await db
    .selectFrom('files')
    .select('bytes')
    .where('owner', '=', OWNER)
    .where('kind', '=', KIND)
    .execute()
  return rows.map((row) => {
    const stored = JSON.parse(Buffer.from(row.bytes).toString('utf8')) as Stored
    return { p12: new Uint8Array(Buffer.from(stored.p12, 'base64')), password: stored.password }
  })
}
