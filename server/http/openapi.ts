/**
 * A hand-written OpenAPI 3.1 description of the HTTP API. The enums come from the shared
 * vocabulary so that they cannot drift; `app.test.ts` checks that every path here answers.
 */
import { CATEGORIES, ELEMENT_TYPES, FINDING_CODES, FORMAT_VERSION } from '../../shared/index.js'
import { VERSION } from './version.js'

const json = (schema: object) => ({ 'application/json': { schema } })
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) })

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Signflow API',
    version: VERSION,
    description:
      'Signflow automates document signing in a sales pipeline. This API lists the rule and trigger ' +
      'catalog, serves the rule graph JSON Schema and validates rule graphs. Every error has the shape ' +
      '{"error":{"code","message","path"?}}.',
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
              required: ['status', 'version', 'formatVersion'],
              properties: {
                status: { const: 'ok' },
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
                  'payload-too-large',
                  'method-not-allowed',
                  'internal',
                ],
              },
              message: { type: 'string', description: 'What went wrong, for people.' },
              path: { type: 'string', description: 'A JSON Pointer to the offending part of the request, if any.' },
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
