/** What every benchmark ends with: one JSON line, last, `{bench, ours, baseline, theirs, unit, ratio}`. */
import type { Bench } from 'tinybench'

/** A tinybench task's mean throughput (operations a second). */
export function throughputOf(bench: Bench, name: string): number {
  const result = bench.getTask(name)?.result as { throughput?: { mean?: number }; hz?: number } | undefined
  return result?.throughput?.mean ?? result?.hz ?? Number.NaN
}

export interface Outcome {
  bench: string
  ours: number
  baseline: string
  theirs: number
  unit: string
  /** Anything else worth keeping with the numbers (latencies, sizes). */
  extra?: Record<string, number>
}

/** Prints the result line (ratio = ours / theirs, higher is better for us). */
export function printOutcome(o: Outcome, digits = 2): void {
  const round = (x: number) => Number(x.toFixed(digits))
  console.log(
    JSON.stringify({
      bench: o.bench,
      ours: round(o.ours),
      baseline: o.baseline,
      theirs: round(o.theirs),
      unit: o.unit,
      ratio: Number((o.ours / o.theirs).toFixed(4)),
      ...o.extra,
    }),
  )
}
