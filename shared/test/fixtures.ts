/** Loads the committed fixture graphs (tests only; uses node:fs, so it stays out of shared/index.ts). */
import { readdirSync, readFileSync } from 'node:fs'

const dir = new URL('../fixtures/', import.meta.url)

export interface BrokenCase {
  file: string
  base: string
  severity: 'error' | 'warning'
  code: string
  path: string
  why: string
}

export const fixtureNames = readdirSync(dir).filter((f) => f.endsWith('.json'))

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, dir), 'utf8')
}

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name))
}

export const brokenCases: BrokenCase[] = JSON.parse(readFileSync(new URL('broken/expected.json', dir), 'utf8'))

export function brokenText(file: string): string {
  return readFileSync(new URL(`broken/${file}`, dir), 'utf8')
}
