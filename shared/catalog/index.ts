/**
 * The catalog: every rule and trigger type, with its category, label, description, settings
 * schema, defaults, outputs and the pipelines it may stand in.
 *
 * @example
 * getCatalogEntry('sendEmail')?.label // "Send email to client"
 */
import type { Static } from 'typebox'
import type { ElementType } from '../graph/vocabulary.js'
import { CATEGORIES, type Category, type RuleEntry, type TriggerEntry } from './define.js'
import { ruleCatalog } from './rules.js'
import { triggerCatalog } from './triggers.js'

export * from './define.js'
export { REQUISITE_SETTING_FIELDS, ruleCatalog } from './rules.js'
export { triggerCatalog } from './triggers.js'

export type RuleType = keyof typeof ruleCatalog
export type TriggerType = keyof typeof triggerCatalog
export type NodeType = RuleType | TriggerType
export type RuleSettings<K extends RuleType> = Static<(typeof ruleCatalog)[K]['settings']>
export type TriggerSettings<K extends TriggerType> = Static<(typeof triggerCatalog)[K]['settings']>

export type AnyEntry = RuleEntry | TriggerEntry

export const RULE_TYPES = Object.keys(ruleCatalog) as RuleType[]
export const TRIGGER_TYPES = Object.keys(triggerCatalog) as TriggerType[]

const entries = new Map<string, AnyEntry>([
  ...Object.entries(ruleCatalog as Record<string, RuleEntry>),
  ...Object.entries(triggerCatalog as Record<string, TriggerEntry>),
])

/** The catalog entry of a type, or `undefined` for an unknown type (safe for any string, `__proto__` included). */
export function getCatalogEntry(type: string): AnyEntry | undefined {
  return entries.get(type)
}

export function isRuleType(type: string): type is RuleType {
  return entries.get(type)?.kind === 'rule'
}

export function isTriggerType(type: string): type is TriggerType {
  return entries.get(type)?.kind === 'trigger'
}

export const ELEMENT_TYPE_LABELS: Record<ElementType, string> = {
  deal: 'deal',
  lead: 'lead',
  contact: 'contact',
  signingDocument: 'signing-document',
}

/** Why a type cannot stand in a pipeline, in words for the palette and the validator. */
export function notAllowedReason(entry: AnyEntry, elementType: ElementType): string {
  if (entry.category === 'paperwork' && entry.kind === 'rule' && elementType === 'signingDocument') {
    return 'In the signing-document pipeline the Paperwork group holds only triggers.'
  }
  const where = entry.allowedIn.map((t) => ELEMENT_TYPE_LABELS[t])
  const list = where.length > 1 ? `${where.slice(0, -1).join(', ')} and ${where.at(-1)}` : where.join('')
  return `Only in ${list} pipelines.`
}

export interface PaletteItem {
  type: NodeType
  kind: 'rule' | 'trigger'
  label: string
  description: string
  icon: string
  tier: 'core' | 'later'
  /** Why the item cannot be used in this pipeline, if it cannot. */
  disabledReason?: string
}

/** The palette for a pipeline: categories in order, each with its rules and triggers. */
export function paletteFor(elementType: ElementType): Array<{ category: Category; items: PaletteItem[] }> {
  return CATEGORIES.map((category) => ({
    category,
    items: [...entries]
      .filter(([, e]) => e.category === category)
      .map(([type, e]) => ({
        type: type as NodeType,
        kind: e.kind,
        label: e.label,
        description: e.description,
        icon: e.icon,
        tier: e.tier,
        ...(e.allowedIn.includes(elementType) ? {} : { disabledReason: notAllowedReason(e, elementType) }),
      })),
  })).filter((group) => group.items.length > 0)
}
