/**
 * The audit log: who changed what, when and from where. Every change made through the API
 * (flows, elements, contacts, companies, my companies, users, constants, webhook secrets) writes
 * one row in the same transaction as the change, so a change and its record land together or not
 * at all. Rows are only ever inserted. (The hash chain over these rows and sign-in's real actors
 * come with the people-and-proof issue.)
 */
import type { Json } from '../../shared/engine/types.js'
import { dialectOf } from './dialect.js'
import type { AuditLogRow } from './schema.js'
import { type Executor, InsertShape } from './shapes.js'

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

/** Compiled once: changes through the API write one of these each (thousands a second on the hot path). */
const insertAudit = new InsertShape('audit_log', ['at', 'actor', 'action', 'target', 'detail'], 1)

/** The system itself (seeding, retention). */
export const SYSTEM_ACTOR: Actor = { id: 'system' }

/** Appends one row; call it inside the change's own transaction. */
export async function writeAudit(db: Executor, actor: Actor, entry: AuditEntry, at = new Date().toISOString()) {
  const detail: Record<string, Json> = { ...(entry.detail ?? {}) }
  if (actor.ip !== undefined) detail.ip = actor.ip
  if (actor.userAgent !== undefined) detail.userAgent = actor.userAgent
  await insertAudit.run(db, dialectOf(db), [[at, actor.id, entry.action, entry.target, JSON.stringify(detail)]])
}

/** An audit row as the API shows it. */
export function auditView(row: AuditLogRow) {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    detail: JSON.parse(row.detail) as Record<string, Json>,
  }
}
