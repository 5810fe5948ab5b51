/**
 * Real processes: `signflow worker` started, killed with SIGKILL and started again, against the
 * suite's database (a SQLite file shared by processes, or PostgreSQL). What a user would notice:
 * the email of a delayed rule arrives exactly once; 1,000 due rules shared by 3 workers, one of
 * them killed midway, each run exactly once.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest'
import type { Graph } from '../../shared/graph/graph.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { type Catcher, startCatcher } from './catcher.js'
import { Runtime } from './runtime.js'
import { graph, seed } from './test-fixtures.js'

const BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url))

/** Starts `signflow worker` and resolves once it says it is running. */
function startWorker(target: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--database', target], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let said = ''
    const timer = setTimeout(() => reject(new Error(`the worker did not start: ${said}`)), 30_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      said += chunk.toString()
      if (said.includes('is running')) {
        clearTimeout(timer)
        resolve(child)
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      said += chunk.toString()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the worker stopped (exit ${code}): ${said}`))
    })
  })
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill(signal)
  })
}

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`gave up waiting for ${what}`)
}

/** Offer's reminder is due 2 minutes after entry: moving with a clock 118 s behind makes it due in 2 s. */
const BEHIND = 118_000

describeEachDatabase('worker processes', (getDb, dialect, getTarget) => {
  let db: Kysely<Database>
  let catcher: Catcher
  const children: ChildProcess[] = []

  beforeAll(async () => {
    db = getDb()
    catcher = await startCatcher(db)
  })
  afterAll(async () => {
    await catcher.close()
  })
  beforeEach(async () => {
    for (const table of [
      'history',
      'outbox_attempts',
      'outbox',
      'due_jobs',
      'messages',
      'elements',
      'flow_versions',
      'flows',
      'pipelines',
    ] as const) {
      await db.deleteFrom(table).execute()
    }
  })
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => kill(c, 'SIGKILL')))
  })

  const env = () => ({ SMTP_URL: catcher.url, SIGNFLOW_CLAIM_MS: '1500' })

  it('sends the email of a rule delayed 2 s exactly once, though its worker was killed with SIGKILL', async () => {
    await seed(db, 1, Date.now())
    const runtime = new Runtime({ db, now: () => Date.now() - BEHIND })
    await runtime.publish('sales-flow', graph, 'u-anna')
    await runtime.moveElement('deal-1', 'offer', { kind: 'user', id: 'u-anna' })

    const first = await startWorker(getTarget(), env())
    children.push(first)
    // The worker delivers the offer at once; the reminder waits 2 s. Kill it before then.
    await until(async () => (await db.selectFrom('messages').selectAll().execute()).length === 1, 15_000, 'the offer')
    await kill(first, 'SIGKILL')
    const second = await startWorker(getTarget(), env())
    children.push(second)
    await until(async () => (await db.selectFrom('messages').selectAll().execute()).length >= 2, 20_000, 'the reminder')
    await new Promise((r) => setTimeout(r, 2000)) // time for a duplicate to show up, if there were one
    const subjects = (await db.selectFrom('messages').select('subject').orderBy('id').execute()).map((m) => m.subject)
    expect(subjects).toEqual(['Our offer: Big deal 1', 'Reminder: Big deal 1'])
    const finished = await db
      .selectFrom('history')
      .select('record')
      .where('element_id', '=', 'deal-1')
      .where('type', '=', 'rule.finished')
      .execute()
    expect(finished.map((f) => JSON.parse(f.record).node).sort()).toEqual(['offer-mail', 'reminder'])
  }, 90_000)

  it.runIf(dialect === 'postgres')(
    'shares 1,000 due rules among 3 workers, one killed midway, and runs each exactly once',
    async () => {
      const count = 1000
      await seed(db, count, Date.now())
      const runtime = new Runtime({ db, now: () => Date.now() - BEHIND })
      const smsFlow: Graph = structuredClone(graph)
      const offer = smsFlow.pipeline.stages[1]
      if (!offer) throw new Error('the test flow has no offer stage')
      // One rule per deal, due in 2 s: an SMS, which the demo outbox keeps in `messages`.
      offer.rules = [
        {
          id: 'reminder-sms',
          type: 'sendSms',
          title: 'Reminder by SMS',
          execution: 'afterPrevious',
          time: { mode: 'delay', delay: { amount: 2, unit: 'minutes' } },
          settings: { to: { kind: 'literal', value: '+48 600 000 000' }, text: { kind: 'field', path: 'title' } },
        },
      ] as typeof offer.rules
      await runtime.publish('sales-flow', smsFlow, 'u-anna')
      for (let i = 1; i <= count; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, count - i + 1) }, (_, k) =>
            runtime.moveElement(`deal-${i + k}`, 'offer', { kind: 'api' }),
          ),
        )
      }
      expect(
        Number(
          (
            await db
              .selectFrom('due_jobs')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirst()
          )?.n,
        ),
      ).toBe(count)
      const workers = await Promise.all([0, 1, 2].map(() => startWorker(getTarget(), env())))
      children.push(...workers)
      const done = async () =>
        Number(
          (
            await db
              .selectFrom('history')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('type', '=', 'rule.finished')
              .executeTakeFirst()
          )?.n,
        )
      await until(async () => (await done()) >= count / 4, 60_000, 'a quarter of the rules')
      await kill(workers[0] as ChildProcess, 'SIGKILL')
      await until(async () => (await done()) >= count, 120_000, 'all the rules')
      await until(
        async () =>
          Number(
            (
              await db
                .selectFrom('outbox')
                .select((eb) => eb.fn.countAll().as('n'))
                .where('status', '=', 'done')
                .executeTakeFirst()
            )?.n,
          ) === count,
        60_000,
        'all the SMS',
      )
      // Exactly once: one finished rule per deal, one outbox row per deal, one message per deal.
      const perDeal = await db
        .selectFrom('history')
        .select(['element_id', (eb) => eb.fn.countAll().as('n')])
        .where('type', '=', 'rule.finished')
        .groupBy('element_id')
        .execute()
      expect(perDeal).toHaveLength(count)
      expect(perDeal.every((r) => Number(r.n) === 1)).toBe(true)
      expect(await db.selectFrom('outbox').select('element_id').distinct().execute()).toHaveLength(count)
      expect(await db.selectFrom('messages').select('id').execute()).toHaveLength(count)
      // And the work was shared.
      const by = await db.selectFrom('outbox_attempts').select('id').execute()
      expect(by.length).toBeGreaterThanOrEqual(count)
    },
    240_000,
  )
})
