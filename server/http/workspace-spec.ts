/**
 * The sales board (issue 10): a pipeline's elements as cards — title, amount, client, responsible person and
 * where their newest document's signing stands — with search and filters, for the columns of the board.
 */
import Type from 'typebox'
import type { Operation } from './operation.js'

/** At most this many cards in one answer (newest first); the per-stage counts still count them all. */
export const MAX_BOARD_CARDS = 1000

const ref = (name: string) => Type.Unsafe<unknown>({ $ref: `#/components/schemas/${name}` })
const strict = { additionalProperties: false } as const
const nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()])

export const BoardQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'Words the title, the client or the responsible person contain (accents and case ignored)',
      }),
    ),
    responsible: Type.Optional(Type.String({ maxLength: 200, description: 'Only the cards of this user id' })),
    signing: Type.Optional(
      Type.String({
        enum: ['none', 'waiting', 'signed', 'declined'],
        description:
          'Only cards whose newest document is: none (no document), waiting (out for signing), signed, declined ' +
          '(declined or expired)',
      }),
    ),
  },
  strict,
)

export const workspaceResponseSchemas = {
  BoardCard: Type.Object({
    id: Type.String(),
    title: Type.String(),
    stage: nullable(Type.String()),
    amount: Type.Union([Type.Number(), Type.Null()], { description: 'The `amount` field, when a number' }),
    currency: nullable(Type.String({ description: 'The `currency` field' })),
    client: Type.Union(
      [Type.Object({ name: Type.String(), kind: Type.String({ enum: ['contact', 'company'] }) }), Type.Null()],
      {
        description: "The element's contact, else its company, else its `client.name` field",
      },
    ),
    responsible: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
    signing: Type.Union(
      [
        Type.Object({
          documentId: Type.String(),
          title: Type.String(),
          status: Type.String({
            description: "The newest document's status: created, sent, signing, signed, declined, expired",
          }),
          signed: Type.Integer({ description: 'Parties that signed' }),
          parties: Type.Integer({ description: 'Parties asked to sign' }),
        }),
        Type.Null(),
      ],
      { description: 'The newest document of the element and its signing; null without a document' },
    ),
    revision: Type.Integer(),
    updatedAt: Type.String({ description: 'Last changed (ISO 8601)' }),
  }),
  Board: Type.Object({
    pipelineId: Type.String(),
    items: Type.Array(ref('BoardCard'), {
      description: `The matching cards, newest first (at most ${MAX_BOARD_CARDS})`,
    }),
    counts: Type.Record(Type.String(), Type.Integer(), {
      description: 'Matching cards per stage id (all of them, also beyond the cards listed); "" for no stage',
    }),
    truncated: Type.Boolean({ description: `More than ${MAX_BOARD_CARDS} cards matched` }),
  }),
} as const

export const WORKSPACE_OPERATIONS = {
  getBoard: {
    method: 'get',
    path: '/api/pipelines/{id}/board',
    summary: "The pipeline's elements as board cards, with search and filters",
    description:
      'Each card carries what the board shows: title, amount, client, responsible person and the signing of its ' +
      'newest document. Move a card with POST /api/elements/{id}/move.',
    params: { id: { description: 'The pipeline id' } },
    query: BoardQuery,
    responses: {
      '200': { description: 'The cards and the counts per stage.', schema: ref('Board') },
      '404': { description: 'No such pipeline (code "not-found").' },
    },
  },
  markNotificationRead: {
    method: 'post',
    path: '/api/notifications/{id}/read',
    summary: 'Mark a notification as read',
    description: 'Only its recipient (or an admin) may. Reading it again keeps the first time it was read.',
    params: { id: { description: 'The notification id', integer: true } },
    responses: {
      '200': { description: 'Read.', schema: ref('Notification') },
      '403': { description: 'Someone else’s notification (code "forbidden").' },
      '404': { description: 'No such notification (code "not-found").' },
    },
  },
  completeTask: {
    method: 'post',
    path: '/api/tasks/{id}/done',
    summary: 'Mark a task as done (or, with {"done": false}, open it again)',
    description: 'Its responsible person, sales and admins may. Audited as `task.done` / `task.reopened`.',
    params: { id: { description: 'The task id' } },
    body: {
      schema: Type.Object({ done: Type.Optional(Type.Boolean({ description: 'Default true' })) }, strict),
      maxBytes: 1024,
      description: 'Done, or not.',
    },
    responses: {
      '200': { description: 'The task as it is now.', schema: ref('Task') },
      '403': { description: 'Not yours, and your role may not (code "forbidden").' },
      '404': { description: 'No such task (code "not-found").' },
    },
  },
} as const satisfies Record<string, Operation>

export type WorkspaceOperationId = keyof typeof WORKSPACE_OPERATIONS
