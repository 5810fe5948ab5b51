/**
 * The JSON Schema pass: ajv (draft 2020-12) against the published schema, with its errors
 * turned into findings a person can act on.
 */
import type { ErrorObject, ValidateFunction } from 'ajv'
import { RULE_TYPES, TRIGGER_TYPES } from '../catalog/index.js'
import { type Finding, type FindingCode, type FindingParams, pointerSegment } from './finding.js'
import { validate as compiledGraphValidator } from './generated/graph-validator.js'
import { suggest } from './suggest.js'

/**
 * The schema validator, compiled ahead of time (`shared/validate/compile.ts`): no `new Function` at run
 * time, so the browser runs it under a strict Content-Security-Policy.
 */
export function schemaValidator(): ValidateFunction {
  return compiledGraphValidator
}

const NODE_TYPE_PATH = /^\/pipeline\/stages\/\d+\/(rules|triggers)\/\d+\/type$/

/** The patterns a person meets, each with its hint and the name of that wording (the finding's variant). */
const HINTS: Partial<Record<string, [variant: string, hint: string]>> = {
  '^[A-Za-z][A-Za-z0-9_-]{0,63}$': ['id', 'Ids start with a letter and use letters, digits, "_" and "-" (at most 64).'],
  '^[A-Za-z][A-Za-z0-9_]{0,63}$': [
    'fieldId',
    'Field ids start with a letter and use letters, digits and "_" (at most 64).',
  ],
  '^#[0-9a-fA-F]{6}$': ['color', 'Colours are written #rrggbb, e.g. "#2e7d32".'],
  '^([01][0-9]|2[0-3]):[0-5][0-9]$': ['time', 'Times of day are written HH:MM, e.g. "09:30".'],
}

function describeType(type: unknown): string {
  const names: Record<string, string> = {
    string: 'a text',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    object: 'an object',
    array: 'a list',
    null: 'null',
  }
  const list = Array.isArray(type) ? type : [type]
  return list.map((t) => names[String(t)] ?? String(t)).join(' or ')
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`
  return `${typeof value} ${JSON.stringify(value)}`
}

/** What `jsonTypeOf` says, as parameters: `found` (its kind) and `foundValue` (the value as JSON, if any). */
function foundParams(value: unknown): FindingParams {
  if (value === null) return { found: 'null' }
  if (Array.isArray(value)) return { found: 'list' }
  if (typeof value === 'object') return { found: 'object' }
  if (typeof value === 'string') return { found: 'text', foundValue: JSON.stringify(value.slice(0, 40)) }
  return { found: typeof value, foundValue: String(JSON.stringify(value)) }
}

/** The JSON types of a schema error as a list (`describeType` says them in words). */
const typeList = (type: unknown): string[] => (Array.isArray(type) ? type : [type]).map(String)

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

function finding(
  code: FindingCode,
  path: string,
  message: string,
  hint: string,
  params: FindingParams = {},
  variant?: string,
): Finding {
  return { severity: 'error', code, path, message, hint, params, ...(variant ? { variant } : {}) }
}

function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root
  for (const raw of path.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}

function toFinding(error: ErrorObject, data: unknown): Finding {
  const path = error.instancePath
  const params = error.params as Record<string, unknown>
  const value = valueAt(data, path)
  switch (error.keyword) {
    case 'required': {
      const property = String(params.missingProperty)
      return finding(
        'schema-required',
        `${path}/${pointerSegment(property)}`,
        `"${property}" is missing.`,
        `Add "${property}"; docs/format.md shows every property with an example.`,
        { property },
      )
    }
    case 'additionalProperties': {
      const property = String(params.additionalProperty)
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {})
      const guess = suggest(property, allowed)
      return finding(
        'schema-unknown-property',
        `${path}/${pointerSegment(property)}`,
        `"${property.slice(0, 60)}" is not a property here.`,
        `${guess.text}Allowed here: ${allowed.join(', ') || 'nothing'}.`,
        { property: property.slice(0, 60), allowed, ...guess.params },
        allowed.length ? 'some' : 'none',
      )
    }
    case 'type':
      return finding(
        'schema-type',
        path,
        `Expected ${describeType(params.type)}, found ${jsonTypeOf(value)}.`,
        `Write ${describeType(params.type)} here.`,
        { jsonTypes: typeList(params.type), ...foundParams(value) },
        'types',
      )
    case 'enum':
    case 'const': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [params.allowedValue]
      const given = typeof value === 'string' ? value : JSON.stringify(value)
      if (NODE_TYPE_PATH.test(path) && typeof value === 'string') {
        const inRules = path.includes('/rules/')
        const other = inRules ? TRIGGER_TYPES : RULE_TYPES
        if ((other as readonly string[]).includes(value)) {
          return finding(
            'node-kind-mismatch',
            path,
            `"${value}" is a ${inRules ? 'trigger' : 'rule'}, but it stands among the ${inRules ? 'rules' : 'triggers'}.`,
            `Move it to the stage's "${inRules ? 'triggers' : 'rules'}" list.`,
            { nodeType: value },
            inRules ? 'inRules' : 'inTriggers',
          )
        }
        const guess = suggest(value, allowed.map(String))
        return finding(
          'unknown-node-type',
          path,
          `"${given.slice(0, 60)}" is not a ${inRules ? 'rule' : 'trigger'} type.`,
          `${guess.text}\`npx signflow catalog\` lists the types.`,
          { value: given.slice(0, 60), ...guess.params },
          inRules ? 'rule' : 'trigger',
        )
      }
      const list = allowed.map((v) => JSON.stringify(v))
      const guess = typeof value === 'string' ? suggest(value, allowed.map(String)) : { text: '', params: {} }
      const shown = [...list.slice(0, 20), ...(list.length > 20 ? ['…'] : [])]
      return finding(
        'schema-enum',
        path,
        `${given === undefined ? 'The value' : `"${String(given).slice(0, 60)}"`} is not allowed here.`,
        `${guess.text}Use one of: ${shown.join(', ')}.`,
        { ...(given === undefined ? {} : { value: String(given).slice(0, 60) }), allowed: shown, ...guess.params },
        given === undefined ? 'noValue' : 'value',
      )
    }
    case 'pattern': {
      const [variant, hint] = HINTS[String(params.pattern)] ?? ['other', `Match the pattern ${String(params.pattern)}.`]
      return finding(
        'schema-pattern',
        path,
        `${capitalize(jsonTypeOf(value))} is not of the expected form.`,
        hint,
        { ...foundParams(value), pattern: String(params.pattern) },
        variant,
      )
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return finding(
        'schema-range',
        path,
        `${JSON.stringify(value)} is out of range: it ${error.message ?? 'is out of range'}.`,
        `Use a number that ${error.message ?? 'fits'}.`,
        { value: String(JSON.stringify(value)), comparison: String(params.comparison), limit: Number(params.limit) },
      )
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength': {
      const what = error.keyword.endsWith('Items') ? 'items' : 'characters'
      const limit = Number(params.limit)
      const atLeast = error.keyword.startsWith('min')
      if (path === '/pipeline/stages') {
        return finding('schema-size', path, 'The pipeline has no stages.', 'Add at least one stage.', {}, 'noStages')
      }
      const unit = limit === 1 ? what.slice(0, -1) : what
      return finding(
        'schema-size',
        path,
        `Too ${atLeast ? 'few' : 'many'} ${what}: ${atLeast ? 'at least' : 'at most'} ${limit} allowed.`,
        atLeast ? `Give at least ${limit} ${unit}.` : `Shorten it to ${limit} ${unit} or fewer.`,
        { count: limit },
        error.keyword,
      )
    }
    case 'anyOf':
      return finding(
        'schema-type',
        path,
        `Expected a text, a number, true/false or a list of these; found ${jsonTypeOf(value)}.`,
        'Write a plain value or a list of plain values here.',
        foundParams(value),
        'plainValue',
      )
    default:
      return finding('schema-invalid', path, `This ${error.message ?? 'is invalid'}.`, 'See docs/format.md.', {
        detail: error.message ?? 'is invalid',
      })
  }
}

/**
 * Runs ajv and returns one finding per real problem: the noise of `if`/`then` branches and of
 * the alternatives inside a failed `anyOf` is removed.
 */
export function schemaFindings(data: unknown): Finding[] {
  const validate = schemaValidator()
  if (validate(data)) return []
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if')
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath))
  const kept = errors.filter(
    (e) => e.keyword === 'anyOf' || ![...anyOfPaths].some((p) => e.schemaPath.startsWith(`${p}/`)),
  )
  const seen = new Set<string>()
  const out: Finding[] = []
  for (const error of kept) {
    const f = toFinding(error, data)
    const key = `${f.code}\u0000${f.path}\u0000${f.message}`
    if (!seen.has(key)) {
      seen.add(key)
      out.push(f)
    }
  }
  return out
}
