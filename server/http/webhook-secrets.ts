/**
 * The secrets of incoming webhooks: made at random, kept only as a SHA-256 hash (and a hint, the
 * last 4 characters), compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** The header a webhook's caller sends its secret in. */
export const WEBHOOK_SECRET_HEADER = 'x-signflow-secret'

/** A prefix that says what the text is (and lets secret scanners find a leaked one). */
const PREFIX = 'sfwh_'

export interface NewSecret {
  /** The secret itself: shown to the caller once, never stored. */
  secret: string
  /** SHA-256 of the secret, hex: what is stored. */
  hash: string
  /** The last 4 characters of the secret. */
  hint: string
}

/** A new secret: 32 random bytes (256 bits), base64url, with a prefix. */
export function newSecret(): NewSecret {
  const secret = `${PREFIX}${randomBytes(32).toString('base64url')}`
  return { secret, hash: hashSecret(secret), hint: secret.slice(-4) }
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

/** Compared against when there is no stored hash, so that "no secret yet" takes as long as "wrong secret". */
const NO_HASH = randomBytes(32)

/**
 * Whether `given` is the secret whose hash is `storedHash`. Both sides are hashed to 32 bytes first, so
 * the comparison takes the same time whatever the length or content of what was sent.
 */
export function secretMatches(given: string | undefined, storedHash: string | undefined): boolean {
  const expected =
    storedHash !== undefined && /^[0-9a-f]{64}$/.test(storedHash) ? Buffer.from(storedHash, 'hex') : NO_HASH
  const actual = createHash('sha256')
    .update(given ?? '', 'utf8')
    .digest()
  return timingSafeEqual(actual, expected) && given !== undefined && expected !== NO_HASH
}
