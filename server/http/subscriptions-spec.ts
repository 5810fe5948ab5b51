/** Outgoing webhooks: integrators subscribe a URL to event types (see `server/runtime/outgoing.ts`). */
import Type from 'typebox'
import { OUTGOING_EVENT_TYPES, SIGNATURE_HEADER } from '../runtime/outgoing.js'
import type { Operation } from './operation.js'

const MAX_BODY = 16 * 1024
const strict = { additionalProperties: false } as const
const ref = (name: string) => Type.Unsafe<unknown>({ $ref: `#/components/schemas/${name}` })

const Url = Type.String({
  maxLength: 2000,
  pattern: '^https?://[^\\s/?#]+[^\\s]*$',
  description: 'Where deliveries are POSTed: an http:// or https:// URL',
})
const Events = Type.Array(Type.Unsafe<string>({ type: 'string', enum: [...OUTGOING_EVENT_TYPES] }), {
  minItems: 1,
  maxItems: OUTGOING_EVENT_TYPES.length,
  uniqueItems: true,
  description: `What to be told of: ${OUTGOING_EVENT_TYPES.join(', ')}`,
})
const Description = Type.String({ maxLength: 500 })

export const CreateSubscriptionBody = Type.Object(
  {
    id: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$', description: 'Its id (default: a UUID)' }),
    ),
    url: Url,
    events: Events,
    description: Type.Optional(Description),
  },
  strict,
)
export const UpdateSubscriptionBody = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    description: Type.Optional(Type.Union([Description, Type.Null()])),
    active: Type.Optional(Type.Boolean({ description: 'false pauses deliveries; queued ones then fail' })),
  },
  { ...strict, minProperties: 1 },
)

const subscriptionProperties = {
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}

export const subscriptionResponseSchemas = {
  Subscription: Type.Object(subscriptionProperties),
  SubscriptionWithSecret: Type.Object({
    ...subscriptionProperties,
    secret: Type.String({
      description: `Signs every delivery (header "${SIGNATURE_HEADER}": t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">). Shown only in this answer.`,
    }),
  }),
  WebhookDelivery: Type.Object({
    id: Type.Integer(),
    event: Type.String(),
    elementId: Type.String(),
    status: Type.String({ enum: ['pending', 'sending', 'done', 'failed'] }),
    attempts: Type.Integer(),
    lastError: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
} as const

const subscriptionId = { id: { description: 'The subscription id' } }
const body = <S extends ReturnType<typeof Type.Object>>(description: string, schema: S) => ({
  schema,
  maxBytes: MAX_BODY,
  description,
})

export const SUBSCRIPTION_OPERATIONS = {
  listSubscriptions: {
    method: 'get',
    path: '/api/webhook-subscriptions',
    summary: 'Outgoing webhooks: who is told of what',
    responses: {
      '200': { description: 'Every subscription.', schema: Type.Object({ items: Type.Array(ref('Subscription')) }) },
    },
  },
  createSubscription: {
    method: 'post',
    path: '/api/webhook-subscriptions',
    summary: 'Subscribe a URL to events; the answer shows its signing secret, once',
    description:
      'Each event is POSTed as {"id","type","occurredAt","data"} with the headers x-signflow-event, x-signflow-delivery ' +
      `(the same on a retry) and ${SIGNATURE_HEADER}. A delivery that does not get a 2xx answer is retried with ` +
      'growing pauses, 8 attempts in all.',
    body: body('The subscription.', CreateSubscriptionBody),
    responses: {
      '201': { description: 'Subscribed; the secret is in this answer only.', schema: ref('SubscriptionWithSecret') },
      '409': { description: 'The id is taken (code "conflict", path "/id").' },
    },
  },
  getSubscription: {
    method: 'get',
    path: '/api/webhook-subscriptions/{id}',
    summary: 'One subscription (without its secret)',
    params: subscriptionId,
    responses: { '200': { description: 'The subscription.', schema: ref('Subscription') } },
  },
  updateSubscription: {
    method: 'patch',
    path: '/api/webhook-subscriptions/{id}',
    summary: 'Change the URL, the events or the description, or pause it',
    params: subscriptionId,
    body: body('What changes.', UpdateSubscriptionBody),
    responses: { '200': { description: 'The subscription as it is now.', schema: ref('Subscription') } },
  },
  deleteSubscription: {
    method: 'delete',
    path: '/api/webhook-subscriptions/{id}',
    summary: 'Unsubscribe: nothing more is sent (queued deliveries fail)',
    params: subscriptionId,
    responses: { '204': { description: 'Removed.' } },
  },
  listSubscriptionDeliveries: {
    method: 'get',
    path: '/api/webhook-subscriptions/{id}/deliveries',
    summary: "The subscription's deliveries, newest first, with their attempts",
    params: subscriptionId,
    responses: {
      '200': {
        description: 'The newest 200 deliveries.',
        schema: Type.Object({ items: Type.Array(ref('WebhookDelivery')) }),
      },
    },
  },
} as const satisfies Record<string, Operation>

export type SubscriptionOperationId = keyof typeof SUBSCRIPTION_OPERATIONS
