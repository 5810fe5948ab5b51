/**
 * Formulas of the "Calculate a value" rule are CEL expressions (cel-js: no `eval`, no
 * `new Function`, bounded parse limits). The validator and the engine build the same
 * environment here, so a formula that validates is a formula that runs.
 */
import { Environment } from '@marcbachmann/cel-js'
import type { ValueType } from '../graph/vocabulary.js'

type Schema = { [key: string]: string | Schema }

const CEL_TYPES: Record<ValueType, string> = {
  text: 'string',
  number: 'double',
  money: 'double',
  boolean: 'bool',
  date: 'google.protobuf.Timestamp',
  datetime: 'google.protobuf.Timestamp',
  user: 'string',
  file: 'string',
  document: 'string',
}

/** Turns `[["client.requisites.taxId","text"], …]` into the nested schema cel-js declares variables with. */
function nest(entries: Iterable<[string, ValueType, boolean]>): Schema {
  const root: Schema = Object.create(null)
  for (const [path, type, multiple] of entries) {
    const parts = path.split('.')
    let node: Schema = root
    for (const part of parts.slice(0, -1)) {
      const next = node[part]
      if (typeof next === 'string') break
      if (next === undefined) {
        const child: Schema = Object.create(null)
        node[part] = child
        node = child
      } else node = next
    }
    const leaf = parts[parts.length - 1]
    if (leaf !== undefined && node[leaf] === undefined) {
      node[leaf] = multiple ? `list<${CEL_TYPES[type]}>` : CEL_TYPES[type]
    }
  }
  return root
}

export interface FormulaScope {
  fields: Iterable<[string, ValueType, boolean]>
  constants: Iterable<[string, ValueType, boolean]>
  variables: Iterable<[string, ValueType, boolean]>
}

/** Arithmetic between amounts (double) and whole numbers (int), which strict CEL refuses. */
function registerMixedArithmetic(env: Environment): Environment {
  const ops = {
    '+': (a: number, b: number) => a + b,
    '-': (a: number, b: number) => a - b,
    '*': (a: number, b: number) => a * b,
    '/': (a: number, b: number) => a / b,
  }
  for (const [op, fn] of Object.entries(ops)) {
    env.registerOperator(`double ${op} int`, (a: number, b: bigint) => fn(a, Number(b)))
    env.registerOperator(`int ${op} double`, (a: bigint, b: number) => fn(Number(a), b))
  }
  return env
}

/**
 * The environment formulas are checked and evaluated in: `element.<field path>`,
 * `constants.<id>`, `variables.<id>` and `outputs["<rule id>"].<output>`.
 *
 * @example
 * createFormulaEnvironment(scope).check('element.amount * 1.23').valid // true
 */
export function createFormulaEnvironment(scope: FormulaScope): Environment {
  const env = new Environment({
    limits: { maxAstNodes: 2000, maxDepth: 40, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 16 },
  })
  env.registerVariable({ name: 'element', schema: nest(scope.fields) })
  env.registerVariable({ name: 'constants', schema: nest(scope.constants) })
  env.registerVariable({ name: 'variables', schema: nest(scope.variables) })
  env.registerVariable('outputs', 'map')
  return registerMixedArithmetic(env)
}

/**
 * Where the engine runs formulas that passed `checkFormula` in the typed environment: the same
 * variables, functions and operators, declared as maps, so values are read as they are instead
 * of being converted field by field on every run (the check already proved the types).
 */
export function createFormulaRunner(): Environment {
  const env = new Environment({
    limits: { maxAstNodes: 2000, maxDepth: 40, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 16 },
  })
  env.registerVariable('element', 'map')
  env.registerVariable('constants', 'map')
  env.registerVariable('variables', 'map')
  env.registerVariable('outputs', 'map')
  return registerMixedArithmetic(env)
}

/** Which CEL result types a formula may have for each declared result type (`dyn` always fits). */
const RESULT_TYPES: Record<ValueType, readonly string[]> = {
  number: ['double', 'int', 'uint'],
  money: ['double', 'int', 'uint'],
  boolean: ['bool'],
  date: ['google.protobuf.Timestamp'],
  datetime: ['google.protobuf.Timestamp'],
  text: [],
  user: ['string'],
  file: ['string'],
  document: ['string'],
}

function fits(celType: string | undefined, resultType: ValueType): boolean {
  if (celType === undefined || celType === 'dyn' || resultType === 'text') return true
  return RESULT_TYPES[resultType].includes(celType)
}

/**
 * Checks a formula; returns `undefined` when it is fine, else the problem in words (the
 * library's first line for syntax and type errors).
 */
export function checkFormula(
  env: Environment,
  formula: string,
  resultType: ValueType,
): { message: string; detail: string } | undefined {
  try {
    const result = env.check(formula)
    if (!result.valid) {
      const text = String(result.error?.message ?? 'invalid formula')
      return { message: text.split('\n')[0] ?? text, detail: text }
    }
    const celType = typeof result.type === 'string' ? result.type : undefined
    if (!fits(celType, resultType)) {
      const message = `it gives a ${celType}, but the result type is ${resultType}`
      return { message, detail: message }
    }
    return undefined
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error)
    return { message: text.split('\n')[0] ?? text, detail: text }
  }
}
