import { writeFile } from 'node:fs/promises'
import { graphSchema } from '../../shared/index.js'
import { EXIT, type Io } from './main.js'

/** The schema as published: stable two-space JSON with a final newline. */
export function schemaText(): string {
  return `${JSON.stringify(graphSchema, null, 2)}\n`
}

/** `signflow schema [--out FILE]` */
export async function runSchema(options: { out?: string }, io: Io): Promise<number> {
  if (!options.out) {
    io.out(schemaText())
    return EXIT.ok
  }
  try {
    await writeFile(options.out, schemaText())
    io.err(`Wrote ${options.out}\n`)
    return EXIT.ok
  } catch (error) {
    io.err(`signflow: cannot write ${options.out}: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT.misuse
  }
}
