/** The handler of `board-spec.ts`: a pipeline's elements as the cards of the sales board. */

import { writeAudit } from '../db/audit.js'
import { foldForSearch } from '../db/directory-data.js'
import { actorOf } from './actor.js'
import { principalOf } from './auth-api.js'
import { HttpError } from './errors.js'
import type { Handler, Services } from './runtime-api.js'
import { MAX_BOARD_CARDS, type WorkspaceOperationId } from './workspace-spec.js'

type WorkspaceHandlers = { [K in WorkspaceOperationId]: Handler<K> }

/** Rows read before search narrows them: search folds text in JavaScript (SQLite's lower() knows ASCII only). */
const SCAN_LIMIT = 20_000

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null)

/** What a signing filter keeps, by the newest document's status. */
const SIGNING_FILTER: Record<string, (status: string | null) => boolean> = {
  none: (s) => s === null,
  waiting: (s) => s === 'sent' || s === 'signing' || s === 'created',
  signed: (s) => s === 'signed',
  declined: (s) => s === 'declined' || s === 'expired',
}

export function makeWorkspaceHandlers({ db }: Services): WorkspaceHandlers {
  return {
    getBoard: async ({ c, params, query }) => {
      const pipelineId = params.id ?? ''
      const pipeline = await db.selectFrom('pipelines').select('id').where('id', '=', pipelineId).executeTakeFirst()
      if (!pipeline) throw new HttpError(404, 'not-found', `No pipeline "${pipelineId}".`)
      let rows = db
        .selectFrom('elements')
        .leftJoin('contacts', 'contacts.id', 'elements.contact_id')
        .leftJoin('companies', 'companies.id', 'elements.company_id')
        .leftJoin('users', 'users.id', 'elements.responsible')
        .select([
          'elements.id',
          'elements.title',
          'elements.stage',
          'elements.fields',
          'elements.responsible',
          'elements.revision',
          'elements.updated_at',
          'contacts.name as contact_name',
          'companies.name as company_name',
          'users.name as responsible_name',
        ])
        .where('elements.pipeline_id', '=', pipelineId)
      if (query.responsible) rows = rows.where('elements.responsible', '=', query.responsible)
      const found = await rows.orderBy('elements.updated_at', 'desc').orderBy('elements.id').limit(SCAN_LIMIT).execute()

      // The newest document of each element, and how many of its parties signed.
      const ids = found.map((r) => r.id)
      const newest = new Map<string, { id: string; title: string; status: string; created: string }>()
      for (let i = 0; i < ids.length; i += 500) {
        const docs = await db
          .selectFrom('documents')
          .select(['id', 'element_id', 'title', 'status', 'created_at'])
          .where('element_id', 'in', ids.slice(i, i + 500))
          .execute()
        for (const d of docs) {
          const have = newest.get(d.element_id)
          if (!have || d.created_at > have.created || (d.created_at === have.created && d.id > have.id)) {
            newest.set(d.element_id, { id: d.id, title: d.title, status: d.status, created: d.created_at })
          }
        }
      }
      const docIds = [...newest.values()].map((d) => d.id)
      const parties = new Map<string, { signed: number; all: number }>()
      for (let i = 0; i < docIds.length; i += 500) {
        const rowsOf = await db
          .selectFrom('signing_parties')
          .select(['document_id', 'status'])
          .where('document_id', 'in', docIds.slice(i, i + 500))
          .execute()
        for (const p of rowsOf) {
          const n = parties.get(p.document_id) ?? { signed: 0, all: 0 }
          n.all++
          if (p.status === 'signed') n.signed++
          parties.set(p.document_id, n)
        }
      }

      const words = foldForSearch(query.q ?? '')
        .split(/\s+/)
        .filter(Boolean)
      const keep = query.signing ? SIGNING_FILTER[query.signing] : undefined
      const counts: Record<string, number> = {}
      const items = []
      for (const r of found) {
        const fields = JSON.parse(r.fields) as Record<string, unknown>
        const clientField = text(fields['client.name']) ?? text((fields.client as { name?: unknown } | null)?.name)
        const client = r.contact_name
          ? { name: r.contact_name, kind: 'contact' as const }
          : r.company_name
            ? { name: r.company_name, kind: 'company' as const }
            : clientField
              ? { name: clientField, kind: 'contact' as const }
              : null
        const doc = newest.get(r.id)
        if (keep && !keep(doc?.status ?? null)) continue
        if (words.length > 0) {
          const hay = foldForSearch([r.title, client?.name ?? '', r.responsible_name ?? '', r.id].join(' '))
          if (!words.every((w) => hay.includes(w))) continue
        }
        const stage = r.stage ?? ''
        counts[stage] = (counts[stage] ?? 0) + 1
        if (items.length >= MAX_BOARD_CARDS) continue
        const signed = doc ? parties.get(doc.id) : undefined
        items.push({
          id: r.id,
          title: r.title,
          stage: r.stage,
          amount: typeof fields.amount === 'number' && Number.isFinite(fields.amount) ? fields.amount : null,
          currency: text(fields.currency),
          client,
          responsible: r.responsible ? { id: r.responsible, name: r.responsible_name ?? r.responsible } : null,
          signing: doc
            ? {
                documentId: doc.id,
                title: doc.title,
                status: doc.status,
                signed: signed?.signed ?? 0,
                parties: signed?.all ?? 0,
              }
            : null,
          revision: r.revision,
          updatedAt: r.updated_at,
        })
      }
      const total = Object.values(counts).reduce((a, b) => a + b, 0)
      return c.json({ pipelineId, items, counts, truncated: total > items.length || found.length === SCAN_LIMIT })
    },

    markNotificationRead: async ({ c, params }) => {
      const id = Number(params.id)
      // Ids are positive 32-bit integers in both databases: anything else names no notification.
      const row =
        Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647
          ? await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst()
          : undefined
      if (!row) throw new HttpError(404, 'not-found', `No notification ${params.id}.`)
      const me = principalOf(c)
      if (me && me.role !== 'admin' && me.userId !== row.user_id) {
        throw new HttpError(403, 'forbidden', 'This notification is someone else’s; only they may mark it read.')
      }
      const readAt = row.read_at ?? new Date().toISOString()
      if (!row.read_at) await db.updateTable('notifications').set({ read_at: readAt }).where('id', '=', id).execute()
      return c.json({
        id: row.id,
        userId: row.user_id,
        elementId: row.element_id,
        text: row.text,
        createdAt: row.created_at,
        readAt,
      })
    },

    completeTask: async ({ c, params, body }) => {
      const id = params.id ?? ''
      const done = body?.done ?? true
      const me = principalOf(c)
      const at = new Date().toISOString()
      const row = await db.transaction().execute(async (trx) => {
        const found = await trx.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst()
        if (!found) throw new HttpError(404, 'not-found', `No task "${id}".`)
        if (me && !['admin', 'sales'].includes(me.role) && me.userId !== found.responsible) {
          throw new HttpError(
            403,
            'forbidden',
            'This task is someone else’s; only they, sales and admins may close it.',
          )
        }
        const doneAt = done ? (found.done_at ?? at) : null
        if (doneAt !== found.done_at) {
          await trx.updateTable('tasks').set({ done_at: doneAt }).where('id', '=', id).execute()
          await writeAudit(trx, actorOf(c), {
            action: done ? 'task.done' : 'task.reopened',
            target: `element:${found.element_id}`,
            detail: { task: id, title: found.title },
          })
        }
        return { ...found, done_at: doneAt }
      })
      return c.json({
        id: row.id,
        elementId: row.element_id,
        title: row.title,
        description: row.description,
        responsible: row.responsible,
        deadline: row.deadline,
        checklist: JSON.parse(row.checklist) as string[],
        doneAt: row.done_at,
        createdAt: row.created_at,
      })
    },
  }
}
