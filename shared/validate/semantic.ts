/**
 * Semantic checks: what JSON Schema cannot see. References, types, the order in which rules
 * run, and the shape of the pipeline as automation moves elements through it.
 *
 * Runs on a graph whose skeleton passed the schema; nodes and declarations that failed the
 * schema are listed in `broken` and skipped (their ids are known, so references to them do
 * not produce a second, misleading finding).
 */
import type { TObject } from 'typebox'
import {
  type AnyEntry,
  ELEMENT_TYPE_LABELS,
  getCatalogEntry,
  notAllowedReason,
  type OutputDef,
} from '../catalog/index.js'
import { checkFormula, createFormulaEnvironment } from '../expressions/formula.js'
import { type FieldDef, fieldIndex } from '../graph/fields.js'
import type { ConstantDecl, FlowNode, Graph, RuleNode, Stage, TriggerNode, VariableDecl } from '../graph/graph.js'
import { DATES, OPERATOR_ARITY, operandType, operatorFits } from '../graph/operators.js'
import {
  ANNOTATIONS,
  type ConditionGroup,
  type ConditionRow,
  OPERATORS,
  type Reference,
  type RefKind,
  type Scalar,
  type Value,
} from '../graph/schema-parts.js'
import { type DocumentType, isAssignable, type ValueType } from '../graph/vocabulary.js'
import { type Finding, type FindingCode, type FindingParams, pointer } from './finding.js'
import { suggest } from './suggest.js'

export interface Broken {
  nodes: Set<string>
  constants: Set<string>
  variables: Set<string>
  fields: Set<string>
  /** Node objects whose schema check failed (by identity, since their id may be unusable). */
  nodeObjects: Set<unknown>
  /** Nodes of which only some parts (`time`, `settings`, `condition`, …) failed the schema. */
  nodeParts: Map<object, Set<string>>
}

interface NodeInfo {
  node: FlowNode
  kind: 'rule' | 'trigger'
  stageIndex: number
  index: number
  path: string
  entry: AnyEntry | undefined
}

type SlotType = ValueType | 'any'
interface ValueInfo {
  type: ValueType
  multiple: boolean
}

const TYPE_NAMES: Record<ValueType, string> = {
  text: 'text',
  number: 'number',
  money: 'amount',
  boolean: 'yes/no',
  date: 'date',
  datetime: 'date and time',
  user: 'user',
  file: 'file',
  document: 'document',
}
/** An element type inside a sentence ("A signing document has no field …"). */
const ELEMENT_WORDS: Record<Graph['elementType'], string> = {
  deal: 'deal',
  lead: 'lead',
  contact: 'contact',
  signingDocument: 'signing document',
}
/** A document type inside a sentence. */
const DOCUMENT_WORDS: Record<DocumentType, string> = {
  invoice: 'invoice',
  contract: 'contract',
  commercialOffer: 'commercial offer',
  act: 'act',
  other: 'other document',
}
const typeName = (t: SlotType) => (t === 'any' ? 'value' : TYPE_NAMES[t])
const ARTICLES: Record<ValueType, string> = {
  text: 'text',
  number: 'a number',
  money: 'an amount',
  boolean: 'yes/no',
  date: 'a date',
  datetime: 'a date and time',
  user: 'a user',
  file: 'a file',
  document: 'a document',
}
/** "an amount", "a date", "text": the type name as it reads in a sentence. */
const a = (t: SlotType) => (t === 'any' ? 'a value' : ARTICLES[t])
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/
const DATETIME_RE =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/

function literalFits(value: Scalar, type: ValueType): boolean {
  switch (type) {
    case 'text':
      return true
    case 'number':
    case 'money':
      return typeof value === 'number' && Number.isFinite(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'date':
      return typeof value === 'string' && DATE_RE.test(value)
    case 'datetime':
      return typeof value === 'string' && (DATETIME_RE.test(value) || DATE_RE.test(value))
    case 'user':
    case 'file':
    case 'document':
      return typeof value === 'string'
  }
}

const LITERAL_EXAMPLES: Record<ValueType, string> = {
  text: '"any text"',
  number: '5000',
  money: '5000',
  boolean: 'true',
  date: '"2026-12-31"',
  datetime: '"2026-12-31T09:00:00Z"',
  user: '"user id"',
  file: '"file id"',
  document: '"document id"',
}

/** Schema-invalid parts of a graph may be anything: nodes are checked to be objects first. */
function isObject(value: unknown): value is Record<string, unknown> & FlowNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export class SemanticChecker {
  readonly findings: Finding[] = []
  private readonly fields: Map<string, FieldDef>
  private readonly constants = new Map<string, ConstantDecl>()
  private readonly variables = new Map<string, VariableDecl>()
  private readonly nodes = new Map<string, NodeInfo>()
  private readonly stages = new Map<string, { stage: Stage; index: number }>()
  private formulaEnv: ReturnType<typeof createFormulaEnvironment> | undefined

  constructor(
    private readonly graph: Graph,
    private readonly broken: Broken,
  ) {
    this.fields = fieldIndex(
      graph.elementType,
      graph.fields.filter((f) => !broken.fields.has(f.id)),
    )
  }

  run(): Finding[] {
    this.collectDeclarations()
    this.collectStagesAndNodes()
    this.checkDeclarations()
    for (const info of this.nodes.values()) {
      if (!this.broken.nodeObjects.has(info.node)) this.checkNode(info)
    }
    this.checkDesigner()
    this.checkReachability()
    this.checkCompetingTriggers()
    this.checkLoops()
    return this.findings
  }

  private add(
    severity: Finding['severity'],
    code: FindingCode,
    path: string,
    message: string,
    hint: string,
    params: FindingParams = {},
    variant?: string,
  ): void {
    this.findings.push({ severity, code, path, message, hint, params, ...(variant ? { variant } : {}) })
  }

  // ------------------------------------------------------------ collection

  private collectDeclarations(): void {
    const declare = <T extends { id: string }>(
      list: T[],
      into: Map<string, T>,
      what: string,
      base: string,
      broken: Set<string>,
      variant: string,
    ) => {
      list.forEach((item, i) => {
        // Declarations that failed the schema are left out: their type may be anything.
        if (typeof item.id !== 'string' || broken.has(item.id)) return
        if (into.has(item.id)) {
          this.add(
            'error',
            'duplicate-id',
            pointer(base, i, 'id'),
            `Two ${what}s have the id "${item.id}".`,
            `Give each ${what} its own id; references would not know which one is meant.`,
            { id: item.id },
            variant,
          )
        } else into.set(item.id, item)
      })
    }
    declare(this.graph.constants, this.constants, 'constant', 'constants', this.broken.constants, 'constant')
    declare(this.graph.variables, this.variables, 'variable', 'variables', this.broken.variables, 'variable')
    declare(this.graph.fields, new Map(), 'custom field', 'fields', this.broken.fields, 'field')
  }

  private collectStagesAndNodes(): void {
    this.graph.pipeline.stages.forEach((stage, stageIndex) => {
      if (this.stages.has(stage.id)) {
        this.add(
          'error',
          'duplicate-id',
          pointer('pipeline', 'stages', stageIndex, 'id'),
          `Two stages have the id "${stage.id}".`,
          'Give each stage its own id; rules and triggers refer to stages by id.',
          { id: stage.id },
          'stage',
        )
      } else this.stages.set(stage.id, { stage, index: stageIndex })
      const place = (list: FlowNode[], kind: 'rule' | 'trigger') => {
        list.forEach((node, index) => {
          const path = pointer('pipeline', 'stages', stageIndex, kind === 'rule' ? 'rules' : 'triggers', index)
          if (!isObject(node) || typeof node.id !== 'string') return
          const existing = this.nodes.get(node.id)
          if (existing) {
            this.add(
              'error',
              'duplicate-id',
              `${path}/id`,
              `"${node.id}" is already the id of "${existing.node.title}" (${existing.path}).`,
              'Node ids are unique in the whole graph: rename this one.',
              { id: node.id, title: existing.node.title, path: existing.path },
              'node',
            )
            return
          }
          this.nodes.set(node.id, {
            node,
            kind,
            stageIndex,
            index,
            path,
            entry: typeof node.type === 'string' ? getCatalogEntry(node.type) : undefined,
          })
        })
      }
      place(stage.triggers, 'trigger')
      place(stage.rules, 'rule')
    })
  }

  // ------------------------------------------------------------ declarations

  private checkDeclarations(): void {
    const check = (decl: ConstantDecl | VariableDecl, value: Scalar | Scalar[] | undefined, path: string) => {
      if (value === undefined) return
      const values = Array.isArray(value) ? value : [value]
      if (Array.isArray(value) && !decl.multiple) {
        this.add(
          'error',
          'type-mismatch',
          path,
          `"${decl.name}" holds one value (${typeName(decl.type)}), but a list is given.`,
          'Give a single value, or set "multiple": true.',
          { name: decl.name, type: decl.type },
          'declarationList',
        )
        return
      }
      values.forEach((v, i) => {
        if (!literalFits(v, decl.type)) {
          this.add(
            'error',
            'type-mismatch',
            Array.isArray(value) ? `${path}/${i}` : path,
            `${JSON.stringify(v)} is not ${a(decl.type)}, the type of "${decl.name}".`,
            `Write ${a(decl.type)}, e.g. ${LITERAL_EXAMPLES[decl.type]}.`,
            { value: JSON.stringify(v), expected: decl.type, name: decl.name },
            'declarationValue',
          )
        }
      })
    }
    this.graph.constants.forEach((c, i) => {
      if (!this.broken.constants.has(c.id)) check(c, c.value, pointer('constants', i, 'value'))
    })
    this.graph.variables.forEach((v, i) => {
      if (!this.broken.variables.has(v.id)) check(v, v.default, pointer('variables', i, 'default'))
    })
  }

  // ------------------------------------------------------------ nodes

  private checkNode(info: NodeInfo): void {
    const { node, entry, path } = info
    if (!entry) return
    if (!entry.allowedIn.includes(this.graph.elementType)) {
      this.add(
        'error',
        'node-not-allowed',
        `${path}/type`,
        `"${entry.label}" cannot stand in a ${ELEMENT_TYPE_LABELS[this.graph.elementType]} pipeline.`,
        `${notAllowedReason(entry, this.graph.elementType)} Remove it, or use it in a pipeline that allows it.`,
        { nodeType: node.type, elementType: this.graph.elementType, allowedIn: [...entry.allowedIn] },
        entry.category === 'paperwork' && entry.kind === 'rule' && this.graph.elementType === 'signingDocument'
          ? 'paperwork'
          : 'only',
      )
    }
    const ok = (part: string) => !this.broken.nodeParts.get(node)?.has(part)
    if (node.condition && ok('condition')) this.checkCondition(node.condition, `${path}/condition`, info)
    if (info.kind === 'rule' && ok('time')) this.checkTime(node as RuleNode, `${path}/time`, info)
    if (info.kind === 'trigger' && ok('changeStageAs')) this.checkChangeStageAs(node as TriggerNode, path)
    if (ok('settings')) {
      this.walkSettings(entry.settings, node.settings, `${path}/settings`, info, true, node.settings)
      this.checkTypeSpecific(info)
    }
  }

  /** Whether the settings of a node passed the schema, so that catalog functions may read them. */
  private settingsOk(node: FlowNode): boolean {
    return !this.broken.nodeObjects.has(node) && !this.broken.nodeParts.get(node)?.has('settings')
  }

  private checkChangeStageAs(trigger: TriggerNode, path: string): void {
    const as = trigger.changeStageAs
    if (as.mode === 'user' && as.user.trim() === '') {
      this.add(
        'error',
        'setting-empty',
        `${path}/changeStageAs/user`,
        `"${trigger.title}" changes the stage as a user, but no user is chosen.`,
        'Pick the user, or change the stage as the responsible person.',
        { title: trigger.title },
        'changeStageAs',
      )
    }
  }

  private checkTime(rule: RuleNode, path: string, site: NodeInfo): void {
    const time = rule.time
    if (time.mode === 'relative') {
      const field = this.resolveFieldPath(time.field, `${path}/field`)
      if (field && !DATES.has(field.type)) {
        this.add(
          'error',
          'date-offset-on-non-date',
          `${path}/field`,
          `"${field.label}" is ${a(field.type)}, not a date, so a time relative to it means nothing.`,
          'Pick a date field (e.g. closeDate) or use a delay instead.',
          { field: field.label, fieldPath: field.path, type: field.type },
        )
      }
    } else if (time.mode === 'at') {
      this.checkValue(time.at, 'datetime', `${path}/at`, site, true)
    }
  }

  private checkCondition(group: ConditionGroup, path: string, site: NodeInfo): void {
    group.items.forEach((item, i) => {
      const itemPath = `${path}/items/${i}`
      if ('match' in item) this.checkCondition(item, itemPath, site)
      else this.checkRow(item, itemPath, site)
    })
  }

  private checkRow(row: ConditionRow, path: string, site: NodeInfo): void {
    const left = this.checkValue(row.left, 'any', `${path}/left`, site, false)
    const [min, max] = OPERATOR_ARITY[row.op]
    if (row.values.length < min || row.values.length > max) {
      const takes = min === max ? `${min}` : `${min} or more`
      this.add(
        'error',
        'operand-count',
        `${path}/values`,
        `"${row.op}" takes ${takes} value${max === 1 ? '' : 's'}; ${row.values.length} given.`,
        min === 0
          ? `Remove the values: "${row.op}" compares with nothing.`
          : row.op === 'between'
            ? 'Give the lower and the upper bound.'
            : `Give ${min === max ? 'exactly' : 'at least'} ${min}.`,
        { op: row.op, count: min, given: row.values.length },
        min === 0 ? 'none' : row.op === 'between' ? 'between' : min === max ? 'exact' : 'atLeast',
      )
    }
    if (!left) return
    if (!operatorFits(row.op, left)) {
      this.add(
        'error',
        'operator-not-applicable',
        `${path}/op`,
        `"${row.op}" does not apply to ${a(left.type)}.`,
        `For ${a(left.type)} use: ${OPERATORS.filter((op) => operatorFits(op, left)).join(', ')}.`,
        { op: row.op, type: left.type, ops: OPERATORS.filter((op) => operatorFits(op, left)) },
      )
      return
    }
    const type = operandType(row.op, left)
    const lists = row.op === 'in' || row.op === 'notIn'
    row.values.forEach((value, i) => {
      this.checkValue(value, type, `${path}/values/${i}`, site, true, lists)
    })
  }

  /**
   * Walks a setting alongside its schema: value slots are type-checked, reference strings
   * resolved, required settings checked for emptiness. Returns nothing; adds findings.
   */
  private walkSettings(
    schema: unknown,
    data: unknown,
    path: string,
    site: NodeInfo,
    required: boolean,
    parent: unknown,
  ): void {
    if (typeof schema !== 'object' || schema === null) return
    const s = schema as Record<string, unknown>
    if (s.$ref === '#/$defs/value') {
      const from = s[ANNOTATIONS.typeFrom]
      if (from === 'field' || from === 'variable') {
        const target = this.siblingType(parent, from)
        this.checkValue(data as Value, target?.type ?? 'any', path, site, required, target?.multiple ?? true)
      } else {
        this.checkValue(data as Value, (s[ANNOTATIONS.type] as SlotType | undefined) ?? 'any', path, site, required)
      }
      return
    }
    if (s.$ref === '#/$defs/conditionGroup') {
      this.checkCondition(data as ConditionGroup, path, site)
      return
    }
    const refKind = s[ANNOTATIONS.ref] as RefKind | undefined
    if (typeof data === 'string') {
      if (data.trim() === '' && (required || s[ANNOTATIONS.required])) {
        this.emptySetting(path, site)
        return
      }
      if (refKind && data !== '') this.checkRefString(refKind, data, path)
      return
    }
    if (Array.isArray(data)) {
      if (data.length === 0 && s[ANNOTATIONS.required]) {
        this.emptySetting(path, site)
        return
      }
      data.forEach((item, i) => {
        this.walkSettings(s.items, item, `${path}/${i}`, site, true, data)
      })
      return
    }
    if (typeof data === 'object' && data !== null) {
      const record = data as Record<string, unknown>
      let properties = s.properties as Record<string, unknown> | undefined
      const requiredKeys = new Set((s.required as string[] | undefined) ?? [])
      if (Array.isArray(s.allOf)) {
        // a Discriminated union: find the variant the data chose
        for (const branch of s.allOf as Array<{
          if?: { properties?: Record<string, { const?: unknown }> }
          then?: TObject
        }>) {
          const cond = branch.if?.properties
          if (!cond || !branch.then) continue
          const matches = Object.entries(cond).every(([k, v]) => record[k] === v.const)
          if (matches) {
            properties = branch.then.properties as Record<string, unknown>
            for (const r of (branch.then.required as string[] | undefined) ?? []) requiredKeys.add(r)
          }
        }
      }
      if (!properties) return
      for (const [key, sub] of Object.entries(properties)) {
        if (!Object.hasOwn(record, key)) continue
        this.walkSettings(sub, record[key], `${path}/${key}`, site, requiredKeys.has(key), record)
      }
    }
  }

  private siblingType(parent: unknown, sibling: 'field' | 'variable'): ValueInfo | undefined {
    if (typeof parent !== 'object' || parent === null) return undefined
    const name = (parent as Record<string, unknown>)[sibling]
    if (typeof name !== 'string') return undefined
    const target = sibling === 'variable' ? this.variables.get(name) : this.fields.get(name)
    return target ? { type: target.type, multiple: target.multiple ?? false } : undefined
  }

  private emptySetting(path: string, site: NodeInfo): void {
    // ".../settings/checklist/1" reads "item 2 of checklist"
    const segments = path.split('/')
    const last = segments.at(-1) ?? ''
    const item = /^\d+$/.test(last)
    const what = item ? `item ${Number(last) + 1} of "${segments.at(-2)}"` : `"${last}"`
    this.add(
      'error',
      'setting-empty',
      path,
      `"${site.node.title}" needs ${what}, which is empty.`,
      'Type a value, or pick a constant, variable, field or earlier output with "…".',
      item
        ? { title: site.node.title, setting: segments.at(-2) ?? '', position: Number(last) + 1 }
        : { title: site.node.title, setting: last },
      item ? 'item' : 'setting',
    )
  }

  private checkRefString(kind: RefKind, value: string, path: string): void {
    switch (kind) {
      case 'stage':
        if (!this.stages.has(value)) {
          const guess = suggest(value, this.stages.keys())
          this.add(
            'error',
            'dangling-stage',
            path,
            `There is no stage "${value}" in the pipeline.`,
            `${guess.text}Stages: ${[...this.stages.keys()].join(', ')}.`,
            { stage: value, stages: [...this.stages.keys()], ...guess.params },
          )
        }
        return
      case 'variable':
        if (!this.variables.has(value) && !this.broken.variables.has(value)) this.unknown('variable', value, path)
        return
      case 'field':
      case 'dateField':
        this.resolveFieldPath(value, path)
        return
      case 'template':
      case 'user':
        // Templates and users live on the server; the runtime checks them when the flow is published.
        return
    }
  }

  private unknown(kind: 'constant' | 'variable', id: string, path: string): void {
    const pool = kind === 'constant' ? this.constants : this.variables
    const guess = suggest(id, pool.keys())
    this.add(
      'error',
      kind === 'constant' ? 'unknown-constant' : 'unknown-variable',
      path,
      `No ${kind} "${id}" is declared.`,
      `${guess.text}Declare it under "${kind}s", or pick an existing one.`,
      { id, ...guess.params },
    )
  }

  private resolveFieldPath(path: string, at: string): FieldDef | undefined {
    const field = this.fields.get(path)
    if (field) return field
    if (path.startsWith('custom.') && this.broken.fields.has(path.slice('custom.'.length))) return undefined
    const custom = path.startsWith('custom.')
    const guess = custom ? { text: '', params: {} } : suggest(path, this.fields.keys())
    this.add(
      'error',
      'unknown-field',
      at,
      `A ${ELEMENT_WORDS[this.graph.elementType]} has no field "${path}".`,
      custom
        ? `Declare the custom field under "fields" (id "${path.slice(7)}") so the flow can rely on it.`
        : `${guess.text}Custom fields are written "custom.<id>" and declared under "fields".`,
      { elementType: this.graph.elementType, path, ...(custom ? { id: path.slice(7) } : guess.params) },
      custom ? 'custom' : 'other',
    )
    return undefined
  }

  /**
   * Checks one value against the type its slot expects; returns the value's own type
   * when it is known.
   */
  /**
   * Checks one value against the type its slot expects and returns what it is, when known.
   * `list` says whether the slot takes a list (a multi-value field, the operands of "in").
   */
  private checkValue(
    value: Value,
    expected: SlotType,
    path: string,
    site: NodeInfo,
    required: boolean,
    list = expected === 'any',
  ): ValueInfo | undefined {
    let actual: ValueInfo | undefined
    switch (value.kind) {
      case 'literal': {
        const v = value.value
        const empty = (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)
        if (empty) {
          if (required) this.emptySetting(path, site)
          return undefined
        }
        if (Array.isArray(v) && !list) {
          this.add(
            'error',
            'type-mismatch',
            `${path}/value`,
            `A list of ${v.length} ${v.length === 1 ? 'value' : 'values'} cannot go into a setting that takes one value.`,
            'Give a single value.',
            { count: v.length },
            'listInSingle',
          )
          return undefined
        }
        if (expected === 'any') return undefined
        const items = Array.isArray(v) ? v : [v]
        const badIndex = items.findIndex((item) => !literalFits(item, expected))
        if (badIndex >= 0) {
          this.add(
            'error',
            'type-mismatch',
            Array.isArray(v) ? `${path}/value/${badIndex}` : `${path}/value`,
            `${JSON.stringify(items[badIndex])} is not ${a(expected)}.`,
            `Write ${a(expected)}, e.g. ${LITERAL_EXAMPLES[expected]}, or pick one with "…".`,
            { value: JSON.stringify(items[badIndex]), expected },
            'literal',
          )
        }
        return { type: expected, multiple: Array.isArray(v) }
      }
      case 'template': {
        const text = value.parts.filter((p) => typeof p === 'string').join('')
        const refs = value.parts.filter((p): p is Reference => typeof p !== 'string')
        if (required && text.trim() === '' && refs.length === 0) this.emptySetting(path, site)
        value.parts.forEach((part, i) => {
          if (typeof part !== 'string') this.checkValue(part, 'any', `${path}/parts/${i}`, site, false)
        })
        actual = { type: 'text', multiple: false }
        break
      }
      case 'constant':
      case 'variable': {
        const decl = value.kind === 'constant' ? this.constants.get(value.id) : this.variables.get(value.id)
        if (!decl) {
          const broken = value.kind === 'constant' ? this.broken.constants : this.broken.variables
          if (!broken.has(value.id)) this.unknown(value.kind, value.id, `${path}/id`)
          return undefined
        }
        actual = { type: decl.type, multiple: decl.multiple ?? false }
        break
      }
      case 'field': {
        const f = this.resolveFieldPath(value.path, `${path}/path`)
        if (!f) return undefined
        actual = { type: f.type, multiple: f.multiple }
        break
      }
      case 'output': {
        const output = this.checkOutput(value, path, site)
        if (!output) return undefined
        actual = { type: output.type, multiple: false }
        break
      }
    }
    if (expected !== 'any' && !isAssignable(actual.type, expected)) {
      this.add(
        'error',
        'type-mismatch',
        path,
        `${capital(a(actual.type))} cannot go into a setting that takes ${a(expected)}.`,
        value.kind === 'template'
          ? `A text template always makes text: pick ${a(expected)} with "…" instead.`
          : `Pick ${a(expected)} instead, or convert it first with "Calculate a value".`,
        { actual: actual.type, expected },
        value.kind === 'template' ? 'template' : 'reference',
      )
    }
    return actual
  }

  /** The type of a value, without reporting anything (it is checked where it stands). */
  private typeOf(value: Value): ValueInfo | undefined {
    switch (value.kind) {
      case 'literal':
      case 'template':
        return undefined
      case 'constant':
      case 'variable': {
        const decl = value.kind === 'constant' ? this.constants.get(value.id) : this.variables.get(value.id)
        return decl ? { type: decl.type, multiple: decl.multiple ?? false } : undefined
      }
      case 'field': {
        const f = this.fields.get(value.path)
        return f ? { type: f.type, multiple: f.multiple } : undefined
      }
      case 'output': {
        const source = this.nodes.get(value.node)
        if (source?.entry?.kind !== 'rule' || !this.settingsOk(source.node)) return undefined
        const output = source.entry.outputs(source.node.settings as never).find((o) => o.name === value.output)
        return output ? { type: output.type, multiple: false } : undefined
      }
    }
  }

  private checkOutput(
    ref: Extract<Reference, { kind: 'output' }>,
    path: string,
    site: NodeInfo,
  ): OutputDef | undefined {
    const source = this.nodes.get(ref.node)
    if (!source) {
      if (!this.broken.nodes.has(ref.node)) {
        const guess = suggest(
          ref.node,
          [...this.nodes.values()].filter((n) => n.kind === 'rule').map((n) => n.node.id),
        )
        this.add(
          'error',
          'unknown-node',
          `${path}/node`,
          `No rule has the id "${ref.node}".`,
          `${guess.text}Pick the output with "…" so that the id is right.`,
          { id: ref.node, ...guess.params },
        )
      }
      return undefined
    }
    if (!this.settingsOk(source.node) || !source.entry) return undefined
    if (source.entry.kind !== 'rule') {
      this.add(
        'error',
        'unknown-output',
        `${path}/node`,
        `"${source.node.title}" is a trigger; triggers have no outputs.`,
        'Pick an output of a rule.',
        { title: source.node.title },
        'trigger',
      )
      return undefined
    }
    const outputs = source.entry.outputs((source.node as RuleNode).settings as never)
    const output = outputs.find((o) => o.name === ref.output)
    if (!output) {
      const guess = suggest(
        ref.output,
        outputs.map((o) => o.name),
      )
      this.add(
        'error',
        'unknown-output',
        `${path}/output`,
        `"${source.node.title}" has no output "${ref.output}".`,
        outputs.length
          ? `${guess.text}Its outputs: ${outputs.map((o) => o.name).join(', ')}.`
          : `"${source.entry.label}" produces no outputs.`,
        outputs.length
          ? { title: source.node.title, output: ref.output, outputs: outputs.map((o) => o.name), ...guess.params }
          : { title: source.node.title, output: ref.output, nodeType: source.node.type },
        outputs.length ? 'missing' : 'none',
      )
      return undefined
    }
    const user = site
    const before = user.kind === 'rule' ? this.certainlyBefore(user) : []
    if (!before.includes(source)) {
      const [why, hint, variant, stage] = this.whyNotBefore(user, source)
      this.add(
        'error',
        'output-not-before',
        path,
        `"${user.node.title}" uses "${ref.output}" of "${source.node.title}", but ${why}.`,
        hint,
        {
          user: user.node.title,
          output: ref.output,
          source: source.node.title,
          ...(stage === undefined ? {} : { stage }),
        },
        variant,
      )
      return output
    }
    if (source.node.condition && JSON.stringify(source.node.condition) !== JSON.stringify(user.node.condition)) {
      this.add(
        'warning',
        'output-conditional',
        path,
        `"${source.node.title}" runs only when its condition holds; when it is skipped, "${ref.output}" is empty.`,
        'Give this rule the same condition, or make sure the value may be empty.',
        { source: source.node.title, output: ref.output },
      )
    }
    if (ref.output === 'pdf' && source.node.type === 'createDocument' && !source.node.settings.waitForPdf) {
      this.add(
        'warning',
        'pdf-not-awaited',
        path,
        `"${source.node.title}" does not wait for the PDF, so it may not exist yet when "${user.node.title}" runs.`,
        'Turn on "wait for PDF" in the create-document rule.',
        { source: source.node.title, user: user.node.title },
      )
    }
    return output
  }

  /**
   * Why `source` has not certainly finished when `user` runs, what to do about it, the name of that wording
   * and the other stage's name (when it stands on another).
   */
  private whyNotBefore(user: NodeInfo, source: NodeInfo): [string, string, string, string?] {
    const chain =
      'Put the producing rule earlier on the same stage, with every rule from it to this one set to "after the previous rule".'
    if (user.kind === 'trigger') {
      return [
        'triggers fire on events, before any rule of their stage runs',
        'Use an element field in the trigger (e.g. lastDocument.type) instead of a rule output.',
        'trigger',
      ]
    }
    if (source === user) return ['a rule cannot use its own output', 'Use the output in a later rule.', 'self']
    if (source.stageIndex !== user.stageIndex) {
      const stage = this.graph.pipeline.stages[source.stageIndex]?.name
      return [
        `it stands on another stage ("${stage}"), and the element may enter this one without passing there`,
        `${chain} To carry a value across stages, store it with "Set variable" or "Modify fields".`,
        'otherStage',
        String(stage),
      ]
    }
    if (source.index > user.index) return ['it comes later in the stage', chain, 'later']
    if (source.node.disabled) return ['it is disabled', 'Enable it, or pick another value.', 'disabled']
    if ((user.node as RuleNode).execution === 'parallel') {
      return [
        'this rule runs in parallel, at stage entry, without waiting for earlier rules',
        'Set this rule to "after the previous rule".',
        'parallel',
      ]
    }
    return ['a rule between them runs in parallel, so the order is not certain', chain, 'between']
  }

  /** The rules that have certainly finished when `info` starts: the unbroken "after previous" chain before it. */
  private certainlyBefore(info: NodeInfo): NodeInfo[] {
    const rules = this.graph.pipeline.stages[info.stageIndex]?.rules ?? []
    const out: NodeInfo[] = []
    for (let k = info.index; k > 0 && rules[k]?.execution === 'afterPrevious'; k--) {
      const previous = rules[k - 1]
      const prevInfo = isObject(previous) ? this.nodes.get(previous.id) : undefined
      if (!prevInfo || prevInfo.node !== previous) break
      if (!previous?.disabled) out.push(prevInfo)
    }
    return out
  }

  private checkTypeSpecific(info: NodeInfo): void {
    const node = info.node
    const settingsPath = `${info.path}/settings`
    switch (node.type) {
      case 'calculate': {
        if (node.settings.formula.trim() === '') return
        this.formulaEnv ??= createFormulaEnvironment({
          fields: [...this.fields.values()].map((f) => [f.path, f.type, f.multiple] as [string, ValueType, boolean]),
          constants: [...this.constants.values()].map(
            (c) => [c.id, c.type, c.multiple ?? false] as [string, ValueType, boolean],
          ),
          variables: [...this.variables.values()].map(
            (v) => [v.id, v.type, v.multiple ?? false] as [string, ValueType, boolean],
          ),
        })
        const problem = checkFormula(this.formulaEnv, node.settings.formula, node.settings.resultType)
        if (problem) {
          this.add(
            'error',
            'formula-invalid',
            `${settingsPath}/formula`,
            `The formula does not work: ${problem.message}.`,
            'Formulas are CEL: element.amount * 1.23, constants.vat, variables.total, outputs["rule-id"].result.',
            { detail: problem.message },
          )
        }
        if (node.settings.variable !== undefined) {
          const target = this.variables.get(node.settings.variable)
          if (target && !isAssignable(node.settings.resultType, target.type)) {
            this.add(
              'error',
              'type-mismatch',
              `${settingsPath}/variable`,
              `The result is ${a(node.settings.resultType)}, but "${target.name}" holds ${a(target.type)}.`,
              'Change the result type or store it in another variable.',
              { actual: node.settings.resultType, name: target.name, expected: target.type },
              'calculateVariable',
            )
          }
        }
        return
      }
      case 'modifyFields':
        node.settings.values.forEach((row, i) => {
          const field = this.fields.get(row.field)
          if (field && !field.writable) {
            this.add(
              'error',
              'field-read-only',
              `${settingsPath}/values/${i}/field`,
              `"${field.label}" cannot be changed by a rule.`,
              field.group === 'myCompany'
                ? 'My company is edited in the settings, not by rules.'
                : field.path === 'stage'
                  ? 'Use the "Change stage" rule to move the element.'
                  : 'Pick a field that people can edit.',
              { field: field.label, fieldPath: field.path },
              field.group === 'myCompany' ? 'myCompany' : field.path === 'stage' ? 'stage' : 'other',
            )
          }
          if (row.mode === 'append' && field && !field.multiple) {
            this.add(
              'error',
              'type-mismatch',
              `${settingsPath}/values/${i}/mode`,
              `"${field.label}" holds one value; only multi-value fields can be appended to.`,
              'Use "set".',
              { field: field.label, fieldPath: field.path },
              'appendSingle',
            )
          }
        })
        return
      case 'changeStage':
        if (node.settings.stage !== '' && node.settings.stage === this.graph.pipeline.stages[info.stageIndex]?.id) {
          this.add(
            'warning',
            'possible-loop',
            `${settingsPath}/stage`,
            `"${node.title}" moves the element to the stage it is already on, which runs this stage's rules again.`,
            'Pick another stage.',
            { title: node.title },
            'sameStage',
          )
        }
        return
      case 'fieldChanged': {
        // `to` itself was checked by the settings walk; here only against the watched fields.
        const to = node.settings.to
        if (!to) return
        const toType = this.typeOf(to)
        for (const path of node.settings.fields) {
          const field = this.fields.get(path)
          if (!field) continue
          const fits =
            to.kind === 'literal'
              ? (Array.isArray(to.value) ? to.value : [to.value]).every((v) => literalFits(v, field.type))
              : to.kind === 'template'
                ? field.type === 'text'
                : !toType || isAssignable(toType.type, field.type)
          if (!fits) {
            this.add(
              'error',
              'type-mismatch',
              `${settingsPath}/to`,
              `"${field.label}" is ${a(field.type)}, so it can never change to this value.`,
              `Give ${a(field.type)}, or watch another field.`,
              { field: field.label, fieldPath: field.path, type: field.type },
              'fieldChangedTo',
            )
            return
          }
        }
        return
      }
      case 'createDocument':
      case 'sendDocumentForSigning':
      case 'changeRequisites':
      case 'getRequisites':
      case 'sendEmail':
      case 'sendSms':
      case 'sendDocumentLink':
      case 'addNotification':
      case 'createTask':
      case 'notifySupervisor':
      case 'changeResponsible':
      case 'wait':
      case 'setVariable':
      case 'writeToLog':
      case 'signedByCompany':
      case 'signedByClient':
      case 'signedByAll':
      case 'documentViewed':
      case 'signingRefused':
      case 'signingExpired':
      case 'documentCreated':
      case 'responsibleChanged':
      case 'webhook':
      case 'invoicePaid':
        // Their settings are fully covered by the schema-directed walk.
        return
      default: {
        const unhandled: never = node
        throw new Error(`no semantic check for ${JSON.stringify(unhandled)}`)
      }
    }
  }

  // ------------------------------------------------------------ designer data

  /** Designer data may be schema-invalid here (it does not stop the semantic pass), so every part is checked. */
  private checkDesigner(): void {
    const designer: unknown = this.graph.designer
    if (!isObject(designer)) return
    const entries = (list: unknown) =>
      Array.isArray(list) ? list.map((item, i) => [i, isObject(item) ? item.id : undefined] as const) : []
    for (const [i, id] of entries(designer.nodes)) {
      if (typeof id === 'string' && !this.nodes.has(id) && !this.broken.nodes.has(id)) {
        this.add(
          'warning',
          'designer-dangling',
          pointer('designer', 'nodes', i, 'id'),
          `The designer keeps layout for "${id}", which is no longer in the flow.`,
          'Remove the entry; the designer drops it on the next save.',
          { id },
          'node',
        )
      }
    }
    for (const [i, id] of entries(designer.stages)) {
      if (typeof id === 'string' && !this.stages.has(id)) {
        this.add(
          'warning',
          'designer-dangling',
          pointer('designer', 'stages', i, 'id'),
          `The designer keeps layout for stage "${id}", which is not in the pipeline.`,
          'Remove the entry; the designer drops it on the next save.',
          { id },
          'stage',
        )
      }
    }
  }

  // ------------------------------------------------------------ pipeline shape

  /** Nodes that take part in automation: schema-valid and not disabled. */
  private live<T extends FlowNode>(node: T): boolean {
    if (!isObject(node) || this.broken.nodeObjects.has(node) || node.disabled === true) return false
    // The pipeline-wide checks read settings, conditions and the standard settings.
    const parts = this.broken.nodeParts.get(node)
    return (
      !parts || ![...parts].some((p) => ['settings', 'condition', 'execution', 'allowReturn', 'disabled'].includes(p))
    )
  }
  private activeRules(stage: Stage): RuleNode[] {
    return stage.rules.filter((r) => this.live(r))
  }
  private activeTriggers(stage: Stage): TriggerNode[] {
    return stage.triggers.filter((t) => this.live(t))
  }

  /**
   * Reachability from the first stage. People move elements forward through the in-progress
   * stages and close them in any final stage (not in the signing-document pipeline, where
   * documents move only by automation); triggers and "change stage" rules add their moves.
   */
  private checkReachability(): void {
    const stages = this.graph.pipeline.stages
    if (stages.length === 0) return
    const reachable = new Set<number>([0])
    const manual = this.graph.elementType !== 'signingDocument'
    let changed = true
    while (changed) {
      changed = false
      const mark = (i: number) => {
        if (i >= 0 && i < stages.length && !reachable.has(i)) {
          reachable.add(i)
          changed = true
        }
      }
      for (const i of [...reachable]) {
        const stage = stages[i]
        if (!stage) continue
        if (manual && stage.kind === 'inProgress') {
          mark(i + 1)
          stages.forEach((s, j) => {
            if (s.kind !== 'inProgress') mark(j)
          })
        }
        for (const rule of this.activeRules(stage)) {
          if (rule.type === 'changeStage') {
            const target = this.stages.get(rule.settings.stage)
            if (target) mark(target.index)
          }
        }
      }
      stages.forEach((stage, j) => {
        if (reachable.has(j)) return
        for (const trigger of this.activeTriggers(stage)) {
          if ([...reachable].some((i) => i < j || (trigger.allowReturn && i !== j))) mark(j)
        }
      })
    }
    stages.forEach((stage, i) => {
      if (reachable.has(i)) return
      this.add(
        'warning',
        'stage-unreachable',
        pointer('pipeline', 'stages', i),
        manual
          ? `No element can reach "${stage.name}": it stands after final stages, and no trigger or "change stage" rule leads there.`
          : `No document can reach "${stage.name}": no trigger or "change stage" rule leads there.`,
        'Add a trigger on it, target it with a "change stage" rule, or move it before the final stages.',
        { stage: stage.name },
        manual ? 'manual' : 'automatic',
      )
    })
  }

  private triggerEventLabel(t: TriggerNode): string {
    const label = getCatalogEntry(t.type)?.label.toLowerCase() ?? t.type
    if ('documentType' in t.settings) {
      return `${label} (${t.settings.documentType === 'any' ? 'any document' : DOCUMENT_WORDS[t.settings.documentType]})`
    }
    if (t.type === 'fieldChanged') return `${label} (${t.settings.fields.join(', ')})`
    return label
  }

  /** The parameters `triggerEventLabel` says in words: the trigger's type and its document type or fields. */
  private triggerEventParams(t: TriggerNode): FindingParams {
    if ('documentType' in t.settings) return { triggerType: t.type, documentType: t.settings.documentType }
    if (t.type === 'fieldChanged') return { triggerType: t.type, fields: t.settings.fields }
    return { triggerType: t.type }
  }

  /** Same type and condition is checked by the caller; here: do their settings pick the same events? */
  private overlaps(a: TriggerNode, b: TriggerNode): boolean {
    if (a.type === 'webhook') return false // each webhook trigger has its own URL
    if ('documentType' in a.settings && 'documentType' in b.settings) {
      const x = a.settings.documentType
      const y = b.settings.documentType
      return x === 'any' || y === 'any' || x === y
    }
    if (a.type === 'fieldChanged' && b.type === 'fieldChanged') {
      if (!a.settings.fields.some((f) => b.settings.fields.includes(f))) return false
      const ta = a.settings.to
      const tb = b.settings.to
      return !ta || !tb || JSON.stringify(ta) === JSON.stringify(tb)
    }
    return true
  }

  /**
   * Triggers of one type and one condition whose settings pick the same events compete: one
   * finding per trigger that an earlier one shadows. The pair comparisons are bounded, so a
   * hostile graph with thousands of triggers costs no more than a real one.
   */
  private checkCompetingTriggers(): void {
    const groups = new Map<string, Array<{ t: TriggerNode; stageIndex: number; index: number }>>()
    this.graph.pipeline.stages.forEach((stage, stageIndex) => {
      stage.triggers.forEach((t, index) => {
        if (!this.live(t)) return
        const key = `${t.type}\u0000${JSON.stringify(t.condition ?? null)}`
        const group = groups.get(key) ?? []
        group.push({ t, stageIndex, index })
        groups.set(key, group)
      })
    })
    let budget = 200_000
    for (const all of groups.values()) {
      for (let j = 1; j < all.length && budget > 0; j++) {
        const b = all[j]
        if (!b) continue
        for (let i = 0; i < j && budget > 0; i++, budget--) {
          const a = all[i]
          if (!a || !this.overlaps(a.t, b.t)) continue
          const stageA = this.graph.pipeline.stages[a.stageIndex]?.name
          const stageB = this.graph.pipeline.stages[b.stageIndex]?.name
          const event = this.triggerEventLabel(a.t)
          this.add(
            'warning',
            'triggers-compete',
            pointer('pipeline', 'stages', b.stageIndex, 'triggers', b.index),
            a.stageIndex === b.stageIndex
              ? `"${a.t.title}" and "${b.t.title}" on "${stageA}" both react to ${event}; one of them is redundant.`
              : `"${a.t.title}" on "${stageA}" and "${b.t.title}" on "${stageB}" both react to ${event}; when both are ahead, the nearer stage wins, so "${b.t.title}" fires only for elements already past "${stageA}".`,
            'Give one of them a condition or a specific document type, or remove one.',
            {
              first: a.t.title,
              second: b.t.title,
              stageA: String(stageA),
              stageB: String(stageB),
              ...this.triggerEventParams(a.t),
            },
            a.stageIndex === b.stageIndex ? 'sameStage' : 'otherStage',
          )
          break
        }
      }
    }
  }

  /**
   * Moves automation makes by itself: a "change stage" rule, or a rule that causes an event
   * (a document created, a field changed) that a trigger reacts to. A cycle in these moves
   * can bounce an element between stages for ever.
   */
  private checkLoops(): void {
    const stages = this.graph.pipeline.stages
    const edges = new Map<number, Set<number>>()
    const addEdge = (from: number, to: number) => {
      if (from === to) return
      let set = edges.get(from)
      if (!set) {
        set = new Set()
        edges.set(from, set)
      }
      set.add(to)
    }
    stages.forEach((stage, from) => {
      for (const rule of this.activeRules(stage)) {
        const entry = getCatalogEntry(rule.type)
        if (rule.type === 'changeStage') {
          const target = this.stages.get(rule.settings.stage)
          if (target) addEdge(from, target.index)
        }
        if (entry?.kind !== 'rule') continue
        for (const cause of entry.causes(rule.settings as never)) {
          stages.forEach((other, to) => {
            for (const trigger of this.activeTriggers(other)) {
              if (trigger.type !== cause.trigger) continue
              if (to < from && !trigger.allowReturn) continue
              if (trigger.type === 'fieldChanged' && !trigger.settings.fields.some((f) => cause.fields?.includes(f)))
                continue
              addEdge(from, to)
            }
          })
        }
      }
    })
    // Tarjan's strongly connected components; each component of two or more stages is a loop.
    let counter = 0
    const index = new Map<number, number>()
    const low = new Map<number, number>()
    const onStack = new Set<number>()
    const stack: number[] = []
    const components: number[][] = []
    const visit = (v: number) => {
      index.set(v, counter)
      low.set(v, counter)
      counter++
      stack.push(v)
      onStack.add(v)
      for (const w of edges.get(v) ?? []) {
        if (!index.has(w)) {
          visit(w)
          low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0))
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0))
      }
      if (low.get(v) === index.get(v)) {
        const component: number[] = []
        let w: number | undefined
        do {
          w = stack.pop()
          if (w === undefined) break
          onStack.delete(w)
          component.push(w)
        } while (w !== v)
        if (component.length > 1) components.push(component.sort((a, b) => a - b))
      }
    }
    for (let v = 0; v < stages.length; v++) if (!index.has(v)) visit(v)
    for (const component of components) {
      const names = component.map((i) => `"${stages[i]?.name}"`)
      const first = component[0] ?? 0
      this.add(
        'warning',
        'possible-loop',
        pointer('pipeline', 'stages', first),
        `Automation can move an element between ${names.join(', ')} and back again without anyone acting: a possible endless loop.`,
        'Give one of the triggers or "change stage" rules a condition that becomes false after the first round, or turn off "allow return".',
        { stageNames: component.map((i) => String(stages[i]?.name)) },
        'cycle',
      )
    }
  }
}
