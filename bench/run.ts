/** `npm run bench`: runs every bench/*.bench.ts in its own process; each prints its JSON line last. */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv[2]
let failed = 0
for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!only || f.startsWith(only)))) {
  console.log(`\n# ${file}`)
  // A young generation of 64 MiB (V8's default tops out at 16), as a busy server would be run:
  // both sides of every benchmark allocate a lot of short-lived objects and get the same flag.
  // --expose-gc lets a benchmark start each timed run from a collected heap.
  const flags = ['--max-semi-space-size=64', '--expose-gc', '--import', 'tsx']
  const run = spawnSync(process.execPath, [...flags, `${dir}${file}`], { stdio: 'inherit' })
  if (run.status !== 0) failed++
}
process.exitCode = failed ? 1 : 0
