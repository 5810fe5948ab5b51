/**
 * The runtime's routes (pipelines, flows and versions, elements, webhooks, outbox, messages,
 * notifications, tasks), served from the operations in `api-spec.ts`: each request's query and body
 * are checked against the operation's schema before its handler runs, and a handler answers with
 * data or throws an `HttpError` / `RuntimeError` that `app.ts` turns into the error shape. A public
 * operation (a webhook call) authenticates its caller first, before its body is read.
 *
 * Without storage every one of these routes answers 503 `no-storage`.
 */
import { randomUUID } from 'node:crypto'
import type { Context, Hono, MiddlewareHandler } from 'hono'
import { type Kysely, sql } from 'kysely'
import type { Static, TSchema } from 'typebox'
import { mintId } from '../../shared/designer/commands.js'
import type { RunState, SavedElement } from '../../shared/engine/engine.js'
import type { Author, EngineEvent, Json, TimelineRecord } from '../../shared/engine/types.js'
import { diffGraphs } from '../../shared/graph/diff.js'
import type { Graph } from '../../shared/graph/graph.js'
import { type ElementType, validate } from '../../shared/index.js'
import type { Auth } from '../auth/auth.js'
import { auditRowHash, auditView, GENESIS_HASH, writeAudit } from '../db/audit.js'
import { dialectOf } from '../db/dialect.js'
import type { Database, ElementRow, PipelineRow, WebhookSecretRow } from '../db/schema.js'
import { maskOneTimeCodes } from '../documents/messages.js'
import { auditTrailPdf } from '../pdf/audit-trail.js'
import { type Runtime, RuntimeError } from '../runtime/runtime.js'
import { actorOf } from './actor.js'
import {
  DEFAULT_HISTORY_PAGE,
  DEFAULT_PAGE,
  honoPath,
  OPERATIONS,
  type Operation,
  type OperationId,
} from './api-spec.js'
import { authorize, makeAuthHandlers, principalOf } from './auth-api.js'
import { makeDirectoryHandlers } from './directory-api.js'
import { makeDocumentHandlers } from './documents-api.js'
import { apiError, HttpError, sentence } from './errors.js'
import { makeFileHandlers } from './files-api.js'
import { compileSchema, readJsonBody, readQuery } from './input.js'
import { isRawBody, readRawBody } from './operation.js'
import { makeSealingHandlers, makeSigningHandlers, makeVerifyHandlers } from './signing-api.js'
import { makeSimulatorHandlers } from './simulator-api.js'
import { makeSubscriptionHandlers } from './subscriptions-api.js'
import { newSecret, secretMatches, WEBHOOK_SECRET_HEADER } from './webhook-secrets.js'
import { makeWorkspaceHandlers } from './workspace-api.js'

/** What the runtime routes need: the database and the runtime on it. */
export interface Services {
  db: Kysely<Database>
  runtime: Runtime
  /** Sign-in; without it the API is open (tests of the API's behaviour, a server on a trusted machine). */
  auth?: Auth
  /** Where people reach the server, for the links it makes; default: the origin of each request. */
  publicUrl?: string
  /** Seals a completed signed PDF with the platform's digital signature; without it, left unsealed. */
  seal?: (pdf: Uint8Array) => Promise<Uint8Array>
}

type Db = Kysely<Database>

/** Outbox rows due at or after this wait for something (a signer's turn), not for a time. */
const ON_HOLD = 8_000_000_000_000_000

/** Hides the secret parts of a sent message: personal signing and document links, one-time codes. */
export function maskSecrets(text: string): string {
  // One-time codes in every language the signing messages are written in.
  return maskOneTimeCodes(text.replace(/(\/[sd]\/)[A-Za-z0-9_-]{20,}/g, '$1••••••'))
}
type Op<K extends OperationId> = (typeof OPERATIONS)[K]
type BodyOf<K extends OperationId> =
  Op<K> extends { body: { schema: infer S extends TSchema } }
    ? Static<S>
    : Op<K> extends { body: { raw: readonly string[] } }
      ? Uint8Array
      : undefined
type QueryOf<K extends OperationId> =
  Op<K> extends { query: infer Q extends TSchema } ? Static<Q> : Record<string, never>

export interface Input<K extends OperationId> {
  c: Context
  params: Record<string, string>
  query: QueryOf<K>
  body: BodyOf<K>
}
export type Handler<K extends OperationId> = (input: Input<K>) => Promise<Response>
/**
 * Runs before the body is read (and before the body limit): a public operation's own check of its
 * caller. Answers by throwing; returns when the request may go on.
 */
type Preflight = (c: Context, params: Record<string, string>) => Promise<void>

interface Served {
  handlers: { [K in OperationId]: Handler<K> }
  preflights: Partial<Record<OperationId, Preflight>>
}

const NoQuery = { type: 'object', properties: {}, additionalProperties: false } as unknown as TSchema

/**
 * Registers every operation of `api-spec.ts` on `app`, and a 405 for the other methods of their
 * paths. The caller puts whatever guards these routes (authentication) in front of them.
 */
export function registerRuntimeApi(app: Hono, services: Services | undefined): void {
  const served = services ? makeHandlers(services) : undefined
  const methods = new Map<string, string[]>()
  for (const [id, op] of Object.entries(OPERATIONS) as Array<[OperationId, Operation]>) {
    const path = honoPath(op.path)
    methods.set(path, [...(methods.get(path) ?? []), op.method.toUpperCase()])
    const chain: MiddlewareHandler[] = []
    if (!served) {
      chain.push((c) =>
        Promise.resolve(
          apiError(
            c,
            503,
            'no-storage',
            'This server was started without storage, so pipelines, flows, elements and what the ' +
              'runtime did are not available here.',
          ),
        ),
      )
    } else {
      const handler = served.handlers[id] as Handler<OperationId>
      chain.push(authorize(id))
      const checkQuery = compileSchema(op.query ?? NoQuery)
      const rawTypes = op.body && isRawBody(op.body) ? op.body.raw : undefined
      const checkBody = op.body && !isRawBody(op.body) ? compileSchema(op.body.schema) : undefined
      const preflight = served.preflights[id]
      if (preflight) {
        chain.push(async (c, next) => {
          await preflight(c, c.req.param() as Record<string, string>)
          await next()
        })
      }
      // The body's size limit is checked while it is read: a declared size over it is refused unread.
      const maxBytes = op.body?.maxBytes ?? 0
      chain.push(async (c) => {
        const query = checkQuery(readQuery(c, op.query ?? NoQuery), 'query') as QueryOf<OperationId>
        const body = (
          rawTypes
            ? await readRawBody(c, rawTypes, maxBytes)
            : checkBody
              ? checkBody(await readJsonBody(c, maxBytes), 'body')
              : undefined
        ) as BodyOf<OperationId>
        return handler({ c, params: c.req.param() as Record<string, string>, query, body })
      })
    }
    app.on(op.method.toUpperCase(), path, ...(chain as [MiddlewareHandler]))
  }
  for (const [path, list] of methods) {
    const allow = list.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ')
    app.all(path, (c) => {
      c.header('Allow', allow)
      return apiError(c, 405, 'method-not-allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${allow}.`)
    })
  }
}

// ------------------------------------------------------------ helpers

/** The attachments the catcher noted of a message (its `raw` JSON); none for SMS or an unreadable note. */
function attachmentsOf(raw: string | null) {
  if (raw === null) return []
  try {
    const list = (JSON.parse(raw) as { attachments?: unknown }).attachments
    if (!Array.isArray(list)) return []
    return list
      .filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null)
      .map((a) => ({
        filename: typeof a.filename === 'string' ? a.filename : null,
        contentType: String(a.contentType ?? 'application/octet-stream'),
        size: Number(a.size ?? 0),
        sha256: String(a.sha256 ?? ''),
      }))
  } catch {
    return []
  }
}

/** Who the timeline says did it: the signed-in user (audit actor "user:<id>"), else the API (a token, or no sign-in). */
function authorOf(actor: string): Author {
  if (actor.startsWith('user:')) return { kind: 'user', id: actor.slice('user:'.length) }
  return actor === 'api' ? { kind: 'api' } : { kind: 'api', id: actor }
}

const nowIso = () => new Date().toISOString()
const iso = (ms: number) => new Date(ms).toISOString()

/** A rule of the element's current stay as GET /api/elements/{id} shows it (`RuleState` in api-spec.ts). */
interface RuleStateView {
  id: string
  type: string
  title: string
  state: RunState
  dueAt?: string
  waitsUntil?: string
  at?: string
  reason?: string
  error?: string
}

/** The history records that begin a stay (its rules start afresh). */
const STAY_STARTS = ['stage.entered', 'run.requested'] as const
/** The history records that say where a rule of a stay stands. */
const STAY_RECORD_TYPES = [
  ...STAY_STARTS,
  'rule.scheduled',
  'rule.started',
  'rule.finished',
  'rule.skipped',
  'rule.failed',
  'rule.cancelled',
  'rule.notRun',
  'rule.retried',
] as const satisfies ReadonlyArray<TimelineRecord['type']>
/** The record that brings a rule to each state ("pending": a stay's start, or a retry before it). */
const RECORD_OF_STATE: Readonly<Record<RunState, string>> = {
  pending: 'pending',
  scheduled: 'rule.scheduled',
  running: 'rule.started',
  done: 'rule.finished',
  skipped: 'rule.skipped',
  failed: 'rule.failed',
  cancelled: 'rule.cancelled',
  notRun: 'rule.notRun',
}

function notFound(message: string): HttpError {
  return new HttpError(404, 'not-found', message)
}

function invalid(path: string, message: string): HttpError {
  return new HttpError(422, 'invalid', message, { path })
}

/** A positive whole number from a URL segment, or `undefined`. */
function versionNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined
}

/** A version's note as given, without leading and trailing spaces; one of only spaces is no note. */
function noteOf(text: string | undefined): string | undefined {
  const note = text?.trim()
  return note ? note : undefined
}

/**
 * Fields that mirror the element's own record or the engine's bookkeeping: setting them as data
 * would make the field and the truth disagree (a "stage" field that is not the stage).
 */
const SYSTEM_FIELDS: ReadonlySet<string> = new Set(['id', 'stage', 'createdAt', 'updatedAt'])

/** Refuses (422) setting a system field, naming the first. */
function refuseSystemFields(fields: Record<string, unknown>, at: string): void {
  for (const path of Object.keys(fields)) {
    if (SYSTEM_FIELDS.has(path)) {
      const hint = path === 'stage' ? ' Move the element instead.' : ''
      throw invalid(`${at}/${path}`, `The field "${path}" is kept by the system and cannot be set.${hint}`)
    }
  }
}

/** The PostgreSQL advisory lock (transaction-scoped) that pipeline creations take in turn. */
const CREATE_PIPELINE_LOCK = 0x5f_c4_ea_7e

/** The one stage a new pipeline starts with (a graph needs at least one). */
const FIRST_STAGE = { id: 'new', name: 'New', color: '#1976d2', kind: 'inProgress' } as const

/** The draft of a new pipeline's flow: a valid graph with one empty stage and nothing else. */
function newFlowGraph(id: string, name: string, elementType: ElementType, firstStage: string): Graph {
  return {
    formatVersion: 1,
    flow: { id, name },
    elementType,
    pipeline: { id, name, stages: [{ ...FIRST_STAGE, name: firstStage, triggers: [], rules: [] }] },
    constants: [],
    variables: [],
    fields: [],
  }
}

/**
 * A new pipeline's id made from its name as the designer makes ids (`mintId`: letters written in Latin, other
 * marks as "-"), unique in `inUse` (which then holds it). A name with nothing to keep (digits only, or another
 * script) gives "pipeline", "pipeline-2", …: `mintId` answers the bare "a" of `"<name> a"` only then.
 */
function pipelineIdFrom(name: string, inUse: Set<string>): string {
  const nothingLeft = mintId(`${name} a`, new Set()) === 'a'
  return mintId(nothingLeft ? 'pipeline' : name, inUse)
}

/** A webhook trigger of a flow's latest published version. */
interface WebhookTrigger {
  triggerId: string
  title: string
  stage: string
}

/** What a webhook call's preflight found: the flow's pipeline and the trigger called. */
interface WebhookTarget {
  flowId: string
  pipelineId: string
  triggerId: string
}

const UNAUTHORIZED_MESSAGE = `Send the webhook's secret in the header "${WEBHOOK_SECRET_HEADER}".`

function webhookUrl(flowId: string, triggerId: string): string {
  return `/api/webhooks/${encodeURIComponent(flowId)}/${encodeURIComponent(triggerId)}`
}

function makeHandlers(services: Services): Served {
  const { db, runtime } = services
  /** Published graphs never change: each is parsed once. */
  const graphs = new Map<string, Graph>()

  async function versionGraph(tx: Db, versionId: string): Promise<Graph | undefined> {
    const known = graphs.get(versionId)
    if (known) return known
    const row = await tx.selectFrom('flow_versions').select('graph').where('id', '=', versionId).executeTakeFirst()
    if (!row) return undefined
    const graph = JSON.parse(row.graph) as Graph
    if (graphs.size >= 200) graphs.clear()
    graphs.set(versionId, graph)
    return graph
  }

  /** The version elements of the pipeline that are not pinned yet run: the newest published of its flows. */
  function latestPipelineVersion(tx: Db, pipelineId: string) {
    return tx
      .selectFrom('flow_versions')
      .innerJoin('flows', 'flows.id', 'flow_versions.flow_id')
      .select(['flow_versions.id', 'flow_versions.flow_id', 'flow_versions.number'])
      .where('flows.pipeline_id', '=', pipelineId)
      .orderBy('flow_versions.published_at', 'desc')
      .orderBy('flow_versions.number', 'desc')
      .executeTakeFirst()
  }

  interface StageSummary {
    id: string
    name: string
    color: string
    kind: string
  }

  /** The pipeline's stages: from its latest published version, else its own stored list. */
  async function stagesOf(tx: Db, pipeline: PipelineRow) {
    const version = await latestPipelineVersion(tx, pipeline.id)
    const graph = version ? await versionGraph(tx, version.id) : undefined
    let stages: StageSummary[]
    if (graph) {
      stages = graph.pipeline.stages.map((s) => ({ id: s.id, name: s.name, color: s.color, kind: s.kind }))
    } else {
      const stored = JSON.parse(pipeline.stages) as unknown
      stages = (Array.isArray(stored) ? stored : [])
        .filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null && typeof s.id === 'string')
        .map((s) => ({
          id: String(s.id),
          name: String(s.name ?? s.id),
          color: String(s.color ?? ''),
          kind: String(s.kind ?? 'inProgress'),
        }))
    }
    return { version, stages }
  }

  async function pipelineView(pipeline: PipelineRow) {
    const flows = await db
      .selectFrom('flows')
      .select(['id', 'name'])
      .where('pipeline_id', '=', pipeline.id)
      .orderBy('id')
      .execute()
    const { version, stages } = await stagesOf(db, pipeline)
    return {
      id: pipeline.id,
      name: pipeline.name,
      elementType: pipeline.element_type,
      flows,
      version: version ? { flowId: version.flow_id, number: version.number, id: version.id } : null,
      stages,
    }
  }

  async function flowRow(id: string | undefined) {
    const row =
      id === undefined ? undefined : await db.selectFrom('flows').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound(`No flow "${id}".`)
    return row
  }

  async function latestNumber(flowId: string): Promise<number | undefined> {
    const row = await db
      .selectFrom('flow_versions')
      .select('number')
      .where('flow_id', '=', flowId)
      .orderBy('number', 'desc')
      .executeTakeFirst()
    return row?.number
  }

  async function versionRow(flowId: string, number: number | undefined) {
    if (number === undefined) return undefined
    return db
      .selectFrom('flow_versions')
      .selectAll()
      .where('flow_id', '=', flowId)
      .where('number', '=', number)
      .executeTakeFirst()
  }

  /**
   * Publishes with an optional note, answering 201 with the new version or 200 when the content is the latest
   * version's (whose note stays as it was). A new version is audited as `flow.published` (with its note, and
   * `rolledBackTo` for a rollback).
   */
  async function publish(
    c: Context,
    flowId: string,
    graph: Graph,
    problemAt: (e: RuntimeError) => HttpError,
    note: string | undefined,
    detail: Record<string, Json> = {},
  ) {
    const before = await latestNumber(flowId)
    const actor = actorOf(c)
    let published: { id: string; number: number; hash: string }
    try {
      published = await runtime.publish(flowId, graph, actor.id, {
        note,
        also: (trx, version) =>
          writeAudit(trx, actor, {
            action: 'flow.published',
            target: `flow:${flowId}`,
            detail: {
              version: version.number,
              hash: version.hash,
              ...(note === undefined ? {} : { note }),
              ...detail,
            },
          }),
      })
    } catch (error) {
      if (error instanceof RuntimeError && error.code === 'invalid') throw problemAt(error)
      throw error
    }
    const isNew = before === undefined || published.number > before
    if (isNew) c.header('Location', `/api/flows/${encodeURIComponent(flowId)}/versions/${published.number}`)
    return c.json(published, isNew ? 201 : 200)
  }

  async function elementRow(tx: Db, id: string | undefined): Promise<ElementRow> {
    const row =
      id === undefined ? undefined : await tx.selectFrom('elements').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound(`No element "${id}".`)
    return row
  }

  /** The element as the API shows it: the row, its fields, variables and the state of its stay's rules. */
  async function elementView(row: ElementRow) {
    const state = row.state ? (JSON.parse(row.state) as SavedElement) : null
    const rules: RuleStateView[] = []
    if (state?.stay && row.flow_version_id) {
      const stay = state.stay
      const graph = await versionGraph(db, row.flow_version_id)
      const stage = graph?.pipeline.stages.find((s) => s.id === stay.stage)
      const said = await stayRecords(
        row.id,
        (stage?.rules ?? []).map((r) => r.id),
      )
      stay.runs.forEach((run, i) => {
        const rule = stage?.rules[i]
        if (!rule) return
        const last = said.last.get(rule.id)
        const record = last?.type === RECORD_OF_STATE[run.state] ? last : undefined
        const at = record?.at ?? (run.state === 'pending' ? said.stayAt : undefined)
        const text = (key: string) => {
          const value = record?.record[key]
          return typeof value === 'string' ? value : undefined
        }
        const reason = run.state === 'failed' || run.state === 'done' ? undefined : text('reason')
        const error = run.state === 'failed' ? text('error') : undefined
        // A "Wait" rule's end: kept with its run, or (an element saved before that was kept) its waiting job.
        const waitsUntil =
          run.state === 'running'
            ? (run.waitDeadline ??
              state.jobs.find((j) => j.kind === 'waitEnd' && j.rule === i && j.epoch === stay.epoch)?.dueAt)
            : undefined
        rules.push({
          id: rule.id,
          type: rule.type,
          title: rule.title,
          state: run.state,
          ...(run.state === 'scheduled' && run.dueAt !== undefined ? { dueAt: iso(run.dueAt) } : {}),
          ...(waitsUntil !== undefined ? { waitsUntil: iso(waitsUntil) } : {}),
          ...(at !== undefined ? { at } : {}),
          ...(reason !== undefined ? { reason } : {}),
          ...(error !== undefined ? { error } : {}),
        })
      })
    }
    return {
      id: row.id,
      pipelineId: row.pipeline_id,
      type: row.type,
      title: row.title,
      stage: row.stage,
      fields: JSON.parse(row.fields) as Record<string, Json>,
      variables: state?.variables ?? {},
      responsible: row.responsible,
      contactId: row.contact_id,
      companyId: row.company_id,
      flowVersionId: row.flow_version_id,
      revision: row.revision,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      rules,
    }
  }

  /**
   * What the history says of the rules of the element's current stay, in one query: the records from the last
   * time a stay began (`stage.entered`, or `run.requested` for rules started again; all the history there is when
   * pruning took that record), reduced to each rule's latest one. A `rule.retried` makes the rules its failure
   * had stopped pending again, from that moment.
   */
  async function stayRecords(elementId: string, ruleIds: readonly string[]) {
    const rows = await db
      .selectFrom('history')
      .select(['at', 'type', 'record'])
      .where('element_id', '=', elementId)
      .where('type', 'in', STAY_RECORD_TYPES)
      .where('seq', '>=', (eb) =>
        eb
          .selectFrom('history as began')
          .select(sql<number>`coalesce(max(began.seq), 0)`.as('seq'))
          .where('began.element_id', '=', elementId)
          .where('began.type', 'in', STAY_STARTS),
      )
      .orderBy('seq')
      .execute()
    const last = new Map<string, { type: string; at: string; record: Record<string, Json> }>()
    let stayAt: string | undefined
    for (const row of rows) {
      if ((STAY_STARTS as readonly string[]).includes(row.type)) {
        stayAt = row.at
        last.clear()
        continue
      }
      const record = JSON.parse(row.record) as Record<string, Json>
      const node = record.node
      if (typeof node !== 'string') continue
      if (row.type === 'rule.retried') {
        for (let i = ruleIds.indexOf(node) + 1; i > 0 && i < ruleIds.length; i++) {
          const id = ruleIds[i] as string
          if (last.get(id)?.type !== 'rule.notRun') break
          last.set(id, { type: 'pending', at: row.at, record: {} })
        }
      } else last.set(node, { type: row.type, at: row.at, record })
    }
    return { last, stayAt }
  }

  /** One element's audit rows, oldest first, with the chain's head and whether each row still gives its hash. */
  async function auditTrailOf(id: string | undefined) {
    const element = await elementRow(db, id)
    const target = `element:${element.id}`
    const rows = await db.selectFrom('audit_log').selectAll().where('target', '=', target).orderBy('seq').execute()
    const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst()
    const trail = {
      target,
      exportedAt: nowIso(),
      head: { seq: Number(head?.seq ?? 0), hash: head?.hash ?? GENESIS_HASH },
      rowsIntact: rows.every((r) => auditRowHash({ ...r, seq: Number(r.seq) }) === r.hash),
      items: rows.map(auditView),
    }
    return { trail, title: element.title }
  }

  /** The graph of the flow's latest published version; `undefined` before the first publish. */
  async function latestFlowGraph(flowId: string): Promise<Graph | undefined> {
    const latest = await db
      .selectFrom('flow_versions')
      .select('id')
      .where('flow_id', '=', flowId)
      .orderBy('number', 'desc')
      .executeTakeFirst()
    return latest ? versionGraph(db, latest.id) : undefined
  }

  /** The constants of the flow's latest published version, with the values changed by hand. */
  async function constantsOf(flowId: string) {
    const graph = await latestFlowGraph(flowId)
    if (!graph) return { graph: undefined, constants: [] }
    const rows = await db.selectFrom('constant_values').selectAll().where('flow_id', '=', flowId).execute()
    const changed = new Map(rows.map((r) => [r.constant_id, r]))
    const constants = graph.constants.map((k) => {
      const row = changed.get(k.id)
      return {
        id: k.id,
        name: k.name,
        type: k.type,
        multiple: k.multiple ?? false,
        ...(k.description !== undefined ? { description: k.description } : {}),
        value: row ? (JSON.parse(row.value) as Json) : (k.value as Json),
        publishedValue: k.value as Json,
        changedAt: row?.updated_at ?? null,
        changedBy: row?.updated_by ?? null,
      }
    })
    return { graph, constants }
  }

  /** The webhook triggers of the flow's latest published version, in stage order; none before one. */
  async function webhookTriggers(flowId: string): Promise<WebhookTrigger[]> {
    const graph = await latestFlowGraph(flowId)
    if (!graph) return []
    return graph.pipeline.stages.flatMap((stage) =>
      stage.triggers
        .filter((t) => t.type === 'webhook')
        .map((t) => ({ triggerId: t.id, title: t.title, stage: stage.id })),
    )
  }

  /** The webhook trigger `triggerId` of a flow, or 404 (the same answer for an unknown flow and trigger). */
  async function webhookTrigger(flowId: string | undefined, triggerId: string | undefined) {
    const unknown = () => notFound(`No webhook "${triggerId}" in the latest published version of flow "${flowId}".`)
    if (flowId === undefined || triggerId === undefined) throw unknown()
    const flow = await db.selectFrom('flows').select(['id', 'pipeline_id']).where('id', '=', flowId).executeTakeFirst()
    if (!flow) throw unknown()
    const trigger = (await webhookTriggers(flow.id)).find((t) => t.triggerId === triggerId)
    if (!trigger) throw unknown()
    return { flow, trigger }
  }

  function secretsOf(flowId: string) {
    return db.selectFrom('webhook_secrets').selectAll().where('flow_id', '=', flowId).execute()
  }

  function webhookView(flowId: string, trigger: WebhookTrigger, row: WebhookSecretRow, secret?: string) {
    return {
      ...trigger,
      url: webhookUrl(flowId, trigger.triggerId),
      secretHint: row.secret_hint,
      createdAt: row.created_at,
      rotatedAt: row.rotated_at,
      ...(secret !== undefined ? { secret } : {}),
    }
  }

  /** The target of each webhook call that passed its preflight, for its handler. */
  const webhookTargets = new WeakMap<Context, WebhookTarget>()

  const preflights: Served['preflights'] = {
    /** The flow and trigger must exist (else 404), and the secret must be theirs (else 401). */
    callWebhook: async (c, params) => {
      const { flow, trigger } = await webhookTrigger(params.flowId, params.triggerId)
      const row = await db
        .selectFrom('webhook_secrets')
        .select('secret_hash')
        .where('flow_id', '=', flow.id)
        .where('trigger_id', '=', trigger.triggerId)
        .executeTakeFirst()
      // One answer for a missing header, a wrong secret and a webhook without a secret yet.
      if (!secretMatches(c.req.header(WEBHOOK_SECRET_HEADER), row?.secret_hash)) {
        throw new HttpError(401, 'unauthorized', UNAUTHORIZED_MESSAGE)
      }
      webhookTargets.set(c, { flowId: flow.id, pipelineId: flow.pipeline_id, triggerId: trigger.triggerId })
    },
  }

  const handlers: Served['handlers'] = {
    ...makeDirectoryHandlers(services),
    ...makeFileHandlers(services),
    ...makeDocumentHandlers(services),
    ...makeSigningHandlers(services),
    ...makeVerifyHandlers(services),
    ...makeSealingHandlers(services),
    ...makeSubscriptionHandlers(services),
    ...makeSimulatorHandlers(services),
    ...makeWorkspaceHandlers(services),
    ...makeAuthHandlers(services),
    // ---------------------------------------------------------- pipelines
    listPipelines: async ({ c }) => {
      const rows = await db.selectFrom('pipelines').selectAll().orderBy('id').execute()
      const items = []
      for (const row of rows) items.push(await pipelineView(row))
      return c.json({ items })
    },

    createPipeline: async ({ c, body }) => {
      const name = body.name.trim()
      const at = nowIso()
      const id = await db.transaction().execute(async (trx) => {
        // Creations take turns (SQLite runs one transaction at a time anyway), so an id made from the name
        // is not made twice by two requests at once.
        if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${CREATE_PIPELINE_LOCK})`.execute(trx)
        const rows = [
          ...(await trx.selectFrom('pipelines').select('id').execute()),
          ...(await trx.selectFrom('flows').select('id').execute()),
        ]
        const inUse = new Set(rows.map((r) => r.id))
        if (body.id !== undefined && inUse.has(body.id)) {
          throw new HttpError(
            409,
            'conflict',
            `A pipeline or flow "${body.id}" exists already; choose another id, or leave it out to have one made.`,
            { path: '/id' },
          )
        }
        const id = body.id ?? pipelineIdFrom(name, inUse)
        const firstStage = body.firstStage?.trim() || FIRST_STAGE.name
        await trx
          .insertInto('pipelines')
          .values({
            id,
            name,
            element_type: body.elementType,
            stages: JSON.stringify([{ ...FIRST_STAGE, name: firstStage }]),
            created_at: at,
          })
          .execute()
        await trx
          .insertInto('flows')
          .values({
            id,
            pipeline_id: id,
            name,
            draft: JSON.stringify(newFlowGraph(id, name, body.elementType, firstStage)),
            updated_at: at,
            created_at: at,
          })
          .execute()
        await writeAudit(
          trx,
          actorOf(c),
          {
            action: 'pipeline.created',
            target: `pipeline:${id}`,
            detail: { name, elementType: body.elementType, flowId: id },
          },
          at,
        )
        return id
      })
      const row = await db.selectFrom('pipelines').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      c.header('Location', `/api/pipelines/${encodeURIComponent(id)}`)
      return c.json(await pipelineView(row), 201)
    },

    getPipeline: async ({ c, params }) => {
      const row = await db
        .selectFrom('pipelines')
        .selectAll()
        .where('id', '=', params.id ?? '')
        .executeTakeFirst()
      if (!row) throw notFound(`No pipeline "${params.id}".`)
      return c.json(await pipelineView(row))
    },

    // ---------------------------------------------------------- flows and versions
    getFlow: async ({ c, params }) => {
      const flow = await flowRow(params.id)
      return c.json({
        id: flow.id,
        pipelineId: flow.pipeline_id,
        name: flow.name,
        draft: JSON.parse(flow.draft) as Graph,
        latestVersion: (await latestNumber(flow.id)) ?? null,
        createdAt: flow.created_at,
        updatedAt: flow.updated_at,
      })
    },

    saveDraft: async ({ c, params, body }) => {
      const flow = await flowRow(params.id)
      // A draft is work in progress: it may break rules (an empty setting, a missing constant) — publishing
      // refuses those — but it must have the graph's shape, so that the designer can open it again.
      const result = validate(body)
      if (!result.graph) {
        const error = result.findings.find((f) => f.severity === 'error')
        throw invalid(error?.path ?? '', `The graph is not valid: ${error?.message ?? 'see POST /api/validate.'}`)
      }
      const updatedAt = nowIso()
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('flows')
          .set({ draft: JSON.stringify(body), updated_at: updatedAt })
          .where('id', '=', flow.id)
          .execute()
        await writeAudit(trx, actorOf(c), { action: 'flow.draftSaved', target: `flow:${flow.id}` }, updatedAt)
      })
      return c.json({ id: flow.id, updatedAt, findings: result.findings })
    },

    publishVersion: async ({ c, params, body }) => {
      const flow = await flowRow(params.id)
      const note = noteOf(body.note)
      if (body.graph !== undefined) {
        return publish(c, flow.id, body.graph, (e) => invalid(`/graph${e.path ?? ''}`, sentence(e.message)), note)
      }
      const draft = JSON.parse(flow.draft) as Graph
      return publish(
        c,
        flow.id,
        draft,
        (e) =>
          invalid(e.path ?? '', `The saved draft cannot be published: ${e.message}. The path points into the draft.`),
        note,
      )
    },

    listVersions: async ({ c, params }) => {
      const flow = await flowRow(params.id)
      const rows = await db
        .selectFrom('flow_versions')
        .select(['id', 'number', 'hash', 'published_at', 'published_by', 'note'])
        .where('flow_id', '=', flow.id)
        .orderBy('number')
        .execute()
      return c.json({
        items: rows.map((r) => ({
          id: r.id,
          number: r.number,
          hash: r.hash,
          publishedAt: r.published_at,
          publishedBy: r.published_by,
          note: r.note,
        })),
      })
    },

    getVersion: async ({ c, params }) => {
      const flow = await flowRow(params.id)
      const row = await versionRow(flow.id, versionNumber(params.number))
      if (!row) throw notFound(`No version ${params.number} of flow "${flow.id}".`)
      return c.json(JSON.parse(row.graph) as Graph)
    },

    diffVersions: async ({ c, params, query }) => {
      const flow = await flowRow(params.id)
      const [from, to] = [await versionRow(flow.id, query.from), await versionRow(flow.id, query.to)]
      if (!from)
        throw new HttpError(404, 'not-found', `No version ${query.from} of flow "${flow.id}".`, { path: '/from' })
      if (!to) throw new HttpError(404, 'not-found', `No version ${query.to} of flow "${flow.id}".`, { path: '/to' })
      const diff = diffGraphs(JSON.parse(from.graph) as Graph, JSON.parse(to.graph) as Graph)
      return c.json({ from: from.number, to: to.number, ...diff })
    },

    rollback: async ({ c, params, body }) => {
      const flow = await flowRow(params.id)
      const row = await versionRow(flow.id, body.number)
      if (!row) {
        const latest = await latestNumber(flow.id)
        const known = latest === undefined ? 'it has none yet' : `its versions are 1 to ${latest}`
        throw invalid('/number', `Flow "${flow.id}" has no version ${body.number}; ${known}.`)
      }
      return publish(
        c,
        flow.id,
        JSON.parse(row.graph) as Graph,
        (e) =>
          invalid(
            e.path ?? '',
            `Version ${body.number} no longer validates: ${e.message}. The path points into its graph.`,
          ),
        noteOf(body.note) ?? `Rollback to version ${body.number}`,
        { rolledBackTo: body.number },
      )
    },

    // ---------------------------------------------------------- elements
    listElements: async ({ c, query }) => {
      const limit = query.limit ?? DEFAULT_PAGE
      const offset = query.offset ?? 0
      let select = db.selectFrom('elements')
      if (query.pipeline !== undefined) select = select.where('pipeline_id', '=', query.pipeline)
      if (query.stage !== undefined) select = select.where('stage', '=', query.stage)
      const count = await select.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()
      const rows = await select
        .select(['id', 'pipeline_id', 'type', 'title', 'stage', 'responsible', 'revision', 'updated_at'])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute()
      return c.json({
        items: rows.map((r) => ({
          id: r.id,
          pipelineId: r.pipeline_id,
          type: r.type,
          title: r.title,
          stage: r.stage,
          responsible: r.responsible,
          revision: r.revision,
          updatedAt: r.updated_at,
        })),
        total: Number(count?.n ?? 0),
        limit,
        offset,
      })
    },

    createElement: async ({ c, body }) => {
      const id = body.id ?? randomUUID()
      const at = nowIso()
      const taken = () =>
        new HttpError(409, 'conflict', `An element "${id}" exists already; choose another id or leave it out.`, {
          path: '/id',
        })
      try {
        await db.transaction().execute(async (trx) => {
          if (await trx.selectFrom('elements').select('id').where('id', '=', id).executeTakeFirst()) throw taken()
          const pipeline = await trx
            .selectFrom('pipelines')
            .selectAll()
            .where('id', '=', body.pipelineId)
            .executeTakeFirst()
          if (!pipeline) throw invalid('/pipelineId', `No pipeline "${body.pipelineId}".`)
          if (pipeline.element_type !== body.type) {
            throw invalid(
              '/type',
              `The pipeline "${pipeline.id}" moves elements of type "${pipeline.element_type}", not "${body.type}".`,
            )
          }
          if (body.stage !== undefined) {
            const { stages } = await stagesOf(trx, pipeline)
            if (stages.length > 0 && !stages.some((s) => s.id === body.stage)) {
              throw invalid(
                '/stage',
                `No stage "${body.stage}" in the pipeline "${pipeline.id}"; its stages are ${stages.map((s) => s.id).join(', ')}.`,
              )
            }
          }
          if (body.contactId !== undefined) {
            const contact = await trx
              .selectFrom('contacts')
              .select('id')
              .where('id', '=', body.contactId)
              .executeTakeFirst()
            if (!contact) throw invalid('/contactId', `No contact "${body.contactId}".`)
          }
          if (body.companyId !== undefined) {
            const company = await trx
              .selectFrom('companies')
              .select('id')
              .where('id', '=', body.companyId)
              .executeTakeFirst()
            if (!company) throw invalid('/companyId', `No company "${body.companyId}".`)
          }
          const given = body.fields ?? {}
          refuseSystemFields(given, '/fields')
          const fields: Record<string, Json> = {
            title: body.title,
            ...(body.responsible !== undefined ? { responsible: body.responsible } : {}),
            ...given,
          }
          await trx
            .insertInto('elements')
            .values({
              id,
              pipeline_id: pipeline.id,
              type: body.type,
              title: body.title,
              stage: body.stage ?? null,
              fields: JSON.stringify(fields),
              responsible: body.responsible ?? null,
              contact_id: body.contactId ?? null,
              company_id: body.companyId ?? null,
              flow_version_id: null,
              state: null,
              created_at: at,
              updated_at: at,
            })
            .execute()
          await writeAudit(
            trx,
            actorOf(c),
            {
              action: 'element.created',
              target: `element:${id}`,
              detail: { pipelineId: pipeline.id, title: body.title },
            },
            at,
          )
        })
      } catch (error) {
        // Two requests creating the same id at once: the database refuses the second insert.
        if (!(error instanceof HttpError) && body.id !== undefined) {
          const exists = await db.selectFrom('elements').select('id').where('id', '=', id).executeTakeFirst()
          if (exists) throw taken()
        }
        throw error
      }
      c.header('Location', `/api/elements/${encodeURIComponent(id)}`)
      return c.json(await elementView(await elementRow(db, id)), 201)
    },

    getElement: async ({ c, params }) => c.json(await elementView(await elementRow(db, params.id))),

    moveElement: async ({ c, params, body }) => {
      const id = params.id ?? ''
      const actor = actorOf(c)
      const row = await runtime.moveElement(id, body.stage, authorOf(actor.id), (trx) =>
        writeAudit(trx, actor, { action: 'element.moved', target: `element:${id}`, detail: { stage: body.stage } }),
      )
      return c.json(await elementView(row))
    },

    changeFields: async ({ c, params, body }) => {
      refuseSystemFields(body.fields, '/fields')
      // One transaction: all the fields change, or none.
      const id = params.id ?? ''
      const actor = actorOf(c)
      const row = await runtime.changeFields(id, Object.entries(body.fields), authorOf(actor.id), (trx) =>
        writeAudit(trx, actor, {
          action: 'element.fieldsChanged',
          target: `element:${id}`,
          detail: { fields: Object.keys(body.fields) },
        }),
      )
      return c.json(await elementView(row))
    },

    fireEvent: async ({ c, params, body }) => {
      const event: EngineEvent = {
        type: body.type,
        ...(body.documentType !== undefined ? { documentType: body.documentType } : {}),
        ...(body.field !== undefined ? { field: body.field } : {}),
        ...(body.value !== undefined ? { value: body.value } : {}),
      }
      const id = params.id ?? ''
      const actor = actorOf(c)
      const row = await runtime.fireEvent(id, event, (trx) =>
        writeAudit(trx, actor, { action: 'element.event', target: `element:${id}`, detail: { event: body.type } }),
      )
      return c.json(await elementView(row))
    },

    retryRule: async ({ c, params }) => {
      const id = params.id ?? ''
      const ruleId = params.ruleId ?? ''
      const actor = actorOf(c)
      const row = await runtime.retryRule(id, ruleId, authorOf(actor.id), (trx) =>
        writeAudit(trx, actor, { action: 'element.ruleRetried', target: `element:${id}`, detail: { rule: ruleId } }),
      )
      return c.json(await elementView(row))
    },

    elementHistory: async ({ c, params, query }) => {
      const row = await elementRow(db, params.id)
      const rows = await db
        .selectFrom('history')
        .select(['seq', 'at', 'type', 'record'])
        .where('element_id', '=', row.id)
        .where('seq', '>', query.after ?? 0)
        .orderBy('seq')
        .limit(query.limit ?? DEFAULT_HISTORY_PAGE)
        .execute()
      return c.json({
        items: rows.map((r) => ({
          seq: r.seq,
          at: r.at,
          type: r.type,
          record: JSON.parse(r.record) as Record<string, Json>,
        })),
      })
    },

    // ---------------------------------------------------------- constants
    listConstants: async ({ c, params }) => {
      const flow = await flowRow(params.id)
      const { constants } = await constantsOf(flow.id)
      return c.json({ items: constants })
    },

    setConstant: async ({ c, params, body }) => {
      const flow = await flowRow(params.id)
      const { graph, constants } = await constantsOf(flow.id)
      const index = graph?.constants.findIndex((k) => k.id === params.constantId) ?? -1
      const before = constants[index]
      if (!graph || !before) {
        throw notFound(`No constant "${params.constantId}" in the latest published version of flow "${flow.id}".`)
      }
      // A multiple constant keeps a list: one value given is a list of one.
      const value = before.multiple && !Array.isArray(body.value) ? [body.value] : body.value
      // The graph's own checks decide whether the value fits the constant's type and multiplicity.
      const at = `/constants/${index}/value`
      const trial = { ...graph, constants: graph.constants.map((k, i) => (i === index ? { ...k, value } : k)) }
      const problem = validate(trial).findings.find(
        (f) => f.severity === 'error' && (f.path === at || f.path.startsWith(`${at}/`)),
      )
      if (problem) throw invalid(`/value${problem.path.slice(at.length)}`, sentence(problem.message))
      const actor = actorOf(c)
      await runtime.setConstant(flow.id, before.id, value, actor.id, (trx) =>
        writeAudit(trx, actor, {
          action: 'constant.changed',
          target: `flow:${flow.id}`,
          detail: { constant: before.id, before: before.value as Json, after: value },
        }),
      )
      const after = (await constantsOf(flow.id)).constants[index]
      return c.json(after)
    },

    // ---------------------------------------------------------- audit
    elementAuditTrail: async ({ c, params }) => {
      const { trail } = await auditTrailOf(params.id)
      return c.json(trail)
    },

    elementAuditTrailPdf: async ({ c, params }) => {
      const { trail, title } = await auditTrailOf(params.id)
      const pdf = await auditTrailPdf({ ...trail, title })
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="audit-trail.pdf"`,
        'X-Content-Type-Options': 'nosniff',
      })
    },

    listAudit: async ({ c, query }) => {
      let select = db.selectFrom('audit_log').selectAll()
      if (query.target !== undefined) select = select.where('target', '=', query.target)
      if (query.actor !== undefined) select = select.where('actor', '=', query.actor)
      if (query.action !== undefined) {
        // Actions are letters and dots (the schema says so): a prefix has no "%" or "_" to escape.
        select = query.action.endsWith('.')
          ? select.where('action', 'like', `${query.action}%`)
          : select.where('action', '=', query.action)
      }
      if (query.before !== undefined) select = select.where('id', '<', query.before)
      const rows = await select
        .orderBy('id', 'desc')
        .limit(query.limit ?? DEFAULT_PAGE)
        .execute()
      return c.json({ items: rows.map(auditView) })
    },

    // ---------------------------------------------------------- what the runtime produced
    listOutbox: async ({ c, query }) => {
      const rows = await db
        .selectFrom('outbox')
        .select(['id', 'kind', 'status', 'attempts', 'last_error', 'next_attempt_at', 'element_id', 'created_at'])
        .orderBy('id', 'desc')
        .limit(query.limit ?? DEFAULT_PAGE)
        .execute()
      return c.json({
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          status: r.status,
          attempts: r.attempts,
          lastError: r.last_error,
          // A message waiting for its signer's turn has no time yet.
          nextAttemptAt: r.next_attempt_at >= ON_HOLD ? null : iso(r.next_attempt_at),
          elementId: r.element_id,
          createdAt: r.created_at,
        })),
      })
    },

    listMessages: async ({ c, query }) => {
      // Signing links and one-time codes in what was sent are for their recipients: only admins see them.
      const role = principalOf(c)?.role
      const shown = (text: string) => (role === undefined || role === 'admin' ? text : maskSecrets(text))
      const rows = await db
        .selectFrom('messages')
        .select(['id', 'channel', 'to_address', 'subject', 'body', 'raw', 'received_at'])
        .orderBy('id', 'desc')
        .limit(query.limit ?? DEFAULT_PAGE)
        .execute()
      return c.json({
        items: rows.map((r) => ({
          id: r.id,
          channel: r.channel,
          to: r.to_address,
          subject: r.subject,
          body: shown(r.body),
          attachments: attachmentsOf(r.raw),
          receivedAt: r.received_at,
        })),
      })
    },

    listNotifications: async ({ c, query }) => {
      let select = db.selectFrom('notifications').selectAll()
      if (query.user !== undefined) select = select.where('user_id', '=', query.user)
      const rows = await select
        .orderBy('id', 'desc')
        .limit(query.limit ?? DEFAULT_PAGE)
        .execute()
      return c.json({
        items: rows.map((r) => ({
          id: r.id,
          userId: r.user_id,
          elementId: r.element_id,
          text: r.text,
          createdAt: r.created_at,
          readAt: r.read_at,
        })),
      })
    },

    listTasks: async ({ c, query }) => {
      let select = db.selectFrom('tasks').selectAll()
      if (query.element !== undefined) select = select.where('element_id', '=', query.element)
      const rows = await select
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit ?? DEFAULT_PAGE)
        .execute()
      return c.json({
        items: rows.map((r) => ({
          id: r.id,
          elementId: r.element_id,
          title: r.title,
          description: r.description,
          responsible: r.responsible,
          deadline: r.deadline,
          checklist: JSON.parse(r.checklist) as string[],
          doneAt: r.done_at,
          createdAt: r.created_at,
        })),
      })
    },

    // ---------------------------------------------------------- webhooks
    listWebhooks: async ({ c, params }) => {
      const flow = await flowRow(params.id)
      const triggers = await webhookTriggers(flow.id)
      c.header('Cache-Control', 'no-store')
      // HEAD runs this handler too but shows no body: a secret made then would never be seen.
      if (c.req.method === 'HEAD') return c.json({ items: [] })
      const known = new Map((await secretsOf(flow.id)).map((row) => [row.trigger_id, row]))
      const items = []
      for (const trigger of triggers) {
        const row = known.get(trigger.triggerId)
        if (row) {
          items.push(webhookView(flow.id, trigger, row))
          continue
        }
        const made = newSecret()
        const fresh: WebhookSecretRow = {
          flow_id: flow.id,
          trigger_id: trigger.triggerId,
          secret_hash: made.hash,
          secret_hint: made.hint,
          created_at: nowIso(),
          rotated_at: null,
        }
        // Two requests at once: the first to insert shows the secret, the other only its hint.
        const inserted = await db.transaction().execute(async (trx) => {
          const result = await trx
            .insertInto('webhook_secrets')
            .values(fresh)
            .onConflict((oc) => oc.columns(['flow_id', 'trigger_id']).doNothing())
            .executeTakeFirst()
          const made = Number(result.numInsertedOrUpdatedRows ?? 0) > 0
          if (made) {
            await writeAudit(trx, actorOf(c), {
              action: 'webhook.secretCreated',
              target: `flow:${flow.id}`,
              detail: { triggerId: trigger.triggerId },
            })
          }
          return made
        })
        if (inserted) {
          items.push(webhookView(flow.id, trigger, fresh, made.secret))
        } else {
          const other = await db
            .selectFrom('webhook_secrets')
            .selectAll()
            .where('flow_id', '=', flow.id)
            .where('trigger_id', '=', trigger.triggerId)
            .executeTakeFirstOrThrow()
          items.push(webhookView(flow.id, trigger, other))
        }
      }
      return c.json({ items })
    },

    rotateWebhookSecret: async ({ c, params }) => {
      const flow = await flowRow(params.id)
      const trigger = (await webhookTriggers(flow.id)).find((t) => t.triggerId === params.triggerId)
      if (!trigger) {
        throw notFound(`No webhook "${params.triggerId}" in the latest published version of flow "${flow.id}".`)
      }
      const made = newSecret()
      const at = nowIso()
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('webhook_secrets')
          .values({
            flow_id: flow.id,
            trigger_id: trigger.triggerId,
            secret_hash: made.hash,
            secret_hint: made.hint,
            created_at: at,
            rotated_at: null,
          })
          .onConflict((oc) =>
            oc
              .columns(['flow_id', 'trigger_id'])
              .doUpdateSet({ secret_hash: made.hash, secret_hint: made.hint, rotated_at: at }),
          )
          .execute()
        await writeAudit(
          trx,
          actorOf(c),
          { action: 'webhook.secretRotated', target: `flow:${flow.id}`, detail: { triggerId: trigger.triggerId } },
          at,
        )
      })
      const row = await db
        .selectFrom('webhook_secrets')
        .selectAll()
        .where('flow_id', '=', flow.id)
        .where('trigger_id', '=', trigger.triggerId)
        .executeTakeFirstOrThrow()
      c.header('Cache-Control', 'no-store')
      return c.json(webhookView(flow.id, trigger, row, made.secret))
    },

    callWebhook: async ({ c, body }) => {
      const target = webhookTargets.get(c)
      if (!target) throw new Error('a webhook call reached its handler without its preflight')
      // An element of another pipeline answers as an unknown one: the caller learns nothing of it.
      const element = await db
        .selectFrom('elements')
        .select(['id', 'pipeline_id'])
        .where('id', '=', body.elementId)
        .executeTakeFirst()
      if (!element || element.pipeline_id !== target.pipelineId) throw notFound(`No element "${body.elementId}".`)
      // `body.data` is not kept: the engine's webhook event has no payload.
      const caller = { ...actorOf(c), id: `webhook:${target.flowId}/${target.triggerId}` }
      const row = await runtime.fireEvent(element.id, { type: 'webhook', trigger: target.triggerId }, (trx) =>
        writeAudit(trx, caller, {
          action: 'element.event',
          target: `element:${element.id}`,
          detail: { event: 'webhook' },
        }),
      )
      return c.json({ accepted: true as const, stage: row.stage }, 202)
    },
  }
  return { handlers, preflights }
}
