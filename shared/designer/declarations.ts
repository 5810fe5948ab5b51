/**
 * The flow's constants and variables as the designer's manager edits them: add (with an id minted from
 * the name), change, find where each is used, and delete — after asking, when something uses it.
 */
import type { ConstantDecl, Graph, VariableDecl } from '../graph/graph.js'
import type { Scalar } from '../graph/schema-parts.js'
import type { ValueType } from '../graph/vocabulary.js'
import { idsInUse, mintId, nodePath } from './commands.js'

export type DeclarationKind = 'constant' | 'variable'

export interface Use {
  nodeId: string
  title: string
  /** JSON path of the place, in the graph. */
  path: string
}

/** The value a fresh declaration of this type starts with. */
export function blankValue(type: ValueType): Scalar {
  switch (type) {
    case 'number':
    case 'money':
      return 0
    case 'boolean':
      return false
    default:
      return ''
  }
}

/** A variable starts empty unless it has a default; an empty text is no date, user or file. */
function setDefault(decl: VariableDecl, value: Scalar): void {
  if (value === '' && decl.type !== 'text') delete decl.default
  else decl.default = value
}

const listOf = (graph: Graph, kind: DeclarationKind): Array<ConstantDecl | VariableDecl> =>
  kind === 'constant' ? graph.constants : graph.variables

/** Every id in the graph, declarations included, so a new one never clashes. */
function takenIds(graph: Graph): Set<string> {
  const taken = idsInUse(graph)
  for (const d of [...graph.constants, ...graph.variables]) taken.add(d.id)
  return taken
}

/**
 * An id for a declaration: like a node's, but with `_` between words, so that a formula can name it
 * (`constants.VAT_rate`; `constants.VAT-rate` would read as a subtraction).
 */
function declarationId(name: string, taken: Set<string>): string {
  const base = mintId(name, new Set()).replace(/-/g, '_')
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`
  return id
}

/** Adds a constant or variable; answers its id. */
export function addDeclaration(graph: Graph, kind: DeclarationKind, name: string, type: ValueType): string {
  const id = declarationId(name, takenIds(graph))
  if (kind === 'constant') graph.constants.push({ id, name, type, value: blankValue(type) })
  else {
    graph.variables.push({ id, name, type })
    setDefault(graph.variables[graph.variables.length - 1] as VariableDecl, blankValue(type))
  }
  return id
}

/** Changes a declaration's name, type, value (constants) or default (variables), or description. */
export function changeDeclaration(
  graph: Graph,
  kind: DeclarationKind,
  id: string,
  change: { name?: string; type?: ValueType; value?: Scalar; description?: string },
): void {
  const decl = listOf(graph, kind).find((d) => d.id === id)
  if (!decl) return
  if (change.name !== undefined) decl.name = change.name
  if (change.description !== undefined) {
    if (change.description === '') delete decl.description
    else decl.description = change.description
  }
  // A new type starts from that type's blank value: "5000" is no date.
  const value = change.type !== undefined && change.type !== decl.type ? blankValue(change.type) : change.value
  if (change.type !== undefined) decl.type = change.type
  if (value !== undefined) {
    if ('value' in decl) decl.value = value
    else setDefault(decl as VariableDecl, value)
  }
}

function walk(value: unknown, path: string, visit: (v: Record<string, unknown>, path: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      walk(item, `${path}/${i}`, visit)
    })
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    visit(record, path)
    for (const [key, inner] of Object.entries(record)) walk(inner, `${path}/${key}`, visit)
  }
}

/** Whether a formula's text reads `constants.<id>` (or `variables.<id>`), and not a longer name. */
function formulaNames(text: string, kind: DeclarationKind, id: string): boolean {
  const prefix = `${kind === 'constant' ? 'constants' : 'variables'}.${id}`
  for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
    const before = text[at - 1]
    const after = text[at + prefix.length]
    if ((before === undefined || !/[\w.]/.test(before)) && (after === undefined || !/[\w-]/.test(after))) return true
  }
  return false
}

/** Where a constant or variable is read or written: each node and the JSON path of the place. */
export function usesOf(graph: Graph, kind: DeclarationKind, id: string): Use[] {
  const uses: Use[] = []
  graph.pipeline.stages.forEach((stage, stageIndex) => {
    for (const list of ['triggers', 'rules'] as const) {
      stage[list].forEach((node, index) => {
        const base = nodePath({ stage, stageIndex, list, index, node })
        walk(node, base, (record, path) => {
          if (record.kind === kind && record.id === id) uses.push({ nodeId: node.id, title: node.title, path })
          // A formula names it in its text: `constants.vat`, `variables.total`.
          for (const [key, value] of Object.entries(record)) {
            if (typeof value === 'string' && formulaNames(value, kind, id))
              uses.push({ nodeId: node.id, title: node.title, path: `${path}/${key}` })
          }
        })
        // "Set variable" and "Calculate a value" name the variable they write by its id.
        const settings = node.settings as { variable?: unknown }
        if (kind === 'variable' && settings.variable === id)
          uses.push({ nodeId: node.id, title: node.title, path: `${base}/settings/variable` })
      })
    }
  })
  return uses
}

/** Deletes a declaration (whatever uses it is left for the validator to point at). */
export function removeDeclaration(graph: Graph, kind: DeclarationKind, id: string): void {
  const list = listOf(graph, kind)
  const index = list.findIndex((d) => d.id === id)
  if (index >= 0) list.splice(index, 1)
}
