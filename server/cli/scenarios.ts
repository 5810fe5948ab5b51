/** Reading graphs and scenario files for `simulate` and `test`, with errors a person can act on. */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { type Scenario, scenarioProblems } from '../../shared/engine/scenario.js'
import { parseJson } from '../../shared/graph/io.js'
import { type Graph, importGraph } from '../../shared/index.js'

export class InputError extends Error {}

async function readText(file: string): Promise<string> {
  try {
    const text = await readFile(file, 'utf8')
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new InputError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(error)}`,
    )
  }
}

/** A graph file that passes validation (errors only; warnings do not stop a simulation). */
export async function loadGraph(file: string): Promise<Graph> {
  const result = importGraph(await readText(file))
  if (result.syntaxError) {
    throw new InputError(
      `${file}:${result.syntaxError.line}:${result.syntaxError.column}: not JSON: ${result.syntaxError.message}`,
    )
  }
  if (!result.valid || !result.graph) {
    const errors = result.findings.filter((f) => f.severity === 'error')
    throw new InputError(
      `${file} is not a valid graph (${errors.length} error${errors.length === 1 ? '' : 's'}; run \`signflow validate ${file}\`):\n${errors
        .slice(0, 5)
        .map((f) => `  ${f.path}  ${f.code}  ${f.message}`)
        .join('\n')}`,
    )
  }
  return result.graph
}

export async function loadScenario(file: string): Promise<{ scenario: Scenario; graphFile: string }> {
  const parsed = parseJson(await readText(file))
  if (!parsed.ok)
    throw new InputError(`${file}:${parsed.error.line}:${parsed.error.column}: not JSON: ${parsed.error.message}`)
  const problems = scenarioProblems(parsed.value)
  if (problems.length)
    throw new InputError(`${file} is not a valid scenario:\n${problems.map((p) => `  ${p}`).join('\n')}`)
  const scenario = parsed.value as Scenario
  return { scenario, graphFile: resolve(dirname(file), scenario.graph) }
}
