/**
 * Import and export of the JSON rule graph. Export is two-space JSON with a final newline; import parses, upgrades and validates, and reports a
 * JSON syntax error with its line and column.
 */
import { type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser'
import type { Finding } from '../validate/finding.js'
import { type ValidationResult, validate } from '../validate/validate.js'
import { type Graph, SCHEMA_ID } from './graph.js'

/**
 * Serializes a graph for files, the API and the designer's "Export": two-space JSON with a
 * final newline, every property kept as it is (`importGraph(exportGraph(g)).graph` equals `g`).
 * Use {@link withSchemaHint} first to let editors find the schema.
 */
export function exportGraph(graph: Graph): string {
  return `${JSON.stringify(graph, null, 2)}\n`
}

/** The graph with `$schema` first, so that editors offer completion and checks. */
export function withSchemaHint(graph: Graph): Graph {
  const { $schema: _previous, ...rest } = graph
  return { $schema: SCHEMA_ID, ...rest }
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

const REASONS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'text continues after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a text is not closed with "',
  UnexpectedEndOfNumber: 'malformed number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'a control character inside a text',
}

/**
 * `JSON.parse`, and when it fails, the first error's line and column as jsonc-parser (the
 * parser of VS Code, run in strict mode) locates it: V8's messages often carry no position.
 */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    const errors: ParseError[] = []
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false })
    const first = errors[0]
    const offset = first ? first.offset : text.length
    const message = first ? (REASONS[printParseErrorCode(first.error)] ?? 'invalid JSON') : 'invalid JSON'
    return { ok: false, error: { message, ...lineColumn(text, offset) } }
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
