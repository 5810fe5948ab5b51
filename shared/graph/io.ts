/**
 * Import and export of the JSON rule graph. Export is canonical (two-space JSON, a final
 * newline, the `$schema` hint first); import parses, upgrades and validates, and reports a
 * JSON syntax error with its line and column.
 */
import type { Finding } from '../validate/finding.js'
import { type ValidationResult, validate } from '../validate/validate.js'
import { type Graph, SCHEMA_ID } from './graph.js'

/** Serializes a graph for files, the API and the designer's "Export". */
export function exportGraph(graph: Graph): string {
  const { $schema: _ignored, ...rest } = graph
  return `${JSON.stringify({ $schema: SCHEMA_ID, ...rest }, null, 2)}\n`
}

export interface JsonSyntaxError {
  message: string
  line: number
  column: number
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

/**
 * `JSON.parse` with a usable error: V8 reports a character offset (or, for text that ends too
 * early, nothing), which is turned into a line and a column.
 */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const position = /position (\d+)/.exec(message)
    const lc = /line (\d+) column (\d+)/.exec(message)
    let where: { line: number; column: number }
    if (lc) where = { line: Number(lc[1]), column: Number(lc[2]) }
    else if (position) where = lineColumn(text, Number(position[1]))
    else where = lineColumn(text, text.length)
    const reason = message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '')
    return { ok: false, error: { message: reason, ...where } }
  }
}

export type ImportResult = ValidationResult & { syntaxError?: JsonSyntaxError }

/** Parses and validates graph text; `graph` is set when the text holds a schema-valid graph. */
export function importGraph(text: string): ImportResult {
  const parsed = parseJson(text)
  if (!parsed.ok) {
    const finding: Finding = {
      severity: 'error',
      code: 'not-json',
      path: '',
      message: `Not valid JSON at line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message}.`,
      hint: 'Fix the JSON syntax there (a missing comma or quote is the usual cause).',
    }
    return { valid: false, findings: [finding], syntaxError: parsed.error }
  }
  return validate(parsed.value)
}
