/**
 * The runtime as a process runs it: the database (SQLite file by default, PostgreSQL with
 * `DATABASE_URL`), migrated; the demo seeded on an empty database if asked; the SMTP catcher when no
 * `SMTP_URL` is given; and two loops, one running the rules that fell due and one delivering
 * the outbox. Several processes may share one PostgreSQL: each due element and each effect is
 * claimed by one of them.
 */
import { hostname } from 'node:os'
import { DEFAULT_SQLITE_FILE, migrateToLatest, type OpenDatabase, openDatabase, redact } from '../db/database.js'
import { signingOutboxHandlers } from '../documents/signing.js'
import { type Catcher, startCatcher } from './catcher.js'
import { createDelivery } from './delivery.js'
import { OutboxWorker } from './outbox.js'
import { Runtime } from './runtime.js'
import { seedDemo } from './seed.js'

export interface RuntimeProcessOptions {
  /** `postgres://…`, or a SQLite file path; default `DATABASE_URL`, else `data/signflow.sqlite`. */
  database?: string
  /** Seed the demo on an empty database. Default false. */
  seed?: boolean
  /** `smtp://…`; default `SMTP_URL`, else the embedded catcher. */
  smtpUrl?: string
  /** How often the loops look for work. Default 250 ms. */
  pollMs?: number
  /** Run the loops (a web-only process may not). Default true. */
  work?: boolean
  /** Where people reach the server, for links in documents and messages. Default `SIGNFLOW_BASE_URL`, else http://127.0.0.1:8080. */
  publicUrl?: string
  /** How long a claim lasts if its process dies. Default `SIGNFLOW_CLAIM_MS`, else 60 s. */
  claimMs?: number
  log?: (line: string) => void
}

export interface RuntimeProcess {
  database: OpenDatabase
  /** Where the data is: the SQLite file, or the PostgreSQL URL without its password. */
  databaseTarget: string
  runtime: Runtime
  /** Whether this start seeded the demo (the database was empty). */
  seeded: boolean
  outbox: OutboxWorker
  smtpUrl: string
  worker: string
  close(): Promise<void>
}

export async function startRuntime(options: RuntimeProcessOptions = {}): Promise<RuntimeProcess> {
  const log = options.log ?? (() => {})
  const target = options.database ?? process.env.DATABASE_URL ?? undefined
  const database = await openDatabase(target?.startsWith('postgres') ? { url: target } : target ? { file: target } : {})
  await migrateToLatest(database.db)
  const worker = `${hostname()}:${process.pid}`
  const claimMs = options.claimMs ?? (Number(process.env.SIGNFLOW_CLAIM_MS) || 60_000)
  const runtime = new Runtime({ db: database.db, worker, claimMs })
  let seeded = false
  if (options.seed === true) {
    seeded = await seedDemo(database.db, runtime)
    if (seeded) log('seeded the demo: 5 pipelines with their flows, deals, clients, users')
  }
  let catcher: Catcher | undefined
  let smtpUrl = options.smtpUrl ?? process.env.SMTP_URL ?? ''
  if (!smtpUrl) {
    catcher = await startCatcher(database.db)
    smtpUrl = catcher.url
    log(`email goes to the demo catcher at ${smtpUrl} (set SMTP_URL for a real server)`)
  }
  const deliver = createDelivery({
    db: database.db,
    smtpUrl,
    from: process.env.MAIL_FROM ?? 'Signflow <no-reply@signflow.local>',
    publicUrl: options.publicUrl ?? process.env.SIGNFLOW_BASE_URL ?? 'http://127.0.0.1:8080',
  })
  const outbox = new OutboxWorker({
    db: database.db,
    runtime,
    deliver,
    worker,
    claimMs,
    detached: signingOutboxHandlers(database.db, runtime, deliver, Date.now),
  })

  let stopped = false
  const loops: Array<Promise<void>> = []
  const loop = (name: string, step: () => Promise<number>) =>
    (async () => {
      while (!stopped) {
        let did = 0
        try {
          did = await step()
        } catch (error) {
          log(`${name}: ${error instanceof Error ? error.message : String(error)}`)
        }
        if (did === 0 && !stopped) await new Promise((r) => setTimeout(r, options.pollMs ?? 250))
      }
    })()
  if (options.work ?? true) {
    loops.push(loop('due rules', () => runtime.runDueJobs()))
    loops.push(loop('outbox', () => outbox.runOnce()))
    // History retention: SIGNFLOW_HISTORY_DAYS (unset or 0: keep everything), applied hourly.
    const days = Number(process.env.SIGNFLOW_HISTORY_DAYS ?? 0)
    if (days > 0) {
      let next = 0
      loops.push(
        loop('history retention', async () => {
          if (Date.now() < next) return 0
          next = Date.now() + 3_600_000
          const deleted = await runtime.pruneHistory(days)
          if (deleted > 0) log(`history retention: deleted ${deleted} records older than ${days} days`)
          return 0
        }),
      )
    }
  }
  return {
    database,
    databaseTarget: target?.startsWith('postgres') ? redact(target) : (target ?? DEFAULT_SQLITE_FILE),
    runtime,
    seeded,
    outbox,
    smtpUrl,
    worker,
    close: async () => {
      stopped = true
      await Promise.all(loops)
      await catcher?.close()
      await database.close()
    },
  }
}
