import { EXIT, type Io } from './main.js'

/** `signflow serve [--port P] [--host H]`: runs until the process is stopped. */
export async function runServe(options: { port?: string; host?: string }, io: Io): Promise<number> {
  const port = options.port ?? process.env.PORT ?? '8080'
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
    io.err(`signflow: --port must be a number from 0 to 65535, not "${port}"\n`)
    return EXIT.misuse
  }
  const { startServer } = await import('../http/serve.js')
  const server = await startServer({ port: Number(port), host: options.host ?? process.env.HOST ?? '127.0.0.1' })
  io.out(`Signflow is running at ${server.url}  (API: ${server.url}/api/health; stop with Ctrl+C)\n`)
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.close().then(resolve, resolve)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  return EXIT.ok
}
