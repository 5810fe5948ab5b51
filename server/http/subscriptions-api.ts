/** The handlers of `subscriptions-spec.ts`. Every change is audited in its transaction. */
import { randomBytes, randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { writeAudit } from '../db/audit.js'
import type { WebhookSubscriptionRow } from '../db/schema.js'
import type { WebhookRequest } from '../runtime/outgoing.js'
import { actorOf } from './actor.js'
import { HttpError } from './errors.js'
import type { Handler, Services } from './runtime-api.js'
import type { SubscriptionOperationId } from './subscriptions-spec.js'

type SubscriptionHandlers = { [K in SubscriptionOperationId]: Handler<K> }

function view(row: WebhookSubscriptionRow) {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    description: row.description,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function makeSubscriptionHandlers(services: Services): SubscriptionHandlers {
  const { db, runtime } = services
  const find = async (id: string | undefined) => {
    const row =
      id === undefined
        ? undefined
        : await db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new HttpError(404, 'not-found', `No webhook subscription "${id}".`)
    return row
  }
  return {
    listSubscriptions: async ({ c }) => {
      const rows = await db
        .selectFrom('webhook_subscriptions')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      return c.json({ items: rows.map(view) })
    },

    createSubscription: async ({ c, body }) => {
      const id = body.id ?? randomUUID()
      const at = new Date().toISOString()
      const secret = `sfws_${randomBytes(24).toString('base64url')}`
      const row: WebhookSubscriptionRow = {
        id,
        url: body.url,
        events: JSON.stringify(body.events),
        secret,
        description: body.description ?? null,
        active: 1,
        created_at: at,
        updated_at: at,
      }
      await db.transaction().execute(async (trx) => {
        if (await trx.selectFrom('webhook_subscriptions').select('id').where('id', '=', id).executeTakeFirst()) {
          throw new HttpError(409, 'conflict', `A subscription "${id}" exists already.`, { path: '/id' })
        }
        await trx.insertInto('webhook_subscriptions').values(row).execute()
        await writeAudit(
          trx,
          actorOf(c),
          {
            action: 'subscription.created',
            target: `subscription:${id}`,
            detail: { url: body.url, events: body.events },
          },
          at,
        )
      })
      runtime.forgetSubscriptions()
      c.header('Location', `/api/webhook-subscriptions/${id}`)
      c.header('Cache-Control', 'no-store')
      return c.json({ ...view(row), secret }, 201)
    },

    getSubscription: async ({ c, params }) => c.json(view(await find(params.id))),

    updateSubscription: async ({ c, params, body }) => {
      const before = await find(params.id)
      const at = new Date().toISOString()
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('webhook_subscriptions')
          .set({
            ...(body.url !== undefined ? { url: body.url } : {}),
            ...(body.events !== undefined ? { events: JSON.stringify(body.events) } : {}),
            ...(body.description !== undefined ? { description: body.description } : {}),
            ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
            updated_at: at,
          })
          .where('id', '=', before.id)
          .execute()
        await writeAudit(
          trx,
          actorOf(c),
          {
            action: 'subscription.updated',
            target: `subscription:${before.id}`,
            detail: { changed: Object.keys(body) },
          },
          at,
        )
      })
      runtime.forgetSubscriptions()
      return c.json(view(await find(before.id)))
    },

    deleteSubscription: async ({ c, params }) => {
      const before = await find(params.id)
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('webhook_subscriptions').where('id', '=', before.id).execute()
        await writeAudit(trx, actorOf(c), { action: 'subscription.deleted', target: `subscription:${before.id}` })
      })
      runtime.forgetSubscriptions()
      return c.body(null, 204)
    },

    listSubscriptionDeliveries: async ({ c, params }) => {
      const sub = await find(params.id)
      // Its deliveries are the outbox rows whose effect id starts with "wh:<id>:" (compared exactly).
      const prefix = `wh:${sub.id}:`
      const rows = await db
        .selectFrom('outbox')
        .select(['id', 'element_id', 'request', 'status', 'attempts', 'last_error', 'created_at', 'updated_at'])
        .where('kind', '=', 'webhook')
        .where(sql<boolean>`substr(effect_id, 1, ${prefix.length}) = ${prefix}`)
        .orderBy('id', 'desc')
        .limit(200)
        .execute()
      return c.json({
        items: rows.map((r) => ({
          id: Number(r.id),
          event: (JSON.parse(r.request) as WebhookRequest).event,
          elementId: r.element_id,
          status: r.status,
          attempts: r.attempts,
          lastError: r.last_error,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        })),
      })
    },
  }
}
