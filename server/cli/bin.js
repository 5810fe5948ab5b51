#!/usr/bin/env node
// The `signflow` command. TypeScript sources run through tsx (esbuild), so the CLI needs no
// build step after `npm ci`.
import { register } from 'tsx/esm/api'

// `signflow validate … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw error
})

register()
const { main } = await import('./main.ts')
process.exitCode = await main(process.argv.slice(2))
