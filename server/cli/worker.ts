import { EXIT, type Io } from './main.js'

/**
 * `signflow worker [--database URL|FILE]`: runs the rules that fall due and
 * delivers the outbox, without HTTP. Start several against one PostgreSQL to share the work.
 */
export async function runWorker(options: { database?: string }, io: Io): Promise<number> {
  const { startRuntime } = await import('../runtime/process.js')
  const runtime = await startRuntime({
    ...(options.database ? { database: options.database } : {}),
    seed: false,
    log: (line) => io.err(`signflow worker: ${line}\n`),
  })
  io.out(`signflow worker ${runtime.worker} is running on ${runtime.database.dialect} (stop with Ctrl+C)\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await runtime.close()
  return EXIT.ok
}
