/**
 * Reading what a request sends, strictly: a JSON body (declared as JSON, parsed with the line and
 * column of a syntax error, no `__proto__`/`constructor`/`prototype` keys anywhere, nesting
 * bounded) and query parameters, each checked by ajv against the route's schema. Every refusal
 * names the offending part with a JSON Pointer (`path`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import type { Context } from 'hono'
import type { Static, TSchema } from 'typebox'
import { MAX_DEPTH, parseJson, pointerSegment } from '../../shared/index.js'
import { formatBytes, GRAPH_KEYWORD } from './api-spec.js'
import { HttpError } from './errors.js'

/**
 * Keys no body may have at any depth. `JSON.parse` makes them plain own properties, but code that
 * copies objects with assignment (`Object.assign`, `target[key] = …`) would set a prototype.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true })
ajv.addKeyword({ keyword: GRAPH_KEYWORD })

export type Where = 'body' | 'query'

/** A checker for one request schema: returns the value typed, or throws a 400 naming the first problem. */
export type Checker<T extends TSchema> = (value: unknown, where: Where) => Static<T>

export function compileSchema<T extends TSchema>(schema: T): Checker<T> {
  const check: ValidateFunction = ajv.compile(schema)
  return (value, where) => {
    if (check(value)) return value as Static<T>
    const error = firstProblem(check.errors ?? [])
    throw error ? schemaProblem(error, where) : new HttpError(400, 'bad-request', `The ${where} is not valid.`)
  }
}

/**
 * The error to report: an unknown key first (`{"stagee": …}` is a typo of the missing "stage",
 * and saying so helps more than "stage is required"), then a missing one, then the first other.
 */
function firstProblem(errors: ErrorObject[]): ErrorObject | undefined {
  return (
    errors.find((e) => e.keyword === 'additionalProperties') ??
    errors.find((e) => e.propertyName !== undefined) ??
    errors.find((e) => e.keyword === 'required') ??
    errors[0]
  )
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/**
 * The request body's bytes, at most `maxBytes` of them, else a 413. A declared Content-Length over
 * the limit is refused before anything is read; a body without one (chunked) is counted as it
 * arrives and refused as soon as it passes the limit, so a hostile client cannot make the server
 * hold more than that. (Hono's `bodyLimit` does the same by wrapping the request in a new one,
 * which costs more than the rest of reading a small body.)
 */
export async function readBodyBytes(c: Context, maxBytes: number): Promise<Uint8Array> {
  const node = c.env as NodeBindings | undefined
  const tooLarge = () => {
    // What is left unread is not worth reading: the connection closes after the answer.
    if (node?.outgoing) node.outgoing.shouldKeepAlive = false
    return new HttpError(413, 'payload-too-large', `The body is larger than ${formatBytes(maxBytes)}.`)
  }
  const declared = c.req.header('content-length')
  if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge()
  // Served by Node: read the socket's request directly (making a web Request and its stream costs more
  // than the rest of reading a small body).
  const incoming = node?.incoming
  if (incoming && !incoming.readableEnded && incoming.readableFlowing === null) {
    return readIncoming(incoming, maxBytes, tooLarge)
  }
  const body = c.req.raw.body
  if (body === null) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array
  return Buffer.concat(chunks, size)
}

/** What `@hono/node-server` gives a handler as `c.env`. */
interface NodeBindings {
  incoming?: IncomingMessage
  outgoing?: ServerResponse
}

function readIncoming(incoming: IncomingMessage, maxBytes: number, tooLarge: () => HttpError): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = () => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
      incoming.off('close', onClose)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        done()
        incoming.pause()
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      done()
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
    }
    const onError = (error: Error) => {
      done()
      reject(error)
    }
    const onClose = () => {
      done()
      if (!incoming.complete) reject(new HttpError(400, 'bad-request', 'The request ended before its body did.'))
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
    incoming.on('close', onClose)
  })
}

const utf8 = new TextDecoder()

/** The request body as text (UTF-8), at most `maxBytes` bytes of it (see {@link readBodyBytes}). */
export async function readBodyText(c: Context, maxBytes: number): Promise<string> {
  return utf8.decode(await readBodyBytes(c, maxBytes))
}

/**
 * The request body as JSON, at most `maxBytes` bytes of it (else 413). Refuses (415) a body not
 * declared as JSON, so that a browser form on another site cannot post here without the preflight
 * a JSON request needs; (400) text that is not JSON, with line and column; (400) forbidden keys and
 * deep nesting, with their path.
 */
export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new HttpError(
      415,
      'unsupported-media-type',
      'Send the body as JSON, with the header "Content-Type: application/json".',
    )
  }
  const parsed = parseJson(await readBodyText(c, maxBytes))
  if (!parsed.ok) {
    const { line, column, message } = parsed.error
    throw new HttpError(400, 'not-json', `Not valid JSON at line ${line}, column ${column}: ${message}.`, {
      line,
      column,
    })
  }
  const problem = structureProblem(parsed.value)
  if (problem) throw problem
  return parsed.value
}

/**
 * The first forbidden key or too deep nesting in a parsed JSON value, in document order, or
 * `undefined`. Iterative, so a hostile body cannot overflow the stack.
 */
export function structureProblem(value: unknown): HttpError | undefined {
  const stack: Array<{ node: unknown; depth: number; path: string }> = [{ node: value, depth: 0, path: '' }]
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { node, depth, path } = frame
    if (typeof node !== 'object' || node === null) continue
    if (depth >= MAX_DEPTH) {
      return new HttpError(400, 'bad-request', `The body nests more than ${MAX_DEPTH} levels deep.`, { path })
    }
    const keys = Array.isArray(node) ? node.map((_, i) => String(i)) : Object.keys(node)
    for (const key of keys) {
      if (FORBIDDEN_KEYS.has(key)) {
        return new HttpError(
          400,
          'bad-request',
          `The key "${key}" is not allowed anywhere in a request body (it could change object prototypes).`,
          { path: `${path}/${key}` },
        )
      }
    }
    // Children pushed last first, so they are checked in document order.
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string
      const child = (node as Record<string, unknown>)[key]
      if (typeof child === 'object' && child !== null) {
        stack.push({ node: child, depth: depth + 1, path: `${path}/${pointerSegment(key)}` })
      }
    }
  }
  return undefined
}

/**
 * The query parameters as an object for a schema: integer parameters written as plain digits
 * become numbers (anything else stays text, and the schema refuses it); an empty one counts as
 * not given. Refuses a parameter given twice, and forbidden names.
 */
export function readQuery(c: Context, schema: TSchema): Record<string, unknown> {
  const properties = ((schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {}) as Record<
    string,
    { type?: unknown }
  >
  const entries: Array<[string, unknown]> = []
  for (const [name, values] of Object.entries(c.req.queries())) {
    const path = `/${pointerSegment(name)}`
    if (FORBIDDEN_KEYS.has(name)) {
      throw new HttpError(400, 'bad-request', `The query parameter "${name}" is not allowed.`, { path })
    }
    if (values.length !== 1) {
      throw new HttpError(
        400,
        'bad-request',
        `The query parameter "${name}" is given ${values.length} times; give it once.`,
        {
          path,
        },
      )
    }
    const text = values[0] as string
    if (text === '') continue // `?stage=&limit=` from a form or a URL template: as if not given
    const isInteger = Object.hasOwn(properties, name) && properties[name]?.type === 'integer'
    entries.push([name, isInteger && /^-?\d{1,15}$/.test(text) ? Number(text) : text])
  }
  return Object.fromEntries(entries)
}

// ------------------------------------------------------------ messages

function describeType(type: unknown): string {
  const names: Record<string, string> = {
    string: 'a text',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    object: 'an object',
    array: 'a list',
    null: 'null',
  }
  const list = Array.isArray(type) ? type : [type]
  return list.map((t) => names[String(t)] ?? String(t)).join(' or ')
}

function describeValue(value: unknown, where: Where): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string')
    return where === 'query' ? `"${value.slice(0, 40)}"` : `the text ${JSON.stringify(value.slice(0, 40))}`
  if (typeof value === 'number') return `the number ${value}`
  return JSON.stringify(value)
}

function placeOf(path: string, where: Where): string {
  if (where === 'query') return `the query parameter "${path.slice(1).replace(/~1/g, '/').replace(/~0/g, '~')}"`
  return path === '' ? 'the body' : `${path} in the body`
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** An ajv error as a 400 whose `path` points at the offending key or value itself. */
function schemaProblem(error: ErrorObject, where: Where): HttpError {
  const params = error.params as Record<string, unknown>
  const at = error.instancePath
  const bad = (path: string, message: string) => new HttpError(400, 'bad-request', message, { path })
  if (error.propertyName !== undefined) {
    const path = `${at}/${pointerSegment(error.propertyName)}`
    const rule = (error.parentSchema as { description?: string } | undefined)?.description
    return bad(
      path,
      `The key "${error.propertyName}" is not allowed in ${placeOf(at, where)}${rule ? `: ${rule}` : ''}.`,
    )
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {})
      if (where === 'query') {
        return bad(
          `/${pointerSegment(key)}`,
          `Unknown query parameter "${key}"; ${allowed.length ? `use ${allowed.join(', ')}` : 'this endpoint takes none'}.`,
        )
      }
      return bad(
        `${at}/${pointerSegment(key)}`,
        `Unknown property "${key}" in ${placeOf(at, where)}; ${allowed.length ? `allowed: ${allowed.join(', ')}` : 'it takes none'}.`,
      )
    }
    case 'required': {
      const key = String(params.missingProperty)
      const path = `${at}/${pointerSegment(key)}`
      return bad(
        path,
        where === 'query' ? `The query parameter "${key}" is required.` : `${path} is required in the body.`,
      )
    }
    case 'type':
      return bad(
        at,
        `${cap(placeOf(at, where))} must be ${describeType(params.type)}, not ${describeValue(error.data, where)}.`,
      )
    case 'enum':
      return bad(
        at,
        `${cap(placeOf(at, where))} must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`,
      )
    case 'const':
      return bad(at, `${cap(placeOf(at, where))} must be ${JSON.stringify(params.allowedValue)}.`)
    case 'minimum':
      return bad(at, `${cap(placeOf(at, where))} must be at least ${String(params.limit)}.`)
    case 'maximum':
      return bad(at, `${cap(placeOf(at, where))} must be at most ${String(params.limit)}.`)
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return bad(at, `${cap(placeOf(at, where))} must be ${String(params.comparison)} ${String(params.limit)}.`)
    case 'minLength':
      return bad(at, `${cap(placeOf(at, where))} must have at least ${String(params.limit)} characters.`)
    case 'maxLength':
      return bad(at, `${cap(placeOf(at, where))} must have at most ${String(params.limit)} characters.`)
    case 'minProperties':
      return bad(
        at,
        `${cap(placeOf(at, where))} must have at least ${String(params.limit)} ${params.limit === 1 ? 'entry' : 'entries'}.`,
      )
    case 'maxProperties':
      return bad(at, `${cap(placeOf(at, where))} must have at most ${String(params.limit)} entries.`)
    case 'pattern': {
      const rule = (error.parentSchema as { description?: string } | undefined)?.description
      return bad(at, `${cap(placeOf(at, where))} is not of the right form${rule ? `: ${rule}` : ''}.`)
    }
    default:
      return bad(at, `${cap(placeOf(at, where))} ${error.message ?? 'is not valid'}.`)
  }
}
