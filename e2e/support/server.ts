/** The real server on a free port, serving the built designer (`npm run build` must have run). */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_STATIC_DIR, type RunningServer, startServer } from '../../server/http/serve.js'

export async function startTestServer(): Promise<RunningServer> {
  if (!existsSync(join(DEFAULT_STATIC_DIR, 'index.html'))) {
    throw new Error(`The designer is not built (no ${DEFAULT_STATIC_DIR}index.html); run \`npm run build\` first.`)
  }
  return startServer({ port: 0, host: '127.0.0.1', staticDir: DEFAULT_STATIC_DIR })
}
