/** The calls of the public pages (a signer's link, a document's public link): no account, the token is the key. */

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
  party: { name: string; role: 'company' | 'client'; status: string }
  parties: Array<{ name: string; role: 'company' | 'client'; status: string }>
  disclosure: { version: string; text: string; sha256: string }
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
    throw new PublicError(0, 'network', 'The server cannot be reached. Check your connection and try again.')
  }
  if (res.status === 204) return undefined as T
  const body = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined
  if (res.ok) return body as T
  if (body?.error) throw new PublicError(res.status, body.error.code, body.error.message)
  if (res.status === 429) throw new PublicError(429, 'rate-limited', 'Too many requests; wait a minute and try again.')
  throw new PublicError(res.status, 'http', `The server answered ${res.status}.`)
}

const post = <T>(url: string, body: unknown) =>
  call<T>(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const signingUrl = (token: string, path = '') => `/api/public/signing/${encodeURIComponent(token)}${path}`

export const fetchSigning = (token: string) => call<Signing>(signingUrl(token))
export const consentToSign = (token: string, disclosureSha256: string) =>
  post<void>(signingUrl(token, '/consent'), { disclosureSha256 })
export const signDocument = (
  token: string,
  signature: { method: 'drawn'; png: string } | { method: 'typed'; text: string },
  fields: Record<string, string>,
  code?: string,
) => post<{ completed: boolean }>(signingUrl(token, '/sign'), { signature, fields, ...(code ? { code } : {}) })
export const sendSigningCode = (token: string) => post<void>(signingUrl(token, '/code'), {})
export const declineSigning = (token: string, reason: string) => post<void>(signingUrl(token, '/decline'), { reason })

export const fetchPublicDocument = (token: string) =>
  call<PublicDocument>(`/api/public/documents/${encodeURIComponent(token)}`)
