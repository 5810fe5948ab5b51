/**
 * Outgoing webhooks: what happened to elements, told to the URLs integrators subscribed. The runtime
 * turns an input's timeline records into events (below) and, in the input's own transaction, queues one
 * outbox row per subscription that wants the event; the outbox worker delivers it with retries and
 * backoff and records each attempt, as it does email.
 *
 * Each delivery is a POST of `{"id","type","occurredAt","data"}` with the headers
 * `x-signflow-event`, `x-signflow-delivery` (the same for a retry: receivers drop repeats) and
 * `x-signflow-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`. A receiver
 * recomputes the HMAC and refuses a timestamp older than a few minutes (replay).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import type { Json, TimelineRecord } from '../../shared/engine/types.js'

export const OUTGOING_EVENT_TYPES = [
  'element.moved',
  'rule.failed',
  'document.sent',
  'document.viewed',
  'document.signed',
  'document.declined',
  'document.completed',
] as const
export type OutgoingEventType = (typeof OUTGOING_EVENT_TYPES)[number]

export const SIGNATURE_HEADER = 'x-signflow-signature'
export const EVENT_HEADER = 'x-signflow-event'
export const DELIVERY_HEADER = 'x-signflow-delivery'

export interface OutgoingEvent {
  type: OutgoingEventType
  data: Record<string, Json>
}

/** The events one timeline record is, for the element `elementId`. */
export function eventsOf(record: TimelineRecord, elementId: string): OutgoingEvent[] {
  switch (record.type) {
    case 'stage.entered':
      return [{ type: 'element.moved', data: { elementId, stage: record.stage, from: record.from } }]
    case 'rule.failed':
      return [{ type: 'rule.failed', data: { elementId, stage: record.stage, rule: record.node, error: record.error } }]
    case 'effect.requested':
      return record.request.kind === 'sendForSigning'
        ? [{ type: 'document.sent', data: { elementId, rule: record.node, channel: record.request.channel } }]
        : []
    case 'event.received': {
      const e = record.event
      const documentType: Record<string, Json> =
        'documentType' in e && e.documentType ? { documentType: e.documentType } : {}
      switch (e.type) {
        case 'documentViewed':
          return [{ type: 'document.viewed', data: { elementId, ...documentType } }]
        case 'signedByClient':
        case 'signedByCompany':
          return [
            {
              type: 'document.signed',
              data: { elementId, by: e.type === 'signedByClient' ? 'client' : 'company', ...documentType },
            },
          ]
        case 'signingRefused':
          return [{ type: 'document.declined', data: { elementId, ...documentType } }]
        case 'signedByAll':
          return [{ type: 'document.completed', data: { elementId, ...documentType } }]
        default:
          return []
      }
    }
    default:
      return []
  }
}

/** What an outbox row of kind "webhook" asks for. */
export interface WebhookRequest {
  kind: 'webhook'
  subscription: string
  url: string
  body: string
  event: OutgoingEventType
}

/** The body of one delivery, and its id (also in `x-signflow-delivery`). */
export function deliveryBody(event: OutgoingEvent, at: string): { id: string; body: string } {
  const id = randomUUID()
  return { id, body: JSON.stringify({ id, type: event.type, occurredAt: at, data: event.data }) }
}

/** `t=<seconds>,v1=<hex>`: the signature of `body` sent at `seconds`. */
export function signature(secret: string, body: string, seconds: number): string {
  const mac = createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex')
  return `t=${seconds},v1=${mac}`
}

/**
 * Checks a delivery as a receiver would: the signature must be the secret's over the body, made at most
 * `toleranceSeconds` before `nowSeconds`. (Exported for integrators' tests and ours.)
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]))
  const t = Number(parts.t)
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || typeof parts.v1 !== 'string') return false
  const expected = Buffer.from(signature(secret, body, t).split('v1=')[1] ?? '', 'hex')
  const given = Buffer.from(parts.v1, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** Delivers one webhook: a non-2xx answer or no answer in 10 s is a failure the outbox retries. */
export async function deliverWebhook(request: WebhookRequest, secret: string, deliveryId: string, now: number) {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Signflow-Webhooks/1',
      [EVENT_HEADER]: request.event,
      [DELIVERY_HEADER]: deliveryId,
      [SIGNATURE_HEADER]: signature(secret, request.body, Math.floor(now / 1000)),
    },
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  })
  await response.body?.cancel().catch(() => undefined)
  if (response.status < 200 || response.status > 299) throw new Error(`the receiver answered ${response.status}`)
  return { status: response.status }
}
