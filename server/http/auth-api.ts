/**
 * Authentication and authorization of the API, with better-auth (`server/auth/auth.ts`):
 *
 * - {@link registerAuthRoutes}: the few better-auth endpoints reachable over HTTP (`AUTH_PATHS`), given the
 *   caller's socket address (never a header the client sent) for their rate limits;
 * - {@link authGuard}: the one guard in front of `/api` — a session cookie or `Authorization: Bearer <token>`,
 *   for an active user; else 401. It records who calls (`principal`, and the audit log's actor);
 * - {@link authorize}: per operation, the role must be in `permissions.ts`; else 403;
 * - the handlers of `auth-spec.ts`: who am I, and API tokens.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { AUTH_PATHS, type Auth, CLIENT_IP_HEADER, ROLES, type Role } from '../auth/auth.js'
import { writeAudit } from '../db/audit.js'
import { actorOf } from './actor.js'
import type { OperationId } from './api-spec.js'
import type { AuthOperationId } from './auth-spec.js'
import { clientAddress } from './client-address.js'
import { apiError, HttpError } from './errors.js'
import { PERMISSIONS } from './permissions.js'
import type { Handler, Services } from './runtime-api.js'

/** Who a request is: set by the guard. */
export interface Principal {
  userId: string
  name: string
  email: string
  /** The user's own role. */
  userRole: Role
  /** What this request may do: the user's role, or the role a token was made for. */
  role: Role
  via: 'session' | 'token'
  tokenId?: string
  /** Signed in with a password someone else chose: only "who am I" and "change my password" until it changes. */
  mustChangePassword: boolean
}

export const principalOf = (c: Context): Principal | undefined => c.get('principal' as never) as Principal | undefined

const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value)

/** The roles a user may give a token: their own or readOnly; an admin any. */
export function mayScope(userRole: Role, tokenRole: Role): boolean {
  return userRole === 'admin' || tokenRole === userRole || tokenRole === 'readOnly'
}

/** Serves better-auth's sign-in, sign-out, session and password endpoints; nothing else of it. */
const authBodyLimit = bodyLimit({
  maxSize: 8 * 1024,
  onError: (c) => apiError(c, 413, 'payload-too-large', 'The body is larger than 8 KB.'),
})

export function registerAuthRoutes(app: Hono, auth: Auth): void {
  for (const path of AUTH_PATHS) {
    app.on(['GET', 'POST'], path, authBodyLimit, (c) => {
      const headers = new Headers(c.req.raw.headers)
      headers.set(CLIENT_IP_HEADER, clientAddress(c) ?? 'local')
      return auth.handler(new Request(c.req.raw, { headers }))
    })
  }
}

/** The one guard: who is calling, from a token or a session; 401 for nobody, or a deactivated user. */
export function authGuard(auth: Auth, services: Pick<Services, 'db'>): MiddlewareHandler {
  const { db } = services
  const unauthorized = (c: Context) =>
    apiError(c, 401, 'unauthorized', 'Sign in first, or send an API token as "Authorization: Bearer <token>".')
  return async (c, next) => {
    const header = c.req.header('authorization')
    let principal: Principal | undefined
    if (header !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
      if (!token) return unauthorized(c)
      const result = await auth.api.verifyApiKey({ body: { key: token } }).catch(() => undefined)
      const key = result?.valid ? result.key : undefined
      const scope = (key?.permissions as Record<string, unknown> | null | undefined)?.role
      const role = Array.isArray(scope) ? scope[0] : undefined
      if (!key || !isRole(role)) return unauthorized(c)
      const user = await db
        .selectFrom('users')
        .select(['id', 'name', 'email', 'role', 'active', 'must_change_password'])
        .where('id', '=', key.referenceId)
        .executeTakeFirst()
      // A token acts with its role only while its owner may still give it (demoted owners' tokens stop), and
      // not while the owner must choose a new password (an admin's reset locks tokens out too).
      if (!user || Number(user.active) !== 1 || !isRole(user.role) || !mayScope(user.role, role)) return unauthorized(c)
      if (Number(user.must_change_password) === 1) return unauthorized(c)
      principal = {
        userId: user.id,
        name: user.name,
        email: user.email,
        userRole: user.role,
        role,
        via: 'token',
        tokenId: key.id,
        mustChangePassword: false,
      }
    } else {
      const session = await auth.api.getSession({ headers: c.req.raw.headers }).catch(() => null)
      if (!session) return unauthorized(c)
      const user = await db
        .selectFrom('users')
        .select(['id', 'name', 'email', 'role', 'active', 'must_change_password'])
        .where('id', '=', session.user.id)
        .executeTakeFirst()
      if (!user || Number(user.active) !== 1 || !isRole(user.role)) return unauthorized(c)
      principal = {
        userId: user.id,
        name: user.name,
        email: user.email,
        userRole: user.role,
        role: user.role,
        via: 'session',
        mustChangePassword: Number(user.must_change_password) === 1,
      }
    }
    c.set('principal' as never, principal as never)
    c.set(
      'actor' as never,
      (principal.via === 'token' ? `token:${principal.tokenId}` : `user:${principal.userId}`) as never,
    )
    await next()
  }
}

/** The role check of one operation, after the guard; without a guard (a server without sign-in) it lets through. */
export function authorize(id: OperationId): MiddlewareHandler {
  const allowed = PERMISSIONS[id]
  const whileChanging = id === 'getMe' || id === 'changeMyPassword'
  return async (c, next) => {
    const principal = principalOf(c)
    if (principal?.mustChangePassword && !whileChanging) {
      return apiError(
        c,
        403,
        'password-change-required',
        'You signed in with a password someone else chose: choose your own first (POST /api/me/password).',
      )
    }
    if (principal && allowed !== 'public' && !allowed.includes(principal.role)) {
      return apiError(
        c,
        403,
        'forbidden',
        `This needs the role ${allowed.join(' or ')}; ${principal.via === 'token' ? 'this token has' : 'you have'} ${principal.role}.`,
      )
    }
    await next()
  }
}

type AuthHandlers = { [K in AuthOperationId]: Handler<K> }

/** The operations a role may call, by the one table. */
function operationsOf(role: Role): string[] {
  return Object.entries(PERMISSIONS)
    .filter(([, allowed]) => allowed === 'public' || allowed.includes(role))
    .map(([id]) => id)
}

interface TokenRow {
  id: string
  name: string | null
  start: string | null
  reference_id: string
  permissions: string | null
  last_request: unknown
  expires_at: unknown
  created_at: unknown
}

const when = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(value as string | number | Date).toISOString()

function tokenView(row: TokenRow) {
  const scope = (JSON.parse(row.permissions ?? '{}') as { role?: string[] }).role?.[0]
  return {
    id: row.id,
    name: row.name ?? '',
    role: isRole(scope) ? scope : 'readOnly',
    start: row.start ?? '',
    userId: row.reference_id,
    lastUsedAt: when(row.last_request),
    expiresAt: when(row.expires_at),
    createdAt: when(row.created_at) ?? '',
  }
}

export function makeAuthHandlers(services: Services): AuthHandlers {
  const { db } = services
  const signedIn = (c: Context): Principal => {
    if (!services.auth)
      throw new HttpError(404, 'not-found', 'This server runs without sign-in: there is nobody to be.')
    const principal = principalOf(c)
    if (!principal) throw new HttpError(401, 'unauthorized', 'Sign in first.')
    return principal
  }
  const tokens = () =>
    db
      .selectFrom('auth_apikey')
      .select(['id', 'name', 'start', 'reference_id', 'permissions', 'last_request', 'expires_at', 'created_at'])
  return {
    getMe: async ({ c }) => {
      const p = signedIn(c)
      return c.json({
        user: { id: p.userId, name: p.name, email: p.email, role: p.userRole },
        role: p.role,
        via: p.via,
        mustChangePassword: p.mustChangePassword,
        operations: p.mustChangePassword ? ['getMe', 'changeMyPassword'] : operationsOf(p.role),
      })
    },

    changeMyPassword: async ({ c, body }) => {
      const p = signedIn(c)
      if (p.via !== 'session') throw new HttpError(403, 'forbidden', 'A password is changed by its owner, signed in.')
      const auth = services.auth as Auth
      if (body.newPassword === body.currentPassword) {
        throw new HttpError(422, 'invalid', 'Choose a password other than the one you have.', { path: '/newPassword' })
      }
      let headers: Headers
      try {
        const result = await auth.api.changePassword({
          body: { currentPassword: body.currentPassword, newPassword: body.newPassword, revokeOtherSessions: true },
          headers: c.req.raw.headers,
          returnHeaders: true,
        })
        headers = result.headers
      } catch {
        throw new HttpError(422, 'invalid', 'The current password is wrong.', { path: '/currentPassword' })
      }
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ must_change_password: 0 }).where('id', '=', p.userId).execute()
        await writeAudit(trx, actorOf(c), { action: 'user.passwordChanged', target: `user:${p.userId}` })
      })
      // The session goes on with the new cookie better-auth made.
      for (const cookie of headers.getSetCookie()) c.header('Set-Cookie', cookie, { append: true })
      return c.body(null, 204)
    },

    listTokens: async ({ c }) => {
      const p = signedIn(c)
      let query = tokens()
      if (p.role !== 'admin') query = query.where('reference_id', '=', p.userId)
      const rows = (await query.orderBy('created_at', 'desc').execute()) as TokenRow[]
      return c.json({ items: rows.map(tokenView) })
    },

    createToken: async ({ c, body }) => {
      const p = signedIn(c)
      if (p.via !== 'session')
        throw new HttpError(403, 'forbidden', 'Tokens are made by a signed-in person, not by another token.')
      const role = body.role ?? p.userRole
      if (!mayScope(p.userRole, role)) {
        throw new HttpError(403, 'forbidden', `You may make tokens for your own role (${p.userRole}) or readOnly.`, {
          path: '/role',
        })
      }
      const auth = services.auth
      if (!auth) throw new HttpError(401, 'unauthorized', 'This server runs without sign-in.')
      const made = await auth.api.createApiKey({
        body: {
          userId: p.userId,
          name: body.name,
          permissions: { role: [role] },
          ...(body.expiresInDays !== undefined ? { expiresIn: body.expiresInDays * 86_400 } : {}),
        },
      })
      await db.transaction().execute((trx) =>
        writeAudit(trx, actorOf(c), {
          action: 'token.created',
          target: `token:${made.id}`,
          detail: { name: body.name, role },
        }),
      )
      const row = (await tokens().where('id', '=', made.id).executeTakeFirstOrThrow()) as TokenRow
      c.header('Cache-Control', 'no-store')
      return c.json({ ...tokenView(row), token: made.key }, 201)
    },

    setUserPassword: async ({ c, params, body }) => {
      signedIn(c)
      const auth = services.auth as Auth
      const user = await db
        .selectFrom('users')
        .select('id')
        .where('id', '=', params.id ?? '')
        .executeTakeFirst()
      if (!user) throw new HttpError(404, 'not-found', `No user "${params.id}".`)
      const ctx = await auth.$context
      const hash = await ctx.password.hash(body.password)
      const accounts = await ctx.internalAdapter.findAccounts(user.id)
      await db.updateTable('users').set({ must_change_password: 1 }).where('id', '=', user.id).execute()
      if (accounts.some((a) => a.providerId === 'credential')) await ctx.internalAdapter.updatePassword(user.id, hash)
      else
        await ctx.internalAdapter.linkAccount({
          userId: user.id,
          providerId: 'credential',
          accountId: user.id,
          password: hash,
        })
      await ctx.internalAdapter.deleteUserSessions(user.id)
      // A reset locks out whoever held the account: its API tokens go too.
      await db.deleteFrom('auth_apikey').where('reference_id', '=', user.id).execute()
      await db
        .transaction()
        .execute((trx) => writeAudit(trx, actorOf(c), { action: 'user.passwordSet', target: `user:${user.id}` }))
      return c.body(null, 204)
    },

    revokeToken: async ({ c, params }) => {
      const p = signedIn(c)
      const row = (await tokens()
        .where('id', '=', params.id ?? '')
        .executeTakeFirst()) as TokenRow | undefined
      // Someone else's token answers as an unknown one, unless you are an admin.
      if (!row || (row.reference_id !== p.userId && p.role !== 'admin')) {
        throw new HttpError(404, 'not-found', `No token "${params.id}".`)
      }
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('auth_apikey').where('id', '=', row.id).execute()
        await writeAudit(trx, actorOf(c), {
          action: 'token.revoked',
          target: `token:${row.id}`,
          detail: { name: row.name ?? '' },
        })
      })
      return c.body(null, 204)
    },
  }
}
