// The runtime server's tables as Kysely sees them. Column names are the database's (snake_case).
//
// Conventions, the same in SQLite and PostgreSQL:
// - JSON is stored as TEXT (`JsonText`): write `JSON.stringify(value)`, read `JSON.parse(row.col)`.
// - Moments are ISO 8601 text (`IsoTime`, e.g. "2026-11-23T10:00:00.000Z") in `*_at` columns, except the
//   scheduling columns `due_at`, `next_attempt_at` and `claimed_until`, which are integer milliseconds since
//   the epoch (`EpochMs`; BIGINT in PostgreSQL, returned as a JS number) so they compare and sort as numbers.
// - No column defaults to "now": times come from the caller's clock.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** JSON text: `JSON.stringify` on the way in, `JSON.parse` on the way out. */
export type JsonText = string
/** An ISO 8601 moment, as `new Date().toISOString()` writes it. */
export type IsoTime = string
/** Milliseconds since the epoch (`Date.now()`). */
export type EpochMs = number
/** An autoincrement id: set by the database, never written or changed. */
export type AutoId = ColumnType<number, never, never>

export type ContactTemplate = 'organization' | 'soleProprietor' | 'individual'
export type OutboxStatus = 'pending' | 'sending' | 'done' | 'failed'
export type MessageChannel = 'email' | 'sms'

export interface UsersTable {
  id: string
  name: string
  /** Unique; the API keeps it in lower case. */
  email: string
  /** admin, analyst, sales or readOnly (the API's `USER_ROLES`). */
  role: string
  /** 1, or 0 for a deactivated user (users are never deleted). */
  active: Generated<0 | 1>
  created_at: IsoTime
  /** Null only for rows written before the directory migration set it. */
  updated_at: IsoTime | null
  /** 1 while the user signs in with a password someone else chose: they must choose their own first. */
  must_change_password: Generated<0 | 1>
}

/**
 * Our own legal entities: `data` is `{ requisites, bankDetails, addresses }` (see `directory-api.ts`); the stamp
 * and signature images are `files` owned by `myCompany:<id>`.
 */
export interface MyCompaniesTable {
  id: string
  name: string
  data: JsonText
  created_at: IsoTime
  updated_at: IsoTime | null
  /**
   * The working calendar (`WorkingCalendar` of shared/engine/types.ts) as JSON; null: none set, the runtime's
   * default applies. The runtime schedules with the default company's (the first made).
   */
  calendar: ColumnType<JsonText | null, JsonText | null | undefined, JsonText | null>
}

/** Counterparties; `data` is `{ requisites: { <field>: text }, addresses: { <type>: { <part>: text } } }`. */
export interface CompaniesTable {
  id: string
  name: string
  template: ContactTemplate
  data: JsonText
  created_at: IsoTime
  updated_at: IsoTime | null
  /** Name and ids folded for search (lower case, no accents); null: not written through the API. */
  search_text: string | null
}

/** People; `data` is `{ requisites?: { template, fields, addresses } }`; an empty email or phone: none. */
export interface ContactsTable {
  id: string
  name: string
  email: string
  phone: string
  company_id: string | null
  data: JsonText
  created_at: IsoTime
  updated_at: IsoTime | null
  /** Name, email and phone folded for search (lower case, no accents); null: not written through the API. */
  search_text: string | null
}

export interface PipelinesTable {
  id: string
  name: string
  element_type: string
  stages: JsonText
  created_at: IsoTime
}

/** A flow's editable draft graph; published versions live in `flow_versions`. */
export interface FlowsTable {
  id: string
  pipeline_id: string
  name: string
  draft: JsonText
  updated_at: IsoTime
  created_at: IsoTime
}

/** An immutable published graph; `number` counts up per flow. */
export interface FlowVersionsTable {
  id: string
  flow_id: string
  number: number
  graph: JsonText
  hash: string
  published_at: IsoTime
  published_by: string
  /** Why it was published (a rollback's default: "Rollback to version N"); null when none was given. */
  note: string | null
}

/**
 * A scenario stored next to a flow (the designer's simulator saves them; `signflow test --server … --flow …` runs
 * them): `body` is the scenario's JSON (shared/engine/scenario.ts), `name` its name, `id` unique in the flow.
 */
export interface FlowScenariosTable {
  flow_id: string
  id: string
  name: string
  body: JsonText
  updated_at: IsoTime
  /** The audit actor who saved it last (`user:<id>`, `token:<id>`, `api`). */
  updated_by: string
}

/** A deal, document, …; `state` is the engine's saved state, `revision` counts saves (optimistic checks). */
export interface ElementsTable {
  id: string
  pipeline_id: string
  type: string
  title: string
  stage: string | null
  fields: JsonText
  responsible: string | null
  contact_id: string | null
  company_id: string | null
  flow_version_id: string | null
  state: JsonText | null
  revision: Generated<number>
  created_at: IsoTime
  updated_at: IsoTime
}

/** Timed work of the engine (delays, deadlines); a worker claims a job until `claimed_until`. */
export interface DueJobsTable {
  id: AutoId
  element_id: string
  due_at: EpochMs
  job: JsonText
  claimed_by: string | null
  claimed_until: EpochMs | null
  created_at: IsoTime
}

/** Effects to perform outside the database (mail, SMS, documents); `effect_id` makes them idempotent. */
export interface OutboxTable {
  id: AutoId
  effect_id: string
  element_id: string
  kind: string
  request: JsonText
  status: Generated<OutboxStatus>
  attempts: Generated<number>
  next_attempt_at: EpochMs
  claimed_by: string | null
  claimed_until: EpochMs | null
  last_error: string | null
  result: JsonText | null
  created_at: IsoTime
  updated_at: IsoTime
}

export interface OutboxAttemptsTable {
  id: AutoId
  outbox_id: number
  at: IsoTime
  ok: 0 | 1
  error: string | null
}

/** Each element's history, numbered by `seq` from the element's first record. */
export interface HistoryTable {
  element_id: string
  seq: number
  at: IsoTime
  type: string
  record: JsonText
}

/** What the demo mail and SMS catcher received. */
export interface MessagesTable {
  id: AutoId
  channel: MessageChannel
  to_address: string
  subject: string | null
  body: string
  raw: string | null
  received_at: IsoTime
  /** The effect's idempotency key (the email's Message-ID): a message delivered twice is kept once. */
  effect_id: string | null
}

export interface NotificationsTable {
  id: AutoId
  user_id: string
  element_id: string | null
  text: string
  created_at: IsoTime
  read_at: IsoTime | null
}

export interface TasksTable {
  id: string
  element_id: string
  title: string
  description: string | null
  responsible: string
  deadline: IsoTime | null
  checklist: JsonText
  done_at: IsoTime | null
  created_at: IsoTime
}

/**
 * The audit log, a hash chain: `seq` counts rows from 1, `prev_hash` is the hash of the row before (64 zeros
 * before the first), `hash` the SHA-256 of this row's content and that link (see `server/db/audit.ts`).
 */
export interface AuditLogTable {
  id: AutoId
  at: IsoTime
  actor: string
  action: string
  target: string
  detail: JsonText
  seq: number
  prev_hash: string
  hash: string
}

/** The newest row of the audit chain (one row, id 1): its seq and hash. */
export interface AuditHeadTable {
  id: number
  seq: number
  hash: string
}

/**
 * The secret of one webhook trigger of a flow (`POST /api/webhooks/{flow}/{trigger}`). Only its SHA-256 hash
 * (hex) is kept, and its last 4 characters to tell secrets apart; the secret itself is shown once.
 */
export interface WebhookSecretsTable {
  flow_id: string
  trigger_id: string
  secret_hash: string
  secret_hint: string
  created_at: IsoTime
  rotated_at: IsoTime | null
}

/** A flow's constant changed by hand after publishing; `value` is JSON. No row: the graph's own value. */
export interface ConstantValuesTable {
  flow_id: string
  constant_id: string
  value: JsonText
  updated_at: IsoTime
  updated_by: string
}

/**
 * Stored bytes: my companies' stamp and signature images (and later attachments and documents), each owned by
 * a row (`owner`: "<kind of row>:<id>", e.g. "myCompany:my-company") and of a `kind` ("stamp", "signature").
 * `bytes` is a BLOB in SQLite and bytea in PostgreSQL; both drivers read it back as a Buffer.
 */
export interface FilesTable {
  id: string
  owner: string
  kind: string
  /** A file name to offer when downloading; null: none. */
  name: string | null
  content_type: string
  size: number
  /** SHA-256 of `bytes`, hex. */
  sha256: string
  bytes: Buffer
  created_at: IsoTime
}

/** A named counter shared by the runtime's processes, e.g. `turn:<flow>:<rule>` of a round robin. */
export interface CountersTable {
  key: string
  value: number
}

/** An integrator's subscription to events, delivered to `url` signed with `secret`; `events` is a JSON list. */
export interface WebhookSubscriptionsTable {
  id: string
  url: string
  events: JsonText
  secret: string
  description: string | null
  active: 0 | 1
  created_at: IsoTime
  updated_at: IsoTime
}

/**
 * An API token (better-auth's API key): `key` is the SHA-256 of the token; `reference_id` the user it acts
 * for; `permissions` JSON `{"role":["sales"]}`, the role it is scoped to. Dates as better-auth writes them
 * (a Date on PostgreSQL, text on SQLite). Only the columns our code reads are listed.
 */
export interface AuthApikeyTable {
  id: string
  name: string | null
  start: string | null
  reference_id: string
  key: string
  permissions: string | null
  last_request: unknown
  expires_at: unknown
  created_at: unknown
}

/** A sign-in session (better-auth's); only the columns our code reads. */
export interface AuthSessionTable {
  id: string
  user_id: string
  token: string
  expires_at: unknown
}

/** A way to sign in (better-auth's account; "credential" holds the password's scrypt hash); the columns our code reads. */
export interface AuthAccountTable {
  id: string
  user_id: string
  provider_id: string
}

/** An uploaded PDF template (`file_id`) with its placed fields (`fields`, JSON `PlacedField[]`). */
export interface DocumentTemplatesTable {
  id: string
  type: string
  name: string
  locale: string
  currency: string
  tax_rate: number
  file_id: string
  fields: JsonText
  created_at: IsoTime
  updated_at: IsoTime
}

/**
 * A generated document of an element. `data` is JSON: the content it was drawn from and the parties' boxes
 * (`server/documents/store.ts`). The public link's token is kept only as its SHA-256 (hex).
 */
export interface DocumentsTable {
  id: string
  element_id: string
  effect_id: string | null
  template_id: string
  type: string
  number: string
  title: string
  /** created, sent, signing, signed, declined, expired */
  status: string
  data: JsonText
  original_file_id: string
  original_sha256: string
  signed_file_id: string | null
  signed_sha256: string | null
  public_token_hash: string | null
  public_expires_at: IsoTime | null
  public_revoked_at: IsoTime | null
  created_by: string
  created_at: IsoTime
  updated_at: IsoTime
}

/** One signer of a document, reached by a personal link (its token kept as SHA-256 hex); `data` is JSON. */
export interface SigningPartiesTable {
  id: string
  document_id: string
  /** company or client */
  role: string
  /** Signing order: lower signs first; equal ones in parallel. */
  position: number
  name: string
  email: string
  phone: string
  channel: string
  token_hash: string
  /** waiting, sent, viewed, consented, signed, declined, expired */
  status: string
  expires_at: IsoTime
  data: JsonText
  created_at: IsoTime
  updated_at: IsoTime
}

/** A signer's personal link: the SHA-256 of its token. A signer may hold several (one per message). */
export interface SigningLinksTable {
  token_hash: string
  party_id: string
  created_at: IsoTime
}

/** What happened to a document and its signers, with where from. */
export interface DocumentEventsTable {
  id: string
  document_id: string
  party_id: string | null
  type: string
  at: IsoTime
  ip: string | null
  user_agent: string | null
  channel: string | null
  detail: JsonText
}

/** All tables, for `Kysely<Database>`. */
export interface Database {
  users: UsersTable
  my_companies: MyCompaniesTable
  companies: CompaniesTable
  contacts: ContactsTable
  pipelines: PipelinesTable
  flows: FlowsTable
  flow_versions: FlowVersionsTable
  flow_scenarios: FlowScenariosTable
  elements: ElementsTable
  due_jobs: DueJobsTable
  outbox: OutboxTable
  outbox_attempts: OutboxAttemptsTable
  history: HistoryTable
  messages: MessagesTable
  notifications: NotificationsTable
  tasks: TasksTable
  audit_log: AuditLogTable
  audit_head: AuditHeadTable
  webhook_secrets: WebhookSecretsTable
  files: FilesTable
  constant_values: ConstantValuesTable
  counters: CountersTable
  webhook_subscriptions: WebhookSubscriptionsTable
  auth_apikey: AuthApikeyTable
  auth_session: AuthSessionTable
  auth_account: AuthAccountTable
  document_templates: DocumentTemplatesTable
  documents: DocumentsTable
  signing_parties: SigningPartiesTable
  signing_links: SigningLinksTable
  document_events: DocumentEventsTable
}

export type TableName = keyof Database
/** A row as read from table `T`, e.g. `Row<'elements'>`. */
export type Row<T extends TableName> = Selectable<Database[T]>
/** A row to insert into table `T` (generated columns optional, autoincrement ids absent). */
export type NewRow<T extends TableName> = Insertable<Database[T]>
/** A change to rows of table `T` (every column optional). */
export type RowUpdate<T extends TableName> = Updateable<Database[T]>

export type UserRow = Row<'users'>
export type MyCompanyRow = Row<'my_companies'>
export type CompanyRow = Row<'companies'>
export type ContactRow = Row<'contacts'>
export type PipelineRow = Row<'pipelines'>
export type FlowRow = Row<'flows'>
export type FlowVersionRow = Row<'flow_versions'>
export type FlowScenarioRow = Row<'flow_scenarios'>
export type ElementRow = Row<'elements'>
export type DueJobRow = Row<'due_jobs'>
export type OutboxRow = Row<'outbox'>
export type OutboxAttemptRow = Row<'outbox_attempts'>
export type HistoryRow = Row<'history'>
export type MessageRow = Row<'messages'>
export type NotificationRow = Row<'notifications'>
export type TaskRow = Row<'tasks'>
export type DocumentRow = Row<'documents'>
export type DocumentTemplateRow = Row<'document_templates'>
export type DocumentEventRow = Row<'document_events'>
export type SigningPartyRow = Row<'signing_parties'>
export type AuditLogRow = Row<'audit_log'>
export type WebhookSecretRow = Row<'webhook_secrets'>
export type FileRow = Row<'files'>
export type ConstantValueRow = Row<'constant_values'>
export type WebhookSubscriptionRow = Row<'webhook_subscriptions'>
