/**
 * The API's one error shape, `{ "error": { "code", "message", "path"? } }`, and the exception
 * handlers throw to answer with it. `app.ts`'s error handler turns an {@link HttpError}, a runtime's
 * `RuntimeError`, a document's or a signer's refusal into that shape; anything else becomes a 500.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { SigningError } from '../documents/signing.js'
import { DocumentError } from '../documents/store.js'
import { RuntimeError } from '../runtime/runtime.js'

export interface ApiErrorBody {
  error: { code: string; message: string; path?: string; line?: number; column?: number }
}

export type ErrorExtra = Omit<ApiErrorBody['error'], 'code' | 'message'>

/** A problem with the request, answered as `{ error: { code, message, path? } }` with `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: ErrorExtra = {},
  ) {
    super(message)
  }
}

export function apiError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  extra: ErrorExtra = {},
): Response {
  const body: ApiErrorBody = { error: { code, message, ...extra } }
  return c.json(body, status)
}

const RUNTIME_STATUS = { not_found: 404, invalid: 422, conflict: 409 } as const
const RUNTIME_CODE = { not_found: 'not-found', invalid: 'invalid', conflict: 'conflict' } as const

/** The answer to an error a handler threw on purpose, or `undefined` for anything else (a bug: 500). */
export function knownErrorResponse(c: Context, error: unknown): Response | undefined {
  if (error instanceof HttpError) return apiError(c, error.status, error.code, error.message, error.extra)
  if (error instanceof RuntimeError) {
    const extra = error.path === undefined ? {} : { path: error.path }
    return apiError(c, RUNTIME_STATUS[error.code], RUNTIME_CODE[error.code], sentence(error.message), extra)
  }
  // Refusals of the documents and signing modules: a signer's (with its own status and code), a document's (422).
  if (error instanceof SigningError) {
    return apiError(c, error.status, error.code, sentence(error.message), error.path ? { path: error.path } : {})
  }
  if (error instanceof DocumentError) {
    return apiError(c, 422, 'invalid', sentence(error.message), { path: error.path ?? '' })
  }
  return undefined
}

/** "no element \"x\"" → "No element \"x\".": the runtime's messages read as the API's do. */
export function sentence(text: string): string {
  const s = text.charAt(0).toUpperCase() + text.slice(1)
  return /[.!?]$/.test(s) ? s : `${s}.`
}
