/**
 * The shape of a catalog entry. Every rule and trigger type is one entry; the graph schema,
 * the validator, the designer's palette and its settings forms all read the catalog, so a
 * new type is added in exactly one place.
 */
import type { Static, TObject } from 'typebox'
import type { DocumentType, ElementType, ValueType } from '../graph/vocabulary.js'

export const CATEGORIES = [
  'paperwork',
  'clientCommunication',
  'employeeCommunication',
  'elementControl',
  'auxiliary',
  'integrations',
  'payment',
] as const
export type Category = (typeof CATEGORIES)[number]

export const CATEGORY_LABELS: Record<Category, string> = {
  paperwork: 'Paperwork',
  clientCommunication: 'Client communication',
  employeeCommunication: 'Employee communication',
  elementControl: 'Element control',
  auxiliary: 'Auxiliary',
  integrations: 'Integrations',
  payment: 'Payment',
}

/** A value a rule produces for later rules (offered by the designer's "…" picker). */
export interface OutputDef {
  name: string
  label: string
  type: ValueType
}

/** An event a rule itself causes, which a trigger on another stage may react to. */
export interface CausedEvent {
  trigger: 'documentCreated' | 'fieldChanged' | 'responsibleChanged'
  documentType?: DocumentType | 'any'
  fields?: string[]
}

interface EntryBase<S extends TObject> {
  category: Category
  label: string
  /** One line, shown in the palette and searched. */
  description: string
  /** JSON Schema of the type's own settings. */
  settings: S
  /** Settings of a freshly dropped node. */
  defaults: Static<S>
  /** Pipelines (by element type) where the type may stand. */
  allowedIn: readonly ElementType[]
  /** `later` types are in the catalog but not yet executed by every runtime. */
  tier: 'core' | 'later'
  /** A Material Symbols name for the palette and the node. */
  icon: string
}

export interface RuleEntry<S extends TObject = TObject> extends EntryBase<S> {
  kind: 'rule'
  outputs: (settings: Static<S>) => OutputDef[]
  causes: (settings: Static<S>) => CausedEvent[]
}

export interface TriggerEntry<S extends TObject = TObject> extends EntryBase<S> {
  kind: 'trigger'
}

export function defineRule<S extends TObject>(
  entry: Omit<RuleEntry<S>, 'kind' | 'outputs' | 'causes'> & Partial<Pick<RuleEntry<S>, 'outputs' | 'causes'>>,
): RuleEntry<S> {
  return { kind: 'rule', outputs: () => [], causes: () => [], ...entry }
}

export function defineTrigger<S extends TObject>(entry: Omit<TriggerEntry<S>, 'kind'>): TriggerEntry<S> {
  return { kind: 'trigger', ...entry }
}

export const ALL_ELEMENT_TYPES: readonly ElementType[] = ['deal', 'lead', 'contact', 'signingDocument']
/** In the signing-document pipeline the Paperwork group holds only triggers. */
export const CRM_ELEMENT_TYPES: readonly ElementType[] = ['deal', 'lead', 'contact']
