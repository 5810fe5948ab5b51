/**
 * The calls of the public pages (a signer's link, a document's public link): no account, the token is the key.
 * A signer's calls may name the language the page speaks: the server then answers in it (the notice, refusals).
 */
import type { Language } from '../../../shared/i18n/languages.js'
import { i18n } from '../i18n/index.js'

export interface Signing {
  document: {
    title: string
    number: string
    type: string
    issuedBy: string
    pages: number
    status: string
    pdfUrl: string
  }
  /** The language of the texts here (the one asked for, else the signer's own). */
  language: Language
  /** The signer's own language: the page opens in it. */
  partyLanguage: Language
  party: { name: string; role: 'company' | 'client'; status: string; channel: 'email' | 'sms' }
  parties: Array<{ name: string; role: 'company' | 'client'; status: string }>
  disclosure: { version: string; text: string; sha256: string; language: Language }
  fields: Array<{ id: string; label: string; required: boolean }>
  consented: boolean
  /** A one-time code must be confirmed before signing; where the last one went. */
  oneTimeCode: boolean
  codeSentTo: string | null
  canSign: boolean
  problem: { code: string; message: string } | null
}

export interface PublicDocument {
  title: string
  number: string
  type: string
  issuedBy: string
  issuedOn: string
  pages: number
  status: string
  pdfUrl: string
  expiresAt: string
  /** The document's language: the page opens in it. */
  language: Language
}

/** A refusal of the server, in its words. */
export class PublicError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  let res: Response
  try {
    res = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } })
  } catch {
    throw new PublicError(0, 'network', i18n.t('public:error.network'))
  }
  if (res.status === 204) return undefined as T
  const body = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined
  if (res.ok) return body as T
  if (body?.error) throw new PublicError(res.status, body.error.code, body.error.message)
  if (res.status === 429) throw new PublicError(429, 'rate-limited', i18n.t('public:error.rateLimited'))
  throw new PublicError(res.status, 'http', i18n.t('public:error.http', { status: res.status }))
}

const post = <T>(url: string, body: unknown) =>
  call<T>(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** A signer's URL; `language`: the page's, when the signer picked one (else the server speaks theirs). */
const signingUrl = (token: string, path: string, language: Language | undefined) =>
  `/api/public/signing/${encodeURIComponent(token)}${path}${language ? `?language=${language}` : ''}`

export const fetchSigning = (token: string, language?: Language) => call<Signing>(signingUrl(token, '', language))
export const consentToSign = (token: string, disclosureSha256: string, language?: Language) =>
  post<void>(signingUrl(token, '/consent', language), { disclosureSha256 })
export const signDocument = (
  token: string,
  signature: { method: 'drawn'; png: string } | { method: 'typed'; text: string },
  fields: Record<string, string>,
  code?: string,
  language?: Language,
) =>
  post<{ completed: boolean }>(signingUrl(token, '/sign', language), { signature, fields, ...(code ? { code } : {}) })
export const sendSigningCode = (token: string, language?: Language) =>
  post<void>(signingUrl(token, '/code', language), {})
export const declineSigning = (token: string, reason: string, language?: Language) =>
  post<void>(signingUrl(token, '/decline', language), { reason })

export const fetchPublicDocument = (token: string) =>
  call<PublicDocument>(`/api/public/documents/${encodeURIComponent(token)}`)
