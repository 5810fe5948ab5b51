import { EXIT, type Io } from './main.js'

/** `signflow serve [--port P] [--host H] [--demo]`: runs until the process is stopped. */
export async function runServe(options: { port?: string; host?: string; demo?: boolean }, io: Io): Promise<number> {
  const port = options.port ?? process.env.PORT ?? '8080'
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
    io.err(`signflow: --port must be a number from 0 to 65535, not "${port}"\n`)
    return EXIT.misuse
  }
  const { startServer } = await import('../http/serve.js')
  const { startRuntime } = await import('../runtime/process.js')
  // Storage, the demo (asked for) on an empty database, the SMTP catcher unless SMTP_URL is set, and the workers.
  const log = (line: string) => io.err(`signflow: ${line}\n`)
  const demo = options.demo === true || process.env.SIGNFLOW_DEMO === '1'
  const host = options.host ?? process.env.HOST ?? '127.0.0.1'
  // Sign-in and links follow the address people use (SIGNFLOW_BASE_URL behind a proxy).
  const baseURL = process.env.SIGNFLOW_BASE_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const runtime = await startRuntime({ log, seed: demo, publicUrl: baseURL })
  const { setUpSignIn, sessionSecret } = await import('../auth/setup.js')
  const { platformSeal } = await import('../documents/sealing.js')
  const db = runtime.database.db
  const auth = await setUpSignIn({
    db,
    dialect: runtime.database.dialect,
    baseURL,
    secret: sessionSecret(runtime.database.dialect === 'sqlite' ? runtime.databaseTarget : undefined, log),
    demo: runtime.seeded,
    // The demo's passwords are in the README: reachable from other machines, its people must choose their own.
    demoPasswordsFinal: isLoopback(host),
    log,
  })
  if (!process.env.SIGNFLOW_BASE_URL && (host === '0.0.0.0' || host === '::')) {
    log(
      `listening on every address: set SIGNFLOW_BASE_URL to the address people open (e.g. http://signflow.example.com:${port}); sign-in accepts pages from there only`,
    )
  }
  const server = await startServer({
    port: Number(port),
    host,
    // Completed documents are sealed with the platform's certificate (made on the first start).
    services: { db, runtime: runtime.runtime, auth, publicUrl: baseURL, seal: await platformSeal(db) },
  })
  io.out(
    `Signflow is running at ${server.url}  (API: ${server.url}/api/health; ` +
      `data: ${runtime.database.dialect === 'sqlite' ? runtime.databaseTarget : 'PostgreSQL'}; stop with Ctrl+C)\n`,
  )
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.close().then(resolve, resolve)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await runtime.close()
  return EXIT.ok
}

/** Whether only this machine can reach an address. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}
