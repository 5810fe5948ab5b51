/**
 * bench/engine: 10,000 deals through a 10-stage pipeline with 5 conditional rules per stage
 * (virtual clock, no-op effects), against json-rules-engine evaluating the same conditions over
 * the same facts. Ours does strictly more: scheduling, the "after previous" chain, variables and
 * the timeline. Reports element-stages per second; ratio = ours / theirs.
 */
import { Engine as RulesEngine } from 'json-rules-engine'
import { Engine } from '../shared/engine/engine.js'
import type { Graph, RuleNode, Stage } from '../shared/index.js'
import { validate } from '../shared/index.js'

const STAGES = 10
const RULES = 5
const ELEMENTS = Number(process.env.BENCH_ELEMENTS ?? 10_000)
const SOURCES = ['web', 'fair', 'call', 'partner']

/** Rule k of stage s: a condition over amount, source and probability, and a cheap action. */
function condition(s: number, k: number) {
  const threshold = 1000 * ((s + k) % 9)
  switch (k % 3) {
    case 0:
      return {
        left: 'amount',
        op: 'gt' as const,
        value: threshold,
        jre: { fact: 'amount', operator: 'greaterThan', value: threshold },
      }
    case 1: {
      const allowed = SOURCES.slice(0, 1 + ((s + k) % 3))
      return {
        left: 'source',
        op: 'in' as const,
        value: allowed,
        jre: { fact: 'source', operator: 'in', value: allowed },
      }
    }
    default: {
      const limit = 10 * ((s * 3 + k) % 10)
      return {
        left: 'probability',
        op: 'lte' as const,
        value: limit,
        jre: { fact: 'probability', operator: 'lessThanInclusive', value: limit },
      }
    }
  }
}

function buildGraph(): Graph {
  const stages: Stage[] = []
  for (let s = 0; s < STAGES; s++) {
    const rules: RuleNode[] = []
    for (let k = 0; k < RULES; k++) {
      const c = condition(s, k)
      rules.push({
        id: `s${s}-r${k}`,
        type: 'setVariable',
        title: `Rule ${k}`,
        execution: k % 2 === 0 ? 'afterPrevious' : 'parallel',
        time: { mode: 'immediately' },
        condition: {
          match: 'all',
          items: [
            {
              left: { kind: 'field', path: c.left },
              op: c.op,
              values: Array.isArray(c.value)
                ? c.value.map((v) => ({ kind: 'literal' as const, value: v }))
                : [{ kind: 'literal', value: c.value }],
            },
          ],
        },
        settings: { variable: 'hits', value: { kind: 'literal', value: `${s}-${k}` } },
      })
    }
    stages.push({ id: `s${s}`, name: `Stage ${s}`, color: '#1976d2', kind: 'inProgress', triggers: [], rules })
  }
  return {
    formatVersion: 1,
    flow: { id: 'bench', name: 'Bench' },
    elementType: 'deal',
    pipeline: { id: 'p', name: 'Sales', stages },
    constants: [],
    variables: [{ id: 'hits', name: 'Hits', type: 'text', default: '' }],
    fields: [],
  }
}

function facts(i: number) {
  return { amount: (i * 7919) % 10_000, source: SOURCES[i % SOURCES.length] ?? 'web', probability: (i * 37) % 101 }
}

const graph = buildGraph()
const check = validate(graph)
if (!check.valid) throw new Error(`the benchmark graph is invalid: ${JSON.stringify(check.findings.slice(0, 3))}`)

/** Ours: every element enters every stage in turn; returns the ids of rules whose condition held. */
function runOurs(count: number, collect: boolean): Set<string> {
  let now = Date.parse('2026-11-23T09:00:00Z')
  let ids = 0
  const engine = new Engine({
    graph,
    ports: { now: () => now, newId: (kind) => `${kind}-${++ids}`, perform: () => ({ status: 'done', outputs: {} }) },
  })
  for (let i = 0; i < count; i++) {
    engine.addElement({ id: `d${i}`, stage: null, fields: facts(i) })
    for (let s = 0; s < STAGES; s++) engine.moveToStage(`d${i}`, `s${s}`, { kind: 'api' })
    now += 1
  }
  const held = new Set<string>()
  if (collect) {
    for (const r of engine.timeline)
      if (r.type === 'condition.evaluated' && r.result) held.add(`${r.element}/${r.node}`)
  }
  return held
}

/** Theirs: one json-rules-engine per stage with the same five conditions, run for every element. */
async function runTheirs(count: number, collect: boolean): Promise<Set<string>> {
  const engines = Array.from({ length: STAGES }, (_, s) => {
    const e = new RulesEngine([], { allowUndefinedFacts: true })
    for (let k = 0; k < RULES; k++) {
      e.addRule({ name: `s${s}-r${k}`, conditions: { all: [condition(s, k).jre] }, event: { type: `s${s}-r${k}` } })
    }
    return e
  })
  const held = new Set<string>()
  for (let i = 0; i < count; i++) {
    const f = facts(i)
    for (const e of engines) {
      const { events } = await e.run(f)
      if (collect) for (const ev of events) held.add(`d${i}/${ev.type}`)
    }
  }
  return held
}

// Honest comparison: both must find the same rules true on a sample.
const sample = 200
const ours = runOurs(sample, true)
const theirs = await runTheirs(sample, true)
const differ = [...ours].filter((x) => !theirs.has(x)).concat([...theirs].filter((x) => !ours.has(x)))
if (differ.length > 0) {
  console.error(`the engines disagree on ${differ.length} rule(s), e.g. ${differ.slice(0, 5).join(', ')}`)
  process.exit(1)
}
console.log(
  `agreement on ${sample} elements × ${STAGES} stages: ${ours.size} of ${sample * STAGES * RULES} conditions true in both`,
)

// Warm-up, then the measured runs.
runOurs(500, false)
await runTheirs(500, false)
let t = performance.now()
runOurs(ELEMENTS, false)
const oursMs = performance.now() - t
t = performance.now()
await runTheirs(ELEMENTS, false)
const theirsMs = performance.now() - t

const work = ELEMENTS * STAGES
const oursRate = work / (oursMs / 1000)
const theirsRate = work / (theirsMs / 1000)
console.log(
  `ours:  ${ELEMENTS} elements × ${STAGES} stages × ${RULES} rules in ${oursMs.toFixed(0)} ms (with the timeline)`,
)
console.log(`json-rules-engine: the same conditions in ${theirsMs.toFixed(0)} ms`)
console.log(
  JSON.stringify({
    bench: 'engine',
    ours: Math.round(oursRate),
    baseline: 'json-rules-engine',
    theirs: Math.round(theirsRate),
    unit: 'element-stages/s',
    ratio: Number((oursRate / theirsRate).toFixed(3)),
  }),
)
