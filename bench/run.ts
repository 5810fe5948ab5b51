/** `npm run bench`: runs every bench/*.bench.ts in its own process; each prints its JSON line last. */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv[2]
let failed = 0
for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!only || f.startsWith(only)))) {
  console.log(`\n# ${file}`)
  const run = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${file}`], { stdio: 'inherit' })
  if (run.status !== 0) failed++
}
process.exitCode = failed ? 1 : 0
