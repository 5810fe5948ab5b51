/** Who is calling: the actor an audit row names. */
import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'
import type { Actor } from '../db/audit.js'

/**
 * The caller of this request. Until sign-in exists every caller is `api`; the guard in `app.ts` may set
 * `c.set('actor', id)` once it knows better. The address is the socket's, as `@hono/node-server` gives it
 * (a request made in a test through `app.request()` has none).
 */
export function actorOf(c: Context): Actor {
  const id = (c.get('actor' as never) as string | undefined) ?? 'api'
  const ip = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress
  const userAgent = c.req.header('user-agent')?.slice(0, 300)
  return { id, ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) }
}
