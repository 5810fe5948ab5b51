#!/usr/bin/env node
// The `signflow` command. TypeScript sources run through tsx (esbuild), so the CLI needs no
// build step after `npm ci`.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('./main.ts')
process.exitCode = await main(process.argv.slice(2))
