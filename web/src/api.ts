/** The designer's calls to the Signflow HTTP API (same origin; `vite` proxies `/api` in development). */
import type { Category, ElementType, Finding, PaletteItem } from '../../shared/index.js'

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
  ) {
    super(message)
  }
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = value.error
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error
}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  let res: Response
  try {
    res = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError(0, 'network', 'The Signflow server cannot be reached. Is it running?')
  }
  const body: unknown = await res.json().catch(() => undefined)
  if (res.ok) return body as T
  if (isApiErrorBody(body)) {
    const { code, message, line, column } = body.error
    throw new ApiError(res.status, code, message, line, column)
  }
  throw new ApiError(res.status, 'http', `The server answered ${res.status} ${res.statusText}.`)
}

export function fetchCatalog(elementType: ElementType, signal?: AbortSignal): Promise<PaletteGroup[]> {
  return call(`/api/catalog?elementType=${encodeURIComponent(elementType)}`, signal ? { signal } : {})
}

export interface ValidationResponse {
  valid: boolean
  findings: Finding[]
}

export function validateGraph(text: string, signal?: AbortSignal): Promise<ValidationResponse> {
  return call('/api/validate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
    ...(signal ? { signal } : {}),
  })
}
