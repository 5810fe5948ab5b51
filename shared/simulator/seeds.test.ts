/**
 * "What happens to this deal?" for every seed flow: its scenario's sample and steps played in the
 * simulator; every rule and trigger gets an answer, what waits is listed, and nothing leaves the outbox.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runScenario, type Scenario } from '../engine/scenario.js'
import { DEFAULT_CALENDAR } from '../engine/types.js'
import type { Graph } from '../graph/graph.js'
import { pendingSchedule, suggestExpectations, whyNot } from './insights.js'
import { fromScenario, runSession, toScenario } from './session.js'

const dir = new URL('../fixtures/scenarios/', import.meta.url)
const files = readdirSync(dir).filter((f) => f.endsWith('.scenario.json'))

describe('the simulator on every seed flow', () => {
  it.each(files)('%s: every node explained, the expectations it offers hold', (file) => {
    const scenario = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Scenario
    const graph = JSON.parse(readFileSync(new URL(scenario.graph, dir), 'utf8')) as Graph
    const { session } = fromScenario(scenario)
    const run = runSession(graph, session)
    expect(run.error).toBeUndefined()
    const calendar = session.calendar ?? DEFAULT_CALENDAR
    const nodes = graph.pipeline.stages.flatMap((s) => [...s.triggers, ...s.rules])
    for (const element of session.elements) {
      for (const node of nodes) {
        const verdict = whyNot(graph, run.simulation, element.id, node.id, calendar)
        expect(verdict.text.length, `${node.id} for ${element.id}`).toBeGreaterThan(10)
      }
      expect(() => pendingSchedule(graph, run.simulation, [element.id], calendar)).not.toThrow()
      // What it offers to tick is true of the run it came from.
      const offered = suggestExpectations(graph, run.simulation, element.id)
      const ticked = offered.map((o) => o.expect)
      const replay = runScenario(toScenario(session, 'offered', ticked), graph)
      expect(replay.expectations).toHaveLength(offered.length)
      expect(replay.expectations.filter((e) => !e.passed).map((e) => e.message)).toEqual([])
    }
    // Effects were recorded, not sent: the simulation's outbox holds them, made up on the virtual clock.
    for (const item of run.simulation.outbox)
      expect(Date.parse(item.at)).toBeGreaterThanOrEqual(Date.parse(session.start))
  })
})
