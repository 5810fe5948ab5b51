/**
 * The workload of bench/engine: a 10-stage deal pipeline with 5 conditional rules per stage
 * (set variable, calculate, send email; all "immediately"), deterministic deal facts, and the
 * translation of the same conditions to json-rules-engine, the baseline.
 */
import type { ConditionGroup, ConditionRow, Graph, RuleNode, Stage } from '../shared/index.js'

export const STAGES = 10
export const RULES = 5
/** Where the virtual clock starts; it moves one minute per deal. */
export const START = Date.parse('2026-11-23T09:00:00Z')
export const STEP = 60_000
const DAY = 86_400_000
const SOURCES = ['web', 'fair', 'call', 'partner', 'email'] as const

const field = (path: string) => ({ kind: 'field' as const, path })
const lit = (value: number | string) => ({ kind: 'literal' as const, value })
const row = (path: string, op: ConditionRow['op'], ...values: Array<number | string>): ConditionRow => ({
  left: field(path),
  op,
  values: values.map(lit),
})

/** Rule k of stage s: five condition shapes, thresholds varying by stage so that each holds for 15–85 % of deals. */
export function ruleCondition(s: number, k: number): ConditionGroup {
  switch (k) {
    case 0:
      return { match: 'all', items: [row('amount', 'gt', 4000 + 1200 * s)] }
    case 1:
      return { match: 'all', items: [row('source', 'in', ...SOURCES.slice(s % 3, (s % 3) + 2 + (s % 2)))] }
    case 2:
      return { match: 'all', items: [row('closeDate', 'withinNextDays', 15 + 5 * (s % 5))] }
    case 3:
      return { match: 'any', items: [row('probability', 'lte', 10 + 10 * (s % 6)), row('amount', 'gte', 15_000)] }
    default:
      return {
        match: 'all',
        items: [row('amount', 'gte', 2500 * (s % 4)), row('source', 'notIn', SOURCES[s % SOURCES.length] ?? 'web')],
      }
  }
}

const ACTIONS = ['setVariable', 'calculate', 'sendEmail'] as const

function rule(s: number, k: number): RuleNode {
  const base = {
    id: `s${s}-r${k}`,
    title: `Stage ${s}, rule ${k}`,
    execution: k % 2 === 0 ? ('afterPrevious' as const) : ('parallel' as const),
    time: { mode: 'immediately' as const },
    condition: ruleCondition(s, k),
  }
  switch (ACTIONS[(s + k) % ACTIONS.length]) {
    case 'setVariable':
      return { ...base, type: 'setVariable', settings: { variable: 'tier', value: lit(`s${s}-r${k}`) } }
    case 'calculate':
      return {
        ...base,
        type: 'calculate',
        settings: { formula: 'element.amount * (1.0 + constants.vat)', resultType: 'money', variable: 'gross' },
      }
    default:
      return {
        ...base,
        type: 'sendEmail',
        settings: {
          to: field('client.email'),
          subject: { kind: 'template', parts: ['Our offer: ', field('title')] },
          body: {
            kind: 'template',
            parts: ['Dear ', field('client.name'), ', the amount is ', field('amount'), '.'],
          },
          format: 'text',
          attachments: [],
        },
      }
  }
}

export function engineGraph(): Graph {
  const stages: Stage[] = []
  for (let s = 0; s < STAGES; s++) {
    stages.push({
      id: `s${s}`,
      name: `Stage ${s}`,
      color: '#1976d2',
      kind: s === STAGES - 1 ? 'success' : 'inProgress',
      triggers: [],
      rules: Array.from({ length: RULES }, (_, k) => rule(s, k)),
    })
  }
  return {
    formatVersion: 1,
    flow: { id: 'bench-engine', name: 'Engine benchmark' },
    elementType: 'deal',
    pipeline: { id: 'sales', name: 'Sales', stages },
    constants: [{ id: 'vat', name: 'VAT', type: 'number', value: 0.23 }],
    variables: [
      { id: 'tier', name: 'Tier', type: 'text', default: '' },
      { id: 'gross', name: 'Gross amount', type: 'money', default: 0 },
    ],
    fields: [],
  }
}

/** mulberry32: a small seeded generator, so the facts are the same on every run. */
function generator(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

export type DealFacts = Record<string, string | number>

/** Deal `i`: amount 0–20,000 with cents, a source, a probability, a close date from 15 days ago to 60 ahead (5 % have none). */
export function dealFacts(i: number): DealFacts {
  const next = generator(0x5eed ^ Math.imul(i + 1, 0x9e3779b1))
  const facts: DealFacts = {
    title: `Deal ${i}`,
    amount: Math.round(next() * 2_000_000) / 100,
    source: SOURCES[Math.floor(next() * SOURCES.length)] ?? 'web',
    probability: Math.floor(next() * 101),
    'client.name': `Client ${i}`,
    'client.email': `client${i}@example.com`,
  }
  if (next() >= 0.05) {
    facts.closeDate = new Date(START + Math.floor(next() * 76 - 15) * DAY).toISOString().slice(0, 10)
  }
  return facts
}

// ---------------------------------------------------------------- json-rules-engine

export interface JreCondition {
  fact: string
  operator: string
  value: unknown
}
export type JreGroup = { all: Array<JreCondition | JreGroup> } | { any: Array<JreCondition | JreGroup> }

const JRE_OPERATORS: Partial<Record<ConditionRow['op'], string>> = {
  eq: 'equal',
  ne: 'notEqual',
  gt: 'greaterThan',
  gte: 'greaterThanInclusive',
  lt: 'lessThan',
  lte: 'lessThanInclusive',
  in: 'in',
  notIn: 'notIn',
  withinNextDays: 'withinNextDays',
}

/** The same condition as json-rules-engine writes it (literal operands only, which is all the bench uses). */
export function toJre(group: ConditionGroup): JreGroup {
  const items = group.items.map((item): JreCondition | JreGroup => {
    if ('match' in item) return toJre(item)
    const operator = JRE_OPERATORS[item.op]
    if (!operator || item.left.kind !== 'field') throw new Error(`no json-rules-engine form for ${item.op}`)
    const values = item.values.map((v) => {
      if (v.kind !== 'literal') throw new Error('only literal operands')
      return v.value
    })
    const value = item.op === 'in' || item.op === 'notIn' ? values.flat() : values[0]
    return { fact: item.left.path, operator, value }
  })
  return group.match === 'all' ? { all: items } : { any: items }
}

/**
 * json-rules-engine has no date operator: "within the next N days" as a custom operator over a
 * `YYYY-MM-DD` fact, counted in whole days from today (UTC, the engine's default calendar),
 * today included, as our engine counts a plain date.
 */
export function withinNextDays(now: () => number) {
  return (fact: unknown, days: unknown): boolean => {
    if (typeof fact !== 'string' || typeof days !== 'number') return false
    const t = Date.parse(`${fact}T00:00:00Z`)
    const today = Math.floor(now() / DAY) * DAY
    return t >= today && t <= today + days * DAY
  }
}
