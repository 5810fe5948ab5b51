/**
 * The engine's reasons in the person's language. The shared engine writes why a rule waits, was skipped or
 * cancelled, why a trigger fired or not, and what failed, as English sentences (the CLI prints them); they
 * are few and regular, so the simulator reads each back by its pattern and says it again in the current
 * language, with its values (names, fields, amounts of time, condition rows) as they were. In English, or
 * for a reason of no known pattern, the engine's own words are kept.
 */
import type { Json } from '../../../shared/engine/types.js'
import { currentLanguage, i18n } from '../i18n/index.js'

// i18n-dynamic: simulator:unit.
// i18n-dynamic: simulator:op.
// i18n-dynamic: simulator:docWord.

type Vars = Record<string, unknown>
const t = (key: string, vars: Vars = {}) => i18n.t(key, vars)

const UNITS: Record<string, string> = { minute: 'minutes', hour: 'hours', day: 'days', 'work day': 'workDays' }

/** "3 days", "1 working day": an amount of time in the current language. */
export function amountText(amount: number, unit: string): string {
  return t(`simulator:unit.${unit}`, { count: amount })
}

/** A document type inside a sentence ("a contract" reads "Vertrag" in German). */
export const documentWord = (type: string) => t(`simulator:docWord.${type}`, { defaultValue: type })

const OPERATORS = new Set([
  'contains',
  'notContains',
  'in',
  'notIn',
  'between',
  'empty',
  'notEmpty',
  'withinLastDays',
  'withinNextDays',
])

/** An operator as a condition row says it: symbols stay, words are the language's. */
export const operatorWord = (op: string) =>
  /^[=≠><≥≤]$/.test(op) ? op : OPERATORS.has(op) ? t(`simulator:op.${op}`) : op

/** A row's left side: a field path stays; "constant x", "variable x" are said in the language. */
function leftText(left: string): string {
  const declared = /^(constant|variable) (.+)$/.exec(left)
  if (!declared) return left
  return declared[1] === 'constant'
    ? t('simulator:row.constant', { id: declared[2] })
    : t('simulator:row.variable', { id: declared[2] })
}

/** A JSON value as a condition row shows it (numbers and yes/no bare, the rest as JSON). */
export const shown = (value: Json) =>
  typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)

/** One condition row as the engine recorded it: `amount 4200 > 5000`, `source "web" in "a" and "b"`. */
export function rowText(row: { left: string; leftValue: Json; op: string; values: readonly Json[] }): string {
  const symbols: Record<string, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' }
  const values = row.values.map(shown).join(t('simulator:row.and'))
  const op = operatorWord(symbols[row.op] ?? row.op)
  return `${leftText(row.left)} ${shown(row.leftValue)} ${op}${values ? ` ${values}` : ''}`
}

/** A condition row as the engine wrote it in a reason, read back (or left as it is). */
function rowReason(text: string): string {
  const hit = /^(.+?) (null|true|false|-?\d[\d.eE+-]*|"(?:[^"\\]|\\.)*"|\[.*?\]|\{.*?\}) (\S+)(?: (.*))?$/.exec(text)
  if (!hit) return text
  const [, left = '', value = '', op = '', values] = hit
  const operands = values === undefined ? '' : ` ${values.split(' and ').join(t('simulator:row.and'))}`
  return `${leftText(left)} ${value} ${operatorWord(op)}${operands}`
}

/** An amount of time as the engine writes it ("2 days", "1 work day"), in the language. */
function amountReason(text: string): string | undefined {
  const hit = /^(\d+) (minute|hour|day|work day)s?$/.exec(text)
  if (!hit) return undefined
  return amountText(Number(hit[1]), UNITS[hit[2] ?? ''] ?? 'days')
}

type Reader = [RegExp, (m: RegExpExecArray) => string | undefined]

const READERS: Reader[] = [
  [/^immediately$/, () => t('simulator:reason.immediately')],
  [/^at a set moment$/, () => t('simulator:reason.atMoment')],
  [
    /^after (\d+ (?:minute|hour|day|work day)s?)$/,
    (m) => {
      const amount = amountReason(m[1] ?? '')
      return amount && t('simulator:reason.after', { amount })
    },
  ],
  [
    /^(\d+ (?:minute|hour|day|work day)s?) (before|after) (.+)$/,
    (m) => {
      const amount = amountReason(m[1] ?? '')
      if (!amount) return undefined
      return m[2] === 'before'
        ? t('simulator:reason.beforeField', { amount, field: m[3] })
        : t('simulator:reason.afterField', { amount, field: m[3] })
    },
  ],
  [
    /^"(.*)" is empty, so the time relative to it is unknown$/,
    (m) => t('simulator:reason.fieldEmpty', { field: m[1] }),
  ],
  [
    /^the moment it should run at is empty or not a date \((.*)\)$/,
    (m) => t('simulator:reason.noMoment', { value: m[1] }),
  ],
  [/^the rule is disabled$/, () => t('simulator:reason.disabled')],
  [/^condition false: no row holds$/, () => t('simulator:reason.noRowHolds')],
  [
    /^condition false: (.+)$/,
    (m) => t('simulator:reason.conditionFalse', { rows: (m[1] ?? '').split('; ').map(rowReason).join('; ') }),
  ],
  [/^the element left "(.*)" for "(.*)"$/, (m) => t('simulator:reason.left', { from: m[1], to: m[2] })],
  [
    /^the rules of "(.*)" were started again for the element$/,
    (m) => t('simulator:reason.startedAgain', { stage: m[1] }),
  ],
  [/^"(.*)" before it failed$/, (m) => t('simulator:reason.previousFailed', { title: m[1] })],
  [
    /^it waits for a (\w+), this was another document$/,
    (m) => t('simulator:reason.otherDocument', { wanted: documentWord(m[1] ?? '') }),
  ],
  [
    /^it waits for a (\w+), this was a (\w+)$/,
    (m) => t('simulator:reason.wrongDocument', { wanted: documentWord(m[1] ?? ''), got: documentWord(m[2] ?? '') }),
  ],
  [/^it watches (.+)$/, (m) => t('simulator:reason.watches', { fields: m[1] })],
  [/^another webhook was called$/, () => t('simulator:reason.otherWebhook')],
  [/^the element is already in this stage$/, () => t('simulator:reason.alreadyHere')],
  [/^stage behind, return not allowed$/, () => t('simulator:reason.behind')],
  [/^the nearest stage ahead$/, () => t('simulator:reason.nearest')],
  [/^return allowed, and no stage ahead matched$/, () => t('simulator:reason.returnAllowed')],
  [/^"(.*)" is nearer$/, (m) => t('simulator:reason.nearer', { stage: m[1] })],
  [/^"(.*)" is ahead$/, (m) => t('simulator:reason.ahead', { stage: m[1] })],
  [/^no stage "(.*)"$/, (m) => t('simulator:reason.noStage', { stage: m[1] })],
  [/^no user to make responsible$/, () => t('simulator:reason.noUser')],
  [/^(\w+) failed \(simulated\)$/, (m) => t('simulator:reason.simulatedFailure', { effect: m[1] })],
  [
    /^Stopped after (\d+) automatic moves caused by one input: the element keeps moving between (.*)\.$/,
    (m) => t('simulator:reason.loop', { count: Number(m[1]), stages: m[2] }),
  ],
  [/^no stage "(.*)" in this flow$/, (m) => t('simulator:reason.noStageInFlow', { stage: m[1] })],
  [/^no element "(.*)"$/, (m) => t('simulator:reason.noElement', { element: m[1] })],
  [/^element "(.*)" stands in no stage$/, (m) => t('simulator:reason.inNoStage', { element: m[1] })],
  [/^element "(.*)" is already here$/, (m) => t('simulator:reason.alreadyAdded', { element: m[1] })],
  [
    /^The start "(.*)" is not a date and time; write it like 2026-11-23T09:00:00Z\.$/,
    (m) => t('simulator:reason.badStart', { start: m[1] }),
  ],
  [/^formula: (.*)$/, (m) => t('simulator:reason.formula', { detail: m[1] })],
  [
    /^(.+) changed to (.+), not (.+)$/,
    (m) => t('simulator:reason.changedTo', { field: m[1], value: m[2], wanted: m[3] }),
  ],
]

const PASSED = '; that moment has passed, so at once'
const MOVED = ', moved into working hours'

/** The reason read back, or undefined when it has no known pattern. */
function read(reason: string): string | undefined {
  // A due time's reason may end with what became of it: the moment had passed, or working hours moved it.
  let base = reason
  let tail = ''
  if (base.endsWith(MOVED)) {
    base = base.slice(0, -MOVED.length)
    tail = t('simulator:reason.moved')
  }
  if (base.endsWith(PASSED)) {
    base = base.slice(0, -PASSED.length)
    tail = t('simulator:reason.passed') + tail
  }
  for (const [pattern, say] of READERS) {
    const m = pattern.exec(base)
    if (!m) continue
    const said = say(m)
    if (said !== undefined) return said + tail
  }
  return undefined
}

/** Whether the simulator knows how to say this reason of the engine's in another language. */
export const reasonKnown = (reason: string): boolean => read(reason) !== undefined

/** One of the engine's reasons (or errors) in the current language; English and unknown ones as they are. */
export function engineReason(reason: string): string {
  if (currentLanguage() === 'en') return reason
  return read(reason) ?? reason
}
