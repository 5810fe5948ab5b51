/**
 * The runtime: published flows executed against stored elements, durably.
 *
 * Every input (a move, a field change, an event, a due rule, an effect's answer) is one
 * transaction: the element's row is locked, its saved engine state is loaded into the engine of
 * its pinned flow version, the input runs, and the new state, the timeline records (history),
 * the effects asked for (outbox) and the rules it now waits to run (due jobs) are written
 * together. Nothing is half-written: a failure rolls all of it back.
 *
 * @example
 * const runtime = new Runtime({ db })
 * await runtime.moveElement('deal-1', 'invoice', { kind: 'user', id: 'u-anna' })
 * await runtime.runDueJobs('worker-1') // what fell due
 */
import { createHash, randomUUID } from 'node:crypto'
import { type Kysely, sql, type Transaction } from 'kysely'
import { Engine, EngineError, type SavedElement } from '../../shared/engine/engine.js'
import {
  type Author,
  DEFAULT_CALENDAR,
  type EffectRequest,
  type EffectResult,
  type EngineEvent,
  type Json,
  type TimelineRecord,
  type WorkingCalendar,
} from '../../shared/engine/types.js'
import { canonicalJson } from '../../shared/graph/diff.js'
import type { Graph } from '../../shared/graph/graph.js'
import { validate } from '../../shared/validate/validate.js'
import { dialectOf } from '../db/dialect.js'
import { lockElement } from '../db/locks.js'
import type { Database, ElementRow } from '../db/schema.js'
import { InsertShape, QueryShape } from '../db/shapes.js'
import { BUILTIN_TEMPLATES, builtinTemplate } from '../documents/templates.js'
import { clientFields, isClientRequisite, type Linked, myCompanyFields, writeRequisites } from './linked.js'
import { deliveryBody, eventsOf, type WebhookRequest } from './outgoing.js'

export interface RuntimeOptions {
  db: Kysely<Database>
  /** Milliseconds since the epoch; tests pass a clock of their own. */
  now?: () => number
  /**
   * The working calendar when the default company of ours has none stored (or there is no company of ours);
   * default: `DEFAULT_CALENDAR` (UTC, Monday to Friday, 09:00–18:00).
   */
  calendar?: WorkingCalendar
  /** Who claims due elements (a process id), so several processes share the work. */
  worker?: string
  /** How long a claim lasts if its process dies before finishing. Default 60 s. */
  claimMs?: number
}

/**
 * A company's stored working calendar (`my_companies.calendar`, JSON) as the engine takes it, or `fallback` when
 * there is none, or what is stored does not hold together (a hand-edited row; an unknown time zone would stop
 * every input).
 */
export function storedCalendar(text: string | null, fallback: WorkingCalendar = DEFAULT_CALENDAR): WorkingCalendar {
  if (text === null) return fallback
  let value: Partial<Record<keyof WorkingCalendar, unknown>>
  try {
    value = JSON.parse(text) as typeof value
  } catch {
    return fallback
  }
  const { timeZone, workDays, start, end, holidays } = value ?? {}
  const texts = (list: unknown): list is string[] => Array.isArray(list) && list.every((x) => typeof x === 'string')
  if (
    typeof timeZone !== 'string' ||
    !Array.isArray(workDays) ||
    !workDays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) ||
    typeof start !== 'string' ||
    typeof end !== 'string' ||
    !texts(holidays)
  ) {
    return fallback
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
  } catch {
    return fallback
  }
  return { timeZone, workDays: workDays as number[], start, end, holidays }
}

/** A problem the caller caused (unknown element, stage, invalid graph): the API answers 4xx. */
/**
 * Templates live on the server, so the validator leaves them to publishing: every template a rule names
 * must be a built-in one or an uploaded one, else the publish is refused with the setting's path.
 */
async function checkTemplates(trx: Transaction<Database>, graph: Graph): Promise<void> {
  const named: Array<{ id: string; path: string }> = []
  graph.pipeline.stages.forEach((stage, s) => {
    stage.rules.forEach((rule, r) => {
      if (rule.type === 'createDocument' || rule.type === 'sendDocumentForSigning') {
        named.push({ id: rule.settings.template, path: `/pipeline/stages/${s}/rules/${r}/settings/template` })
      }
    })
  })
  const uploaded = named.some((n) => !builtinTemplate(n.id))
    ? new Set((await trx.selectFrom('document_templates').select('id').execute()).map((t) => t.id))
    : new Set<string>()
  const missing = named.find((n) => !builtinTemplate(n.id) && !uploaded.has(n.id))
  if (missing) {
    throw new RuntimeError(
      'invalid',
      `there is no document template "${missing.id}" (GET /api/templates lists them: the built-in ones are ${BUILTIN_TEMPLATES.map((t) => t.id).join(', ')})`,
      missing.path,
    )
  }
}

export class RuntimeError extends Error {
  constructor(
    readonly code: 'not_found' | 'invalid' | 'conflict',
    message: string,
    readonly path?: string,
  ) {
    super(message)
  }
}

interface Pending {
  effect: string
  element: string
  request: EffectRequest
}

type Db = Kysely<Database> | Transaction<Database>

/** Compiled once per number of rows: what every input writes. */
const insertHistory = new InsertShape('history', ['element_id', 'seq', 'at', 'type', 'record'])
const insertOutbox = new InsertShape('outbox', [
  'effect_id',
  'element_id',
  'kind',
  'request',
  'status',
  'attempts',
  'next_attempt_at',
  'created_at',
  'updated_at',
])

/** Compiled once: the element's row after every input. */
const saveElementRow = new QueryShape(
  (
    db,
    stage: string | null,
    title: string,
    responsible: string | null,
    fields: string,
    state: string | null,
    version: string | null,
    revision: number,
    at: string,
    id: string,
  ) =>
    db
      .updateTable('elements')
      .set({ stage, title, responsible, fields, state, flow_version_id: version, revision, updated_at: at })
      .where('id', '=', id),
)

/** What `elements.state` holds: the engine's saved element and the last history seq written for it. */
type Stored = SavedElement & { historySeq?: number }

/** A stable hash of a graph: the same content gives the same hash, whatever the key order. */
export function graphHash(graph: unknown): string {
  return createHash('sha256').update(canonicalJson(graph)).digest('hex')
}

/** A published version, as `publish` answers it. */
export interface Published {
  id: string
  number: number
  hash: string
}

/**
 * More writes for the transaction of an input (an audit row, the outbox marking its row done): they commit
 * with the input's own changes, or not at all.
 */
export type Also = (trx: Transaction<Database>) => Promise<void>

/** An input waiting for group commit. */
interface Queued {
  run: (trx: Transaction<Database>) => Promise<ElementRow>
  resolve: (row: ElementRow) => void
  reject: (error: unknown) => void
}

/** At most this many inputs share one transaction. */
const MAX_GROUP = 64

/**
 * An engine made for a flow version, with the constants and the calendar it was made with (`stamp`) and its
 * round-robin counters.
 */
interface Made {
  engine: Engine
  stamp: string
  turnKeys: string[]
  usesMyCompany: boolean
}

/** Whether two JSON values are the same (the engine's values are plain JSON). */
function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

/** What the runtime reads of the default company of ours: its fields for flows, its calendar for scheduling. */
interface OurCompany {
  fields: Record<string, Json>
  calendar: WorkingCalendar
  /** The calendar as text: engines made with another are made again. */
  stamp: string
  until: number
}

/** The counter of a round-robin rule: shared by every version of the flow that has the rule. */
const turnKey = (flowId: string, ruleId: string) => `turn:${flowId}:${ruleId}`

export class Runtime {
  readonly db: Kysely<Database>
  private readonly now: () => number
  private readonly calendar: WorkingCalendar | undefined
  private readonly worker: string
  private readonly claimMs: number
  /** One engine per flow version and the constants it was made with (`stamp`). */
  private readonly engines = new Map<string, Made>()
  /** The constants changed by hand, per flow, remembered for a second (as `latest` is). */
  private readonly constants = new Map<string, { values: Record<string, Json>; stamp: string; until: number }>()
  private readonly latest = new Map<string, { id: string; until: number }>()
  /** What the input being run asked for; filled by the engine's ports during the synchronous part. */
  private records: TimelineRecord[] = []
  private pending: Pending[] = []
  /** The round-robin turns the input being run may take (read from `counters`), and which it took. */
  private turns = new Map<string, number>()
  private turnsTaken = new Set<string>()
  private myCompany: OurCompany | undefined
  private subscriptions: { list: Array<{ id: string; url: string; events: Set<string> }>; until: number } | undefined
  /** Group commit (SQLite): the inputs waiting for the transaction being written to end. */
  private readonly groupCommit: boolean
  private readonly queue: Queued[] = []
  private writing = false
  /** How many inputs were run and in how many transactions (group commit puts several in one). */
  readonly counts = { inputs: 0, transactions: 0 }

  constructor(options: RuntimeOptions) {
    this.db = options.db
    this.now = options.now ?? Date.now
    this.calendar = options.calendar
    this.worker = options.worker ?? `worker-${process.pid}`
    this.claimMs = options.claimMs ?? 60_000
    this.groupCommit = dialectOf(this.db) === 'sqlite'
  }

  // ------------------------------------------------------------ flows

  /**
   * Publishes a graph as the next immutable version of a flow, with an optional `note` (why). Refuses an
   * invalid graph with the first error's path. Publishing the content of the latest version again returns
   * it, note unchanged (and `also` does not run). `also` writes more in the publish's transaction.
   */
  async publish(
    flowId: string,
    graph: Graph,
    by: string,
    options: { note?: string; also?: (trx: Transaction<Database>, published: Published) => Promise<void> } = {},
  ): Promise<Published> {
    const { note, also } = options
    const check = validate(graph)
    const error = check.findings.find((f) => f.severity === 'error')
    if (!check.valid || error) {
      throw new RuntimeError('invalid', `the graph is not valid: ${error?.message ?? 'see validate'}`, error?.path)
    }
    const hash = graphHash(graph)
    return this.db.transaction().execute(async (trx) => {
      let flowQuery = trx.selectFrom('flows').select('id').where('id', '=', flowId)
      // Two publishes of one flow take turns (SQLite runs one transaction at a time anyway).
      if (dialectOf(trx) === 'postgres') flowQuery = flowQuery.forUpdate()
      const flow = await flowQuery.executeTakeFirst()
      if (!flow) throw new RuntimeError('not_found', `no flow "${flowId}"`)
      await checkTemplates(trx, graph)
      const latest = await trx
        .selectFrom('flow_versions')
        .select(['id', 'number', 'hash'])
        .where('flow_id', '=', flowId)
        .orderBy('number', 'desc')
        .executeTakeFirst()
      if (latest && latest.hash === hash) return { id: latest.id, number: latest.number, hash }
      const number = (latest?.number ?? 0) + 1
      this.latest.clear()
      const id = `${flowId}@${number}`
      await trx
        .insertInto('flow_versions')
        .values({
          id,
          flow_id: flowId,
          number,
          graph: JSON.stringify(graph),
          hash,
          published_at: new Date(this.now()).toISOString(),
          published_by: by,
          note: note ?? null,
        })
        .execute()
      const published = { id, number, hash }
      if (also) await also(trx, published)
      return published
    })
  }

  // ------------------------------------------------------------ inputs

  /** A person or the API moves an element: it enters the stage and the stage's rules start. */
  moveElement(elementId: string, stage: string, by: Author, also?: Also): Promise<ElementRow> {
    return this.input(
      elementId,
      (engine) => {
        if (!engine.hasStage(stage)) throw new RuntimeError('invalid', `no stage "${stage}" in this pipeline`, '/stage')
        engine.moveToStage(elementId, stage, by)
      },
      also,
    )
  }

  /** A field changed: no rule starts, but "field changed" triggers may move the element. */
  changeField(elementId: string, field: string, value: Json, by: Author): Promise<ElementRow> {
    return this.input(elementId, (engine) => engine.changeField(elementId, field, value, by))
  }

  /** Several fields change at once (one request): one transaction, in order; all or none. */
  changeFields(elementId: string, fields: ReadonlyArray<[string, Json]>, by: Author, also?: Also): Promise<ElementRow> {
    return this.input(
      elementId,
      (engine) => {
        for (const [field, value] of fields) engine.changeField(elementId, field, value, by)
      },
      also,
    )
  }

  /**
   * A failed rule of the element's current stay runs again at once (the "after previous" rules its failure
   * stopped follow it); its effects go to the outbox again, as new ones. Refuses a rule the current stage does
   * not have (`not_found`) or one that has not failed (`conflict`), writing nothing.
   */
  retryRule(elementId: string, ruleId: string, by: Author, also?: Also): Promise<ElementRow> {
    return this.input(
      elementId,
      (engine) => {
        try {
          engine.retryRule(elementId, ruleId, by)
        } catch (error) {
          if (error instanceof EngineError) {
            throw new RuntimeError(error.code === 'notFound' ? 'not_found' : 'conflict', error.message)
          }
          throw error
        }
      },
      also,
    )
  }

  /** Something happened to the element (signed, viewed, paid, a webhook): triggers may move it. */
  fireEvent(elementId: string, event: EngineEvent, also?: Also): Promise<ElementRow> {
    return this.input(elementId, (engine) => engine.fireEvent(elementId, event), also)
  }

  /**
   * An effect from the outbox has been delivered (or given up): the rule waiting for it goes on.
   * `also` writes in the same transaction (the outbox marks its row done there).
   */
  completeEffect(elementId: string, effectId: string, result: EffectResult, also?: Also): Promise<ElementRow> {
    return this.input(elementId, (engine) => engine.completeEffect(effectId, result), also)
  }

  /**
   * Runs the rules that have fallen due, element by element, each in its own transaction.
   * With PostgreSQL several workers share the work: a due row is claimed by one of them
   * (`FOR UPDATE SKIP LOCKED`) and deleted in the same transaction that runs it.
   */
  async runDueJobs(limit = 100): Promise<number> {
    const now = this.now()
    // Claim: rows due and not claimed by a live worker. A worker that dies leaves its claim to expire.
    const claimed = await this.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('due_jobs')
        .select(['id', 'element_id'])
        .where('due_at', '<=', now)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .orderBy('due_at')
        .limit(limit)
      if (dialectOf(trx) === 'postgres') query = query.forUpdate().skipLocked()
      const rows = await query.execute()
      if (rows.length === 0) return []
      await trx
        .updateTable('due_jobs')
        .set({ claimed_by: this.worker, claimed_until: now + this.claimMs })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
      return rows
    })
    const elements = [...new Set(claimed.map((d) => d.element_id))]
    // The element's saved state says what already ran: a job seen twice runs once.
    for (const id of elements) await this.input(id, (engine) => engine.runDue())
    return elements.length
  }

  // ------------------------------------------------------------ the input transaction

  /**
   * Runs one input in a transaction of its own on PostgreSQL. On SQLite, which writes one transaction at a
   * time anyway, inputs that arrive while one is being written wait and are then written together, each in a
   * savepoint of one transaction: one commit (one fsync) for all of them (group commit). An input that fails
   * rolls back to its savepoint and fails alone; the others commit. Each caller hears of its input only once
   * the transaction holding it has committed.
   */
  private input(elementId: string, action: (engine: Engine) => void, also?: Also): Promise<ElementRow> {
    const run = (trx: Transaction<Database>) => this.runInput(trx, elementId, action, also)
    this.counts.inputs++
    if (!this.groupCommit) {
      this.counts.transactions++
      return this.db.transaction().execute(run)
    }
    return new Promise<ElementRow>((resolve, reject) => {
      this.queue.push({ run, resolve, reject })
      if (!this.writing) void this.writeQueued()
    })
  }

  /** Writes the queued inputs, at most {@link MAX_GROUP} per transaction, until none is left. */
  private async writeQueued(): Promise<void> {
    this.writing = true
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP)
        this.counts.transactions++
        const results: Array<{ ok: true; row: ElementRow } | { ok: false; error: unknown }> = []
        try {
          await this.db.transaction().execute(async (trx) => {
            let waited = false
            for (let at = 0; ; at++) {
              const input = group[at]
              if (input === undefined) {
                // SQLite runs synchronously: requests that came in meanwhile are heard only when this yields.
                // Once per transaction, let them in, and write them with the others.
                if (waited) break
                waited = true
                await new Promise((resolve) => setImmediate(resolve))
                if (this.queue.length === 0) break
                group.push(...this.queue.splice(0, MAX_GROUP - group.length))
                at--
                continue
              }
              await sql`savepoint input`.execute(trx)
              try {
                const row = await input.run(trx)
                await sql`release input`.execute(trx)
                results.push({ ok: true, row })
              } catch (error) {
                await sql`rollback to input`.execute(trx)
                await sql`release input`.execute(trx)
                results.push({ ok: false, error })
              }
            }
          })
        } catch (error) {
          // Nothing of the group was written.
          for (const input of group) input.reject(error)
          continue
        }
        group.forEach((input, i) => {
          const result = results[i]
          if (result?.ok) input.resolve(result.row)
          else input.reject(result ? result.error : new Error('an input of the group was not run'))
        })
      }
    } finally {
      this.writing = false
    }
  }

  private async runInput(
    trx: Transaction<Database>,
    elementId: string,
    action: (engine: Engine) => void,
    also: Also | undefined,
  ): Promise<ElementRow> {
    const row = await lockElement(trx, elementId)
    if (!row) throw new RuntimeError('not_found', `no element "${elementId}"`)
    const versionId = row.flow_version_id ?? (await this.latestVersionFor(trx, row.pipeline_id))
    if (!versionId) throw new RuntimeError('conflict', `the pipeline "${row.pipeline_id}" has no published flow`)
    const company = await this.ourCompany(trx)
    const { engine, turnKeys, usesMyCompany } = await this.engineFor(trx, versionId, company)
    this.turns = turnKeys.length > 0 ? await this.readTurns(trx, turnKeys) : new Map()
    this.turnsTaken = new Set()
    const saved: Stored = row.state
      ? (JSON.parse(row.state) as Stored)
      : {
          id: row.id,
          stage: row.stage,
          fields: JSON.parse(row.fields) as Record<string, Json>,
          variables: {},
          stay: null,
          jobs: [],
          effects: [],
        }
    // The directory's fields (client.*, myCompany.*), shown to the engine but not stored on the element.
    const linked = row.contact_id !== null || row.company_id !== null ? await this.linkedClient(trx, row) : undefined
    const myCompany = usesMyCompany ? company.fields : undefined
    const own = linked || myCompany ? new Set(Object.keys(saved.fields)) : undefined
    const shown = own ? { ...myCompany, ...linked?.fields } : undefined
    if (shown) saved.fields = { ...shown, ...saved.fields }
    // The synchronous part: the engine is shared by every element of this version.
    this.records = []
    this.pending = []
    let next: SavedElement
    engine.loadElement(saved)
    try {
      action(engine)
      next = engine.saveElement(elementId)
    } finally {
      engine.removeElement(elementId)
    }
    const records = this.records
    const pending = this.pending
    this.records = []
    this.pending = []
    // Taken before the next await: another input may run its synchronous part meanwhile.
    const turns = this.turns
    for (const key of [...this.turnsTaken]) {
      await trx
        .updateTable('counters')
        .set({ value: turns.get(key) ?? 0 })
        .where('key', '=', key)
        .execute()
    }

    const at = new Date(this.now()).toISOString()
    if (own && shown) {
      // Directory fields leave the element again; the client's requisites a rule changed go back to the
      // company (or contact) they came from.
      const fields = { ...next.fields }
      const changes = new Map<string, Json>()
      for (const [key, value] of Object.entries(fields)) {
        if (own.has(key)) continue
        const before = Object.hasOwn(shown, key) ? shown[key] : undefined
        if (linked && linked.source.kind !== 'none' && isClientRequisite(key)) {
          if (!sameJson(before, value)) changes.set(key, value)
          delete fields[key]
        } else if (before !== undefined && sameJson(before, value)) delete fields[key]
      }
      next = { ...next, fields }
      if (linked && changes.size > 0) {
        // The audit row names the rules that changed them ("engine:<rule>"), as the timeline does.
        const rules = [
          ...new Set(
            records.flatMap((r) =>
              r.type === 'field.changed' && r.by.kind === 'rule' && changes.has(r.field) ? [r.by.node] : [],
            ),
          ),
        ]
        const actor = { id: rules.length > 0 ? `engine:${rules.join(',')}` : 'engine' }
        await writeRequisites(trx, linked.source, changes, actor, { element: elementId, rules }, at)
      }
    }
    // The last history seq is kept in the stored state; an element stored before that asks the table.
    // An element that never ran (no state) has no history yet: only runs write history.
    let seq =
      saved.historySeq ??
      (row.state === null ? 0 : undefined) ??
      Number(
        (
          await trx
            .selectFrom('history')
            .select((eb) => eb.fn.max('seq').as('seq'))
            .where('element_id', '=', elementId)
            .executeTakeFirst()
        )?.seq ?? 0,
      )
    const firstSeq = seq
    seq += records.length
    const updated: ElementRow = {
      ...row,
      stage: next.stage,
      // The list shows title and responsible from their columns: kept in step with the fields.
      title: typeof next.fields.title === 'string' ? next.fields.title : row.title,
      responsible: typeof next.fields.responsible === 'string' ? next.fields.responsible : row.responsible,
      fields: JSON.stringify(next.fields),
      state: JSON.stringify({ ...next, historySeq: seq } satisfies Stored),
      flow_version_id: versionId,
      revision: row.revision + 1,
      updated_at: at,
    }
    await saveElementRow.run(
      trx,
      dialectOf(trx),
      updated.stage,
      updated.title,
      updated.responsible,
      updated.fields,
      updated.state,
      updated.flow_version_id,
      updated.revision,
      updated.updated_at,
      elementId,
    )
    if (records.length > 0) {
      seq = firstSeq
      const dialect = dialectOf(trx)
      for (let i = 0; i < records.length; i += 200) {
        const rows = records.slice(i, i + 200).map((r) => {
          const { seq: _engineSeq, element: _element, at: recordAt, ...rest } = r
          return [elementId, ++seq, recordAt, r.type, JSON.stringify(rest)]
        })
        await insertHistory.run(trx, dialect, rows)
      }
    }
    const now = this.now()
    const outgoing = records.length > 0 ? await this.outgoingRows(trx, records, elementId, now, at) : []
    await insertOutbox.run(trx, dialectOf(trx), [
      ...pending.map((p) => [
        p.effect,
        p.element,
        p.request.kind,
        JSON.stringify(p.request),
        'pending',
        0,
        now,
        at,
        at,
      ]),
      ...outgoing,
    ])
    // The due row follows the saved jobs: an element that waited for none has none to replace.
    if (saved.jobs.length > 0) {
      await trx.deleteFrom('due_jobs').where('element_id', '=', elementId).execute()
    }
    const firstDue = next.jobs[0]?.dueAt
    if (firstDue !== undefined) {
      await trx
        .insertInto('due_jobs')
        .values({ element_id: elementId, due_at: firstDue, job: JSON.stringify(next.jobs[0]), created_at: at })
        .execute()
    }
    if (also) await also(trx)
    return updated
  }

  /**
   * The version an element not pinned yet starts with: the newest published of its pipeline's
   * flows. Remembered for a second (a publish here forgets it at once; one in another process
   * is seen within that second).
   */
  private async latestVersionFor(trx: Db, pipelineId: string): Promise<string | undefined> {
    const now = Date.now()
    const known = this.latest.get(pipelineId)
    if (known && known.until > now) return known.id
    const row = await trx
      .selectFrom('flow_versions')
      .innerJoin('flows', 'flows.id', 'flow_versions.flow_id')
      .select('flow_versions.id')
      .where('flows.pipeline_id', '=', pipelineId)
      .orderBy('flow_versions.published_at', 'desc')
      .orderBy('flow_versions.number', 'desc')
      .executeTakeFirst()
    if (row) this.latest.set(pipelineId, { id: row.id, until: now + 1000 })
    return row?.id
  }

  /**
   * Deletes history rows older than `days` days (the retention setting, `SIGNFLOW_HISTORY_DAYS`).
   * Numbering goes on where it was: an element's next record never reuses a deleted seq.
   */
  async pruneHistory(days: number): Promise<number> {
    const cutoff = new Date(this.now() - days * 86_400_000).toISOString()
    const result = await this.db.deleteFrom('history').where('at', '<', cutoff).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  // ------------------------------------------------------------ constants

  /**
   * Changes a flow's constant by hand: rules that run from now on read `value` instead of the value the
   * published graph declares. The caller has checked the value against the constant's type. `also` writes in
   * the same transaction (the audit row). Returns the value it replaced (the graph's when none was set).
   */
  async setConstant(
    flowId: string,
    constantId: string,
    value: Json,
    by: string,
    also?: Also,
  ): Promise<{ updatedAt: string }> {
    const updatedAt = new Date(this.now()).toISOString()
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('constant_values')
        .values({
          flow_id: flowId,
          constant_id: constantId,
          value: JSON.stringify(value),
          updated_at: updatedAt,
          updated_by: by,
        })
        .onConflict((oc) =>
          oc
            .columns(['flow_id', 'constant_id'])
            .doUpdateSet({ value: JSON.stringify(value), updated_at: updatedAt, updated_by: by }),
        )
        .execute()
      if (also) await also(trx)
    })
    this.constants.delete(flowId)
    return { updatedAt }
  }

  /** The constants of a flow changed by hand (cached for a second; this process forgets at once on a change). */
  private async constantsOf(trx: Db, flowId: string): Promise<{ values: Record<string, Json>; stamp: string }> {
    const now = Date.now()
    const known = this.constants.get(flowId)
    if (known && known.until > now) return known
    const rows = await trx
      .selectFrom('constant_values')
      .select(['constant_id', 'value', 'updated_at'])
      .where('flow_id', '=', flowId)
      .orderBy('constant_id')
      .execute()
    const values: Record<string, Json> = {}
    for (const row of rows) values[row.constant_id] = JSON.parse(row.value) as Json
    const found = { values, stamp: rows.map((r) => `${r.constant_id}@${r.updated_at}`).join(','), until: now + 1000 }
    this.constants.set(flowId, found)
    return found
  }

  /** Outbox rows for the outgoing webhooks that want what these records say happened. */
  private async outgoingRows(trx: Db, records: TimelineRecord[], elementId: string, now: number, at: string) {
    const subscriptions = await this.subscriptionsOf(trx)
    if (subscriptions.length === 0) return []
    const rows: unknown[][] = []
    for (const record of records) {
      for (const event of eventsOf(record, elementId)) {
        for (const sub of subscriptions) {
          if (!sub.events.has(event.type)) continue
          const { id, body } = deliveryBody(event, record.at ?? at)
          const request: WebhookRequest = {
            kind: 'webhook',
            subscription: sub.id,
            url: sub.url,
            body,
            event: event.type,
          }
          rows.push([`wh:${sub.id}:${id}`, elementId, 'webhook', JSON.stringify(request), 'pending', 0, now, at, at])
        }
      }
    }
    return rows
  }

  /** The active outgoing webhook subscriptions, remembered for a second ({@link forgetSubscriptions}). */
  private async subscriptionsOf(trx: Db): Promise<Array<{ id: string; url: string; events: Set<string> }>> {
    const now = Date.now()
    if (this.subscriptions && this.subscriptions.until > now) return this.subscriptions.list
    const rows = await trx
      .selectFrom('webhook_subscriptions')
      .select(['id', 'url', 'events'])
      .where('active', '=', 1)
      .orderBy('id')
      .execute()
    const list = rows.map((r) => ({ id: r.id, url: r.url, events: new Set(JSON.parse(r.events) as string[]) }))
    this.subscriptions = { list, until: now + 1000 }
    return list
  }

  /** A subscription changed: the next input reads them again (other processes within a second). */
  forgetSubscriptions(): void {
    this.subscriptions = undefined
  }

  /** The `client.*` fields of an element linked to a contact or company, and where its requisites go. */
  private async linkedClient(trx: Db, row: ElementRow): Promise<Linked> {
    const contact =
      row.contact_id === null
        ? undefined
        : await trx.selectFrom('contacts').selectAll().where('id', '=', row.contact_id).executeTakeFirst()
    const companyId = row.company_id ?? contact?.company_id ?? null
    const company =
      companyId === null
        ? undefined
        : await trx.selectFrom('companies').selectAll().where('id', '=', companyId).executeTakeFirst()
    return clientFields(contact, company)
  }

  /**
   * The default company of ours (the first made): its `myCompany.*` fields and the working calendar rules are
   * scheduled with (the runtime's `calendar` option when it has none). Remembered for a second; this process
   * forgets it at once when a company of ours changes ({@link forgetMyCompany}).
   */
  private async ourCompany(trx: Db): Promise<OurCompany> {
    const now = Date.now()
    if (this.myCompany && this.myCompany.until > now) return this.myCompany
    const row = await trx
      .selectFrom('my_companies')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst()
    const calendar = storedCalendar(row?.calendar ?? null, this.calendar)
    this.myCompany = {
      fields: row ? myCompanyFields(row) : {},
      calendar,
      stamp: JSON.stringify(calendar),
      until: now + 1000,
    }
    return this.myCompany
  }

  /** A company of ours changed (its calendar, say): the next input reads it again (other processes within a second). */
  forgetMyCompany(): void {
    this.myCompany = undefined
  }

  /**
   * The round-robin counters an input may use, read (and on PostgreSQL locked until it commits, so that
   * elements take turns one after another across processes); made at 0 when missing.
   */
  private async readTurns(trx: Db, keys: string[]): Promise<Map<string, number>> {
    await trx
      .insertInto('counters')
      .values(keys.map((key) => ({ key, value: 0 })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
    let query = trx.selectFrom('counters').select(['key', 'value']).where('key', 'in', keys)
    if (dialectOf(trx) === 'postgres') query = query.forUpdate()
    const rows = await query.execute()
    return new Map(rows.map((r) => [r.key, Number(r.value)]))
  }

  /**
   * One engine per flow version, set of hand-changed constants and working calendar, made on first use and kept
   * while none of them changes (versions never do).
   */
  private async engineFor(trx: Db, versionId: string, company: OurCompany): Promise<Made> {
    const flowId = versionId.slice(0, versionId.lastIndexOf('@'))
    const constants = await this.constantsOf(trx, flowId)
    const stamp = `${constants.stamp}\u0000${company.stamp}`
    const known = this.engines.get(versionId)
    if (known && known.stamp === stamp) return known
    const row = await trx.selectFrom('flow_versions').select('graph').where('id', '=', versionId).executeTakeFirst()
    if (!row) throw new RuntimeError('not_found', `no flow version "${versionId}"`)
    const graph = JSON.parse(row.graph) as Graph
    graph.constants = graph.constants.map((c) =>
      Object.hasOwn(constants.values, c.id) ? { ...c, value: constants.values[c.id] as typeof c.value } : c,
    )
    const engine = new Engine({
      graph,
      keepTimeline: false,
      calendar: company.calendar,
      onRecord: (r) => this.records.push(r),
      ports: {
        now: () => this.now(),
        newId: () => randomUUID(),
        nextTurn: (ruleId) => {
          const key = turnKey(flowId, ruleId)
          const turn = this.turns.get(key) ?? 0
          this.turns.set(key, turn + 1)
          this.turnsTaken.add(key)
          return turn
        },
        // Effects are delivered by the outbox worker after the transaction commits.
        perform: (element, request, effect) => {
          this.pending.push({ effect, element: element.id, request })
          return { status: 'pending' }
        },
      },
    })
    const turnKeys = graph.pipeline.stages.flatMap((stage) =>
      stage.rules
        .filter((r) => r.type === 'changeResponsible' && r.settings.assign.mode !== 'user')
        .map((r) => turnKey(flowId, r.id)),
    )
    // Only a flow that reads my company's fields gets them (most read none; it saves work on every input).
    const usesMyCompany = row.graph.includes('myCompany.')
    const made = { engine, stamp, turnKeys, usesMyCompany }
    this.engines.set(versionId, made)
    return made
  }
}
