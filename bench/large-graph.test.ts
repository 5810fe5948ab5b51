import { describe, expect, it } from 'vitest'
import { validate } from '../shared/index.js'
import { largeGraph } from './large-graph.js'

describe('the benchmark graph', () => {
  it('is a valid 40 × 15 graph, so that bench/validate measures real work', () => {
    const graph = largeGraph(40, 15)
    expect(graph.pipeline.stages).toHaveLength(40)
    expect(graph.pipeline.stages.every((s) => s.rules.length + s.triggers.length === 15)).toBe(true)
    expect(validate(graph).findings).toEqual([])
  })
})
