/**
 * The runtime's HTTP API as data: each operation's method, path, parameters, request schema and
 * answers. `runtime-api.ts` serves exactly these (its handlers are keyed by operation id, and the
 * compiler checks every operation has one) and checks requests with these schemas; `openapi.ts`
 * describes them from the same objects, so the schema a route enforces is the one it documents.
 *
 * Request schemas are strict: an unknown key is refused, with its path.
 */
import Type, { type TSchema } from 'typebox'
import type { EngineEvent, Json } from '../../shared/engine/types.js'
import type { Graph } from '../../shared/graph/graph.js'
import { DOCUMENT_TYPES, ELEMENT_TYPES } from '../../shared/index.js'
import { AUTH_OPERATIONS, authResponseSchemas } from './auth-spec.js'
import { DIRECTORY_OPERATIONS, directoryResponseSchemas } from './directory-spec.js'
import {
  DOCUMENT_OPERATIONS,
  documentResponseSchemas,
  SEALING_OPERATIONS,
  SIGNING_OPERATIONS,
  sealingResponseSchemas,
  signingResponseSchemas,
  VERIFY_OPERATIONS,
  verifyResponseSchemas,
} from './documents-spec.js'
import { FILE_OPERATIONS, fileResponseSchemas } from './files-spec.js'
import type { Operation } from './operation.js'
import { SIMULATOR_OPERATIONS, simulatorResponseSchemas } from './simulator-spec.js'
import { SUBSCRIPTION_OPERATIONS, subscriptionResponseSchemas } from './subscriptions-spec.js'
import { WEBHOOK_SECRET_HEADER } from './webhook-secrets.js'
import { WORKSPACE_OPERATIONS, workspaceResponseSchemas } from './workspace-spec.js'

/** The largest graph (`PUT …/draft`, `POST …/versions`) a request may carry, as for `POST /api/validate`. */
export const MAX_GRAPH_BODY_BYTES = 5 * 1024 * 1024
/** The largest body of any other request. */
export const MAX_BODY_BYTES_SMALL = 256 * 1024
/** The largest body of a webhook call (`POST /api/webhooks/…`), which anyone may send. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024
/** At most this many items per page of a list. */
export const MAX_PAGE = 200
export const DEFAULT_PAGE = 50
export const MAX_HISTORY_PAGE = 1000
export const DEFAULT_HISTORY_PAGE = 100

/**
 * Marks where a request holds a rule graph: ajv checks only that it is an object; `validate()`
 * then checks it fully and reports findings by path. The OpenAPI document shows a `$ref` to the
 * `Graph` component there.
 */
export const GRAPH_KEYWORD = 'x-signflow-graph'

const strict = { additionalProperties: false } as const

const StringEnum = <const T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) })
const Nullable = (type: 'string' | 'integer', description?: string) =>
  Type.Unsafe<string | number | null>({ type: [type, 'null'], ...(description ? { description } : {}) })
const AnyJson = (description: string) => Type.Unsafe<Json>({ description })

const GraphSlot = (description: string) => Type.Unsafe<Graph>({ type: 'object', [GRAPH_KEYWORD]: true, description })

const FIELD_PATH_RULE =
  'field paths are names of letters, digits and "_" joined by ".", such as "client.email" or "custom.budget"'
const FIELD_PATH_PATTERN = '^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*$'
const FieldPath = Type.String({
  maxLength: 200,
  pattern: FIELD_PATH_PATTERN,
  description: FIELD_PATH_RULE,
})
const FieldValues = (minProperties: number) =>
  Type.Unsafe<Record<string, Json>>({
    type: 'object',
    propertyNames: { maxLength: 200, pattern: FIELD_PATH_PATTERN, description: FIELD_PATH_RULE },
    maxProperties: 500,
    ...(minProperties > 0 ? { minProperties } : {}),
    description: 'Field values by field path; a value is any JSON.',
  })

/** Element ids appear in URLs: letters, digits and a few URL-safe marks. */
export const ELEMENT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$'
const NewElementId = Type.String({
  pattern: ELEMENT_ID_PATTERN,
  description: 'up to 128 letters, digits, "_", ".", ":" or "-", starting with a letter or digit',
})
const RefId = (description: string) => Type.String({ minLength: 1, maxLength: 200, description })
const StageId = Type.String({ minLength: 1, maxLength: 64, description: 'A stage id of the pipeline' })

/**
 * What `POST /api/elements/{id}/events` may fire: the engine's events, except `webhook`, which
 * comes only through the webhook endpoint with its secret (a webhook event without a trigger id
 * would fire every webhook trigger of the stage).
 */
export const API_EVENT_TYPES = [
  'signedByCompany',
  'signedByClient',
  'signedByAll',
  'documentViewed',
  'signingRefused',
  'signingExpired',
  'documentCreated',
  'fieldChanged',
  'responsibleChanged',
  'invoicePaid',
] as const
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
/** Fails to compile when the engine's event types change and this list does not follow. */
export const _eventTypesAgree: Same<(typeof API_EVENT_TYPES)[number], Exclude<EngineEvent['type'], 'webhook'>> = true

// ------------------------------------------------------------ request bodies

/** The longest note a published version may carry. */
export const MAX_VERSION_NOTE = 1000
const VersionNote = (description: string) => Type.String({ maxLength: MAX_VERSION_NOTE, description })
export const PublishBody = Type.Object(
  {
    graph: Type.Optional(GraphSlot("The graph to publish. Without it, the flow's saved draft is published.")),
    note: Type.Optional(
      VersionNote(
        'Why this version is published (at most 1000 characters), kept with it; leading and trailing spaces ' +
          'are dropped, and a note of only spaces is no note. Ignored when the content is that of the latest version.',
      ),
    ),
  },
  strict,
)
export const RollbackBody = Type.Object(
  {
    number: Type.Integer({ minimum: 1, description: 'The version whose graph is published again' }),
    note: Type.Optional(
      VersionNote(
        'Why (at most 1000 characters), kept with the new version; without one (or with only spaces) the note ' +
          'is "Rollback to version N". Ignored when that graph is already the latest version.',
      ),
    ),
  },
  strict,
)
export const DraftBody = GraphSlot('The draft rule graph (format 1).')
/** Pipeline (and flow) ids are graph ids: they become the draft's `pipeline.id` and `flow.id`. */
export const PIPELINE_ID_PATTERN = '^[A-Za-z][A-Za-z0-9_-]{0,63}$'
/** The longest name of a new pipeline, as the graph allows for `flow.name` and `pipeline.name`. */
export const MAX_PIPELINE_NAME = 200
export const CreatePipelineBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: MAX_PIPELINE_NAME,
      pattern: '\\S',
      description:
        'What people call the pipeline (at most 200 characters, not only spaces); leading and trailing spaces ' +
        'are dropped. Also the name of its flow.',
    }),
    elementType: StringEnum(ELEMENT_TYPES, 'What moves through the pipeline'),
    id: Type.Optional(
      Type.String({
        pattern: PIPELINE_ID_PATTERN,
        description:
          'The id of the pipeline and of its flow: up to 64 letters, digits, "_" or "-", starting with a letter. ' +
          'Without it, one is made from the name.',
      }),
    ),
    firstStage: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '\\S',
        description: 'The name of its one stage (default "New"), e.g. in the language of whoever makes it',
      }),
    ),
  },
  strict,
)
export const CreateElementBody = Type.Object(
  {
    id: Type.Optional(NewElementId),
    pipelineId: RefId('The pipeline the element moves through'),
    type: StringEnum(ELEMENT_TYPES, "What the element is; must be the pipeline's element type"),
    title: Type.String({ minLength: 1, maxLength: 500 }),
    stage: Type.Optional(StageId),
    fields: Type.Optional(FieldValues(0)),
    responsible: Type.Optional(RefId('The responsible user id')),
    contactId: Type.Optional(RefId('An existing contact')),
    companyId: Type.Optional(RefId('An existing company')),
  },
  strict,
)
export const MoveBody = Type.Object({ stage: StageId }, strict)
export const FieldsBody = Type.Object({ fields: FieldValues(1) }, strict)
export const EventBody = Type.Object(
  {
    type: StringEnum(API_EVENT_TYPES, 'What happened'),
    documentType: Type.Optional(StringEnum(DOCUMENT_TYPES, 'For document events: which kind of document')),
    field: Type.Optional(FieldPath),
    value: Type.Optional(AnyJson('For fieldChanged: the new value')),
  },
  strict,
)
export const ConstantBody = Type.Object(
  {
    value: AnyJson(
      "The constant's new value, of its type (text, number, money, date, …); a list when the constant is multiple",
    ),
  },
  strict,
)
export const WebhookCallBody = Type.Object(
  {
    elementId: RefId('The element the event happened to; it must be in the pipeline of the flow'),
    data: Type.Optional(
      Type.Unsafe<Record<string, Json>>({
        type: 'object',
        description:
          "Anything the caller wants to say about the event. Accepted but not kept: the engine's webhook event " +
          'carries no payload.',
      }),
    ),
  },
  strict,
)

// ------------------------------------------------------------ query parameters

const Limit = (max: number, byDefault: number) =>
  Type.Optional(Type.Integer({ minimum: 1, maximum: max, default: byDefault, description: 'Items per page' }))

export const ElementsQuery = Type.Object(
  {
    pipeline: Type.Optional(Type.String({ description: 'Only elements of this pipeline' })),
    stage: Type.Optional(Type.String({ description: 'Only elements standing in this stage' })),
    limit: Limit(MAX_PAGE, DEFAULT_PAGE),
    offset: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0, description: 'Items to skip' }),
    ),
  },
  strict,
)
export const DiffQuery = Type.Object(
  {
    from: Type.Integer({ minimum: 1, description: 'The older version number' }),
    to: Type.Integer({ minimum: 1, description: 'The newer version number' }),
  },
  strict,
)
export const HistoryQuery = Type.Object(
  {
    after: Type.Optional(
      Type.Integer({ minimum: 0, default: 0, description: 'Only records after this sequence number' }),
    ),
    limit: Limit(MAX_HISTORY_PAGE, DEFAULT_HISTORY_PAGE),
  },
  strict,
)
export const LimitQuery = Type.Object({ limit: Limit(MAX_PAGE, DEFAULT_PAGE) }, strict)
export const NotificationsQuery = Type.Object(
  {
    user: Type.Optional(Type.String({ description: "Only this user's notifications" })),
    limit: Limit(MAX_PAGE, DEFAULT_PAGE),
  },
  strict,
)
export const AuditQuery = Type.Object(
  {
    target: Type.Optional(
      Type.String({
        maxLength: 300,
        description: 'Only rows about this target, e.g. "element:deal-7" or "flow:sales"',
      }),
    ),
    actor: Type.Optional(Type.String({ maxLength: 200, description: 'Only rows by this actor' })),
    action: Type.Optional(
      Type.String({
        maxLength: 100,
        pattern: '^[A-Za-z][A-Za-z.]*$',
        description: 'Only this action ("element.moved"), or a kind of them ending in "." ("element.")',
      }),
    ),
    before: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Only rows older than this id (the next page: the last id seen)' }),
    ),
    limit: Limit(MAX_PAGE, DEFAULT_PAGE),
  },
  strict,
)
export const TasksQuery = Type.Object(
  {
    element: Type.Optional(Type.String({ description: "Only this element's tasks" })),
    limit: Limit(MAX_PAGE, DEFAULT_PAGE),
  },
  strict,
)

// ------------------------------------------------------------ answers (documentation only)

const ref = (name: string) => Type.Unsafe<unknown>({ $ref: `#/components/schemas/${name}` })
const Iso = (description: string) => Type.String({ description: `${description} (ISO 8601)` })
const list = (item: string, extra: Record<string, TSchema> = {}) =>
  Type.Object({ items: Type.Array(ref(item)), ...extra })

const webhookProperties = {
  triggerId: Type.String({ description: 'The webhook trigger in the graph' }),
  title: Type.String({ description: "The trigger's title" }),
  stage: Type.String({ description: 'The stage the trigger moves elements to' }),
  url: Type.String({ description: 'Where to call it: POST /api/webhooks/{flowId}/{triggerId}' }),
  secretHint: Type.String({ description: 'The last 4 characters of its secret' }),
  createdAt: Iso('The first secret made'),
  rotatedAt: Nullable('string', 'The secret last replaced (ISO 8601); null if never'),
}
const secretDescription =
  `Send it in the header "${WEBHOOK_SECRET_HEADER}". It is shown only in this answer; ` +
  'the server keeps only its hash. Lost? Rotate it.'

export const responseSchemas = {
  StageSummary: Type.Object({
    id: Type.String(),
    name: Type.String(),
    color: Type.String(),
    kind: Type.String({ enum: ['inProgress', 'success', 'failure'] }),
  }),
  Pipeline: Type.Object({
    id: Type.String(),
    name: Type.String(),
    elementType: Type.String(),
    flows: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
    version: Type.Union(
      [Type.Object({ flowId: Type.String(), number: Type.Integer(), id: Type.String() }), Type.Null()],
      { description: 'The published version elements that are not pinned yet run; null before the first publish' },
    ),
    stages: Type.Array(ref('StageSummary'), {
      description: "The stages of that version's graph (without a published version: the pipeline's own list)",
    }),
  }),
  Flow: Type.Object({
    id: Type.String(),
    pipelineId: Type.String(),
    name: Type.String(),
    draft: ref('Graph'),
    latestVersion: Nullable('integer', 'The newest version number; null before the first publish'),
    createdAt: Iso('Created'),
    updatedAt: Iso('The draft last saved'),
  }),
  DraftSaved: Type.Object({
    id: Type.String(),
    updatedAt: Iso('Saved'),
    findings: Type.Array(Type.Unsafe<unknown>({ $ref: '#/components/schemas/Finding' }), {
      description:
        'What the validator found in the saved draft: warnings, and errors that publishing will refuse ' +
        '(a draft not shaped like a rule graph is refused with 422 instead)',
    }),
  }),
  Published: Type.Object({
    id: Type.String({ description: 'The version id, "<flow>@<number>"' }),
    number: Type.Integer(),
    hash: Type.String({ description: 'SHA-256 of the graph, independent of key order' }),
  }),
  Version: Type.Object({
    id: Type.String(),
    number: Type.Integer(),
    hash: Type.String(),
    publishedAt: Iso('Published'),
    publishedBy: Type.String(),
    note: Nullable(
      'string',
      'Why it was published (a rollback\'s default: "Rollback to version N"); null when none was given',
    ),
  }),
  DiffEntry: Type.Object({
    kind: Type.String({ enum: ['stage', 'rule', 'trigger'] }),
    id: Type.String(),
    stage: Type.String({ description: 'The stage it stands in (for a stage, its own id)' }),
    fromStage: Type.Optional(Type.String({ description: 'For a node that moved: the stage it stood in before' })),
  }),
  Diff: Type.Object({
    from: Type.Integer(),
    to: Type.Integer(),
    added: Type.Array(ref('DiffEntry')),
    removed: Type.Array(ref('DiffEntry')),
    changed: Type.Array(ref('DiffEntry'), {
      description:
        'Same id, different JSON (a stage counts as changed when its own settings or the order of its rules and triggers differ)',
    }),
    other: Type.Array(Type.String(), {
      description:
        'Other parts of the graph that differ: flow, elementType, pipeline, constants, variables, fields, designer',
    }),
  }),
  ElementSummary: Type.Object({
    id: Type.String(),
    pipelineId: Type.String(),
    type: Type.String(),
    title: Type.String(),
    stage: Nullable('string'),
    responsible: Nullable('string'),
    revision: Type.Integer({ description: 'Counts the saves of the element' }),
    updatedAt: Iso('Last changed'),
  }),
  RuleState: Type.Object({
    id: Type.String({ description: 'The rule id in the graph' }),
    type: Type.String(),
    title: Type.String(),
    state: Type.String({
      enum: ['pending', 'scheduled', 'running', 'done', 'skipped', 'failed', 'cancelled', 'notRun'],
    }),
    dueAt: Type.Optional(Iso('For a scheduled rule: when it runs')),
    waitsUntil: Type.Optional(Iso('For a running "Wait" rule: when its pause (or its timeout) ends')),
    at: Type.Optional(
      Iso(
        'When the rule reached its state in the current stay (scheduled, started, finished, skipped, failed, ' +
          'cancelled, not run; for a pending rule, when the stay began or a retry made it wait again)',
      ),
    ),
    reason: Type.Optional(
      Type.String({
        description:
          "For a skipped, not run, cancelled or scheduled rule: why, in the engine's words: condition false: " +
          'amount 100 > 5000 · "Send the offer" before it failed · the element left "Offer" for "Won" · ' +
          'after 2 hours, moved into working hours',
      }),
    ),
    error: Type.Optional(
      Type.String({ description: 'For a failed rule: what went wrong. A failed rule can be retried (POST …/retry).' }),
    ),
  }),
  Element: Type.Object({
    id: Type.String(),
    pipelineId: Type.String(),
    type: Type.String(),
    title: Type.String(),
    stage: Nullable('string'),
    fields: Type.Record(Type.String(), Type.Unknown()),
    variables: Type.Record(Type.String(), Type.Unknown()),
    responsible: Nullable('string'),
    contactId: Nullable('string'),
    companyId: Nullable('string'),
    flowVersionId: Nullable('string', 'The flow version the element runs (pinned at its first input)'),
    revision: Type.Integer(),
    createdAt: Iso('Created'),
    updatedAt: Iso('Last changed'),
    rules: Type.Array(ref('RuleState'), { description: "The rules of the element's current stay, in stage order" }),
  }),
  HistoryRecord: Type.Object({
    seq: Type.Integer(),
    at: Iso('When'),
    type: Type.String({ description: 'The timeline record type, e.g. "stage.entered"' }),
    record: Type.Record(Type.String(), Type.Unknown(), { description: 'The timeline record (see docs/engine.md)' }),
  }),
  OutboxItem: Type.Object({
    id: Type.Integer(),
    kind: Type.String(),
    status: Type.String({ enum: ['pending', 'sending', 'done', 'failed'] }),
    attempts: Type.Integer(),
    lastError: Nullable('string'),
    nextAttemptAt: Type.Union([Iso('The next attempt'), Type.Null()], {
      description: "Null while it waits for something other than time (a signer's turn)",
    }),
    elementId: Type.String(),
    createdAt: Iso('Queued'),
  }),
  Message: Type.Object({
    id: Type.Integer(),
    channel: Type.String({ enum: ['email', 'sms'] }),
    to: Type.String(),
    subject: Nullable('string'),
    body: Type.String(),
    attachments: Type.Array(
      Type.Object({
        filename: Nullable('string'),
        contentType: Type.String(),
        size: Type.Integer(),
        sha256: Type.String({ description: 'SHA-256 of the attachment as received (hex)' }),
      }),
      { description: 'What came attached to an email' },
    ),
    receivedAt: Iso('Received'),
  }),
  Notification: Type.Object({
    id: Type.Integer(),
    userId: Type.String(),
    elementId: Nullable('string'),
    text: Type.String(),
    createdAt: Iso('Created'),
    readAt: Nullable('string'),
  }),
  Webhook: Type.Object({
    ...webhookProperties,
    secret: Type.Optional(
      Type.String({ description: `Only in the answer that made the secret. ${secretDescription}` }),
    ),
  }),
  WebhookWithSecret: Type.Object({
    ...webhookProperties,
    secret: Type.String({ description: `The new secret. ${secretDescription}` }),
  }),
  WebhookAccepted: Type.Object({
    accepted: Type.Literal(true),
    stage: Nullable('string', "The element's stage after the triggers considered the event"),
  }),
  Constant: Type.Object({
    id: Type.String(),
    name: Type.String(),
    type: Type.String({ description: 'The value type, fixed when the constant was made' }),
    multiple: Type.Boolean({ description: 'Whether the value is a list' }),
    description: Type.Optional(Type.String()),
    value: Type.Unknown({ description: 'The value rules read now' }),
    publishedValue: Type.Unknown({ description: 'The value the published graph declares' }),
    changedAt: Nullable('string', 'When it was last changed by hand (ISO 8601); null: the published value'),
    changedBy: Nullable('string', 'Who changed it'),
  }),
  AuditTrail: Type.Object({
    target: Type.String({ description: '"element:<id>"' }),
    exportedAt: Iso('Exported'),
    head: Type.Object(
      { seq: Type.Integer(), hash: Type.String() },
      { description: 'The newest row of the whole chain when exported' },
    ),
    rowsIntact: Type.Boolean({ description: "Whether each row's content still gives its hash" }),
    items: Type.Array(ref('AuditEntry')),
  }),
  AuditEntry: Type.Object({
    id: Type.Integer({ description: 'Counts up: a newer row has a larger id' }),
    seq: Type.Integer({ description: 'Its place in the hash chain: 1, 2, 3, … without gaps' }),
    hash: Type.String({
      description: 'SHA-256 (hex) of JSON [seq, at, actor, action, target, detail as stored, prevHash]',
    }),
    prevHash: Type.String({ description: 'The hash of the row before (64 zeros before the first)' }),
    at: Iso('When'),
    actor: Type.String({ description: 'Who: a user or token id; "api" before sign-in exists' }),
    action: Type.String({ description: 'What, e.g. "flow.published", "element.moved"' }),
    target: Type.String({ description: 'To what, as "<kind>:<id>"' }),
    detail: Type.Record(Type.String(), Type.Unknown(), {
      description: "What changed, and the caller's address (ip) and user agent when known",
    }),
  }),
  Task: Type.Object({
    id: Type.String(),
    elementId: Type.String(),
    title: Type.String(),
    description: Nullable('string'),
    responsible: Type.String(),
    deadline: Nullable('string'),
    checklist: Type.Array(Type.String()),
    doneAt: Nullable('string'),
    createdAt: Iso('Created'),
  }),
  ...directoryResponseSchemas,
  ...fileResponseSchemas,
  ...documentResponseSchemas,
  ...signingResponseSchemas,
  ...verifyResponseSchemas,
  ...sealingResponseSchemas,
  ...subscriptionResponseSchemas,
  ...workspaceResponseSchemas,
  ...simulatorResponseSchemas,
  ...authResponseSchemas,
} as const

// ------------------------------------------------------------ operations

/** The type of an operation, in its own file so that `directory-spec.ts` shares it without a cycle. */
export type { JsonBody, Method, Operation, RawBody } from './operation.js'

const flowId = { id: { description: 'The flow id' } }
const elementId = { id: { description: 'The element id' } }
const graphBody = <S extends TSchema>(description: string, schema: S) => ({
  schema,
  maxBytes: MAX_GRAPH_BODY_BYTES,
  description,
})
const smallBody = <S extends TSchema>(description: string, schema: S) => ({
  schema,
  maxBytes: MAX_BODY_BYTES_SMALL,
  description,
})
const ok = (description: string, schema: TSchema) => ({ '200': { description, schema } })
const webhookTrigger = {
  triggerId: { description: "The id of a webhook trigger in the flow's latest published version" },
}
const elementAnswer = ok('The element as GET /api/elements/{id} shows it.', ref('Element'))

export const OPERATIONS = {
  listPipelines: {
    method: 'get',
    path: '/api/pipelines',
    summary: 'Pipelines with the stages of their published flow',
    responses: ok('Every pipeline.', list('Pipeline')),
  },
  createPipeline: {
    method: 'post',
    path: '/api/pipelines',
    summary: 'Create a pipeline and its flow, with a one-stage draft to design',
    description:
      'Makes, in one transaction, the pipeline and its flow (of the same id) whose draft is a valid graph with ' +
      'one stage, "New" (id "new"), and nothing else. Nothing is published: design the draft ' +
      '(PUT /api/flows/{id}/draft), then publish it. Without an `id`, one is made from the name (letters ' +
      'written in Latin, other marks as "-"), unique among pipelines and flows.',
    body: smallBody('The new pipeline.', CreatePipelineBody),
    responses: {
      '201': {
        description: 'Created; the pipeline as GET /api/pipelines lists it (its flow in `flows`).',
        schema: ref('Pipeline'),
      },
      '409': { description: 'The id is taken by a pipeline or a flow (code "conflict", path "/id").' },
    },
  },
  getPipeline: {
    method: 'get',
    path: '/api/pipelines/{id}',
    summary: 'One pipeline',
    params: { id: { description: 'The pipeline id' } },
    responses: ok('The pipeline.', ref('Pipeline')),
  },
  getFlow: {
    method: 'get',
    path: '/api/flows/{id}',
    summary: 'A flow: its draft graph and latest version number',
    params: flowId,
    responses: ok('The flow.', ref('Flow')),
  },
  saveDraft: {
    method: 'put',
    path: '/api/flows/{id}/draft',
    summary: "Save the flow's draft graph",
    description:
      'Validates the graph as POST /api/validate does. A graph that does not have the shape of a rule graph ' +
      "(the JSON Schema) is refused (422, the first error's path and message). A draft is work in progress: " +
      'one that breaks only the rules between its parts (an empty setting, an unknown constant) is saved, and ' +
      'its findings are returned; publishing refuses it until they are fixed.',
    params: flowId,
    body: graphBody('A rule graph (at most 5 MB).', DraftBody),
    responses: {
      ...ok('Saved.', ref('DraftSaved')),
      '422': {
        description: 'The graph does not have the shape of a rule graph (code "invalid"; path points into it).',
      },
    },
  },
  publishVersion: {
    method: 'post',
    path: '/api/flows/{id}/versions',
    summary: 'Publish a graph (or the saved draft) as the next immutable version',
    description:
      'Elements that have not run yet take the newest version; running elements stay on theirs. ' +
      'Publishing the content of the latest version again answers that version (200) instead of a new one, ' +
      'and leaves its note as it was.',
    params: flowId,
    body: graphBody(
      '`{}` publishes the saved draft; `{"graph": …}` publishes that graph; either may add `"note": "why"`.',
      PublishBody,
    ),
    responses: {
      '201': { description: 'Published.', schema: ref('Published') },
      '200': { description: 'The content is that of the latest version, which is answered.', schema: ref('Published') },
      '422': {
        description:
          'The graph has errors (code "invalid"; the path points into the body, or into the draft when it was published).',
      },
    },
  },
  listVersions: {
    method: 'get',
    path: '/api/flows/{id}/versions',
    summary: "The flow's published versions, oldest first",
    params: flowId,
    responses: ok('The versions.', list('Version')),
  },
  getVersion: {
    method: 'get',
    path: '/api/flows/{id}/versions/{number}',
    summary: 'The graph of one published version',
    params: { ...flowId, number: { description: 'The version number', integer: true } },
    responses: ok('The graph, as published.', ref('Graph')),
  },
  diffVersions: {
    method: 'get',
    path: '/api/flows/{id}/diff',
    summary: 'What changed between two versions, by stable id',
    params: flowId,
    query: DiffQuery,
    responses: ok('Stages, rules and triggers added, removed and changed.', ref('Diff')),
  },
  rollback: {
    method: 'post',
    path: '/api/flows/{id}/rollback',
    summary: "Publish an old version's graph again, as a new version",
    params: flowId,
    body: smallBody('The version to go back to, and optionally why.', RollbackBody),
    responses: {
      '201': { description: 'Published as a new version.', schema: ref('Published') },
      '200': { description: 'That graph is already the latest version, which is answered.', schema: ref('Published') },
      '422': { description: 'No such version (path "/number"), or its graph no longer validates.' },
    },
  },
  listElements: {
    method: 'get',
    path: '/api/elements',
    summary: 'Elements, newest first',
    query: ElementsQuery,
    responses: ok(
      'A page of elements.',
      list('ElementSummary', { total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }),
    ),
  },
  createElement: {
    method: 'post',
    path: '/api/elements',
    summary: 'Create an element',
    description:
      "The element stands in `stage` (or in no stage) without running that stage's rules, as the engine " +
      'adds elements; move it to run them. `title` (and `responsible`) also fill the fields of those names ' +
      'unless `fields` gives them.',
    body: smallBody('The new element.', CreateElementBody),
    responses: {
      '201': { description: 'Created; the element as GET shows it.', schema: ref('Element') },
      '409': { description: 'The id is taken (code "conflict", path "/id").' },
      '422': {
        description:
          'Something the body names does not exist or does not fit: the pipeline, its element type, the stage, ' +
          'the contact, the company, or a system field: id, stage, createdAt, updatedAt (code "invalid" with its path).',
      },
    },
  },
  getElement: {
    method: 'get',
    path: '/api/elements/{id}',
    summary: 'An element with its fields and the state of its rules',
    params: elementId,
    responses: ok('The element.', ref('Element')),
  },
  moveElement: {
    method: 'post',
    path: '/api/elements/{id}/move',
    summary: "Move an element to a stage; the stage's rules start",
    params: elementId,
    body: smallBody('The stage to move to.', MoveBody),
    responses: {
      ...elementAnswer,
      '409': { description: 'The pipeline has no published flow yet (code "conflict").' },
      '422': { description: 'No such stage in the flow version the element runs (path "/stage").' },
    },
  },
  changeFields: {
    method: 'patch',
    path: '/api/elements/{id}/fields',
    summary: 'Change fields, one after another, in the order given',
    description: '"Field changed" triggers may move the element. Each field is its own change in the history.',
    params: elementId,
    body: smallBody('The new values by field path.', FieldsBody),
    responses: {
      ...elementAnswer,
      '409': { description: 'The pipeline has no published flow yet (code "conflict").' },
      '422': { description: 'A system field: id, stage, createdAt, updatedAt (path "/fields/<path>").' },
    },
  },
  fireEvent: {
    method: 'post',
    path: '/api/elements/{id}/events',
    summary: 'Tell the runtime something happened to an element (signed, viewed, paid, …)',
    params: elementId,
    body: smallBody('The event.', EventBody),
    responses: {
      ...elementAnswer,
      '409': { description: 'The pipeline has no published flow yet (code "conflict").' },
    },
  },
  retryRule: {
    method: 'post',
    path: '/api/elements/{id}/rules/{ruleId}/retry',
    summary: "Run a failed rule of the element's current stage again",
    description:
      'The rule runs again at once, as it stands in the flow version the element runs: its condition is ' +
      'evaluated again (its time setting is not waited for again), and what it sends or makes (an email, a ' +
      'document) is sent or made again. The "after previous" rules that did not run because it failed follow ' +
      'it. The history records `rule.retried` with who retried it; the audit log `element.ruleRetried`.',
    params: {
      ...elementId,
      ruleId: { description: "The rule's id in the graph; a rule of the element's current stage" },
    },
    responses: {
      ...ok(
        'The element as GET /api/elements/{id} shows it; the rule is running, done or failed again.',
        ref('Element'),
      ),
      '404': { description: 'No such element, or no such rule in the stage the element stands in (code "not-found").' },
      '409': {
        description:
          'The rule has not failed (code "conflict"): only a failed rule can be retried. Or the pipeline has no ' +
          'published flow yet.',
      },
    },
  },
  elementHistory: {
    method: 'get',
    path: '/api/elements/{id}/history',
    summary: "The element's timeline, oldest first",
    params: elementId,
    query: HistoryQuery,
    responses: ok('A page of history records.', list('HistoryRecord')),
  },
  listWebhooks: {
    method: 'get',
    path: '/api/flows/{id}/webhooks',
    summary: "The incoming webhooks of the flow's latest published version",
    description:
      'One item per trigger of type "webhook" in the latest published version, with the URL to call. A ' +
      'trigger that has no secret yet is given one here, and this answer shows it (`secret`), once: later ' +
      'answers show only its last 4 characters. A HEAD request makes no secrets. Without a published version ' +
      'the list is empty.',
    params: flowId,
    responses: ok('The webhooks, in stage order.', list('Webhook')),
  },
  rotateWebhookSecret: {
    method: 'post',
    path: '/api/flows/{id}/webhooks/{triggerId}/rotate',
    summary: 'Give a webhook a new secret; the old one stops working at once',
    params: { ...flowId, ...webhookTrigger },
    responses: ok('The webhook with its new secret, shown only in this answer.', ref('WebhookWithSecret')),
  },
  callWebhook: {
    method: 'post',
    path: '/api/webhooks/{flowId}/{triggerId}',
    summary: 'Another system calls a webhook: the named trigger may move the element',
    description:
      "Public: callers authenticate with the webhook's secret, not with the credentials of the rest of the " +
      'API. The element hears a "webhook" event for this trigger only (other webhook triggers do not fire), ' +
      'and the history records it (event.received, trigger.considered). The secret is checked before the ' +
      'body is read.',
    params: {
      flowId: { description: 'The flow id' },
      ...webhookTrigger,
    },
    headers: {
      [WEBHOOK_SECRET_HEADER]: {
        description: "The webhook's secret, as GET /api/flows/{id}/webhooks showed it",
        required: true,
      },
    },
    public: true,
    body: {
      schema: WebhookCallBody,
      maxBytes: MAX_WEBHOOK_BODY_BYTES,
      description: "The element the event happened to (it must be in the flow's pipeline).",
    },
    responses: {
      '202': {
        description: "Accepted: the event was run; the element's stage after it.",
        schema: ref('WebhookAccepted'),
      },
      '401': {
        description:
          'The secret is missing or wrong, or the webhook has none yet (code "unauthorized"; the answer does not say which).',
      },
      '429': {
        description:
          'Too many calls of this webhook from this address this minute (code "rate-limited"); checked before the secret.',
      },
      '404': {
        description:
          'No such flow, or no webhook trigger of that id in its latest published version; or no such element in ' +
          'the flow\'s pipeline (code "not-found").',
      },
    },
  },
  listConstants: {
    method: 'get',
    path: '/api/flows/{id}/constants',
    summary: "The constants of the flow's latest published version, with the values rules read now",
    description: 'Empty before the first publish.',
    params: flowId,
    responses: ok('The constants, in the order the graph declares them.', list('Constant')),
  },
  setConstant: {
    method: 'put',
    path: '/api/flows/{id}/constants/{constantId}',
    summary: 'Change a constant by hand, without publishing the flow again',
    description:
      'Rules that run from now on read the new value (other server processes within a second). The type and ' +
      'multiplicity stay those the constant was made with; a value that does not fit is refused with its path.',
    params: { ...flowId, constantId: { description: "A constant of the flow's latest published version" } },
    body: smallBody('The new value.', ConstantBody),
    responses: {
      ...ok('The constant with its new value.', ref('Constant')),
      '422': { description: 'The value does not fit the constant\'s type (code "invalid", path "/value…").' },
    },
  },
  elementAuditTrail: {
    method: 'get',
    path: '/api/elements/{id}/audit',
    summary: "One element's audit trail, oldest first, with what proves it",
    description:
      "Every audit row about the element, each with its place in the hash chain, and the chain's head when " +
      'exported: keep the export, and a later `npx signflow audit verify` (or comparing hashes) shows whether ' +
      'anything before that head changed.',
    params: elementId,
    responses: ok('The trail.', ref('AuditTrail')),
  },
  elementAuditTrailPdf: {
    method: 'get',
    path: '/api/elements/{id}/audit.pdf',
    summary: "One element's audit trail as a PDF, to print or file",
    description:
      'The same rows as GET /api/elements/{id}/audit, each with its place and hash in the chain, and the head ' +
      'of the chain when exported.',
    params: elementId,
    responses: { '200': { description: 'The trail as a PDF document.', media: ['application/pdf'] } },
  },
  listAudit: {
    method: 'get',
    path: '/api/audit',
    summary: 'The audit log: who changed what, when and from where; newest first',
    description:
      'Every change made through the API writes one row in the same transaction as the change; rows are never ' +
      'changed or deleted, and each carries the hash of the one before, so that `npx signflow audit verify` ' +
      'finds a row edited, deleted or reordered. Page with `before`: pass the last id of a page to get the next.',
    query: AuditQuery,
    responses: ok('A page of audit rows.', list('AuditEntry')),
  },
  listOutbox: {
    method: 'get',
    path: '/api/outbox',
    summary: 'Effects waiting for, or done by, the outbox worker; newest first',
    query: LimitQuery,
    responses: ok('The newest outbox rows.', list('OutboxItem')),
  },
  listMessages: {
    method: 'get',
    path: '/api/messages',
    summary: 'What the demo mail and SMS catcher received; newest first',
    query: LimitQuery,
    responses: ok('The newest messages.', list('Message')),
  },
  listNotifications: {
    method: 'get',
    path: '/api/notifications',
    summary: 'Notifications for people; newest first',
    query: NotificationsQuery,
    responses: ok('The newest notifications.', list('Notification')),
  },
  listTasks: {
    method: 'get',
    path: '/api/tasks',
    summary: 'Tasks rules created; newest first',
    query: TasksQuery,
    responses: ok('The newest tasks.', list('Task')),
  },
  ...DIRECTORY_OPERATIONS,
  ...FILE_OPERATIONS,
  ...DOCUMENT_OPERATIONS,
  ...SIGNING_OPERATIONS,
  ...VERIFY_OPERATIONS,
  ...SEALING_OPERATIONS,
  ...SUBSCRIPTION_OPERATIONS,
  ...WORKSPACE_OPERATIONS,
  ...SIMULATOR_OPERATIONS,
  ...AUTH_OPERATIONS,
} as const satisfies Record<string, Operation>

export type OperationId = keyof typeof OPERATIONS

/** "5 MB", "256 KB": a body limit as messages and the document say it. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} KB`
}

/** `/api/flows/{id}` → `/api/flows/:id`, as Hono writes it. */
export function honoPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1')
}
