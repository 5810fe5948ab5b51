import { describe, expect, it } from 'vitest'
import { type Migration, upgradeGraph } from '../index.js'

describe('upgradeGraph', () => {
  it('leaves a current graph as it is', () => {
    const g = { formatVersion: 1, flow: { id: 'a' } }
    const result = upgradeGraph(g)
    expect(result).toEqual({ ok: true, graph: g, from: 1 })
  })

  it('upgrades an older graph step by step with pure functions', () => {
    const renameName: Migration = (g) => ({ ...g, flow: { title: undefined, name: (g.flow as any).title } })
    const addFields: Migration = (g) => ({ ...g, fields: [] })
    const migrations = new Map([
      [1, renameName],
      [2, addFields],
    ])
    const old = { formatVersion: 1, flow: { title: 'Old' } }
    const result = upgradeGraph(old, migrations, 3)
    expect(result).toEqual({
      ok: true,
      from: 1,
      graph: { formatVersion: 3, flow: { name: 'Old', title: undefined }, fields: [] },
    })
    expect(old).toEqual({ formatVersion: 1, flow: { title: 'Old' } }) // the input is not touched
  })

  it('refuses an unknown newer version with a clear message and hint', () => {
    const result = upgradeGraph({ formatVersion: 2 })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.finding.code).toBe('format-version-unsupported')
      expect(result.finding.message).toBe('This graph uses format version 2; this Signflow reads versions up to 1.')
      expect(result.finding.hint).toMatch(/Upgrade Signflow/)
    }
  })

  it('says so when a step of the upgrade is missing', () => {
    const result = upgradeGraph({ formatVersion: 1 }, new Map(), 2)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.finding.message).toContain('from format version 1 to 2')
  })
})
