/**
 * Every setting of a catalog entry, read from its JSON Schema: its path (list positions left out), its help
 * text, whether it is a list, and its choices. The catalog's texts are checked against this list
 * (`catalog-text.test.ts`), so a new setting cannot go untranslated.
 */

export interface SettingInfo {
  /** Keys from the settings' root: ["myCompany", "company"], ["values", "field"]. */
  keys: string[]
  description?: string
  list: boolean
  options: string[]
}

type Schema = Record<string, unknown>

export function catalogSettings(settings: unknown): SettingInfo[] {
  const out = new Map<string, SettingInfo>()
  const visit = (schema: unknown, keys: string[]) => {
    if (typeof schema !== 'object' || schema === null) return
    const s = schema as Schema
    if (keys.length > 0) {
      const id = keys.join('.')
      const info = out.get(id) ?? { keys, list: false, options: [] }
      if (typeof s.description === 'string') info.description = s.description
      if (s.type === 'array') info.list = true
      for (const v of (s.enum as unknown[] | undefined) ?? [])
        if (!info.options.includes(String(v))) info.options.push(String(v))
      if (s.const !== undefined && !info.options.includes(String(s.const))) info.options.push(String(s.const))
      out.set(id, info)
    }
    for (const [key, sub] of Object.entries((s.properties as Record<string, unknown> | undefined) ?? {})) {
      visit(sub, [...keys, key])
    }
    if (s.items) visit(s.items, keys)
    for (const branch of (s.allOf as Array<{ then?: unknown }> | undefined) ?? []) visit(branch.then, keys)
  }
  visit(settings, [])
  return [...out.values()]
}

/** The settings every rule or trigger has, outside the catalog (the settings panel's own). */
export const STANDARD_SETTINGS: SettingInfo[] = [
  { keys: ['title'], list: false, options: [] },
  { keys: ['execution'], list: false, options: ['afterPrevious', 'parallel'] },
  { keys: ['amount'], list: false, options: [] },
  { keys: ['unit'], list: false, options: ['minutes', 'hours', 'days', 'workDays'] },
  { keys: ['dateField'], list: false, options: [] },
  { keys: ['offset'], list: false, options: [] },
  { keys: ['at'], list: false, options: [] },
  { keys: ['allowReturn'], list: false, options: [] },
]
