/**
 * The address a request comes from, for rate limits and the audit log: the socket's, as `@hono/node-server`
 * gives it. Behind a reverse proxy every request comes from the proxy, so its address is named in
 * `SIGNFLOW_TRUSTED_PROXIES` (comma-separated, e.g. `127.0.0.1,::1`): for a request from one of them, the
 * address is the right-most `X-Forwarded-For` entry that is not itself a trusted proxy — the one the nearest
 * trusted proxy saw. Entries further left were written by the client and are never believed.
 */
import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'

const normalize = (address: string) => address.trim().replace(/^::ffff:/, '')

function trustedProxies(): ReadonlySet<string> {
  const raw = process.env.SIGNFLOW_TRUSTED_PROXIES ?? ''
  return new Set(raw.split(',').map(normalize).filter(Boolean))
}

/** The caller's address, or undefined for a request without a socket (a test's `app.request()`). */
export function clientAddress(c: Context): string | undefined {
  const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress
  if (socket === undefined) return undefined
  const proxies = trustedProxies()
  if (proxies.size === 0 || !proxies.has(normalize(socket))) return socket
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map(normalize).filter(Boolean)
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string
    if (!proxies.has(hop)) return hop.slice(0, 100)
  }
  return socket
}
