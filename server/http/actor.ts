/** Who is calling: the actor an audit row names. */
import type { Context } from 'hono'
import type { Actor } from '../db/audit.js'
import { clientAddress } from './client-address.js'

/**
 * The caller of this request. Until sign-in exists every caller is `api`; the guard in `app.ts` may set
 * `c.set('actor', id)` once it knows better. The address is the socket's, or the one a trusted proxy saw
 * (`client-address.ts`; a request made in a test through `app.request()` has none).
 */
export function actorOf(c: Context): Actor {
  const id = (c.get('actor' as never) as string | undefined) ?? 'api'
  const ip = clientAddress(c)
  const userAgent = c.req.header('user-agent')?.slice(0, 300)
  return { id, ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) }
}
