import { writeFile } from 'node:fs/promises'
import { scenarioSchema } from '../../shared/engine/scenario.js'
import { graphSchema } from '../../shared/index.js'
import { EXIT, type Io } from './main.js'

/** The schema as published: stable two-space JSON with a final newline. */
export function schemaText(which: 'graph' | 'scenario' = 'graph'): string {
  return `${JSON.stringify(which === 'graph' ? graphSchema : scenarioSchema, null, 2)}\n`
}

/** `signflow schema [--out FILE]` */
export async function runSchema(options: { out?: string; scenario?: boolean }, io: Io): Promise<number> {
  const text = schemaText(options.scenario ? 'scenario' : 'graph')
  if (!options.out) {
    io.out(text)
    return EXIT.ok
  }
  try {
    await writeFile(options.out, text)
    io.err(`Wrote ${options.out}\n`)
    return EXIT.ok
  } catch (error) {
    io.err(`signflow: cannot write ${options.out}: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT.misuse
  }
}
