/** The real server on a free port, serving the built designer (`npm run build` must have run). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_PASSWORDS, sessionSecret, setUpSignIn } from '../../server/auth/setup.js'
import { platformSeal } from '../../server/documents/sealing.js'
import { DEFAULT_STATIC_DIR, type RunningServer, startServer } from '../../server/http/serve.js'
import { startRuntime } from '../../server/runtime/process.js'
import { freePort } from './wait.js'

export async function startTestServer(): Promise<RunningServer> {
  if (!existsSync(join(DEFAULT_STATIC_DIR, 'index.html'))) {
    throw new Error(`The designer is not built (no ${DEFAULT_STATIC_DIR}index.html); run \`npm run build\` first.`)
  }
  return startServer({ port: 0, host: '127.0.0.1', staticDir: DEFAULT_STATIC_DIR })
}

export interface DemoServer {
  server: RunningServer
  /** A folder of its own for the test's files (removed by `close`). */
  dir: string
  close(): Promise<void>
}

/**
 * The server with the demo seeded in a fresh SQLite file, no worker (nothing runs by itself) and mail to
 * nowhere: what the designer and simulator tests open.
 */
export async function startDemoServer(name: string): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), `signflow-e2e-${name}-`))
  const proc = await startRuntime({
    database: join(dir, 'signflow.sqlite'),
    seed: true,
    work: false,
    smtpUrl: 'smtp://127.0.0.1:9',
  })
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    staticDir: DEFAULT_STATIC_DIR,
    services: { db: proc.database.db, runtime: proc.runtime },
  })
  return {
    server,
    dir,
    async close() {
      await server.close()
      await proc.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export interface WorkingDemo extends DemoServer {
  /** Signs in through the API as a demo user; the cookie, for `api`. */
  cookieOf(email: string): Promise<string>
  /** A JSON call as that cookie's user, as the web app makes it. */
  api(cookie: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>
}

/**
 * The demo as `npm start` runs it: sign-in on with the README's passwords, the workers running (rules,
 * deliveries, signing), mail caught by the loopback SMTP catcher (read with GET /api/messages), documents
 * sealed, links made for the server's own address.
 */
export async function startWorkingDemo(name: string): Promise<WorkingDemo> {
  const dir = mkdtempSync(join(tmpdir(), `signflow-e2e-${name}-`))
  const file = join(dir, 'signflow.sqlite')
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const proc = await startRuntime({ database: file, seed: true, pollMs: 50, publicUrl: url })
  const auth = await setUpSignIn({
    db: proc.database.db,
    dialect: 'sqlite',
    baseURL: url,
    secret: sessionSecret(file, () => {}),
    demo: proc.seeded,
    log: () => {},
  })
  const server = await startServer({
    port,
    host: '127.0.0.1',
    staticDir: DEFAULT_STATIC_DIR,
    services: {
      db: proc.database.db,
      runtime: proc.runtime,
      auth,
      publicUrl: url,
      seal: await platformSeal(proc.database.db),
    },
  })
  const api: WorkingDemo['api'] = async (cookie, method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { cookie, origin: url, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }
  return {
    server,
    dir,
    api,
    async cookieOf(email: string) {
      const res = await fetch(`${url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ email, password: DEMO_PASSWORDS[email] }),
      })
      if (res.status !== 200) throw new Error(`${email} cannot sign in: ${res.status}`)
      return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    },
    async close() {
      await server.close()
      await proc.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
