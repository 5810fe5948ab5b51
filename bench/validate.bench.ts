/**
 * bench/validate: `validate()` (schema + semantic checks) on a 40-stage × 15-node graph,
 * against ajv's schema pass alone on the same graph (the baseline: what checking costs
 * without the semantic checks). Reports validations per second; ratio = ours / theirs.
 */
import { Bench } from 'tinybench'
import { validate } from '../shared/index.js'
import { schemaValidator } from '../shared/validate/schema-pass.js'
import { largeGraph } from './large-graph.js'
import { printOutcome, throughputOf } from './report.js'

const graph = largeGraph(40, 15)
const nodes = graph.pipeline.stages.reduce((n, s) => n + s.rules.length + s.triggers.length, 0)
const check = validate(graph)
if (!check.valid) {
  console.error(check.findings.slice(0, 5))
  throw new Error('the benchmark graph must be valid, or the comparison means nothing')
}
const ajv = schemaValidator()
if (!ajv(graph)) throw new Error('the benchmark graph must pass the schema')

const bench = new Bench({ time: 3000, warmup: true, warmupTime: 500 })
bench.add('signflow validate (schema + semantic)', () => {
  validate(graph)
})
bench.add('ajv schema pass alone', () => {
  ajv(graph)
})
await bench.run()

console.log(`graph: ${graph.pipeline.stages.length} stages, ${nodes} nodes, ${check.findings.length} warnings`)
console.table(bench.table())
printOutcome({
  bench: 'validate',
  ours: throughputOf(bench, 'signflow validate (schema + semantic)'),
  baseline: 'ajv schema pass alone',
  theirs: throughputOf(bench, 'ajv schema pass alone'),
  unit: 'validations/s',
})
