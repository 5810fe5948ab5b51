import { describeTimeline } from '../../shared/engine/describe.js'
import { runScenario } from '../../shared/engine/scenario.js'
import { DEFAULT_CALENDAR } from '../../shared/engine/types.js'
import { EXIT, type Io } from './main.js'
import { InputError, loadGraph, loadScenario } from './scenarios.js'

/** `signflow simulate GRAPH --scenario FILE [--json]`: plays a scenario on a graph and prints the timeline. */
export async function runSimulate(
  graphFile: string,
  options: { scenario: string; json?: boolean },
  io: Io,
): Promise<number> {
  try {
    const graph = await loadGraph(graphFile)
    const { scenario } = await loadScenario(options.scenario)
    const result = runScenario(scenario, graph)
    if (options.json) {
      io.out(
        `${JSON.stringify(
          {
            scenario: result.name,
            passed: result.passed,
            ...(result.error ? { error: result.error } : {}),
            expectations: result.expectations,
            timeline: result.timeline,
            outbox: result.simulation.outbox,
          },
          null,
          2,
        )}\n`,
      )
    } else {
      io.out(`Scenario: ${result.name}\n\n`)
      for (const line of describeTimeline(result.timeline, graph, scenario.calendar ?? DEFAULT_CALENDAR))
        io.out(`${line}\n`)
      if (result.expectations.length) io.out('\n')
      for (const e of result.expectations) io.out(`${e.passed ? '✓' : '✗'} ${e.message}\n`)
      if (result.error) io.out(`\n✗ stopped: ${result.error}\n`)
    }
    return result.passed ? EXIT.ok : EXIT.finding
  } catch (error) {
    if (error instanceof InputError) {
      io.err(`signflow: ${error.message}\n`)
      return error.message.includes('is not a valid graph') ? EXIT.finding : EXIT.misuse
    }
    throw error
  }
}
