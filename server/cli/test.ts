import { relative } from 'node:path'
import { SingleBar } from 'cli-progress'
import { glob } from 'tinyglobby'
import { runScenario, type ScenarioResult } from '../../shared/engine/scenario.js'
import { EXIT, type Io } from './main.js'
import { InputError, loadGraph, loadScenario } from './scenarios.js'

/** One scenario's line: where it came from (a file, or `<flow>/scenarios/<id>` on a server), its name, what failed. */
export interface TestResult {
  file: string
  name: string
  passed: boolean
  failures: string[]
}

/** A scenario's result as `signflow test` reports it: each expectation that did not hold, and a step that stopped it. */
export function testResult(file: string, result: ScenarioResult): TestResult {
  return {
    file,
    name: result.name,
    passed: result.passed,
    failures: [
      ...result.expectations.filter((e) => !e.passed).map((e) => `step ${e.step + 1}: ${e.message}`),
      ...(result.error ? [`stopped: ${result.error}`] : []),
    ],
  }
}

/** A progress bar on a terminal for more than 5 scenarios (not with --json). */
export function progressBar(io: Io, count: number, options: { json?: boolean }): SingleBar | undefined {
  const bar =
    io.isTty && count > 5 && !options.json
      ? new SingleBar({ clearOnComplete: true, format: ' {bar} {value}/{total} scenarios' })
      : undefined
  bar?.start(count, 0)
  return bar
}

/**
 * Prints the results — one line per scenario (`✓ name  (file)` or `✗ …` with what failed under it) and
 * "N passed, N failed", or with --json `{passed, failed, results}` (and `extra`) — and answers the exit code.
 */
export function reportTests(
  results: readonly TestResult[],
  options: { json?: boolean },
  io: Io,
  extra: Record<string, unknown> = {},
): number {
  const passed = results.filter((r) => r.passed).length
  const failed = results.length - passed
  if (options.json) io.out(`${JSON.stringify({ ...extra, passed, failed, results }, null, 2)}\n`)
  else {
    for (const r of results) {
      io.out(`${r.passed ? '✓' : '✗'} ${r.name}  (${r.file})\n`)
      for (const f of r.failures) io.out(`    ${f}\n`)
    }
    io.out(`${passed} passed, ${failed} failed\n`)
  }
  return failed ? EXIT.finding : EXIT.ok
}

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
  const bar = progressBar(io, files.length, options)
  const results: TestResult[] = []
  for (const file of files) {
    const shown = relative(process.cwd(), file)
    try {
      const { scenario, graphFile } = await loadScenario(file)
      const graph = await loadGraph(graphFile)
      results.push(testResult(shown, runScenario(scenario, graph)))
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      results.push({ file: shown, name: shown, passed: false, failures: [error.message] })
    }
    bar?.increment()
  }
  bar?.stop()
  return reportTests(results, options, io)
}
