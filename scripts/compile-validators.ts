/**
 * Writes the schema validators as code (ajv standalone) to shared/validate/generated/:
 * `npx tsx scripts/compile-validators.ts` (`npm run schema` runs it). A test fails when they are stale.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { graphValidatorSource, scenarioValidatorSource } from '../shared/validate/compile.js'

const dir = fileURLToPath(new URL('../shared/validate/generated/', import.meta.url))
writeFileSync(`${dir}graph-validator.js`, graphValidatorSource())
writeFileSync(`${dir}scenario-validator.js`, scenarioValidatorSource())
console.log('wrote shared/validate/generated/graph-validator.js and scenario-validator.js')
