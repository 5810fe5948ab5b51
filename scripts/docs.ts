/**
 * Generates the reference tables of docs/format.md (the catalog and the finding codes) from the
 * code, so the documentation cannot drift: `npx tsx scripts/docs.ts --write` updates the file,
 * and a test fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import {
  type AnyEntry,
  CATEGORY_LABELS,
  ELEMENT_TYPE_LABELS,
  FINDING_CODES,
  getCatalogEntry,
  RULE_TYPES,
  TRIGGER_TYPES,
} from '../shared/index.js'

const file = new URL('../docs/format.md', import.meta.url)

function settingsOf(entry: AnyEntry): string {
  const properties = (entry.settings as { properties?: Record<string, unknown> }).properties ?? {}
  const required = new Set((entry.settings as { required?: string[] }).required ?? [])
  const names = Object.keys(properties).map((k) => (required.has(k) ? `\`${k}\`` : `\`${k}\`?`))
  return names.length ? names.join(', ') : '—'
}

function row(type: string): string {
  const e = getCatalogEntry(type)
  if (!e) throw new Error(type)
  const outputs =
    e.kind === 'rule'
      ? e
          .outputs(e.defaults as never)
          .map((o) => `\`${o.name}\``)
          .join(', ')
      : ''
  const allowed = e.allowedIn.length === 4 ? 'all' : e.allowedIn.map((t) => ELEMENT_TYPE_LABELS[t]).join(', ')
  return `| \`${type}\` | ${CATEGORY_LABELS[e.category]} | ${e.label}${e.tier === 'later' ? ' *(later)*' : ''} | ${settingsOf(e)} | ${outputs || '—'} | ${allowed} |`
}

export function catalogTables(): string {
  const head =
    '| type | category | label | settings (`?` optional) | outputs | pipelines |\n| --- | --- | --- | --- | --- | --- |'
  return ['**Rules**', '', head, ...RULE_TYPES.map(row), '', '**Triggers**', '', head, ...TRIGGER_TYPES.map(row)].join(
    '\n',
  )
}

export function codeTable(): string {
  return [
    '| code | meaning |',
    '| --- | --- |',
    ...Object.entries(FINDING_CODES).map(([c, m]) => `| \`${c}\` | ${m} |`),
  ].join('\n')
}

function replaceBlock(text: string, name: string, body: string): string {
  const begin = `<!-- ${name}:begin -->`
  const end = `<!-- ${name}:end -->`
  const a = text.indexOf(begin)
  const b = text.indexOf(end)
  if (a < 0 || b < a) throw new Error(`docs/format.md lacks the ${name} markers`)
  return `${text.slice(0, a + begin.length)}\n${body}\n${text.slice(b)}`
}

export function renderedFormatDoc(): string {
  let text = readFileSync(file, 'utf8')
  text = replaceBlock(text, 'catalog', catalogTables())
  text = replaceBlock(text, 'codes', codeTable())
  return text
}

if (process.argv.includes('--write')) {
  writeFileSync(file, renderedFormatDoc())
  console.log('updated docs/format.md')
}
