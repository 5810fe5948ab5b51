/**
 * bench/events: events per second end to end over HTTP on SQLite. Each request is a client's
 * signature for another deal (`POST /api/elements/:id/events`); the server runs it through the
 * engine in one transaction (trigger → stage move → "send email" rule → outbox row, history,
 * saved state). autocannon drives it from this process; the server runs in its own.
 *
 * Baseline in the same run: raw better-sqlite3 writing the same rows (the same saved state,
 * the same number of history rows, one outbox row, one audit row) in the same transactions, with no HTTP, no
 * engine and no query builder. ratio = ours / theirs (goal ≥ 0.3). Also: p50/p99 latency at a
 * steady 500 events/s (goal: p99 < 50 ms).
 *
 * Ours on SQLite writes the inputs that arrive while one is being written together, each in a
 * savepoint of one transaction (group commit, docs/architecture.md); the server prints how many
 * shared a commit. The baseline commits each event on its own, as a naive server would.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { migrateToLatest, openDatabase } from '../server/db/database.js'
import { Runtime } from '../server/runtime/runtime.js'
import { eventsGraph } from './events-graph.js'

const DEALS = Number(process.env.BENCH_DEALS ?? 20_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const RATE = 500

const folder = mkdtempSync(join(tmpdir(), 'signflow-bench-events-'))
const file = join(folder, 'events.sqlite')

// ---------------------------------------------------------------- data: deals waiting in "Sent"

async function prepare(path: string): Promise<void> {
  const { db, close } = await openDatabase({ file: path })
  await migrateToLatest(db)
  const at = new Date().toISOString()
  await db
    .insertInto('pipelines')
    .values({ id: 'bench', name: 'Bench', element_type: 'deal', stages: '[]', created_at: at })
    .execute()
  await db
    .insertInto('flows')
    .values({
      id: 'bench-events',
      pipeline_id: 'bench',
      name: 'Bench',
      draft: JSON.stringify(eventsGraph),
      updated_at: at,
      created_at: at,
    })
    .execute()
  await new Runtime({ db }).publish('bench-events', eventsGraph, 'bench')
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < DEALS; i += 500) {
      await trx
        .insertInto('elements')
        .values(
          Array.from({ length: Math.min(500, DEALS - i) }, (_, k) => ({
            id: `d${i + k}`,
            pipeline_id: 'bench',
            type: 'deal',
            title: `Deal ${i + k}`,
            stage: 'sent',
            fields: JSON.stringify({
              title: `Deal ${i + k}`,
              amount: 1000 + k,
              'client.name': 'Zoë Łukasiewicz',
              'client.email': `client${i + k}@example.com`,
            }),
            responsible: 'u-anna',
            contact_id: null,
            company_id: null,
            flow_version_id: null,
            state: null,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute()
    }
  })
  await close()
}

await prepare(file)

// ---------------------------------------------------------------- ours: HTTP, engine, Kysely, SQLite

function startServerProcess(): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL('./events-server.ts', import.meta.url))
  const flags = process.env.BENCH_SERVER_FLAGS ? process.env.BENCH_SERVER_FLAGS.split(' ') : []
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', script, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve({ child, url: chunk.toString().trim() }))
    child.once('exit', (code) => reject(new Error(`the bench server stopped (exit ${code})`)))
  })
}

const { child, url } = await startServerProcess()
let next = 0
const load = (options: Partial<autocannon.Options>) =>
  autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'signedByClient' }),
    duration: SECONDS,
    requests: [
      {
        setupRequest: (req) => {
          if (next >= DEALS) throw new Error(`more than ${DEALS} events: raise BENCH_DEALS`)
          return { ...req, path: `/api/elements/d${next++}/events` }
        },
      },
    ],
    ...options,
  })

const warm = await load({ connections: 4, duration: 1 })
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8)
const flat = await load({ connections: CONNECTIONS })
const steady = await load({ connections: 16, overallRate: RATE })
// Wait for the server to stop before counting: requests in flight are still being committed.
await new Promise<void>((resolve) => {
  child.once('exit', () => resolve())
  child.kill('SIGTERM')
})

const failures = (r: autocannon.Result) => r.non2xx + r.errors + r.timeouts
if (failures(flat) + failures(steady) > 0) {
  console.error(`requests failed: ${failures(flat)} at full speed, ${failures(steady)} at ${RATE}/s`)
  process.exit(1)
}

// What one event wrote: checked in the database, and used as the baseline's rows.
const check = new Database(file, { readonly: true })
const events = next
const moved = (check.prepare(`select count(*) n from elements where stage = 'signed'`).get() as { n: number }).n
const outboxRows = (check.prepare('select count(*) n from outbox').get() as { n: number }).n
const historyRows = (check.prepare('select count(*) n from history').get() as { n: number }).n
const sample = check.prepare(`select state, fields from elements where stage = 'signed' limit 1`).get() as {
  state: string
  fields: string
}
const sampleAudit = check.prepare('select actor, action, target, detail from audit_log limit 1').get() as {
  actor: string
  action: string
  target: string
  detail: string
}
const auditRows = (check.prepare('select count(*) n from audit_log').get() as { n: number }).n
const sampleHistory = check
  .prepare(
    `select type, record from history where element_id = (select id from elements where stage = 'signed' limit 1)`,
  )
  .all() as Array<{ type: string; record: string }>
check.close()
// Every answered event moved its deal and queued its email; requests still in flight when a run
// ended may have been served too, so the count lies between the two.
const answered = warm['2xx'] + flat['2xx'] + steady['2xx']
if (outboxRows !== moved || auditRows !== moved || moved < answered || moved > events) {
  console.error(`${answered} events answered (${events} sent), but ${moved} deals moved and ${outboxRows} outbox rows`)
  process.exit(1)
}

// ---------------------------------------------------------------- theirs: the same rows, raw better-sqlite3

const baseFile = join(folder, 'baseline.sqlite')
await prepare(baseFile)
const raw = new Database(baseFile)
raw.pragma('journal_mode = WAL')
raw.pragma('foreign_keys = ON')
const selectElement = raw.prepare('select * from elements where id = ?')
const updateElement = raw.prepare(
  'update elements set stage = ?, fields = ?, state = ?, flow_version_id = ?, revision = revision + 1, updated_at = ? where id = ?',
)
const lastSeq = raw.prepare('select max(seq) seq from history where element_id = ?')
const insertHistory = raw.prepare('insert into history (element_id, seq, at, type, record) values (?, ?, ?, ?, ?)')
const insertOutbox = raw.prepare(
  `insert into outbox (effect_id, element_id, kind, request, status, attempts, next_attempt_at, created_at, updated_at)
   values (?, ?, 'email', ?, 'pending', 0, ?, ?, ?)`,
)
const deleteDue = raw.prepare('delete from due_jobs where element_id = ?')
const insertAudit = raw.prepare(
  'insert into audit_log (at, actor, action, target, detail, seq, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?)',
)
const readHead = raw.prepare('select seq, hash from audit_head where id = 1')
const moveHead = raw.prepare('update audit_head set seq = ?, hash = ? where id = 1')
const oneEvent = raw.transaction((id: string, n: number) => {
  selectElement.get(id)
  const at = new Date().toISOString()
  updateElement.run('signed', sample.fields, sample.state, 'bench-events@1', at, id)
  let seq = (lastSeq.get(id) as { seq: number | null }).seq ?? 0
  for (const h of sampleHistory) insertHistory.run(id, ++seq, at, h.type, h.record)
  insertOutbox.run(`effect-${n}`, id, '{"kind":"email"}', Date.now(), at, at)
  deleteDue.run(id)
  // The audit row joins the hash chain, as ours does.
  const head = readHead.get() as { seq: number; hash: string }
  const target = `element:${id}`
  const hash = createHash('sha256')
    .update(
      JSON.stringify([head.seq + 1, at, sampleAudit.actor, sampleAudit.action, target, sampleAudit.detail, head.hash]),
    )
    .digest('hex')
  insertAudit.run(at, sampleAudit.actor, sampleAudit.action, target, sampleAudit.detail, head.seq + 1, head.hash, hash)
  moveHead.run(head.seq + 1, hash)
})
for (let i = 0; i < 500; i++) oneEvent(`d${i}`, i) // warm-up
let done = 500
const t0 = performance.now()
while (performance.now() - t0 < SECONDS * 1000 && done < DEALS) {
  oneEvent(`d${done}`, done)
  done++
}
const theirsRate = (done - 500) / ((performance.now() - t0) / 1000)
raw.close()
rmSync(folder, { recursive: true, force: true })

const oursRate = flat.requests.average
const n = (x: number) => Math.round(x).toLocaleString('en-US')
console.log(
  `each event: ${(historyRows / moved).toFixed(0)} history rows, 1 outbox row, 1 audit row, the deal's saved state (${sample.state.length} bytes)`,
)
console.log(
  `ours:     ${n(oursRate)} events/s over HTTP (${CONNECTIONS} connections, ${SECONDS} s; p50 ${flat.latency.p50} ms, p99 ${flat.latency.p99} ms)`,
)
console.log(
  `at ${RATE}/s: ${n(steady.requests.average)} events/s, p50 ${steady.latency.p50} ms, p99 ${steady.latency.p99} ms (goal: p99 < 50 ms)`,
)
console.log(`raw better-sqlite3, the same rows in the same transactions: ${n(theirsRate)} events/s`)
console.log(`ratio ours / theirs: ${(oursRate / theirsRate).toFixed(3)} (goal ≥ 0.3)`)
console.log(
  JSON.stringify({
    bench: 'events',
    ours: Math.round(oursRate),
    baseline: 'raw better-sqlite3',
    theirs: Math.round(theirsRate),
    unit: 'events/s',
    ratio: Number((oursRate / theirsRate).toFixed(3)),
    p50_ms_at_500: steady.latency.p50,
    p99_ms_at_500: steady.latency.p99,
  }),
)
