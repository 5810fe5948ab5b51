/**
 * Sign-in for employees and API tokens for integrators, with better-auth (a well-kept library; the
 * reasons and the alternatives are in docs/architecture.md). It runs on our own Kysely instance and our
 * own `users` table (with the columns migration 0008 adds) plus `auth_*` tables, on SQLite and PostgreSQL:
 *
 * - passwords: scrypt (better-auth's default, node:crypto), never stored in the clear;
 * - sessions: an HttpOnly, SameSite=Lax cookie (Secure behind https), kept in `auth_session`, checked in the
 *   database on every request (no cookie cache, so signing out everywhere takes effect at once);
 * - API tokens: better-auth's API keys, stored as SHA-256, each with a name, the role it is scoped to (in its
 *   server-only `permissions`), and when it was last used; sent as `Authorization: Bearer <token>`;
 * - no public sign-up: admins create users; deactivated users cannot sign in.
 *
 * Only a few of better-auth's endpoints are reachable over HTTP (see {@link AUTH_PATHS}); everything else
 * (making users, tokens) goes through our own endpoints, which check roles first.
 */
import { apiKey } from '@better-auth/api-key'
import { betterAuth } from 'better-auth'
import { APIError } from 'better-auth/api'
import { admin } from 'better-auth/plugins/admin'
import type { Kysely } from 'kysely'
import type { DialectName } from '../db/dialect.js'
import type { Database } from '../db/schema.js'

/** What a user may do; the table of who may call which endpoint is `server/http/permissions.ts`. */
export const ROLES = ['admin', 'analyst', 'sales', 'readOnly'] as const
export type Role = (typeof ROLES)[number]

/**
 * The endpoints of better-auth served under `/api/auth`: sign in, sign out, sign out everywhere. Who is
 * signed in is `GET /api/me`, and a password changes through `POST /api/me/password`: both pass our guard,
 * which refuses a deactivated user.
 */
export const AUTH_PATHS = ['/api/auth/sign-in/email', '/api/auth/sign-out', '/api/auth/revoke-sessions'] as const

export interface AuthOptions {
  db: Kysely<Database>
  dialect: DialectName
  /** Where people reach the server, e.g. "http://127.0.0.1:8080": cookies and the origin check follow it. */
  baseURL: string
  /** At least 32 characters; signs session cookies. */
  secret: string
  /** Sign-in attempts an address may make a minute (default 10). */
  signInPerMinute?: number
}

/** The header better-auth reads the caller's address from: set by our wrapper from the socket, never trusted from the client. */
export const CLIENT_IP_HEADER = 'x-signflow-client-ip'

export function authConfig(options: AuthOptions) {
  const { db } = options
  return {
    baseURL: options.baseURL,
    basePath: '/api/auth',
    secret: options.secret,
    database: { db, type: options.dialect, transaction: true },
    telemetry: { enabled: false },
    // A wrong token or password is the caller's mistake, answered with 401: not worth a line in the server log.
    logger: {
      log: (level: string, message: string, ...args: unknown[]) => {
        if (/invalid api key|invalid email or password/i.test(`${message} ${String(args[0] ?? '')}`)) return
        if (level === 'error') console.error(`signflow (sign-in): ${message}`, ...args)
        else if (level === 'warn') console.warn(`signflow (sign-in): ${message}`)
      },
    },
    trustedOrigins: [options.baseURL],
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, maxPasswordLength: 200 },
    user: {
      modelName: 'users',
      fields: { createdAt: 'created_at', updatedAt: 'updated_at', emailVerified: 'email_verified' },
    },
    session: {
      modelName: 'auth_session',
      expiresIn: 8 * 3600,
      updateAge: 3600,
      fields: {
        userId: 'user_id',
        expiresAt: 'expires_at',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        ipAddress: 'ip_address',
        userAgent: 'user_agent',
      },
    },
    account: {
      modelName: 'auth_account',
      fields: {
        userId: 'user_id',
        accountId: 'account_id',
        providerId: 'provider_id',
        accessToken: 'access_token',
        refreshToken: 'refresh_token',
        idToken: 'id_token',
        accessTokenExpiresAt: 'access_token_expires_at',
        refreshTokenExpiresAt: 'refresh_token_expires_at',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
      },
    },
    verification: {
      modelName: 'auth_verification',
      fields: { expiresAt: 'expires_at', createdAt: 'created_at', updatedAt: 'updated_at' },
    },
    rateLimit: {
      enabled: true,
      storage: 'database' as const,
      modelName: 'auth_rate_limit',
      fields: { lastRequest: 'last_request' },
      window: 60,
      max: 100,
      customRules: { '/sign-in/email': { window: 60, max: options.signInPerMinute ?? 10 } },
    },
    advanced: {
      cookiePrefix: 'signflow',
      disableOriginCheck: false,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      database: { generateId: () => crypto.randomUUID() },
    },
    databaseHooks: {
      session: {
        create: {
          // A deactivated user signs in no more.
          before: async (session: { userId: string }) => {
            const user = await db
              .selectFrom('users')
              .select('active')
              .where('id', '=', session.userId)
              .executeTakeFirst()
            if (!user || Number(user.active) !== 1)
              throw new APIError('FORBIDDEN', { message: 'This user is deactivated.' })
          },
        },
      },
    },
    plugins: [
      admin({
        defaultRole: 'readOnly',
        adminRoles: ['admin'],
        schema: {
          user: { fields: { banReason: 'ban_reason', banExpires: 'ban_expires' } },
          session: { fields: { impersonatedBy: 'impersonated_by' } },
        },
      }),
      apiKey({
        schema: {
          apikey: {
            modelName: 'auth_apikey',
            fields: {
              configId: 'config_id',
              referenceId: 'reference_id',
              refillInterval: 'refill_interval',
              refillAmount: 'refill_amount',
              lastRefillAt: 'last_refill_at',
              rateLimitEnabled: 'rate_limit_enabled',
              rateLimitTimeWindow: 'rate_limit_time_window',
              rateLimitMax: 'rate_limit_max',
              requestCount: 'request_count',
              remaining: 'remaining',
              lastRequest: 'last_request',
              expiresAt: 'expires_at',
              createdAt: 'created_at',
              updatedAt: 'updated_at',
            },
          },
        },
        defaultPrefix: 'sf_',
        requireName: true,
        enableMetadata: true,
        rateLimit: { enabled: false },
      }),
    ],
  }
}

export function createAuth(options: AuthOptions) {
  return betterAuth(authConfig(options))
}

export type Auth = ReturnType<typeof createAuth>
