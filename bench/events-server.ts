/**
 * The server side of bench/events, in its own process (so the load generator does not share its
 * event loop): the runtime on the SQLite file given as argument, HTTP on a free port, no
 * workers (the bench ends at the outbox row). Prints its URL, then serves until killed.
 */
import { startServer } from '../server/http/serve.js'
import { startRuntime } from '../server/runtime/process.js'

const file = process.argv[2]
if (!file) throw new Error('usage: events-server.ts FILE')
const runtime = await startRuntime({ database: file, seed: false, work: false, smtpUrl: 'smtp://127.0.0.1:9' })
const server = await startServer({ port: 0, services: { db: runtime.database.db, runtime: runtime.runtime } })
console.log(server.url)
process.once('SIGTERM', () => {
  const { inputs, transactions } = runtime.runtime.counts
  console.error(
    `server: ${inputs} inputs written in ${transactions} transactions (group commit: ${(inputs / Math.max(1, transactions)).toFixed(1)} per commit)`,
  )
  process.exit(0)
})
