/**
 * For the HTTP API's tests: requests sent through `app.request` whose answers are checked against
 * the OpenAPI document (the status is documented for the operation, the body has the documented
 * shape, errors carry no more than code, message, path, line, column), and which operations
 * answered with which status.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import { expect } from 'vitest'
import type { OperationId } from './api-spec.js'
import { openApiDocument } from './openapi.js'

/** The operations `webhooks.test.ts` exercises (and checks were answered); `api.test.ts` checks the others. */
export const WEBHOOK_OPERATIONS: readonly OperationId[] = ['listWebhooks', 'rotateWebhookSecret', 'callWebhook']

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>> }
const doc = JSON.parse(JSON.stringify(openApiDocument)) as Doc & { components: unknown }
const ajv = new Ajv2020({ strict: false, allErrors: true })
ajv.addSchema({ $id: 'https://signflow.test/openapi', components: doc.components })

/** The operation of the document a request reaches, by method and path. */
function operationFor(method: string, url: string) {
  const path = url.split('?')[0] ?? ''
  for (const [template, methods] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`)
    const op = methods[method.toLowerCase()]
    if (pattern.test(path) && op) return { template, op }
  }
  return undefined
}

/** "METHOD /api/path/{id} STATUS" of every answer `send` saw. */
export const answered = new Set<string>()

/** Checks that each operation was answered (in this test file) at least once with success and once with a refusal. */
export function expectEachAnswered(ops: ReadonlyArray<{ method: string; path: string }>): void {
  for (const op of ops) {
    const statuses = [...answered].filter((a) => a.startsWith(`${op.method.toUpperCase()} ${op.path} `))
    expect(
      statuses.some((a) => / 2\d\d$/.test(a)),
      `${op.method} ${op.path} succeeded`,
    ).toBe(true)
    expect(
      statuses.some((a) => / 4\d\d$/.test(a)),
      `${op.method} ${op.path} refused`,
    ).toBe(true)
  }
}

export interface Answer {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely
  body: any
}

/**
 * Sends a request through `app.request` and checks that the answer is one the OpenAPI document
 * lists for that operation and status, in the documented shape; errors carry no more than
 * code, message, path, line, column (never a stack).
 */
export async function send(
  app: { request: (url: string, init?: RequestInit) => Response | Promise<Response> },
  method: string,
  url: string,
  body?: unknown,
  init: { raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers =
    init.headers ?? (body !== undefined || init.raw !== undefined ? { 'content-type': 'application/json' } : {})
  const res = await app.request(url, {
    method,
    headers,
    ...(init.raw !== undefined ? { body: init.raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  // A PDF, an image or an empty answer (204, 304) is not JSON: its body is null here, its status still checked.
  const json = (res.headers.get('content-type') ?? '').includes('json') ? await res.json() : null
  const found = operationFor(method, url)
  expect(found, `${method} ${url} is documented`).toBeDefined()
  answered.add(`${method} ${found?.template} ${res.status}`)
  const documented = found?.op.responses[String(res.status)]
  expect(documented, `${method} ${found?.template} documents ${res.status}: ${JSON.stringify(json)}`).toBeDefined()
  const schema = (documented?.content as Record<string, { schema: object }> | undefined)?.['application/json']?.schema
  if (schema && json !== null) {
    const check = ajv.compile({ $id: `https://signflow.test/answer/${Math.random()}`, ...rebase(schema) })
    expect(check(json), `${method} ${url} ${res.status}: ${ajv.errorsText(check.errors)}`).toBe(true)
  }
  if (res.status >= 400) {
    expect(json, `${method} ${url} ${res.status} answers JSON`).not.toBeNull()
    expect(Object.keys(json)).toEqual(['error'])
    for (const key of Object.keys(json.error)) expect(['code', 'message', 'path', 'line', 'column']).toContain(key)
    expect(JSON.stringify(json)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/)
  }
  return { status: res.status, headers: res.headers, body: json }
}

/** `#/components/…` refs point into the document added to ajv above. */
function rebase(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"https://signflow.test/openapi#/components/'))
}
