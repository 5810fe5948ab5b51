/**
 * `validate(graph)`: the JSON Schema pass plus the semantic checks, returning every finding
 * and never throwing, whatever the input.
 *
 * @example
 * const { valid, findings } = validate(JSON.parse(text))
 * for (const f of findings) console.log(f.path, f.code, f.message, f.hint)
 */
import type { Graph } from '../graph/graph.js'
import { upgradeGraph } from '../graph/migrate.js'
import { type Finding, pointerSegment } from './finding.js'
import { schemaFindings } from './schema-pass.js'
import { type Broken, SemanticChecker } from './semantic.js'

export type { Finding, FindingCode, Severity } from './finding.js'
export { FINDING_CODES, FINDING_VARIANTS } from './finding.js'

/** Deeper than any real graph (conditions nest a few levels); protects the recursive passes. */
export const MAX_DEPTH = 64
/** A graph with more findings than this is mostly noise after the first ones. */
export const MAX_FINDINGS = 500

export interface ValidationResult {
  /** No finding of severity `error`. */
  valid: boolean
  findings: Finding[]
  /** The graph in the current format version (upgraded if it was older), when it passed the schema. */
  graph?: Graph
}

/** No list in a rule graph may be this long (the schema's limits are lower). */
export const MAX_LIST = 10_000

/**
 * Looks for what would make the recursive passes slow or deep, without recursion itself:
 * nesting past `MAX_DEPTH`, or a list past `MAX_LIST` (ajv would report every item).
 */
function sizeProblem(value: unknown): Finding | undefined {
  // Paths are built only for the one finding, from parent links: most documents have none.
  interface Frame {
    node: unknown
    depth: number
    parent: Frame | undefined
    key: string
  }
  const pathOf = (frame: Frame): string => {
    const keys: string[] = []
    for (let f: Frame | undefined = frame; f?.parent; f = f.parent) keys.push(pointerSegment(f.key))
    return keys
      .reverse()
      .map((k) => `/${k}`)
      .join('')
  }
  const stack: Frame[] = [{ node: value, depth: 0, parent: undefined, key: '' }]
  while (stack.length > 0) {
    const frame = stack.pop()
    if (!frame) break
    const { node, depth } = frame
    if (depth > MAX_DEPTH) {
      return {
        severity: 'error',
        code: 'graph-too-deep',
        path: pathOf(frame),
        message: `The document nests more than ${MAX_DEPTH} levels deep; no rule graph does.`,
        hint: 'Flatten the condition groups, or check that the file is really a Signflow graph.',
        params: { max: MAX_DEPTH },
      }
    }
    if (Array.isArray(node)) {
      if (node.length > MAX_LIST) {
        return {
          severity: 'error',
          code: 'graph-too-large',
          path: pathOf(frame),
          message: `This list has ${node.length} items; no list in a rule graph may have more than ${MAX_LIST}.`,
          hint: 'Split the flow, or check that the file is really a Signflow graph.',
          params: { count: node.length, max: MAX_LIST },
        }
      }
      for (let i = 0; i < node.length; i++) {
        const child = node[i]
        if (typeof child === 'object' && child !== null)
          stack.push({ node: child, depth: depth + 1, parent: frame, key: String(i) })
      }
    } else if (typeof node === 'object' && node !== null) {
      for (const key in node) {
        if (!Object.hasOwn(node, key)) continue
        const child = (node as Record<string, unknown>)[key]
        if (typeof child === 'object' && child !== null)
          stack.push({ node: child, depth: depth + 1, parent: frame, key })
      }
    }
  }
  return undefined
}

const NODE_PATH = /^\/pipeline\/stages\/(\d+)\/(rules|triggers)\/(\d+)(?:\/([^/]*))?/
/** Schema errors here are reported but do not stop the semantic pass: nothing it reads is there. */
const HARMLESS_PATH =
  /^\/(\$schema|designer(\/.*)?|flow\/(name|description)|pipeline\/name|pipeline\/stages\/\d+\/(name|color))$/
const DECL_PATH = /^\/(constants|variables|fields)\/(\d+)(\/|$)/

function at(list: unknown, i: string): unknown {
  return Array.isArray(list) ? list[Number(i)] : undefined
}

function idOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const id = (value as { id?: unknown }).id
  return typeof id === 'string' ? id : undefined
}

function emptyBroken(): Broken {
  return {
    nodes: new Set(),
    constants: new Set(),
    variables: new Set(),
    fields: new Set(),
    nodeObjects: new Set(),
    nodeParts: new Map(),
  }
}

/**
 * Sorts schema findings into the parts they break. Returns `undefined` when the skeleton
 * itself (top level, flow, pipeline, stages) is broken: then the semantic pass cannot run.
 */
function brokenParts(graph: Record<string, unknown>, findings: Finding[]): Broken | undefined {
  const broken = emptyBroken()
  const pipeline = graph.pipeline as { stages?: unknown } | undefined
  for (const f of findings) {
    const node = NODE_PATH.exec(f.path)
    if (node) {
      const [, stageIndex = '', list = '', index = '', part = ''] = node
      const stage = at(pipeline?.stages, stageIndex) as Record<string, unknown> | undefined
      const item = at(stage?.[list], index)
      if (typeof item === 'object' && item !== null && !['', 'id', 'type'].includes(part)) {
        // Only this part of the node is broken: the rest is still checked.
        const parts = broken.nodeParts.get(item) ?? new Set<string>()
        parts.add(part)
        broken.nodeParts.set(item, parts)
        continue
      }
      broken.nodeObjects.add(item)
      const id = idOf(item)
      if (id !== undefined) broken.nodes.add(id)
      continue
    }
    const decl = DECL_PATH.exec(f.path)
    if (decl) {
      const [, kind = '', index = ''] = decl
      const id = idOf(at(graph[kind], index))
      if (id === undefined) return undefined
      const set = kind === 'constants' ? broken.constants : kind === 'variables' ? broken.variables : broken.fields
      set.add(id)
      continue
    }
    if (HARMLESS_PATH.test(f.path)) continue
    return undefined
  }
  return broken
}

/**
 * Validates a parsed rule graph (any JSON value). Older format versions are upgraded first;
 * an unknown newer version is refused with one clear finding.
 */
export function validate(input: unknown): ValidationResult {
  try {
    const tooBig = sizeProblem(input)
    if (tooBig) return { valid: false, findings: [tooBig] }
    const upgraded = upgradeGraph(input)
    if (!upgraded.ok) return { valid: false, findings: [upgraded.finding] }
    const schema = schemaFindings(upgraded.graph)
    const broken = schema.length === 0 ? emptyBroken() : brokenParts(upgraded.graph, schema)
    const graph = upgraded.graph as unknown as Graph
    const findings = broken ? [...schema, ...new SemanticChecker(graph, broken).run()] : schema
    return finish(findings, schema.length === 0 ? graph : undefined)
  } catch (error) {
    // A bug of ours must not look like a crash to the user, but must not hide either.
    return {
      valid: false,
      findings: [
        {
          severity: 'error',
          code: 'internal-error',
          path: '',
          message: `The validator failed unexpectedly: ${error instanceof Error ? error.message : String(error)}.`,
          hint: 'Please report this graph to the Signflow team.',
          params: { detail: error instanceof Error ? error.message : String(error) },
        },
      ],
    }
  }
}

function finish(findings: Finding[], graph: Graph | undefined): ValidationResult {
  const valid = !findings.some((f) => f.severity === 'error')
  let list = findings
  if (list.length > MAX_FINDINGS) {
    const total = list.length
    list = list.slice(0, MAX_FINDINGS)
    list.push({
      severity: valid ? 'warning' : 'error',
      code: 'too-many-findings',
      path: '',
      message: `${total} findings; only the first ${MAX_FINDINGS} are listed.`,
      hint: 'Fix these first; the rest often follow from them.',
      params: { count: total, max: MAX_FINDINGS },
    })
  }
  return { valid, findings: list, ...(graph ? { graph } : {}) }
}
