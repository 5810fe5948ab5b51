/** The handlers of `simulator-spec.ts`: scenarios stored next to a flow, and template previews that write nothing. */
import { scenarioProblems } from '../../shared/engine/scenario.js'
import { parseJson } from '../../shared/graph/io.js'
import { isLanguage, LANGUAGES } from '../../shared/i18n/languages.js'
import { pointerSegment } from '../../shared/index.js'
import { writeAudit } from '../db/audit.js'
import type { FlowScenarioRow } from '../db/schema.js'
import { PREVIEW_NUMBER, previewDocument } from '../documents/store.js'
import { actorOf } from './actor.js'
import { HttpError } from './errors.js'
import { structureProblem } from './input.js'
import type { Handler, Services } from './runtime-api.js'
import {
  MAX_PREVIEW_ENTRIES,
  MAX_PREVIEW_TEXT,
  MAX_SCENARIOS_PER_FLOW,
  SCENARIO_ID_PATTERN,
  type SimulatorOperationId,
} from './simulator-spec.js'

type SimulatorHandlers = { [K in SimulatorOperationId]: Handler<K> }

const SCENARIO_ID = new RegExp(SCENARIO_ID_PATTERN)
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/
const nowIso = () => new Date().toISOString()
const notFound = (message: string) => new HttpError(404, 'not-found', message)
const badFields = (message: string, path = '/fields') => new HttpError(400, 'bad-request', message, { path })
const thousands = (n: number) => n.toLocaleString('en').replace(/,/g, ' ')

/** "/steps/2/move: must have required property 'to'" → the path ("" for the root) and the message. */
function splitProblem(problem: string): { path: string; message: string } {
  const at = problem.indexOf(': ')
  if (at < 0) return { path: '', message: problem }
  const path = problem.slice(0, at)
  return { path: path === '(root)' ? '' : path, message: problem.slice(at + 2) }
}

/** The `fields` parameter of a preview: base64url of UTF-8 JSON text of an object; else 400 at "/fields". */
export function decodePreviewFields(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {}
  if (!BASE64URL.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw badFields('"fields" is not base64url (letters, digits, "-" and "_"): encode the JSON of the fields so.')
  }
  let json: string
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'base64url'))
  } catch {
    throw badFields('"fields" does not decode to UTF-8 text: encode the JSON of the fields as UTF-8 first.')
  }
  const parsed = parseJson(json)
  if (!parsed.ok) {
    const { line, column, message } = parsed.error
    throw badFields(`"fields" decodes to text that is not JSON (line ${line}, column ${column}: ${message}).`)
  }
  const value = parsed.value
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badFields('"fields" must be a JSON object of field paths and values, such as {"title": "…"}.')
  }
  const problem = structureProblem(value)
  if (problem) throw badFields(`"fields" is refused at ${problem.extra.path || 'its root'}: ${problem.message}`)
  const tooMuch = sizeProblem(value)
  if (tooMuch) throw tooMuch
  return value as Record<string, unknown>
}

/**
 * What a preview draws stays small whatever the caller sends: every text (value or key) at most
 * {@link MAX_PREVIEW_TEXT} characters, at most {@link MAX_PREVIEW_ENTRIES} keys and list entries in all. The first
 * problem in document order, as a 400 whose path points into "fields" ("/fields/client/name"), or `undefined`.
 * Iterative (the nesting is bounded already, by `structureProblem`).
 */
function sizeProblem(fields: object): HttpError | undefined {
  let entries = 0
  const stack: Array<{ node: unknown; path: string }> = [{ node: fields, path: '/fields' }]
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { node, path } = frame
    if (typeof node === 'string') {
      if (node.length > MAX_PREVIEW_TEXT) {
        return badFields(
          `The value at ${path} is ${thousands(node.length)} characters long; a preview takes at most ` +
            `${thousands(MAX_PREVIEW_TEXT)} per value: shorten it (a sample needs only what the document shows).`,
          path,
        )
      }
      continue
    }
    if (typeof node !== 'object' || node === null) continue
    const keys = Array.isArray(node) ? node.map((_, i) => String(i)) : Object.keys(node)
    entries += keys.length
    if (entries > MAX_PREVIEW_ENTRIES) {
      return badFields(
        `"fields" holds more than ${thousands(MAX_PREVIEW_ENTRIES)} keys and list entries; a preview takes at most ` +
          `${thousands(MAX_PREVIEW_ENTRIES)}: send only the fields the document shows.`,
      )
    }
    if (!Array.isArray(node)) {
      const long = keys.find((key) => key.length > MAX_PREVIEW_TEXT)
      if (long !== undefined) {
        return badFields(
          `A key at ${path} is ${thousands(long.length)} characters long; a preview takes at most ` +
            `${thousands(MAX_PREVIEW_TEXT)} per key: shorten it.`,
          path,
        )
      }
    }
    // Children pushed last first, so they are checked in document order.
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string
      stack.push({ node: (node as Record<string, unknown>)[key], path: `${path}/${pointerSegment(key)}` })
    }
  }
  return undefined
}

export function makeSimulatorHandlers(services: Pick<Services, 'db'>): SimulatorHandlers {
  const { db } = services

  async function flowOf(id: string | undefined) {
    const row = await db
      .selectFrom('flows')
      .select('id')
      .where('id', '=', id ?? '')
      .executeTakeFirst()
    if (!row) throw notFound(`No flow "${id}".`)
    return row
  }

  const view = (row: FlowScenarioRow) => ({
    id: row.id,
    name: row.name,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    scenario: JSON.parse(row.body) as unknown,
  })

  return {
    listScenarios: async ({ c, params }) => {
      const flow = await flowOf(params.id)
      const rows = await db.selectFrom('flow_scenarios').selectAll().where('flow_id', '=', flow.id).execute()
      // Sorted here, not by the database: SQLite and PostgreSQL collate text differently.
      rows.sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      return c.json({ items: rows.map(view) })
    },

    saveScenario: async ({ c, params, body }) => {
      const flow = await flowOf(params.id)
      const id = params.scenarioId ?? ''
      if (!SCENARIO_ID.test(id)) {
        throw new HttpError(
          422,
          'invalid',
          `The scenario id "${id.slice(0, 100)}" is not one: up to 64 letters, digits, "_" or "-", starting with a letter.`,
        )
      }
      const problems = scenarioProblems(body)
      const first = problems[0]
      if (first !== undefined) {
        const { path, message } = splitProblem(first)
        throw new HttpError(422, 'invalid', `The scenario is not valid: ${path || 'the scenario'} ${message}.`, {
          path,
        })
      }
      const at = nowIso()
      const actor = actorOf(c)
      const row: FlowScenarioRow = {
        flow_id: flow.id,
        id,
        name: body.name,
        body: JSON.stringify(body),
        updated_at: at,
        updated_by: actor.id,
      }
      const created = await db.transaction().execute(async (trx) => {
        const known = await trx
          .selectFrom('flow_scenarios')
          .select('id')
          .where('flow_id', '=', flow.id)
          .where('id', '=', id)
          .executeTakeFirst()
        if (!known) {
          const { count } = await trx
            .selectFrom('flow_scenarios')
            .select((eb) => eb.fn.countAll<number | string>().as('count'))
            .where('flow_id', '=', flow.id)
            .executeTakeFirstOrThrow()
          if (Number(count) >= MAX_SCENARIOS_PER_FLOW) {
            throw new HttpError(
              409,
              'conflict',
              `Flow "${flow.id}" keeps ${MAX_SCENARIOS_PER_FLOW} scenarios already; delete one before adding another.`,
            )
          }
        }
        // Two saves of a new scenario at once: the first inserts, the other replaces it.
        const inserted = await trx
          .insertInto('flow_scenarios')
          .values(row)
          .onConflict((oc) => oc.columns(['flow_id', 'id']).doNothing())
          .executeTakeFirst()
        const made = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0
        if (!made) {
          await trx
            .updateTable('flow_scenarios')
            .set({ name: row.name, body: row.body, updated_at: at, updated_by: actor.id })
            .where('flow_id', '=', flow.id)
            .where('id', '=', id)
            .execute()
        }
        await writeAudit(
          trx,
          actor,
          {
            action: 'flow.scenarioSaved',
            target: `flow:${flow.id}`,
            detail: { scenario: id, name: body.name, created: made },
          },
          at,
        )
        return made
      })
      if (created) c.header('Location', `/api/flows/${encodeURIComponent(flow.id)}/scenarios/${id}`)
      return c.json({ id, name: body.name, updatedAt: at }, created ? 201 : 200)
    },

    deleteScenario: async ({ c, params }) => {
      const flow = await flowOf(params.id)
      const id = params.scenarioId ?? ''
      await db.transaction().execute(async (trx) => {
        const deleted = await trx
          .deleteFrom('flow_scenarios')
          .where('flow_id', '=', flow.id)
          .where('id', '=', id)
          .executeTakeFirst()
        if (Number(deleted.numDeletedRows) === 0) throw notFound(`No scenario "${id}" in flow "${flow.id}".`)
        await writeAudit(trx, actorOf(c), {
          action: 'flow.scenarioDeleted',
          target: `flow:${flow.id}`,
          detail: { scenario: id },
        })
      })
      return c.body(null, 204)
    },

    previewTemplate: async ({ c, params, query }) => {
      const fields = decodePreviewFields(query.fields)
      // Reads only (the template, our company and its images): nothing is numbered, stored or audited.
      // The schema already allows only our languages; checked again here, where the type is narrowed.
      const language = query.language
      if (language !== undefined && !isLanguage(language))
        throw badFields(`"language" must be one of ${LANGUAGES.join(', ')}.`, '/language')
      const preview = await previewDocument(db, params.id ?? '', fields, language ? { language } : {})
      if (!preview) throw notFound(`No template "${params.id}".`)
      return c.body(new Uint8Array(preview.pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="${preview.template.id}-${PREVIEW_NUMBER.toLowerCase()}.pdf"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Referrer-Policy': 'no-referrer',
      })
    },
  }
}
