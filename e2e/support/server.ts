/** The real server on a free port, serving the built designer (`npm run build` must have run). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_STATIC_DIR, type RunningServer, startServer } from '../../server/http/serve.js'
import { startRuntime } from '../../server/runtime/process.js'

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
