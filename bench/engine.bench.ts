/**
 * bench/engine: 10,000 deals, each entering the 10 stages of a pipeline in turn; every stage has
 * 5 conditional rules (set variable, calculate, send email; all "immediately"), so 500,000
 * condition evaluations plus scheduling, the "after previous" chains, variables, no-op effects
 * and the full timeline, on a virtual clock. The baseline: json-rules-engine evaluating the same
 * conditions over the same facts (one engine per stage, `run` awaited for each deal and stage).
 * Before timing, both must find the same rules true on a sample. Reports element-stages per
 * second; ratio = ours / theirs (higher is better for us).
 *
 * The timed run hands every timeline record to `onRecord`, as the runtime does (it stores them),
 * and this file tallies them there; it does not also keep all ~2.3 million in one array (the
 * simulator does, for a few deals), which would measure the garbage collector's old generation.
 */
import { Engine as RulesEngine } from 'json-rules-engine'
import { Engine } from '../shared/engine/engine.js'
import type { TimelineRecord } from '../shared/engine/types.js'
import { validate } from '../shared/index.js'
import {
  dealFacts,
  engineGraph,
  RULES,
  ruleCondition,
  STAGES,
  START,
  STEP,
  toJre,
  withinNextDays,
} from './engine-graph.js'

const ELEMENTS = Number(process.env.BENCH_ELEMENTS ?? 10_000)
/** Both sides warm up on a full run first, then each runs ROUNDS times; each reports its median. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
/** Each timed run starts from a collected heap (bench/run.ts passes --expose-gc), so no run pays for the one before. */
const collect = () => (globalThis as { gc?: () => void }).gc?.()
const SAMPLE = 200

const graph = engineGraph()
const check = validate(graph)
if (!check.valid) {
  console.error(check.findings.slice(0, 5))
  throw new Error('the benchmark graph must be valid, or the comparison means nothing')
}
const facts = Array.from({ length: Math.max(ELEMENTS, SAMPLE) }, (_, i) => dealFacts(i))

interface Tally {
  records: number
  evaluated: number
  held: number
  /** The sample keeps its records to compare them; the timed runs only count them. */
  kept?: TimelineRecord[]
}

/** Ours: the engine with a virtual clock and no-op effects; every deal enters every stage in turn. */
function runOurs(count: number, tally: Tally): void {
  let now = START
  let ids = 0
  // The sample and the timed runs use the engine the same way, so the JIT sees one shape of it.
  const engine = new Engine({
    graph,
    ports: { now: () => now, newId: (kind) => `${kind}-${++ids}`, perform: () => ({ status: 'done', outputs: {} }) },
    keepTimeline: false,
    onRecord: (r: TimelineRecord) => {
      tally.records++
      tally.kept?.push(r)
      if (r.type === 'condition.evaluated') {
        tally.evaluated++
        if (r.result) tally.held++
      }
    },
  })
  for (let i = 0; i < count; i++) {
    const id = `d${i}`
    engine.addElement({ id, stage: null, fields: facts[i] ?? {} })
    for (let s = 0; s < STAGES; s++) engine.moveToStage(id, `s${s}`, { kind: 'api' })
    now += STEP
  }
}

/** Theirs: one json-rules-engine per stage with the same five conditions, awaited per deal and stage. */
async function runTheirs(count: number, held?: Set<string>): Promise<void> {
  let now = START
  const within = withinNextDays(() => now)
  const engines = Array.from({ length: STAGES }, (_, s) => {
    const engine = new RulesEngine([], { allowUndefinedFacts: true })
    engine.addOperator('withinNextDays', within)
    for (let k = 0; k < RULES; k++) {
      const id = `s${s}-r${k}`
      engine.addRule({ name: id, conditions: toJre(ruleCondition(s, k)), event: { type: id } })
    }
    return engine
  })
  for (let i = 0; i < count; i++) {
    const f = facts[i] ?? {}
    for (const engine of engines) {
      const { events } = await engine.run(f)
      if (held) for (const event of events) held.add(`d${i}/${event.type}`)
    }
    now += STEP
  }
}

// ---------------------------------------------------------------- honesty: same answers on a sample

const sample: Tally = { records: 0, evaluated: 0, held: 0, kept: [] }
runOurs(SAMPLE, sample)
const trueOurs = new Set<string>()
const finished = new Set<string>()
let evaluatedInSample = 0
for (const r of sample.kept ?? []) {
  if (r.type === 'condition.evaluated') {
    evaluatedInSample++
    if (r.result) trueOurs.add(`${r.element}/${r.node}`)
  } else if (r.type === 'rule.finished') finished.add(`${r.element}/${r.node}`)
}
const trueTheirs = new Set<string>()
await runTheirs(SAMPLE, trueTheirs)
const diff = (a: Set<string>, b: Set<string>) => [...a].filter((x) => !b.has(x))
const ours = new Set([...trueOurs, ...finished])
const disagreements = [...diff(ours, trueTheirs), ...diff(trueTheirs, ours)]
if (disagreements.length > 0) {
  console.error(`the engines disagree on ${disagreements.length} rule(s), e.g. ${disagreements.slice(0, 5).join(', ')}`)
  process.exit(1)
}
if (diff(trueOurs, finished).length + diff(finished, trueOurs).length > 0) {
  console.error('our timeline: the rules whose condition held are not the rules that finished')
  process.exit(1)
}
const evaluations = SAMPLE * STAGES * RULES
if (evaluatedInSample !== evaluations) {
  console.error(`our timeline has ${evaluatedInSample} condition evaluations, not ${evaluations}`)
  process.exit(1)
}
const perRule = new Map<string, number>()
for (const key of trueTheirs) {
  const node = key.slice(key.indexOf('/') + 1)
  perRule.set(node, (perRule.get(node) ?? 0) + 1)
}
const shares = Array.from(
  { length: STAGES * RULES },
  (_, n) => (perRule.get(`s${Math.floor(n / RULES)}-r${n % RULES}`) ?? 0) / SAMPLE,
)
if (shares.some((x) => x === 0 || x === 1)) {
  console.error('some rule is always true or always false on the sample: the workload tests too little')
  process.exit(1)
}
const pct = (x: number) => `${Math.round(x * 100)} %`
console.log(
  `graph: ${STAGES} stages × ${RULES} rules (set variable, calculate, send email), valid, ${check.findings.length} warnings`,
)
console.log(
  `agreement on ${SAMPLE} deals × ${STAGES} stages: ${trueOurs.size} of ${evaluations} conditions true in both ` +
    `(${pct(trueOurs.size / evaluations)}; per rule ${pct(Math.min(...shares))}–${pct(Math.max(...shares))})`,
)

// ---------------------------------------------------------------- timing

runOurs(ELEMENTS, { records: 0, evaluated: 0, held: 0 })
await runTheirs(ELEMENTS)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
const oursTimes: number[] = []
const theirsTimes: number[] = []
let tally: Tally = { records: 0, evaluated: 0, held: 0 }
for (let round = 0; round < ROUNDS; round++) {
  tally = { records: 0, evaluated: 0, held: 0 }
  collect()
  const t = performance.now()
  runOurs(ELEMENTS, tally)
  oursTimes.push(performance.now() - t)
}
for (let round = 0; round < ROUNDS; round++) {
  collect()
  const t = performance.now()
  await runTheirs(ELEMENTS)
  theirsTimes.push(performance.now() - t)
}
const oursMs = median(oursTimes)
const theirsMs = median(theirsTimes)

const { records, evaluated } = tally
if (evaluated !== ELEMENTS * STAGES * RULES) {
  console.error(`the measured run evaluated ${evaluated} conditions, not ${ELEMENTS * STAGES * RULES}`)
  process.exit(1)
}
const work = ELEMENTS * STAGES
const oursRate = work / (oursMs / 1000)
const theirsRate = work / (theirsMs / 1000)
const n = (x: number) => Math.round(x).toLocaleString('en-US')
console.log(
  `ours:              ${n(work)} element-stages (${n(evaluated)} conditions, ${n(records)} timeline records) ` +
    `in ${n(oursMs)} ms = ${n(oursRate)}/s (median of ${oursTimes.map(n).join(', ')} ms)`,
)
console.log(
  `json-rules-engine: the same conditions over the same facts in ${n(theirsMs)} ms = ${n(theirsRate)}/s ` +
    `(median of ${theirsTimes.map(n).join(', ')} ms)`,
)
console.log(`ratio ours / theirs: ${(oursRate / theirsRate).toFixed(2)}`)
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
