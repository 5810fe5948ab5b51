/**
 * Sign-in, roles, API tokens and the guard, through the app with better-auth on our database (SQLite and
 * PostgreSQL): the whole role × endpoint matrix, sessions and their revocation, tokens and their scopes.
 */
import type { Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Auth, createAuth, ROLES, type Role } from '../auth/auth.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { Runtime } from '../runtime/runtime.js'
import { graph, seed } from '../runtime/test-fixtures.js'
import { OPERATIONS, type Operation, type OperationId } from './api-spec.js'
import { expectEachAnswered, send } from './api-test-support.js'
import { createApp } from './app.js'
import { AUTH_OPERATIONS } from './auth-spec.js'
import { PERMISSIONS } from './permissions.js'

const BASE = 'http://localhost:3000'
const PASSWORD: Record<Role, string> = {
  admin: 'admin password 2026',
  analyst: 'analyst password 2026',
  sales: 'sales password 2026',
  readOnly: 'reader password 2026',
}

describeEachDatabase('sign-in, roles and tokens', (getDb, dialect) => {
  let db: Kysely<Database>
  let auth: Auth
  let app: ReturnType<typeof createApp>
  const cookies = {} as Record<Role, string>

  const signIn = async (email: string, password: string, headers: Record<string, string> = {}) =>
    app.request('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email, password }),
    })
  const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const as = (cookie: string, method: string, url: string, body?: unknown) =>
    app.request(url, {
      method,
      // As a browser sends it from our pages: with its Origin.
      headers: { cookie, origin: BASE, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })

  beforeAll(async () => {
    db = getDb()
    await seed(db, 2)
    const runtime = new Runtime({ db })
    await runtime.publish('sales-flow', graph, 'u-anna')
    auth = createAuth({
      db,
      dialect,
      baseURL: BASE,
      secret: 'test-secret-0123456789-0123456789-abc',
      signInPerMinute: 1000,
    })
    app = createApp({ services: { db, runtime, auth } })
    for (const role of ROLES) {
      await auth.api.createUser({
        body: {
          email: `${role.toLowerCase()}@signflow.test`,
          password: PASSWORD[role],
          name: `The ${role}`,
          role: role as 'admin',
        },
      })
      const res = await signIn(`${role.toLowerCase()}@signflow.test`, PASSWORD[role])
      expect(res.status, await res.clone().text()).toBe(200)
      cookies[role] = cookieOf(res)
    }
  }, 60_000)

  it('signs in with a password into an HttpOnly, SameSite cookie; /api/me says who and what role', async () => {
    const res = await signIn('sales@signflow.test', PASSWORD.sales)
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^signflow\.session_token=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    const me = await as(cookieOf(res), 'GET', '/api/me')
    const who = (await me.json()) as { operations: string[] }
    expect(who).toMatchObject({
      user: { email: 'sales@signflow.test', role: 'sales' },
      role: 'sales',
      via: 'session',
    })
    // What the web app may offer: a salesperson moves deals, but neither publishes flows nor manages users.
    expect(who.operations).toEqual(expect.arrayContaining(['moveElement', 'listElements', 'getMe']))
    expect(who.operations).not.toContain('publishVersion')
    expect(who.operations).not.toContain('createUser')
    // The password is stored as a slow hash, never as typed.
    const stored = JSON.stringify(
      await db
        .selectFrom('auth_account' as never)
        .selectAll()
        .execute(),
    )
    expect(stored).not.toContain(PASSWORD.sales)
  })

  it('refuses a wrong password, nobody, and a sign-in from another site', async () => {
    expect((await signIn('sales@signflow.test', 'wrong password here')).status).toBe(401)
    expect((await app.request('/api/elements')).status).toBe(401)
    expect(await (await app.request('/api/elements')).json()).toEqual({
      error: { code: 'unauthorized', message: expect.any(String) },
    })
    const crossSite = await signIn('sales@signflow.test', PASSWORD.sales, { origin: 'https://evil.example' })
    expect(crossSite.status).toBe(403)
    // The public endpoints stay public, and say that this server needs sign-in.
    expect(await (await app.request('/api/health')).json()).toMatchObject({ status: 'ok', signIn: true })
  })

  it('walks the whole role × endpoint matrix: allowed → not 401/403, not allowed → 403, nobody → 401', async () => {
    const checked: string[] = []
    for (const [id, op] of Object.entries(OPERATIONS) as Array<[OperationId, Operation]>) {
      const allowed = PERMISSIONS[id]
      if (allowed === 'public') continue
      const url = op.path.replace(/\{[^}]+\}/g, 'x')
      const body = op.body ? {} : undefined
      const nobody = await app.request(url, { method: op.method.toUpperCase() })
      expect(nobody.status, `nobody ${op.method} ${op.path}`).toBe(401)
      for (const role of ROLES) {
        const res = await as(cookies[role], op.method.toUpperCase(), url, body)
        if (allowed.includes(role)) expect([401, 403], `${role} ${op.method} ${op.path}`).not.toContain(res.status)
        else expect(res.status, `${role} ${op.method} ${op.path}`).toBe(403)
        checked.push(`${role} ${id}`)
      }
    }
    const guarded = Object.keys(OPERATIONS).filter((id) => PERMISSIONS[id as OperationId] !== 'public')
    expect(checked.length).toBe(guarded.length * ROLES.length)
  }, 120_000)

  it('lets an analyst or an admin create a pipeline, and refuses sales and readOnly with 403', async () => {
    const create = async (role: Role, name: string) => {
      const res = await as(cookies[role], 'POST', '/api/pipelines', { name, elementType: 'deal' })
      return { status: res.status, body: (await res.json()) as { id?: string; error?: { code: string } } }
    }
    const count = async () => (await db.selectFrom('pipelines').select('id').execute()).length
    const before = await count()
    for (const role of ['sales', 'readOnly'] as const) {
      const refused = await create(role, `Refused ${role}`)
      expect(refused.status, role).toBe(403)
      expect(refused.body.error?.code).toBe('forbidden')
    }
    expect(await count()).toBe(before)
    const made = await create('analyst', 'Designed by the analyst')
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    expect(made.body.id).toBe('Designed-by-the-analyst')
    expect((await create('admin', 'Designed by the admin')).status).toBe(201)
    expect(await count()).toBe(before + 2)
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('target', '=', 'pipeline:Designed-by-the-analyst')
      .execute()
    expect(audit).toEqual([{ actor: expect.stringMatching(/^user:/), action: 'pipeline.created' }])
  })

  it('makes API tokens scoped to a role, used as Bearer, revoked at once', async () => {
    const made = await send(
      app,
      'POST',
      '/api/tokens',
      { name: 'CRM sync', role: 'readOnly' },
      { headers: { cookie: cookies.sales, origin: BASE, 'content-type': 'application/json' } },
    )
    expect(made.status).toBe(201)
    expect(made.body.token).toMatch(/^sf_/)
    const bearer = { authorization: `Bearer ${made.body.token}` }
    const me = await app.request('/api/me', { headers: bearer })
    expect(await me.json()).toMatchObject({ role: 'readOnly', via: 'token', user: { role: 'sales' } })
    // Scoped: a readOnly token reads, but does not move deals.
    expect((await app.request('/api/elements', { headers: bearer })).status).toBe(200)
    const move = await app.request('/api/elements/deal-1/move', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ stage: 'offer' }),
    })
    expect(move.status).toBe(403)
    // A token makes no tokens; a role above one's own is refused.
    const byToken = await app.request('/api/tokens', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
    })
    expect(byToken.status).toBe(403)
    const above = await send(
      app,
      'POST',
      '/api/tokens',
      { name: 'too much', role: 'admin' },
      { headers: { cookie: cookies.sales, origin: BASE, 'content-type': 'application/json' } },
    )
    expect(above.status).toBe(403)
    expect(above.body.error.path).toBe('/role')
    // Listed with when it was last used; stored only as a hash.
    const listed = await send(app, 'GET', '/api/tokens', undefined, { headers: { cookie: cookies.sales } })
    expect(listed.body.items).toEqual([
      expect.objectContaining({ name: 'CRM sync', role: 'readOnly', lastUsedAt: expect.any(String) }),
    ])
    expect(JSON.stringify(await db.selectFrom('auth_apikey').selectAll().execute())).not.toContain(made.body.token)
    // Another user cannot see or revoke it; its maker can.
    expect((await as(cookies.analyst, 'DELETE', `/api/tokens/${made.body.id}`)).status).toBe(404)
    const revoked = await as(cookies.sales, 'DELETE', `/api/tokens/${made.body.id}`)
    expect(revoked.status).toBe(204)
    expect((await app.request('/api/me', { headers: bearer })).status).toBe(401)
    expect((await app.request('/api/me', { headers: { authorization: 'Bearer sf_made_up' } })).status).toBe(401)
    expect((await app.request('/api/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401)
    // A cookie-carried change from another site, or saying nothing of where it comes from, is refused.
    const forged = await app.request('/api/elements/deal-1/move', {
      method: 'POST',
      headers: { cookie: cookies.sales, origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ stage: 'offer' }),
    })
    expect(forged.status).toBe(403)
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('forbidden')
    // Whatever its type: JSON from another site, or saying nothing of where it comes from, is refused too.
    const variants: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      {},
      { 'sec-fetch-site': 'cross-site' },
    ]
    for (const headers of variants) {
      const json = await app.request('/api/elements/deal-1/move', {
        method: 'POST',
        headers: { cookie: cookies.sales, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ stage: 'offer' }),
      })
      expect(json.status, JSON.stringify(headers)).toBe(403)
      expect(await json.json()).toMatchObject({
        error: { code: 'forbidden', message: expect.stringMatching(/Origin/) },
      })
    }
    // A browser that sends no Origin but says the request is from the same origin is believed.
    const sameOrigin = await app.request('/api/elements/deal-1/fields', {
      method: 'PATCH',
      headers: { cookie: cookies.sales, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ fields: { note: 'same origin' } }),
    })
    expect(sameOrigin.status, await sameOrigin.clone().text()).toBe(200)
    // Nothing moved.
    const deal = await db.selectFrom('elements').select('stage').where('id', '=', 'deal-1').executeTakeFirstOrThrow()
    expect(deal.stage).not.toBe('offer')
  })

  it('serves only sign-in, sign-out and sign-out-everywhere of better-auth', async () => {
    for (const path of ['/api/auth/change-password', '/api/auth/get-session', '/api/auth/list-sessions']) {
      expect((await app.request(path, { method: 'POST' })).status, path).toBe(401)
      expect((await as(cookies.readOnly, 'POST', path, {})).status, path).toBe(404)
    }
  })

  it("limits guesses of one's own current password: five wrong in 15 minutes, then 429 even for the right one", async () => {
    // A colleague of their own: the matrix above has already sent this endpoint a bad request for each role.
    await auth.api.createUser({
      body: { email: 'guess@signflow.test', password: PASSWORD.analyst, name: 'Guess', role: 'analyst' as 'admin' },
    })
    const session = cookieOf(await signIn('guess@signflow.test', PASSWORD.analyst))
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const res = await as(session, 'POST', '/api/me/password', {
        currentPassword: `guess number ${i}`,
        newPassword: 'a new password 2026',
      })
      statuses.push(res.status)
    }
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429])
    const right = await as(session, 'POST', '/api/me/password', {
      currentPassword: PASSWORD.analyst,
      newPassword: 'a new password 2026',
    })
    expect(right.status).toBe(429)
    expect(await right.json()).toMatchObject({ error: { code: 'rate-limited' } })
    // Sign-in itself is limited per address, not by this.
    expect((await signIn('guess@signflow.test', PASSWORD.analyst)).status).toBe(200)
  })

  it('lets an admin give a new colleague a password, and ends their sessions when it changes', async () => {
    const made = await as(cookies.admin, 'POST', '/api/users', {
      id: 'u-new',
      name: 'Nowy Kolega',
      email: 'nowy@signflow.test',
      role: 'sales',
    })
    expect(made.status).toBe(201)
    expect((await signIn('nowy@signflow.test', 'first password 1')).status).toBe(401)
    expect((await as(cookies.admin, 'PUT', '/api/users/u-new/password', { password: 'first password 1' })).status).toBe(
      204,
    )
    let session = cookieOf(await signIn('nowy@signflow.test', 'first password 1'))
    // A password someone else chose: only "who am I" and "my own password" until it changes.
    expect(await (await as(session, 'GET', '/api/me')).json()).toMatchObject({ mustChangePassword: true })
    const blocked = await as(session, 'GET', '/api/elements')
    expect(blocked.status).toBe(403)
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('password-change-required')
    const wrong = await as(session, 'POST', '/api/me/password', {
      currentPassword: 'not it at all',
      newPassword: 'my own password 9',
    })
    expect(wrong.status).toBe(422)
    const changed = await as(session, 'POST', '/api/me/password', {
      currentPassword: 'first password 1',
      newPassword: 'my own password 9',
    })
    expect(changed.status).toBe(204)
    session = cookieOf(changed)
    expect((await as(session, 'GET', '/api/elements')).status).toBe(200)
    expect(await (await as(session, 'GET', '/api/me')).json()).toMatchObject({ mustChangePassword: false })
    expect((await signIn('nowy@signflow.test', 'my own password 9')).status).toBe(200)
    expect(
      (await as(cookies.admin, 'PUT', '/api/users/u-new/password', { password: 'second password 2' })).status,
    ).toBe(204)
    expect((await as(session, 'GET', '/api/me')).status).toBe(401)
    expect((await signIn('nowy@signflow.test', 'my own password 9')).status).toBe(401)
    expect((await signIn('nowy@signflow.test', 'second password 2')).status).toBe(200)
    expect(
      (await as(cookies.admin, 'PUT', '/api/users/u-nobody/password', { password: 'whatever 12345' })).status,
    ).toBe(404)
    expect((await as(cookies.admin, 'PUT', '/api/users/u-new/password', { password: 'short' })).status).toBe(400)
    const audit = JSON.stringify(
      await db.selectFrom('audit_log').selectAll().where('target', '=', 'user:u-new').execute(),
    )
    expect(audit).toContain('user.passwordSet')
    expect(audit).not.toContain('password 1')
  })

  it("stops a token that its owner may no longer give, and a reset owner's tokens", async () => {
    const made = await send(
      app,
      'POST',
      '/api/tokens',
      { name: 'admin script', role: 'admin' },
      {
        headers: { cookie: cookies.admin, origin: BASE, 'content-type': 'application/json' },
      },
    )
    expect(made.status).toBe(201)
    const bearer = { authorization: `Bearer ${made.body.token}` }
    expect((await app.request('/api/audit', { headers: bearer })).status).toBe(200)
    await db.updateTable('users').set({ role: 'sales' }).where('email', '=', 'admin@signflow.test').execute()
    expect((await app.request('/api/audit', { headers: bearer })).status).toBe(401)
    await db.updateTable('users').set({ role: 'admin' }).where('email', '=', 'admin@signflow.test').execute()
    expect((await app.request('/api/me', { headers: bearer })).status).toBe(200)
    // An admin's reset of that user's password ends the token.
    const owner = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'admin@signflow.test')
      .executeTakeFirstOrThrow()
    expect(
      (await as(cookies.admin, 'PUT', `/api/users/${owner.id}/password`, { password: PASSWORD.admin })).status,
    ).toBe(204)
    expect((await app.request('/api/me', { headers: bearer })).status).toBe(401)
    // Signed in again with the password someone gave, the admin must choose another one, not the same.
    const again = cookieOf(await signIn('admin@signflow.test', PASSWORD.admin))
    const same = await as(again, 'POST', '/api/me/password', {
      currentPassword: PASSWORD.admin,
      newPassword: PASSWORD.admin,
    })
    expect(same.status).toBe(422)
    const changed = await as(again, 'POST', '/api/me/password', {
      currentPassword: PASSWORD.admin,
      newPassword: 'admin password changed',
    })
    expect(changed.status).toBe(204)
    cookies.admin = cookieOf(changed)
    // A huge body on the sign-in route is refused unread.
    const big = await app.request('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x@x.test', password: 'p'.repeat(100_000) }),
    })
    expect(big.status).toBe(413)
  })

  it('records who changed what in the audit log', async () => {
    const res = await as(cookies.sales, 'POST', '/api/elements/deal-2/move', { stage: 'offer' })
    expect(res.status).toBe(200)
    const row = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('target', '=', 'element:deal-2')
      .executeTakeFirstOrThrow()
    const sales = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'sales@signflow.test')
      .executeTakeFirstOrThrow()
    expect(row.actor).toBe(`user:${sales.id}`)
  })

  it('signs out everywhere, and a deactivated user is out at once', async () => {
    const first = cookieOf(await signIn('analyst@signflow.test', PASSWORD.analyst))
    const second = cookieOf(await signIn('analyst@signflow.test', PASSWORD.analyst))
    expect((await as(first, 'GET', '/api/me')).status).toBe(200)
    const out = await app.request('/api/auth/revoke-sessions', {
      method: 'POST',
      headers: { cookie: second, 'content-type': 'application/json', origin: BASE },
      body: '{}',
    })
    expect(out.status).toBe(200)
    expect((await as(first, 'GET', '/api/me')).status).toBe(401)
    expect((await as(second, 'GET', '/api/me')).status).toBe(401)

    const reader = cookieOf(await signIn('readonly@signflow.test', PASSWORD.readOnly))
    const readerId = (
      await db.selectFrom('users').select('id').where('email', '=', 'readonly@signflow.test').executeTakeFirstOrThrow()
    ).id
    const sessions = () => db.selectFrom('auth_session').select('id').where('user_id', '=', readerId).execute()
    expect((await sessions()).length).toBeGreaterThan(0)
    expect((await as(cookies.admin, 'PATCH', `/api/users/${readerId}`, { active: false })).status).toBe(200)
    expect((await as(reader, 'GET', '/api/me')).status).toBe(401)
    expect(await sessions()).toEqual([])
    expect((await signIn('readonly@signflow.test', PASSWORD.readOnly)).status).toBe(403)
    expect((await as(cookies.admin, 'PATCH', `/api/users/${readerId}`, { active: true })).status).toBe(200)
    cookies.readOnly = cookieOf(await signIn('readonly@signflow.test', PASSWORD.readOnly))
  })
})

describe('sign-in attempts', () => {
  it('are limited per address', async () => {
    // Its own database, so that the limit is the only thing counting.
    const { openTestDatabase } = await import('../db/test-support.js')
    const handle = await openTestDatabase('sqlite')
    try {
      const auth = createAuth({
        db: handle.db,
        dialect: 'sqlite',
        baseURL: BASE,
        secret: 'test-secret-0123456789-0123456789-abc',
        signInPerMinute: 3,
      })
      const app = createApp({ services: { db: handle.db, runtime: new Runtime({ db: handle.db }), auth } })
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) {
        const res = await app.request('/api/auth/sign-in/email', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `nobody${i}@signflow.test`, password: 'not the password' }),
        })
        statuses.push(res.status)
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429])
    } finally {
      await handle.close()
    }
  }, 30_000)
})

describe('every sign-in operation', () => {
  it('is in the permissions table', () => {
    for (const id of Object.keys(AUTH_OPERATIONS)) expect(PERMISSIONS[id as OperationId]).toBeDefined()
    expect(expectEachAnswered).toBeDefined()
  })
})
