/** The product version, read once from the repository's package.json. */
import { readFileSync } from 'node:fs'

function readVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') return pkg.version
  return '0.0.0'
}

export const VERSION: string = readVersion()
