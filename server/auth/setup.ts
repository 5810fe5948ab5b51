/**
 * Sign-in for a running server: the secret that signs session cookies (`SIGNFLOW_SECRET`, else one made
 * once and kept beside the SQLite file), the first admin, whose one-time password is printed once, and the
 * demo users' passwords (documented in the README) on a freshly seeded demo.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Kysely } from 'kysely'
import type { DialectName } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import { type Auth, createAuth } from './auth.js'

/** The demo users' passwords (the README lists them); set only when the demo is seeded. */
export const DEMO_PASSWORDS: Readonly<Record<string, string>> = {
  'anna@signflow.test': 'anna-demo-2026',
  'jean@signflow.test': 'jean-demo-2026',
  'director@signflow.test': 'director-demo-2026',
}

export const FIRST_ADMIN_EMAIL = 'admin@signflow.local'

/** `SIGNFLOW_SECRET`, or a secret kept in `<folder of the SQLite file>/signflow.secret` (made on first use). */
export function sessionSecret(sqliteFile: string | undefined, log: (line: string) => void): string {
  const given = process.env.SIGNFLOW_SECRET
  if (given) {
    if (given.length < 32) throw new Error('SIGNFLOW_SECRET must be at least 32 characters long.')
    return given
  }
  if (!sqliteFile) {
    log('SIGNFLOW_SECRET is not set: sessions are signed with a secret made now, and end when the server stops')
    return randomBytes(32).toString('base64url')
  }
  const file = join(dirname(sqliteFile), 'signflow.secret')
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim()
    if (kept.length < 32) {
      throw new Error(
        `${file} holds a secret shorter than 32 characters: put a longer one there (or delete the file to have one made; everyone is then signed out).`,
      )
    }
    return kept
  }
  const secret = randomBytes(32).toString('base64url')
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${secret}\n`, { mode: 0o600 })
  return secret
}

/**
 * Gives a user a password (as a credential account). A user who has one keeps it unless `replace`: then it
 * is replaced, and whoever held the account is out (sessions and API tokens end).
 */
async function givePassword(auth: Auth, db: Kysely<Database>, userId: string, password: string, replace: boolean) {
  const ctx = await auth.$context
  const accounts = await ctx.internalAdapter.findAccounts(userId)
  const hash = await ctx.password.hash(password)
  if (!accounts.some((a) => a.providerId === 'credential')) {
    await ctx.internalAdapter.linkAccount({ userId, providerId: 'credential', accountId: userId, password: hash })
  } else if (replace) {
    await ctx.internalAdapter.updatePassword(userId, hash)
    await ctx.internalAdapter.deleteUserSessions(userId)
    await db.deleteFrom('auth_apikey').where('reference_id', '=', userId).execute()
  }
}

export interface SignInSetup {
  db: Kysely<Database>
  dialect: DialectName
  baseURL: string
  secret: string
  /** The demo was seeded by this start: give its users their documented passwords. */
  demo: boolean
  /**
   * Whether the demo's people keep those passwords (the server listens on this machine only); otherwise
   * they must choose their own at their first sign-in, as anyone who read the README could sign in as them.
   * Default true.
   */
  demoPasswordsFinal?: boolean
  log: (line: string) => void
}

/** Makes the sign-in of a server, and the users it needs to be usable at all. */
export async function setUpSignIn(options: SignInSetup): Promise<Auth> {
  const { db, log } = options
  const auth = createAuth({ db, dialect: options.dialect, baseURL: options.baseURL, secret: options.secret })
  // The first start: nobody can sign in yet.
  const firstStart = (await db.selectFrom('auth_account').select('id').limit(1).execute()).length === 0
  if (options.demo) {
    for (const [email, password] of Object.entries(DEMO_PASSWORDS)) {
      const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()
      if (user) await givePassword(auth, db, user.id, password, false)
    }
    if (options.demoPasswordsFinal === false) {
      await db
        .updateTable('users')
        .set({ must_change_password: 1 })
        .where('email', 'in', Object.keys(DEMO_PASSWORDS))
        .execute()
      log(
        "the demo's people sign in with the README's passwords once, then choose their own (this server is reachable from other machines)",
      )
    }
  }
  // Someone must be able to sign in and make the others: on the first start, and whenever no admin can sign
  // in, an admin with a one-time password, printed once.
  const admins = await db
    .selectFrom('users')
    .innerJoin('auth_account', 'auth_account.user_id', 'users.id')
    .select('users.id')
    .where('users.role', '=', 'admin')
    .where('users.active', '=', 1)
    .execute()
  if (firstStart || admins.length === 0) {
    const password = randomBytes(12).toString('base64url')
    const existing = await db.selectFrom('users').select('id').where('email', '=', FIRST_ADMIN_EMAIL).executeTakeFirst()
    if (existing) {
      await db.updateTable('users').set({ role: 'admin', active: 1 }).where('id', '=', existing.id).execute()
      await givePassword(auth, db, existing.id, password, true)
    } else {
      await auth.api.createUser({ body: { email: FIRST_ADMIN_EMAIL, password, name: 'Administrator', role: 'admin' } })
    }
    await db.updateTable('users').set({ must_change_password: 1 }).where('email', '=', FIRST_ADMIN_EMAIL).execute()
    log(
      `the first admin: ${FIRST_ADMIN_EMAIL}, one-time password ${password} (shown only now; the first sign-in asks for a new one)`,
    )
  }
  return auth
}
