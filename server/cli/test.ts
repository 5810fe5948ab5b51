import { relative } from 'node:path'
import { SingleBar } from 'cli-progress'
import { glob } from 'tinyglobby'
import { runScenario } from '../../shared/engine/scenario.js'
import { EXIT, type Io } from './main.js'
import { InputError, loadGraph, loadScenario } from './scenarios.js'

/** `signflow test [GLOB…]`: runs scenario files as regression tests. */
export async function runTests(
  patterns: string[],
  options: { json?: boolean },
  io: Io & { isTty?: boolean },
): Promise<number> {
  const files = await glob(patterns.length ? patterns : ['**/*.scenario.json'], {
    ignore: ['**/node_modules/**', '**/dist/**'],
    absolute: true,
  })
  files.sort()
  if (files.length === 0) {
    io.err(`signflow: no scenario files match ${patterns.join(' ') || '**/*.scenario.json'}\n`)
    return EXIT.misuse
  }
  const bar =
    io.isTty && files.length > 5 && !options.json
      ? new SingleBar({ clearOnComplete: true, format: ' {bar} {value}/{total} scenarios' })
      : undefined
  bar?.start(files.length, 0)
  const results: Array<{ file: string; name: string; passed: boolean; failures: string[] }> = []
  for (const file of files) {
    const shown = relative(process.cwd(), file)
    try {
      const { scenario, graphFile } = await loadScenario(file)
      const graph = await loadGraph(graphFile)
      const result = runScenario(scenario, graph)
      results.push({
        file: shown,
        name: result.name,
        passed: result.passed,
        failures: [
          ...result.expectations.filter((e) => !e.passed).map((e) => `step ${e.step + 1}: ${e.message}`),
          ...(result.error ? [`stopped: ${result.error}`] : []),
        ],
      })
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      results.push({ file: shown, name: shown, passed: false, failures: [error.message] })
    }
    bar?.increment()
  }
  bar?.stop()
  const passed = results.filter((r) => r.passed).length
  const failed = results.length - passed
  if (options.json) io.out(`${JSON.stringify({ passed, failed, results }, null, 2)}\n`)
  else {
    for (const r of results) {
      io.out(`${r.passed ? '✓' : '✗'} ${r.name}  (${r.file})\n`)
      for (const f of r.failures) io.out(`    ${f}\n`)
    }
    io.out(`${passed} passed, ${failed} failed\n`)
  }
  return failed ? EXIT.finding : EXIT.ok
}
