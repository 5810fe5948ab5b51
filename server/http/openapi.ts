/**
 * The OpenAPI 3.1 description of the HTTP API. The public routes are written here by hand; the
 * runtime's routes are described from the operations in `api-spec.ts`, the same objects the
 * routes are served and checked from. The enums come from the shared vocabulary so that they
 * cannot drift; `app.test.ts` checks that every path here answers and every route is here.
 */
import type { TSchema } from 'typebox'
import { CATEGORIES, ELEMENT_TYPES, FINDING_CODES, FORMAT_VERSION, SCHEMA_ID } from '../../shared/index.js'
import { formatBytes, GRAPH_KEYWORD, OPERATIONS, type Operation, responseSchemas } from './api-spec.js'
import { isRawBody } from './operation.js'
import { VERSION } from './version.js'

const json = (schema: object) => ({ 'application/json': { schema } })
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) })
/** Bytes of one of these media types (an image), not JSON. */
const binary = (types: readonly string[]) =>
  Object.fromEntries(types.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]))

/**
 * A request or answer schema as plain JSON for the document: TypeBox's hidden markers dropped,
 * and each place that holds a rule graph a `$ref` to the `Graph` component.
 */
function documented(schema: TSchema | object): object {
  const withRefs = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(withRefs)
    if (typeof value !== 'object' || value === null) return value
    const record = value as Record<string, unknown>
    if (record[GRAPH_KEYWORD] === true) {
      return typeof record.description === 'string'
        ? { ...ref('Graph'), description: record.description }
        : ref('Graph')
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, withRefs(v)]))
  }
  return withRefs(JSON.parse(JSON.stringify(schema))) as object
}

function queryParameters(query: TSchema | undefined): object[] {
  if (!query) return []
  const { properties = {}, required = [] } = documented(query) as {
    properties?: Record<string, { description?: string }>
    required?: string[]
  }
  return Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema
    return {
      name,
      in: 'query',
      required: required.includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    }
  })
}

/** The runtime's routes, from `api-spec.ts`, with the answers every such route can give. */
function runtimePaths(): Record<string, Record<string, object>> {
  const paths: Record<string, Record<string, object>> = {}
  for (const [operationId, op] of Object.entries(OPERATIONS) as Array<[string, Operation]>) {
    const parameters = [
      ...Object.entries(op.params ?? {}).map(([name, p]) => ({
        name,
        in: 'path',
        required: true,
        description: p.description,
        schema: p.integer ? { type: 'integer', minimum: 1 } : { type: 'string' },
      })),
      ...Object.entries(op.headers ?? {}).map(([name, h]) => ({
        name,
        in: 'header',
        required: h.required,
        description: h.description,
        schema: { type: 'string' },
      })),
      ...queryParameters(op.query),
    ]
    const responses: Record<string, object> = {}
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: json(documented(r.schema)) }
        : r.media
          ? { description: r.description, content: binary(r.media) }
          : /^[23]/.test(status)
            ? { description: r.description }
            : errorResponse(r.description)
    }
    const bad = [
      op.query
        ? 'a query parameter is unknown, given twice or of the wrong form'
        : 'a query parameter is given (this endpoint takes none)',
      ...(op.body && !isRawBody(op.body)
        ? ['the body is not JSON (code "not-json", with line and column) or does not fit the schema']
        : []),
    ]
    const own400 = op.responses['400']?.description
    responses['400'] = errorResponse(
      `Bad request (code "bad-request" or "not-json"): ${bad.join('; ')}. "path" points at the offending key or value.` +
        (own400 ? ` ${own400}` : ''),
    )
    if (op.params) responses['404'] ??= errorResponse('Nothing with that id (code "not-found").')
    if (op.body) {
      responses['413'] = errorResponse(
        `The body is larger than ${formatBytes(op.body.maxBytes)} (code "payload-too-large").`,
      )
      responses['415'] = errorResponse(
        isRawBody(op.body)
          ? `The body is not declared as ${op.body.raw.join(' or ')} (code "unsupported-media-type").`
          : 'The body is not declared as JSON (code "unsupported-media-type").',
      )
    }
    responses['503'] = errorResponse('The server runs without storage (code "no-storage").')
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        operationId,
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(op.body
          ? {
              requestBody: {
                required: true,
                description: op.body.description,
                content: isRawBody(op.body) ? binary(op.body.raw) : json(documented(op.body.schema)),
              },
            }
          : {}),
        responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))),
      },
    }
  }
  return paths
}

/** Groups of operations and which paths belong to each: a path goes to the first group whose pattern matches. */
const TAGS: ReadonlyArray<{ name: string; description: string; test: RegExp }> = [
  {
    name: 'Graphs and catalog',
    description: 'The rule catalog, the graph schema and validation; public, no storage needed',
    test: /^\/api\/(health|catalog|schema|validate|openapi\.json)$/,
  },
  {
    name: 'Outgoing webhooks',
    description: 'Tell other systems what happened: signed deliveries with retries',
    test: /^\/api\/webhook-subscriptions/,
  },
  { name: 'Webhooks', description: 'Incoming webhooks: their URLs, secrets and calls', test: /webhooks/ },
  {
    name: 'Constants',
    description: "A flow's constants, changed by hand without publishing",
    test: /^\/api\/flows\/\{id\}\/constants/,
  },
  {
    name: 'Pipelines and flows',
    description: 'Pipelines, flow drafts, versions, diffs and rollback',
    test: /^\/api\/(pipelines|flows)/,
  },
  {
    name: 'Elements',
    description: 'Deals, leads and contacts moving through pipelines; events; history',
    test: /^\/api\/elements(?!\/\{id\}\/(documents|signing))/,
  },
  {
    name: 'Directory',
    description: 'Contacts, companies with requisites and addresses, my companies with stamp and signature, users',
    test: /^\/api\/(contacts|companies|my-companies|users)/,
  },
  {
    name: 'What the runtime did',
    description: 'The outbox, messages caught by the demo catchers, notifications and tasks',
    test: /^\/api\/(outbox|messages|notifications|tasks)/,
  },
  { name: 'Files', description: 'Uploads for rules to use, such as email attachments', test: /^\/api\/files/ },
  {
    name: 'Documents',
    description: 'Templates, the documents elements have, their PDFs and public links',
    test: /^\/api\/(templates|documents|public|settings\/sealing|elements\/\{id\}\/(documents|signing))/,
  },
  { name: 'Audit', description: 'Who changed what, when and from where', test: /^\/api\/audit/ },
  {
    name: 'Sign-in and tokens',
    description:
      'Who is calling, and API tokens (Authorization: Bearer). Signing in is POST /api/auth/sign-in/email with ' +
      '{"email","password"}; sign out with POST /api/auth/sign-out, everywhere with POST /api/auth/revoke-sessions.',
    test: /^\/api\/(me|tokens)/,
  },
]

/** The order the docs page shows the groups in (TAGS is in the order paths are matched). */
const SHOWN_ORDER = [
  'Graphs and catalog',
  'Pipelines and flows',
  'Constants',
  'Elements',
  'Webhooks',
  'Outgoing webhooks',
  'Directory',
  'What the runtime did',
  'Documents',
  'Files',
  'Sign-in and tokens',
  'Audit',
] as const

/** Puts each operation of `paths` in its group (the first whose pattern matches its path). */
function tagged<P extends Record<string, Record<string, object>>>(paths: P): P {
  for (const [path, methods] of Object.entries(paths)) {
    const tag = TAGS.find((t) => t.test.test(path))?.name
    if (!tag) throw new Error(`openapi: no tag for ${path}`)
    for (const [method, op] of Object.entries(methods)) methods[method] = { tags: [tag], ...op }
  }
  return paths
}

const untaggedDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Signflow API',
    version: VERSION,
    description:
      'Signflow automates document signing in a sales pipeline. This API lists the rule and trigger ' +
      'catalog, serves the rule graph JSON Schema and validates rule graphs, and runs published flows: ' +
      'pipelines, flow drafts and versions, constants, elements, contacts, companies, my companies, users, ' +
      'what the runtime did and an audit log. Every error has ' +
      'the shape {"error":{"code","message","path"?}}; "path" is a JSON Pointer to the offending part of ' +
      'the request body (or of the query parameters taken as an object).',
  },
  paths: {
    '/api/health': {
      get: {
        operationId: 'getHealth',
        summary: 'Liveness and versions',
        responses: {
          '200': {
            description: 'The server is up.',
            content: json({
              type: 'object',
              required: ['status', 'version', 'formatVersion', 'signIn'],
              properties: {
                status: { const: 'ok' },
                signIn: {
                  type: 'boolean',
                  description:
                    'Whether the API needs a signed-in person or a token (a server started without sign-in does not)',
                },
                version: { type: 'string', description: 'The Signflow version.', examples: [VERSION] },
                formatVersion: {
                  type: 'integer',
                  description: 'The newest rule graph format version this server reads.',
                  examples: [FORMAT_VERSION],
                },
              },
            }),
          },
        },
      },
    },
    '/api/catalog': {
      get: {
        operationId: 'getCatalog',
        summary: 'The palette of rules and triggers for a pipeline type',
        parameters: [
          {
            name: 'elementType',
            in: 'query',
            required: false,
            description: 'What the pipeline moves.',
            schema: { type: 'string', enum: [...ELEMENT_TYPES], default: 'deal' },
          },
        ],
        responses: {
          '200': {
            description: 'Categories in display order, each with its rules and triggers.',
            content: json({ type: 'array', items: ref('PaletteGroup') }),
          },
          '400': errorResponse('Unknown elementType (code "bad-request").'),
        },
      },
    },
    '/api/schema': {
      get: {
        operationId: 'getGraphSchema',
        summary: 'The JSON Schema of the rule graph',
        responses: {
          '200': {
            description: 'A JSON Schema (draft 2020-12) document.',
            content: json({ type: 'object' }),
          },
        },
      },
    },
    '/api/validate': {
      post: {
        operationId: 'validateGraph',
        summary: 'Validate a rule graph',
        description:
          'Checks a rule graph against the schema and the semantic rules. Answers 200 whenever the body ' +
          'is JSON, valid graph or not; the findings say what is wrong and where.',
        requestBody: {
          required: true,
          description: 'A rule graph (at most 5 MB).',
          content: json({ type: 'object', description: 'A rule graph; its JSON Schema is served at /api/schema.' }),
        },
        responses: {
          '200': { description: 'The validation result.', content: json(ref('ValidationResult')) },
          '400': errorResponse('The body is not JSON (code "not-json"; line and column are given).'),
          '413': errorResponse('The body is larger than 5 MB (code "payload-too-large").'),
          '429': errorResponse('Too many requests from this address this minute (code "rate-limited").'),
        },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        responses: { '200': { description: 'An OpenAPI 3.1 document.', content: json({ type: 'object' }) } },
      },
    },
    ...runtimePaths(),
  },
  components: {
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: {
                type: 'string',
                description: 'Stable machine-readable code.',
                examples: [
                  'not-found',
                  'bad-request',
                  'not-json',
                  'invalid',
                  'unauthorized',
                  'conflict',
                  'payload-too-large',
                  'unsupported-media-type',
                  'method-not-allowed',
                  'no-storage',
                  'internal',
                ],
              },
              message: { type: 'string', description: 'What went wrong, for people.' },
              path: {
                type: 'string',
                description:
                  'A JSON Pointer (RFC 6901) to the offending part of the request body, or of the query parameters ' +
                  'taken as an object; for an invalid graph, into the graph.',
              },
              line: { type: 'integer', description: 'For "not-json": the 1-based line of the syntax error.' },
              column: { type: 'integer', description: 'For "not-json": the 1-based column of the syntax error.' },
            },
          },
        },
      },
      PaletteGroup: {
        type: 'object',
        required: ['category', 'items'],
        properties: {
          category: { type: 'string', enum: [...CATEGORIES] },
          items: { type: 'array', items: ref('PaletteItem') },
        },
      },
      PaletteItem: {
        type: 'object',
        required: ['type', 'kind', 'label', 'description', 'icon', 'tier'],
        properties: {
          type: { type: 'string', description: 'The rule or trigger type, as used in the graph.' },
          kind: { type: 'string', enum: ['rule', 'trigger'] },
          label: { type: 'string' },
          description: { type: 'string' },
          icon: { type: 'string', description: 'A Material Symbols icon name.' },
          tier: { type: 'string', enum: ['core', 'later'] },
          disabledReason: { type: 'string', description: 'Present when the item cannot be used in this pipeline.' },
        },
      },
      Finding: {
        type: 'object',
        required: ['severity', 'code', 'path', 'message', 'hint'],
        properties: {
          severity: { type: 'string', enum: ['error', 'warning'] },
          code: {
            type: 'string',
            description: 'A stable finding code; scripts may key on it.',
            examples: Object.keys(FINDING_CODES).slice(0, 5),
          },
          path: { type: 'string', description: 'A JSON Pointer (RFC 6901) into the graph; "" is the whole graph.' },
          message: { type: 'string' },
          hint: { type: 'string' },
        },
      },
      Graph: {
        type: 'object',
        description: `A rule graph, format ${FORMAT_VERSION}. Its JSON Schema (draft 2020-12, ${SCHEMA_ID}) is served at /api/schema.`,
        externalDocs: { description: 'The JSON Schema of the rule graph', url: '/api/schema' },
      },
      ...Object.fromEntries(Object.entries(responseSchemas).map(([name, schema]) => [name, documented(schema)])),
      ValidationResult: {
        type: 'object',
        required: ['valid', 'findings'],
        properties: {
          valid: { type: 'boolean', description: 'True when there is no finding of severity "error".' },
          findings: { type: 'array', items: ref('Finding') },
        },
      },
    },
  },
} as const

export const openApiDocument = {
  ...untaggedDocument,
  tags: SHOWN_ORDER.map((name) => {
    const { description } = TAGS.find((t) => t.name === name) ?? { description: '' }
    return { name, description }
  }),
  paths: tagged(untaggedDocument.paths as Record<string, Record<string, object>>),
}
