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
  /** The certificate (DER, base64): the verify page recognises our seals by it, even once it has expired. */
  certificate: string
  createdAt: string
}

async function storedIdentity(db: Kysely<Database>): Promise<SealingIdentity | undefined> {
  const row = await readFile(db, OWNER, KIND)
  if (!row) return undefined
  const stored = JSON.parse(Buffer.from(row.bytes).toString('utf8')) as Stored
  return { p12: new Uint8Array(Buffer.from(stored.p12, 'base64')), password: stored.password }
}

/** Keeps an opened identity as the platform's seal (the one made at first use, or an admin's .p12). */
export async function keepSealingIdentity(db: Kysely<Database>, key: SealingKey, now = new Date()) {
  const { identity } = key
  const stored: Stored = {
    p12: Buffer.from(identity.p12).toString('base64'),
    password: identity.password,
    certificate: Buffer.from(key.certificate.der).toString('base64'),
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
  const identity = await storedIdentity(db)
  if (!identity) {
    const ours = await db
      .selectFrom('my_companies')
      .select('name')
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst()
    const name = (ours?.name ?? 'Signflow').slice(0, 48)
    const made = await createSealingCertificate({
      commonName: `${name} seal`.slice(0, 64),
      organization: name,
      years: 3,
    })
    const key = await loadSealingIdentity(made.p12, made.password)
    await keepSealingIdentity(db, key)
    return key
  }
  return loadSealingIdentity(identity.p12, identity.password)
}

/**
 * A function that seals a completed document with the platform's newest key (made now if there is none
 * yet; an admin's replacement is used from the next seal on, in every process). With `SIGNFLOW_TSA_URL`
 * (an RFC 3161 timestamp authority) each seal carries a time the authority vouches for.
 */
export async function platformSeal(
  db: Kysely<Database>,
  options: { timestampUrl?: string } = {},
): Promise<(pdf: Uint8Array) => Promise<Uint8Array>> {
  const timestampUrl = options.timestampUrl ?? process.env.SIGNFLOW_TSA_URL ?? ''
  let current: { id: string; key: SealingKey } | undefined
  const newest = () =>
    db
      .selectFrom('files')
      .select('id')
      .where('owner', '=', OWNER)
      .where('kind', '=', KIND)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst()
  await platformSealingKey(db)
  return async (pdf) => {
    const row = await newest()
    if (!current || current.id !== row?.id) current = { id: row?.id ?? '', key: await platformSealingKey(db) }
    return sealPdf(pdf, current.key, {
      reason: 'Signed by all parties on Signflow; sealed by the platform',
      contactInfo: 'Signflow',
      ...(timestampUrl ? { timestampUrl } : {}),
    })
  }
}

/** The certificate the platform seals with now. */
export async function currentSealingCertificate(db: Kysely<Database>) {
  return (await platformSealingKey(db)).certificate
}

/** The certificate of every identity the platform has sealed with, for the verify page to recognise our seals. */
export async function platformCertificates(db: Kysely<Database>): Promise<Uint8Array[]> {
  const rows = await db
    .selectFrom('files')
    .select('bytes')
    .where('owner', '=', OWNER)
    .where('kind', '=', KIND)
    .execute()
  return rows.map((row) => {
    const stored = JSON.parse(Buffer.from(row.bytes).toString('utf8')) as Stored
    return new Uint8Array(Buffer.from(stored.certificate, 'base64'))
  })
}
