/**
 * The audit log: who changed what, when and from where. Every change made through the API
 * (flows, elements, contacts, companies, my companies, users, constants, files, webhook secrets)
 * writes one row in the same transaction as the change, so a change and its record land together
 * or not at all. Rows are only ever inserted.
 *
 * The rows form a hash chain. Row `seq` n carries `prev_hash` (the hash of row n-1; 64 zeros for the
 * first) and `hash` = SHA-256 of `JSON.stringify([seq, at, actor, action, target, detail, prev_hash])`,
 * `detail` as the stored text. `audit_head` keeps the newest seq and hash; an append locks it (PostgreSQL:
 * `FOR UPDATE`; SQLite writes one transaction at a time), so appends take turns and the chain never forks.
 * {@link verifyAuditChain} recomputes it and names the first row that was edited, deleted or reordered.
 * (A chain without a secret proves that rows were not changed by someone who did not also recompute every
 * later hash; anchoring the head elsewhere is what makes that recomputation visible too.)
 */
import { createHash } from 'node:crypto'
import type { Json } from '../../shared/engine/types.js'
import { dialectOf } from './dialect.js'
import type { AuditLogRow } from './schema.js'
import { type Executor, InsertShape, QueryShape } from './shapes.js'

/** Who did it: a user or token id once sign-in exists; `api` for an unauthenticated caller; `engine` for rules. */
export interface Actor {
  id: string
  ip?: string
  userAgent?: string
}

export interface AuditEntry {
  /** A dotted verb, e.g. `flow.published`, `element.moved`, `contact.created`. */
  action: string
  /** What it was done to, as `<kind>:<id>`, e.g. `element:deal-7`. */
  target: string
  detail?: Record<string, Json>
}

/** The hash before the first row. */
export const GENESIS_HASH = '0'.repeat(64)

/** The hash of one row of the chain (the same formula as migration 0006). */
export function auditRowHash(row: {
  seq: number
  at: string
  actor: string
  action: string
  target: string
  detail: string
  prev_hash: string
}): string {
  return createHash('sha256')
    .update(JSON.stringify([row.seq, row.at, row.actor, row.action, row.target, row.detail, row.prev_hash]))
    .digest('hex')
}

// Compiled once: the API writes one of these per change (thousands a second on the hot path).
const insertAudit = new InsertShape(
  'audit_log',
  ['at', 'actor', 'action', 'target', 'detail', 'seq', 'prev_hash', 'hash'],
  1,
)
const readHead = new QueryShape((db: Executor, id: number) =>
  db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', id),
)
const lockHead = new QueryShape((db: Executor, id: number) =>
  db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', id).forUpdate(),
)
const moveHead = new QueryShape((db: Executor, seq: number, hash: string, id: number) =>
  db.updateTable('audit_head').set({ seq, hash }).where('id', '=', id),
)

/** The system itself (seeding, retention). */
export const SYSTEM_ACTOR: Actor = { id: 'system' }

/** Appends one row to the chain; call it inside the change's own transaction. */
export async function writeAudit(db: Executor, actor: Actor, entry: AuditEntry, at = new Date().toISOString()) {
  const detail: Record<string, Json> = { ...(entry.detail ?? {}) }
  if (actor.ip !== undefined) detail.ip = actor.ip
  if (actor.userAgent !== undefined) detail.userAgent = actor.userAgent
  const dialect = dialectOf(db)
  const head = (await (dialect === 'postgres' ? lockHead : readHead).run<{ seq: number; hash: string }>(db, dialect, 1))
    .rows[0]
  if (!head) throw new Error('the audit chain has no head row (migration 0006 makes it)')
  const row = {
    seq: Number(head.seq) + 1,
    at,
    actor: actor.id,
    action: entry.action,
    target: entry.target,
    detail: JSON.stringify(detail),
    prev_hash: head.hash,
  }
  const hash = auditRowHash(row)
  await insertAudit.run(db, dialect, [
    [row.at, row.actor, row.action, row.target, row.detail, row.seq, row.prev_hash, hash],
  ])
  await moveHead.run(db, dialect, row.seq, hash, 1)
}

/** An audit row as the API shows it. */
export function auditView(row: AuditLogRow) {
  return {
    id: Number(row.id),
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    detail: JSON.parse(row.detail) as Record<string, Json>,
    hash: row.hash,
    prevHash: row.prev_hash,
  }
}

/** What `verifyAuditChain` found wrong first; none when the chain holds. */
export interface ChainProblem {
  kind: 'edited' | 'deleted' | 'reordered'
  /** The seq the problem was seen at (the row that was changed, or the first that is missing). */
  seq: number
  /** The row's id where there is one. */
  id?: number
  message: string
}

export interface ChainReport {
  ok: boolean
  rows: number
  headSeq: number
  problem?: ChainProblem
}

/**
 * Recomputes the chain in insertion (id) order and names the first row that was edited (its content no
 * longer gives its hash), deleted (a seq is missing, inside or at the end) or reordered (a row stands where
 * another seq was expected, and that seq is elsewhere in the table). Reads in pages; constant memory.
 */
export async function verifyAuditChain(db: Executor, pageSize = 1000): Promise<ChainReport> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst()
  const headSeq = Number(head?.seq ?? 0)
  let expected = 1
  let prev = GENESIS_HASH
  let rows = 0
  let after = -1
  const seqExists = async (seq: number) =>
    (await db.selectFrom('audit_log').select('id').where('seq', '=', seq).executeTakeFirst()) !== undefined
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute()
    if (page.length === 0) break
    for (const row of page) {
      rows++
      after = Number(row.id)
      const seq = Number(row.seq)
      const id = Number(row.id)
      if (seq !== expected) {
        const missing = !(await seqExists(expected))
        const problem: ChainProblem = missing
          ? {
              kind: 'deleted',
              seq: expected,
              message: `row ${expected} of the audit chain is missing (deleted): row ${seq} (id ${id}) follows row ${expected - 1}`,
            }
          : {
              kind: 'reordered',
              seq,
              id,
              message: `row ${seq} (id ${id}) stands where row ${expected} was expected: the rows were reordered`,
            }
        return { ok: false, rows, headSeq, problem }
      }
      if (row.prev_hash !== prev || auditRowHash({ ...row, seq, prev_hash: row.prev_hash }) !== row.hash) {
        const edited = auditRowHash({ ...row, seq, prev_hash: row.prev_hash }) !== row.hash
        return {
          ok: false,
          rows,
          headSeq,
          problem: edited
            ? {
                kind: 'edited',
                seq,
                id,
                message: `row ${seq} (id ${id}) was edited: its content no longer gives its hash`,
              }
            : {
                kind: 'edited',
                seq: seq - 1,
                message: `row ${seq - 1} was edited or replaced: row ${seq} (id ${id}) links to another hash`,
              },
        }
      }
      prev = row.hash
      expected++
    }
  }
  if (headSeq !== expected - 1 || (head && head.hash !== prev)) {
    return {
      ok: false,
      rows,
      headSeq,
      problem:
        headSeq > expected - 1
          ? {
              kind: 'deleted',
              seq: expected,
              message: `rows ${expected} to ${headSeq} of the audit chain are missing (deleted from the end)`,
            }
          : {
              kind: 'edited',
              seq: expected - 1,
              message: `the chain's head (seq ${headSeq}) does not match its last row (${expected - 1})`,
            },
    }
  }
  return { ok: true, rows, headSeq }
}
