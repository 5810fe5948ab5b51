/**
 * Starts the HTTP server: the API and, when it has been built, the designer page.
 *
 * @example
 * const server = await startServer({ port: 0 })
 * console.log(server.url) // http://127.0.0.1:40123
 * await server.close()
 */
import { existsSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { type AppOptions, createApp, type Services } from './app.js'

/**
 * The largest request line and headers the server reads (Node's default is 16 KB): room for a template
 * preview's `fields` parameter (at most 64 KB, `GET /api/templates/{id}/preview`) besides the usual headers.
 */
export const MAX_REQUEST_HEAD_BYTES = 80 * 1024

export const DEFAULT_PORT = 8080
export const DEFAULT_HOST = '127.0.0.1'
/** The built designer (`npm run build`), at the repository root. */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../dist/', import.meta.url))

export interface StartOptions {
  /** Default: `PORT` from the environment, else 8080. `0` picks a free port. */
  port?: number
  /** Default: `HOST` from the environment, else 127.0.0.1 (this machine only). */
  host?: string
  /** The built designer. Default: `dist/` at the repository root, if it has been built. */
  staticDir?: string
  /**
   * Storage and the runtime on it, for the runtime's routes; without them those answer 503
   * `no-storage`. The caller owns them: `close()` stops the HTTP server only.
   */
  services?: Services
  /** Runs before every non-public `/api` route: the place for authentication (see `createApp`). */
  guard?: AppOptions['guard']
}

export interface RunningServer {
  /** Where the server listens, with the real port (e.g. `http://127.0.0.1:8080`). */
  url: string
  close(): Promise<void>
}

function portFromEnv(): number | undefined {
  const raw = process.env.PORT
  if (raw === undefined || raw.trim() === '') return undefined
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, not "${raw}".`)
  }
  return port
}

function hasIndex(dir: string): boolean {
  return existsSync(join(dir, 'index.html'))
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const port = options.port ?? portFromEnv() ?? DEFAULT_PORT
  const host = options.host ?? (process.env.HOST || DEFAULT_HOST)
  let staticDir: string | undefined
  if (options.staticDir !== undefined) {
    if (!hasIndex(options.staticDir)) {
      throw new Error(`No index.html in ${options.staticDir}; run \`npm run build\` first.`)
    }
    staticDir = options.staticDir
  } else if (hasIndex(DEFAULT_STATIC_DIR)) {
    staticDir = DEFAULT_STATIC_DIR
  }

  const app = createApp({
    ...(staticDir === undefined ? {} : { staticDir }),
    ...(options.services ? { services: options.services } : {}),
    ...(options.guard ? { guard: options.guard } : {}),
  })
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      { fetch: app.fetch, port, hostname: host, serverOptions: { maxHeaderSize: MAX_REQUEST_HEAD_BYTES } },
      () => {
        s.off('error', reject)
        resolve(s as Server)
      },
    )
    s.once('error', reject)
  })

  const address = server.address() as AddressInfo
  const urlHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${urlHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        // Keep-alive connections (browsers) would otherwise hold close() open.
        server.closeAllConnections()
      }),
  }
}
