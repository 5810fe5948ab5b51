/**
 * What an operation of the API is, as data: `api-spec.ts` and `directory-spec.ts` declare their
 * operations with this type, `runtime-api.ts` serves them and `openapi.ts` documents them. It lives
 * on its own so that both spec files import it without importing each other.
 *
 * A body is either JSON checked against a schema, or raw bytes of one of a few media types
 * (an image upload), which the handler receives as they came and checks itself.
 */
import type { Context } from 'hono'
import type { TSchema } from 'typebox'
import { HttpError } from './errors.js'
import { readBodyBytes } from './input.js'

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** A JSON body, checked against `schema` (strictly: unknown keys are refused) before the handler runs. */
export interface JsonBody {
  schema: TSchema
  maxBytes: number
  description: string
}

/** A raw body (not JSON) of one of the media types in `raw`; the handler gets its bytes. */
export interface RawBody {
  raw: readonly string[]
  maxBytes: number
  description: string
}

export interface Operation {
  method: Method
  /** OpenAPI form: `/api/flows/{id}`. */
  path: string
  summary: string
  description?: string
  /** Path parameters, in order. */
  params?: Readonly<Record<string, { description: string; integer?: boolean }>>
  /** Request headers the operation reads. */
  headers?: Readonly<Record<string, { description: string; required: boolean }>>
  /**
   * Answers without passing the app's guard (it must be in `app.ts`'s public list): the operation
   * authenticates its callers itself.
   */
  public?: true
  query?: TSchema
  body?: JsonBody | RawBody
  /**
   * Answers besides the common ones (400, 404, 413, 415, 503 are added from the above). An answer
   * with `schema` is JSON of that shape; with `media`, bytes of one of those types; a success
   * without either has no body (204, 304); a refusal without either is the error shape.
   */
  responses: Readonly<Record<string, { description: string; schema?: TSchema; media?: readonly string[] }>>
}

export function isRawBody(body: JsonBody | RawBody): body is RawBody {
  return 'raw' in body
}

/**
 * The bytes of a raw body, at most `maxBytes` of them (else 413). Refuses (415) a body whose declared
 * media type is not one of `types`; whether the bytes really are of that type is the handler's to check.
 */
export async function readRawBody(c: Context, types: readonly string[], maxBytes: number): Promise<Uint8Array> {
  const declared = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (!types.includes(declared)) {
    throw new HttpError(
      415,
      'unsupported-media-type',
      `Send the body as ${types.join(' or ')}, with the header "Content-Type: ${types[0]}"` +
        `${declared ? `; "${declared}" is not accepted here` : ''}.`,
    )
  }
  return readBodyBytes(c, maxBytes)
}
