/**
 * The engine's vocabulary: what goes in (inputs through the engine's methods), what it asks of
 * the outside world (ports), and what comes out (the timeline). Everything here is plain data,
 * so the simulator can show it and the runtime can store it.
 */
import type { DocumentType } from '../graph/vocabulary.js'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Who made something happen: recorded with every stage move and field change. */
export type Author =
  | { kind: 'user'; id: string }
  | { kind: 'api'; id?: string }
  | { kind: 'rule'; node: string }
  | { kind: 'trigger'; node: string; as: string }
  | { kind: 'system' }

/** An element as the engine sees it: its id, its stage and its fields by path (`client.email`, `custom.x`). */
export interface ElementSnapshot {
  id: string
  stage: string | null
  fields: Record<string, Json>
}

/** Something that happened to an element, which triggers may react to. */
export interface EngineEvent {
  type:
    | 'signedByCompany'
    | 'signedByClient'
    | 'signedByAll'
    | 'documentViewed'
    | 'signingRefused'
    | 'signingExpired'
    | 'documentCreated'
    | 'fieldChanged'
    | 'responsibleChanged'
    | 'webhook'
    | 'invoicePaid'
  documentType?: DocumentType
  /** For fieldChanged: the field and its new value. */
  field?: string
  value?: Json
  /** For webhook: the trigger whose URL was called. */
  trigger?: string
}

/** What a rule asks the outside world to do. Resolved: every value is final text or data. */
export type EffectRequest =
  | {
      kind: 'createDocument'
      template: string
      fields: Record<string, Json>
      withSignatureAndStamp: boolean
      publicLink: boolean
      waitForPdf: boolean
      myCompany?: { company?: string; requisites?: string; bankDetails?: string }
    }
  | {
      kind: 'sendForSigning'
      template: string
      companySigner: string
      channel: 'email' | 'sms'
      signingOrder: 'companyFirst' | 'clientFirst' | 'parallel'
      client: { name: string; email: string; phone: string }
      /** Each signer confirms a one-time code before signing. */
      oneTimeCode?: boolean
      remindEveryDays?: number
      expiresInDays?: number
    }
  | {
      kind: 'email'
      from?: string
      to: string
      subject: string
      body: string
      format: 'text' | 'html'
      attachments: string[]
    }
  | { kind: 'sms'; to: string; text: string }
  | { kind: 'documentLink'; document: string; channel: 'email' | 'sms'; to: string; message?: string }
  | { kind: 'notification'; to: string[]; text: string }
  | {
      kind: 'task'
      title: string
      description?: string
      responsible: string
      deadline?: string
      checklist: string[]
    }

export type EffectResult =
  | { status: 'done'; outputs?: Record<string, Json> }
  | { status: 'pending' }
  | { status: 'failed'; error: string }

/** The outside world, passed in: the engine itself touches no clock, network, disk or randomness. */
export interface EnginePorts {
  /** Milliseconds since the epoch. The simulator's clock is virtual. */
  now(): number
  /** A new unique id for a created thing (document, message, task). Deterministic in the simulator. */
  newId(kind: string): string
  /** Performs an effect. `pending` results are finished later with `completeEffect`. */
  perform(element: ElementSnapshot, effect: EffectRequest, effectId: string): EffectResult
  /**
   * The next turn of a round robin (0, then 1, 2, …) for the rule `ruleId`, shared by every element.
   * Without it the engine counts in memory, which is right for one engine (the simulator) but not for
   * several server processes, which keep the count in their database.
   */
  nextTurn?(ruleId: string): number
}

/** Work days, hours, time zone and holidays of the company. */
export interface WorkingCalendar {
  timeZone: string
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  workDays: number[]
  /** Local "HH:MM". */
  start: string
  end: string
  /** Local dates "YYYY-MM-DD". */
  holidays: string[]
}

export const DEFAULT_CALENDAR: WorkingCalendar = {
  timeZone: 'UTC',
  workDays: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '18:00',
  holidays: [],
}

/** One record of the timeline: what happened, when (ISO time), to which element. */
export type TimelineRecord = { seq: number; at: string; element: string } & TimelineEntry

export type RuleSkipReason = 'condition' | 'disabled'

export type TimelineEntry =
  | { type: 'element.added'; stage: string | null }
  | { type: 'stage.entered'; stage: string; from: string | null; by: Author }
  | { type: 'stage.left'; stage: string; to: string }
  | { type: 'run.requested'; stage: string; by: Author }
  | { type: 'rule.scheduled'; stage: string; node: string; dueAt: string; reason: string }
  | { type: 'rule.started'; stage: string; node: string }
  | { type: 'rule.skipped'; stage: string; node: string; reason: string }
  | { type: 'rule.cancelled'; stage: string; node: string; reason: string }
  | { type: 'rule.finished'; stage: string; node: string; outputs: Record<string, Json> }
  | { type: 'rule.failed'; stage: string; node: string; error: string }
  | { type: 'rule.notRun'; stage: string; node: string; reason: string }
  /** A person (or the API) ran a failed rule of the current stay again. */
  | { type: 'rule.retried'; stage: string; node: string; by: Author }
  | { type: 'condition.evaluated'; node: string; result: boolean; rows: ConditionRowRecord[] }
  | { type: 'settings.resolved'; node: string; settings: Record<string, Json> }
  | { type: 'variable.changed'; node: string; variable: string; before: Json; after: Json }
  | { type: 'field.changed'; field: string; before: Json; after: Json; by: Author }
  | { type: 'effect.requested'; node: string; effect: string; request: EffectRequest }
  | { type: 'effect.finished'; node: string; effect: string; result: EffectResult }
  | { type: 'event.received'; event: EngineEvent }
  | { type: 'trigger.considered'; node: string; stage: string; fired: boolean; reason: string }
  | { type: 'log'; node: string; text: string }
  | { type: 'loop.stopped'; stages: string[]; moves: number }
  | { type: 'error'; message: string }

export interface ConditionRowRecord {
  left: string
  op: string
  leftValue: Json
  values: Json[]
  result: boolean
}
