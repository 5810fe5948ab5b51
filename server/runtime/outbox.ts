/**
 * The transactional outbox: effects the engine asked for were written in the same transaction
 * as its decision; this worker delivers them after the commit, with retries and exponential
 * backoff, and records every attempt. Delivery and the engine hearing of it ("the email went")
 * commit together, so a crash between the two re-sends at most once, with the same idempotency
 * key (the effect id, also the email's Message-ID, so a receiver can drop the copy).
 */
import type { Kysely, Transaction } from 'kysely'
import type { EffectRequest, Json } from '../../shared/engine/types.js'
import { dialectOf } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import { deliverWebhook, type WebhookRequest } from './outgoing.js'
import type { Runtime } from './runtime.js'

/** Delivers one effect; throws when it could not (the worker retries). Returns the rule's outputs. */
export type Deliver = (request: EffectRequest, effectId: string, elementId: string) => Promise<Record<string, Json>>

export interface OutboxOptions {
  db: Kysely<Database>
  runtime: Runtime
  deliver: Deliver
  /** Who claims rows (a process id), so several workers share the outbox. */
  worker: string
  now?: () => number
  /** Attempts before the effect is given up and its rule fails. Default 8. */
  maxAttempts?: number
  /** The first retry waits this long; each next one twice as long, up to `maxDelayMs`. Default 1 s. */
  baseDelayMs?: number
  maxDelayMs?: number
  /** How long a claimed row stays claimed if its worker dies. Default 60 s. */
  claimMs?: number
  /**
   * Kinds of rows no rule waits for (besides "webhook"), by kind: e.g. messages to signers ("notice") and
   * signing deadlines ("signingExpiry"). Each delivers its row (throwing to be retried) and returns a result.
   */
  detached?: Readonly<Record<string, DetachedHandler>>
}

/** Delivers one row of a detached kind. */
export type DetachedHandler = (
  request: { kind: string } & Record<string, unknown>,
  row: { effect_id: string; element_id: string },
) => Promise<Record<string, Json>>

export class OutboxWorker {
  private readonly o: Required<Omit<OutboxOptions, 'now'>> & { now: () => number }

  constructor(options: OutboxOptions) {
    this.o = {
      maxAttempts: 8,
      baseDelayMs: 1000,
      maxDelayMs: 10 * 60_000,
      claimMs: 60_000,
      detached: {},
      now: Date.now,
      ...options,
    }
  }

  /** Signs and posts a webhook; a subscription removed or paused since gets nothing. */
  private async deliverWebhook(request: WebhookRequest, effectId: string): Promise<Record<string, Json>> {
    const sub = await this.o.db
      .selectFrom('webhook_subscriptions')
      .select(['secret', 'active'])
      .where('id', '=', request.subscription)
      .executeTakeFirst()
    const secret = sub?.active === 1 ? sub.secret : undefined
    if (secret === undefined) throw new Error(`the subscription "${request.subscription}" was removed or paused`)
    const deliveryId = (JSON.parse(request.body) as { id?: string }).id ?? effectId
    const { status } = await deliverWebhook(request, secret, deliveryId, this.o.now())
    return { status }
  }

  /** The delay before attempt `n + 1` after `n` failed ones: base × 2^(n−1), capped. */
  backoff(failedAttempts: number): number {
    return Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1))
  }

  /** Claims what is due (pending, or claimed by a worker that died) and delivers it. Returns how many it tried. */
  async runOnce(limit = 20): Promise<number> {
    const { db, worker } = this.o
    const now = this.o.now()
    const claimed = await db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('outbox')
        .select(['id'])
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
            eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .limit(limit)
      if (dialectOf(trx) === 'postgres') query = query.forUpdate().skipLocked()
      const rows = await query.execute()
      if (rows.length === 0) return []
      const ids = rows.map((r) => r.id)
      await trx
        .updateTable('outbox')
        .set({ status: 'sending', claimed_by: worker, claimed_until: now + this.o.claimMs })
        .where('id', 'in', ids)
        .execute()
      return trx.selectFrom('outbox').selectAll().where('id', 'in', ids).execute()
    })
    for (const row of claimed) await this.deliverOne(row)
    return claimed.length
  }

  private async deliverOne(row: {
    id: number
    effect_id: string
    element_id: string
    request: string
    attempts: number
  }): Promise<void> {
    const { db, runtime, deliver } = this.o
    const request = JSON.parse(row.request) as EffectRequest | WebhookRequest
    const attempt = row.attempts + 1
    const handler = Object.hasOwn(this.o.detached, request.kind) ? this.o.detached[request.kind] : undefined
    const detached = request.kind === 'webhook' || handler !== undefined
    let outputs: Record<string, Json> | undefined
    let error: string | undefined
    // An error no retry can mend (no address to send to, a template that does not exist) fails at once.
    let permanent = false
    try {
      outputs =
        request.kind === 'webhook'
          ? await this.deliverWebhook(request, row.effect_id)
          : handler
            ? await handler(request as unknown as { kind: string } & Record<string, unknown>, row)
            : await deliver(request, row.effect_id, row.element_id)
    } catch (e) {
      error = e instanceof Error ? e.message : String(e)
      permanent = isPermanent(e)
    }
    const at = new Date(this.o.now()).toISOString()
    const mark = async (trx: Transaction<Database>, set: OutboxChange) => {
      await trx
        .updateTable('outbox')
        .set({ ...set, attempts: attempt, claimed_by: null, claimed_until: null, updated_at: at })
        .where('id', '=', row.id)
        .execute()
      await trx
        .insertInto('outbox_attempts')
        .values({ outbox_id: row.id, at, ok: error === undefined ? 1 : 0, error: error ?? null })
        .execute()
    }
    if (detached) {
      // No rule waits for a webhook (or another detached row): only the row and its attempt are written.
      const set: OutboxChange =
        outputs !== undefined
          ? { status: 'done', result: JSON.stringify(outputs), last_error: null }
          : permanent || attempt >= this.o.maxAttempts
            ? { status: 'failed', last_error: error }
            : { status: 'pending', last_error: error, next_attempt_at: this.o.now() + this.backoff(attempt) }
      await db.transaction().execute((trx) => mark(trx, set))
    } else if (outputs !== undefined) {
      const result = { status: 'done' as const, outputs }
      await runtime.completeEffect(row.element_id, row.effect_id, result, (trx) =>
        mark(trx, { status: 'done', result: JSON.stringify(outputs), last_error: null }),
      )
    } else if (permanent || attempt >= this.o.maxAttempts) {
      const result = {
        status: 'failed' as const,
        error: permanent ? (error ?? 'failed') : `${error} (gave up after ${attempt} attempts)`,
      }
      await runtime.completeEffect(row.element_id, row.effect_id, result, (trx) =>
        mark(trx, { status: 'failed', last_error: error }),
      )
    } else {
      await db
        .transaction()
        .execute((trx) =>
          mark(trx, { status: 'pending', last_error: error, next_attempt_at: this.o.now() + this.backoff(attempt) }),
        )
    }
  }
}

/**
 * Thrown by a delivery that trying again cannot help: the effect fails at once, with this message, and its
 * rule with it (a person mends the cause, then retries the rule).
 */
export class PermanentDeliveryError extends Error {
  readonly permanent = true
}

/** A permanent error: ours, or any error that says so (`permanent: true`, e.g. a refused signing request). */
export function isPermanent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true
}

type OutboxChange = {
  status: 'pending' | 'done' | 'failed'
  result?: string
  last_error?: string | null | undefined
  next_attempt_at?: number
}
