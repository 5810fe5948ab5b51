/** The web app's calls to the Signflow HTTP API (same origin; `vite` proxies `/api` in development). */

import type { Scenario } from '../../shared/engine/scenario.js'
import type { Graph } from '../../shared/graph/graph.js'
import type { Category, ElementType, Finding, PaletteItem } from '../../shared/index.js'
import { currentLanguage, i18n } from './i18n/index.js'

export interface PaletteGroup {
  category: Category
  items: PaletteItem[]
}

export interface ApiErrorBody {
  error: { code: string; message: string; path?: string; line?: number; column?: number }
}

/** A failed call: the server's error (when it sent one) or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
    /** The JSON path the server names (a field of the form), when it names one. */
    readonly path?: string,
  ) {
    super(message)
  }
}

/** Sent on `window` when the server says nobody is signed in. */
export const SIGNED_OUT_EVENT = 'signflow:signed-out'

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = value.error
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error
}

export async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  let res: Response
  try {
    res = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError(0, 'network', i18n.t('common:errors.unreachable'))
  }
  const body: unknown = await res.json().catch(() => undefined)
  if (res.ok) return body as T
  // The session ended (signed out elsewhere, expired): the app shows its sign-in screen.
  if (res.status === 401 && !url.startsWith('/api/auth/')) window.dispatchEvent(new Event(SIGNED_OUT_EVENT))
  if (isApiErrorBody(body)) {
    const { code, message, line, column, path } = body.error
    throw new ApiError(res.status, code, message, line, column, path)
  }
  throw new ApiError(
    res.status,
    'http',
    i18n.t('common:errors.http', { status: `${res.status} ${res.statusText}`.trim() }),
  )
}

export function fetchCatalog(elementType: ElementType, signal?: AbortSignal): Promise<PaletteGroup[]> {
  return call(`/api/catalog?elementType=${encodeURIComponent(elementType)}`, signal ? { signal } : {})
}

export interface ValidationResponse {
  valid: boolean
  findings: Finding[]
}

/** What the demo's mail and SMS catcher received (`GET /api/messages`). */
export interface Message {
  id: number
  channel: 'email' | 'sms'
  to: string
  /** Emails only. */
  subject: string | null
  body: string
  /** What came attached to an email (absent from older servers). */
  attachments?: Array<{ filename: string | null; contentType: string; size: number; sha256: string }>
  /** ISO 8601. */
  receivedAt: string
}

export type DeliveryStatus = 'pending' | 'sending' | 'done' | 'failed'

/** An effect the outbox worker delivers, with its progress (`GET /api/outbox`). */
export interface Delivery {
  id: number
  /** The effect: `email`, `sms`, `createDocument`, `sendForSigning`, `notification`, `task`, … */
  kind: string
  status: DeliveryStatus
  attempts: number
  lastError: string | null
  /** ISO 8601. */
  /** Null while it waits for a signer's turn. */
  nextAttemptAt: string | null
  elementId: string
  /** ISO 8601. */
  createdAt: string
}

interface Page<T> {
  items: T[]
}

function itemsOf<T>(page: Page<T> | undefined): T[] {
  if (!Array.isArray(page?.items)) throw new ApiError(200, 'bad-answer', i18n.t('common:errors.badAnswer'))
  return page.items
}

/** The newest messages the catcher received, newest first. */
export async function fetchMessages(signal?: AbortSignal): Promise<Message[]> {
  return itemsOf(await call<Page<Message> | undefined>('/api/messages', signal ? { signal } : {}))
}

/** The newest outbox rows, newest first. */
export async function fetchDeliveries(signal?: AbortSignal): Promise<Delivery[]> {
  return itemsOf(await call<Page<Delivery> | undefined>('/api/outbox', signal ? { signal } : {}))
}

export interface Me {
  user: { id: string; name: string; email: string; role: string }
  role: string
  via: 'session' | 'token'
  mustChangePassword?: boolean
  /** The API operations this session may call (absent from older servers): what the UI offers follows it. */
  operations?: string[]
}

/** Who is signed in: the user, `signedOut`, or `open` when the server has no sign-in (or no storage). */
export async function fetchMe(signal?: AbortSignal): Promise<Me | 'signedOut' | 'open'> {
  // Asked first, so that a server without sign-in is not asked "who am I?" (a 404 the browser would log).
  const health = await call<{ signIn?: boolean }>('/api/health', signal ? { signal } : {})
  if (health.signIn !== true) return 'open'
  try {
    return await call<Me>('/api/me', signal ? { signal } : {})
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return 'signedOut'
    if (error instanceof ApiError && (error.status === 404 || error.status === 503)) return 'open'
    throw error
  }
}

/** Signs in; the answer's error says why not, in words for the person at the screen. */
export async function signIn(email: string, password: string): Promise<void> {
  try {
    await call('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    if (error.status === 401) throw new ApiError(401, 'wrong', i18n.t('common:errors.wrongPassword'))
    if (error.status === 403) throw new ApiError(403, 'blocked', i18n.t('common:errors.deactivated'))
    if (error.status === 429) throw new ApiError(429, 'slow-down', i18n.t('common:errors.tooMany'))
    throw error
  }
}

export async function signOut(): Promise<void> {
  await call('/api/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
}

/** Chooses a new password (the current one must be right). */
export async function changeMyPassword(currentPassword: string, newPassword: string): Promise<void> {
  try {
    await call('/api/me/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword, newPassword }),
    })
  } catch (error) {
    if (error instanceof ApiError && error.code === 'bad-request')
      throw new ApiError(400, 'short', i18n.t('common:errors.shortPassword', { count: 10 }))
    throw error
  }
}

/** A pipeline as the designer lists it (`GET /api/pipelines`). */
export interface PipelineSummary {
  id: string
  name: string
  elementType: string
  flows: Array<{ id: string; name: string }>
}

export async function fetchPipelines(): Promise<PipelineSummary[]> {
  return (await call<{ items: PipelineSummary[] }>('/api/pipelines')).items
}

/** A flow with its draft graph (`GET /api/flows/{id}`). */
export function fetchFlow(
  id: string,
): Promise<{ id: string; name: string; draft: Graph; latestVersion: number | null }> {
  return call(`/api/flows/${encodeURIComponent(id)}`)
}

/** Saves a flow's draft; a graph with errors is refused (422, the first error's path). */
export function saveDraft(id: string, graph: Graph): Promise<{ updatedAt: string }> {
  return call(`/api/flows/${encodeURIComponent(id)}/draft`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(graph),
  })
}

/**
 * Publishes a graph as the flow's next version, with an optional note saying why (at most 1000 characters),
 * refused with 422 and the first error's path. The same content as the latest version answers that version.
 */
export function publishGraph(id: string, graph: Graph, note?: string): Promise<{ number: number; id: string }> {
  return call(`/api/flows/${encodeURIComponent(id)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(note === undefined ? { graph } : { graph, note }),
  })
}

/** A published version of a flow, as `GET /api/flows/{id}/versions` lists it. */
export interface Version {
  /** `<flow>@<number>` */
  id: string
  number: number
  /** SHA-256 of the graph, independent of key order: equal hashes, equal content. */
  hash: string
  publishedAt: string
  /** Who published it (`user:<id>`, `token:<id>`, `api`, …). */
  publishedBy: string
  /** Why it was published; a rollback's default is "Rollback to version N"; null when none was given. */
  note: string | null
}

/** The flow's published versions, oldest first. */
export async function fetchVersions(flowId: string, signal?: AbortSignal): Promise<Version[]> {
  return itemsOf(
    await call<Page<Version> | undefined>(
      `/api/flows/${encodeURIComponent(flowId)}/versions`,
      signal ? { signal } : {},
    ),
  )
}

/** The graph of one published version (404 `not-found` when the flow has no such version). */
export function fetchVersion(flowId: string, number: number, signal?: AbortSignal): Promise<Graph> {
  return call(`/api/flows/${encodeURIComponent(flowId)}/versions/${number}`, signal ? { signal } : {})
}

/**
 * Publishes an old version's graph again as a new version, with a note (the server's default: "Rollback to
 * version N"). When that graph is already the latest version, the latest version is answered.
 */
export function rollbackTo(
  flowId: string,
  number: number,
  note?: string,
): Promise<{ id: string; number: number; hash: string }> {
  return call(`/api/flows/${encodeURIComponent(flowId)}/rollback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(note === undefined ? { number } : { number, note }),
  })
}

/**
 * Creates a pipeline and its flow (of the same id, made from the name) with a one-stage draft to design; nothing
 * is published. Answers the pipeline as `fetchPipelines` lists it, its flow in `flows`.
 */
export function createPipeline(name: string, elementType: ElementType, firstStage?: string): Promise<PipelineSummary> {
  return call('/api/pipelines', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, elementType, ...(firstStage ? { firstStage } : {}) }),
  })
}

// ------------------------------------------------------------ the simulator's scenarios and previews

/** A scenario stored next to a flow (`GET /api/flows/{id}/scenarios`). */
export interface StoredScenario {
  /** Unique in the flow: a graph id (letters, digits, "_", "-"; starting with a letter). */
  id: string
  name: string
  /** ISO 8601. */
  updatedAt: string
  /** Who saved it last (`user:<id>`, `token:<id>`, `api`). */
  updatedBy: string
  /** The scenario as it was saved. */
  scenario: Scenario
}

/** The flow's stored scenarios, by name. */
export async function fetchScenarios(flowId: string, signal?: AbortSignal): Promise<StoredScenario[]> {
  return itemsOf(
    await call<Page<StoredScenario> | undefined>(
      `/api/flows/${encodeURIComponent(flowId)}/scenarios`,
      signal ? { signal } : {},
    ),
  )
}

/**
 * Stores a scenario next to the flow under `id` (made, or replaced). Its `graph` says what it runs against (the
 * designer's: "draft"). An invalid scenario is refused with 422 `invalid` and the path of its first problem.
 */
export function saveScenario(
  flowId: string,
  id: string,
  scenario: Scenario,
): Promise<{ id: string; name: string; updatedAt: string }> {
  return call(`/api/flows/${encodeURIComponent(flowId)}/scenarios/${encodeURIComponent(id)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(scenario),
  })
}

/** Deletes a stored scenario (404 `not-found` when there is none of that id). */
export async function deleteScenario(flowId: string, id: string): Promise<void> {
  await call<undefined>(`/api/flows/${encodeURIComponent(flowId)}/scenarios/${encodeURIComponent(id)}`, {
    method: 'DELETE',
  })
}

/** Text as base64url (RFC 4648 §5, no padding) of its UTF-8 bytes, so that "Łódź" and "İstanbul" survive. */
function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Where a template drawn as a PDF from these field values is (`GET /api/templates/{id}/preview`): the same
 * drawing as a real document's, numbered "PREVIEW", with nothing stored. `fields` are flat paths ("title",
 * "amount", "client.name"); paths under "fields." are a "Create document" rule's extra fields. At most 64 KB
 * once encoded.
 */
export function templatePreviewUrl(templateId: string, fields: Record<string, unknown>): string {
  // Marked "PREVIEW — NOT VALID" in the language the app speaks now ("ÖNİZLEME — GEÇERSİZ").
  return `/api/templates/${encodeURIComponent(templateId)}/preview?fields=${base64url(JSON.stringify(fields))}&language=${currentLanguage()}`
}
