/** What `validate` reports: one problem, where it is, and how to fix it. */

export type Severity = 'error' | 'warning'

/** Stable codes; scripts and translations key on them, so they never change meaning. */
export const FINDING_CODES = {
  // input and format
  'not-json': 'The input is not JSON.',
  'not-an-object': 'The graph is not a JSON object.',
  'format-version-missing': 'formatVersion is missing.',
  'format-version-invalid': 'formatVersion is not a positive whole number.',
  'format-version-unsupported': 'The graph was written by a newer Signflow.',
  'graph-too-deep': 'The document nests deeper than any graph needs.',
  'graph-too-large': 'A list longer than any graph needs.',
  'too-many-findings': 'Only the first findings are listed.',
  'internal-error': 'The validator itself failed (a bug to report).',
  // JSON Schema
  'schema-required': 'A required property is missing.',
  'schema-unknown-property': 'A property the format does not have.',
  'schema-type': 'A value of the wrong JSON type.',
  'schema-enum': 'A value outside the allowed list.',
  'schema-pattern': 'A string of the wrong form (ids, colours, times).',
  'schema-range': 'A number out of range.',
  'schema-size': 'A list or text that is too short or too long.',
  'schema-invalid': 'Another JSON Schema violation.',
  'unknown-node-type': 'A rule or trigger type the catalog does not have.',
  'node-kind-mismatch': 'A trigger among the rules, or a rule among the triggers.',
  // semantics
  'duplicate-id': 'Two things of one kind share an id.',
  'dangling-stage': 'A stage id that is not in the pipeline.',
  'unknown-constant': 'A constant that is not declared.',
  'unknown-variable': 'A variable that is not declared.',
  'unknown-field': 'A field the element type does not have and the graph does not declare.',
  'unknown-node': 'A reference to a rule that does not exist.',
  'unknown-output': 'An output the referenced rule does not produce.',
  'output-not-before': 'An output used by a rule that does not certainly run after its producer.',
  'type-mismatch': 'A value of the wrong type for its setting.',
  'date-offset-on-non-date': 'A time relative to a field that is not a date.',
  'operator-not-applicable': 'A condition operator that does not fit the field type.',
  'operand-count': 'A condition row with the wrong number of values.',
  'node-not-allowed': 'A rule or trigger type not allowed in this pipeline.',
  'setting-empty': 'A required setting left empty.',
  'field-read-only': 'A rule writes a field that cannot be changed.',
  'formula-invalid': 'A formula that does not parse or type-check.',
  // warnings
  'stage-unreachable': 'No element can reach the stage.',
  'triggers-compete': 'Two triggers react to the same event.',
  'possible-loop': 'Automation can bounce an element between stages for ever.',
  'output-conditional': 'An output of a rule that may be skipped by its condition.',
  'pdf-not-awaited': 'A PDF used before "wait for PDF" guarantees it exists.',
  'designer-dangling': 'Designer data about a node or stage that no longer exists.',
} as const

export type FindingCode = keyof typeof FINDING_CODES

/**
 * The values a finding's message and hint are made of (names, ids, value types, counts, lists), so that a
 * translation can say the same in another language; the English `message` and `hint` stay as they are.
 */
export type FindingParams = Record<string, string | number | boolean | string[]>

export interface Finding {
  severity: Severity
  code: FindingCode
  /** JSON Pointer (RFC 6901) into the graph; `""` is the whole document. */
  path: string
  message: string
  hint: string
  /** The values in `message` and `hint`, by name (see `FINDING_VARIANTS` for which code has which wording). */
  params?: FindingParams
  /** Which of its code's wordings the finding has, when the code has several (translations key on it). */
  variant?: string
}

/**
 * The wordings of the codes that have more than one (a code not listed has one). The web's translations
 * have a message and hint for each; `variant` names the wording of a finding.
 */
export const FINDING_VARIANTS: Partial<Record<FindingCode, readonly string[]>> = {
  'format-version-unsupported': ['newer', 'noUpgrade'],
  'schema-unknown-property': ['some', 'none'],
  'schema-type': ['types', 'plainValue'],
  'schema-enum': ['value', 'noValue'],
  'node-kind-mismatch': ['inRules', 'inTriggers'],
  'unknown-node-type': ['rule', 'trigger'],
  'schema-pattern': ['id', 'fieldId', 'color', 'time', 'other'],
  'schema-size': ['noStages', 'minItems', 'maxItems', 'minLength', 'maxLength'],
  'duplicate-id': ['constant', 'variable', 'field', 'stage', 'node'],
  'type-mismatch': [
    'declarationList',
    'declarationValue',
    'listInSingle',
    'literal',
    'reference',
    'template',
    'calculateVariable',
    'appendSingle',
    'fieldChangedTo',
  ],
  'operand-count': ['none', 'between', 'exact', 'atLeast'],
  'node-not-allowed': ['paperwork', 'only'],
  'setting-empty': ['changeStageAs', 'setting', 'item'],
  'field-read-only': ['myCompany', 'stage', 'other'],
  'unknown-field': ['custom', 'other'],
  'unknown-output': ['trigger', 'missing', 'none'],
  'output-not-before': ['trigger', 'self', 'otherStage', 'later', 'disabled', 'parallel', 'between'],
  'stage-unreachable': ['manual', 'automatic'],
  'triggers-compete': ['sameStage', 'otherStage'],
  'possible-loop': ['sameStage', 'cycle'],
  'designer-dangling': ['node', 'stage'],
}

/** Escapes one JSON Pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1')
}

export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => `/${pointerSegment(s)}`).join('')
}
