/**
 * The migration hook: a graph of an older format version is upgraded, step by step, by
 * pure functions; a graph of an unknown newer version is refused with a clear message.
 */
import type { Finding } from '../validate/finding.js'
import { FORMAT_VERSION } from './graph.js'

type Json = Record<string, unknown>
/** Upgrades a graph of version `n` to `n + 1`. Pure: returns a new object. */
export type Migration = (graph: Json) => Json

/** `MIGRATIONS.get(n)` upgrades version n to n + 1. Format 1 is the first, so none exist yet. */
export const MIGRATIONS: ReadonlyMap<number, Migration> = new Map()

export type UpgradeResult = { ok: true; graph: Json; from: number } | { ok: false; finding: Finding }

function refuse(code: Finding['code'], path: string, message: string, hint: string): UpgradeResult {
  return { ok: false, finding: { severity: 'error', code, path, message, hint } }
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Brings a parsed graph to the current format version.
 *
 * @example
 * upgradeGraph({ formatVersion: 2 }) // { ok: false, finding: { code: 'format-version-unsupported', … } }
 */
export function upgradeGraph(
  raw: unknown,
  migrations: ReadonlyMap<number, Migration> = MIGRATIONS,
  current: number = FORMAT_VERSION,
): UpgradeResult {
  if (!isRecord(raw)) {
    return {
      ok: false,
      finding: {
        severity: 'error',
        code: 'not-an-object',
        path: '',
        message: `A rule graph is a JSON object; this is ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : `a ${typeof raw}`}.`,
        hint: 'Export the graph from the designer, or start from a file in shared/fixtures/.',
      },
    }
  }
  const version = raw.formatVersion
  if (version === undefined) {
    return refuse(
      'format-version-missing',
      '/formatVersion',
      'The graph has no formatVersion.',
      `Add "formatVersion": ${current} at the top of the document.`,
    )
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return refuse(
      'format-version-invalid',
      '/formatVersion',
      `formatVersion must be a whole number from 1; it is ${JSON.stringify(version)}.`,
      `Use "formatVersion": ${current}.`,
    )
  }
  if (version > current) {
    return refuse(
      'format-version-unsupported',
      '/formatVersion',
      `This graph uses format version ${version}; this Signflow reads versions up to ${current}.`,
      'Upgrade Signflow to open it, or export the flow again from the Signflow that made it.',
    )
  }
  let graph = raw
  for (let v = version; v < current; v++) {
    const step = migrations.get(v)
    if (!step) {
      return refuse(
        'format-version-unsupported',
        '/formatVersion',
        `No upgrade from format version ${v} to ${v + 1} is known.`,
        'Export the flow again with a Signflow that knows this version.',
      )
    }
    graph = { ...step(graph), formatVersion: v + 1 }
  }
  return { ok: true, graph, from: version }
}
