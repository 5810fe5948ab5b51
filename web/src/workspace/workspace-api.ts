/**
 * What the sales screens ask of the server: the board's cards, an element with its rules, history and
 * documents, sending for signing, the inbox. Thin typed wrappers over `call` (errors are `ApiError`s with
 * the server's message and path).
 */
import type { Json } from '../../../shared/engine/types.js'
import { call } from '../api.js'

const enc = encodeURIComponent
const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})
const withSignal = (signal?: AbortSignal): RequestInit => (signal ? { signal } : {})

// ------------------------------------------------------------ pipelines and the board

export interface StageSummary {
  id: string
  name: string
  color: string
  kind: 'inProgress' | 'success' | 'failure'
}

export interface Pipeline {
  id: string
  name: string
  elementType: string
  flows: Array<{ id: string; name: string }>
  version: { flowId: string; number: number; id: string } | null
  stages: StageSummary[]
}

export async function fetchPipelineList(signal?: AbortSignal): Promise<Pipeline[]> {
  return (await call<{ items: Pipeline[] }>('/api/pipelines', withSignal(signal))).items
}

export function fetchPipeline(id: string, signal?: AbortSignal): Promise<Pipeline> {
  return call(`/api/pipelines/${enc(id)}`, withSignal(signal))
}

export type SigningStatus = 'created' | 'sent' | 'signing' | 'signed' | 'declined' | 'expired'

export interface BoardCard {
  id: string
  title: string
  stage: string | null
  amount: number | null
  currency: string | null
  client: { name: string; kind: 'contact' | 'company' } | null
  responsible: { id: string; name: string } | null
  signing: { documentId: string; title: string; status: SigningStatus; signed: number; parties: number } | null
  revision: number
  updatedAt: string
}

export interface Board {
  pipelineId: string
  items: BoardCard[]
  counts: Record<string, number>
  truncated: boolean
}

export interface BoardFilter {
  q?: string
  responsible?: string
  signing?: 'none' | 'waiting' | 'signed' | 'declined'
}

export function fetchBoard(pipelineId: string, filter: BoardFilter, signal?: AbortSignal): Promise<Board> {
  const query = new URLSearchParams()
  if (filter.q?.trim()) query.set('q', filter.q.trim())
  if (filter.responsible) query.set('responsible', filter.responsible)
  if (filter.signing) query.set('signing', filter.signing)
  const qs = query.toString()
  return call(`/api/pipelines/${enc(pipelineId)}/board${qs ? `?${qs}` : ''}`, withSignal(signal))
}

// ------------------------------------------------------------ elements

export interface RuleState {
  id: string
  type: string
  title: string
  state: 'pending' | 'scheduled' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled' | 'notRun'
  dueAt?: string
  waitsUntil?: string
  reason?: string
  error?: string
  at?: string
}

export interface Element {
  id: string
  pipelineId: string
  type: string
  title: string
  stage: string | null
  fields: Record<string, Json>
  variables: Record<string, Json>
  responsible: string | null
  contactId: string | null
  companyId: string | null
  flowVersionId: string | null
  revision: number
  createdAt: string
  updatedAt: string
  rules: RuleState[]
}

export function fetchElement(id: string, signal?: AbortSignal): Promise<Element> {
  return call(`/api/elements/${enc(id)}`, withSignal(signal))
}

export function moveElement(id: string, stage: string): Promise<Element> {
  return call(`/api/elements/${enc(id)}/move`, json({ stage }))
}

export function changeFields(id: string, fields: Record<string, Json>): Promise<Element> {
  return call(`/api/elements/${enc(id)}/fields`, { ...json({ fields }), method: 'PATCH' })
}

export function retryRule(id: string, ruleId: string): Promise<Element> {
  return call(`/api/elements/${enc(id)}/rules/${enc(ruleId)}/retry`, json({}))
}

export interface HistoryRecord {
  seq: number
  at: string
  type: string
  record: Record<string, Json>
}

/** The whole history, oldest first, a page at a time (at most `max` records). */
export async function fetchHistory(id: string, signal?: AbortSignal, max = 5000): Promise<HistoryRecord[]> {
  const out: HistoryRecord[] = []
  let after = 0
  for (;;) {
    const page = await call<{ items: HistoryRecord[] }>(
      `/api/elements/${enc(id)}/history?after=${after}&limit=500`,
      withSignal(signal),
    )
    out.push(...page.items)
    const last = page.items.at(-1)
    if (!last || page.items.length < 500 || out.length >= max) return out
    after = last.seq
  }
}

// ------------------------------------------------------------ people

export interface User {
  id: string
  name: string
  email: string
  role: string
  active: boolean
}

export async function fetchUsers(signal?: AbortSignal): Promise<User[]> {
  return (await call<{ items: User[] }>('/api/users?limit=200', withSignal(signal))).items
}

export interface Contact {
  id: string
  name: string
  email: string | null
  phone: string | null
  companyId: string | null
  requisites?: {
    template?: string
    fields?: Record<string, string>
    addresses?: Record<string, Record<string, string>>
  }
}

export function fetchContact(id: string, signal?: AbortSignal): Promise<Contact> {
  return call(`/api/contacts/${enc(id)}`, withSignal(signal))
}

export interface Company {
  id: string
  name: string
  requisites?: Record<string, string>
  addresses?: Record<string, Record<string, string>>
}

export function fetchCompany(id: string, signal?: AbortSignal): Promise<Company> {
  return call(`/api/companies/${enc(id)}`, withSignal(signal))
}

// ------------------------------------------------------------ documents and signing

export interface SigningParty {
  id: string
  role: 'company' | 'client'
  position: number
  name: string
  channel: string
  status: 'waiting' | 'sent' | 'viewed' | 'consented' | 'signed' | 'declined' | 'expired'
  updatedAt: string
}

export interface DocumentView {
  id: string
  elementId: string
  type: string
  number: string
  title: string
  status: SigningStatus
  templateId: string
  pages: number
  pdfUrl: string
  createdAt: string
  parties: SigningParty[]
  events: Array<{ type: string; at: string; party: string | null; channel: string | null }>
}

export async function fetchDocuments(elementId: string, signal?: AbortSignal): Promise<DocumentView[]> {
  return (await call<{ items: DocumentView[] }>(`/api/documents?element=${enc(elementId)}`, withSignal(signal))).items
}

export interface PlacedField {
  id: string
  kind: string
  page: number
  x: number
  y: number
  width: number
  height: number
  party?: 'company' | 'client'
  bind?: string
  label?: string
  required?: boolean
  fontSize?: number
}

export interface Template {
  id: string
  type: string
  name: string
  source: 'builtin' | 'upload'
  locale: string
  fileId?: string
  fields: PlacedField[]
}

export async function fetchTemplates(signal?: AbortSignal): Promise<Template[]> {
  return (await call<{ items: Template[] }>('/api/templates', withSignal(signal))).items
}

export interface Reuse {
  document: { id: string; number: string; title: string; elementId: string; type: string }
  template: string
  companySigner: string
  channel: string
  signingOrder: string
  oneTimeCode: boolean
  fields: Record<string, Json>
  client: { name: string; email: string; phone: string }
}

/** "Use this template": the last document of the type sent from another element; undefined when none. */
export async function suggestReuse(elementId: string, type: string, signal?: AbortSignal): Promise<Reuse | undefined> {
  try {
    return await call<Reuse>(`/api/elements/${enc(elementId)}/signing/reuse?type=${enc(type)}`, withSignal(signal))
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined
    throw e
  }
}

export interface SendForSigning {
  template?: string
  document?: string
  reuse?: string
  companySigner?: string
  channel?: 'email' | 'sms'
  client?: { name?: string; email?: string; phone?: string }
  fields?: Record<string, string>
  oneTimeCode?: boolean
}

export function sendForSigning(
  elementId: string,
  body: SendForSigning,
): Promise<{ documentId: string; documentNumber: string; clientSigningLink: string }> {
  return call(`/api/elements/${enc(elementId)}/signing`, json(body))
}

export function makeDocument(elementId: string, template: string): Promise<DocumentView> {
  return call(`/api/elements/${enc(elementId)}/documents`, json({ template }))
}

// ------------------------------------------------------------ the inbox

export interface Notification {
  id: number
  userId: string
  elementId: string | null
  text: string
  createdAt: string
  readAt: string | null
}

export interface Task {
  id: string
  elementId: string
  title: string
  description: string | null
  responsible: string
  deadline: string | null
  checklist: string[]
  doneAt: string | null
  createdAt: string
}

export async function fetchNotifications(user: string | undefined, signal?: AbortSignal): Promise<Notification[]> {
  const q = user ? `?user=${enc(user)}&limit=200` : '?limit=200'
  return (await call<{ items: Notification[] }>(`/api/notifications${q}`, withSignal(signal))).items
}

export async function fetchTasks(element?: string, signal?: AbortSignal): Promise<Task[]> {
  const q = element ? `?element=${enc(element)}&limit=200` : '?limit=200'
  return (await call<{ items: Task[] }>(`/api/tasks${q}`, withSignal(signal))).items
}

export function markRead(id: number): Promise<Notification> {
  return call(`/api/notifications/${id}/read`, { method: 'POST' })
}

export function completeTask(id: string, done = true): Promise<Task> {
  return call(`/api/tasks/${enc(id)}/done`, json({ done }))
}

// ------------------------------------------------------------ the template editor

/** A template as `GET /api/templates/{id}` gives it, with its money settings. */
export interface TemplateDetails extends Template {
  currency: string
  taxRate: number
}

export function fetchTemplate(id: string, signal?: AbortSignal): Promise<TemplateDetails> {
  return call(`/api/templates/${enc(id)}`, withSignal(signal))
}

export interface NewTemplate {
  name: string
  type: string
  locale?: string
  currency?: string
  taxRate?: number
  /** An uploaded PDF (`uploadPdf`). */
  fileId: string
  fields: PlacedField[]
}

/** Makes a template of an uploaded PDF; a field off its page is refused with 422 and the field's path. */
export function createTemplate(body: NewTemplate): Promise<TemplateDetails> {
  return call('/api/templates', json(body))
}

export type TemplateChange = Partial<Pick<NewTemplate, 'name' | 'locale' | 'currency' | 'taxRate' | 'fields'>>

/** Changes an uploaded template (a built-in one is refused with 409). */
export function updateTemplate(id: string, change: TemplateChange): Promise<TemplateDetails> {
  return call(`/api/templates/${enc(id)}`, { ...json(change), method: 'PATCH' })
}

export interface StoredFile {
  id: string
  name: string
  contentType: string
  size: number
  url: string
}

/** Uploads a PDF (`POST /api/files`, the bytes as the body); `name` loses slashes, quotes and control characters. */
export function uploadPdf(name: string, bytes: Blob | Uint8Array): Promise<StoredFile> {
  const safe =
    [...name]
      .map((c) => (c === '/' || c === '\\' || c === '"' || c.charCodeAt(0) < 0x20 ? '_' : c))
      .join('')
      .slice(0, 200) || 'template.pdf'
  return call(`/api/files?name=${enc(safe)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf' },
    body:
      bytes instanceof Uint8Array ? new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }) : bytes,
  })
}

/** Where an uploaded file's bytes are (`GET /api/files/{id}`). */
export const fileUrl = (id: string) => `/api/files/${enc(id)}`
