import { expect, it } from 'vitest'
import { InsertShape, QueryShape } from './shapes.js'
import { describeEachDatabase } from './test-support.js'

describeEachDatabase('query shapes', (getDb, dialect) => {
  it('run with new values each time, the same as the query built anew', async () => {
    const db = getDb()
    await db
      .insertInto('users')
      .values([
        { id: 'u1', name: 'Anna', email: 'anna@x.test', role: 'admin', created_at: 'a' },
        { id: 'u2', name: 'Jean', email: 'jean@x.test', role: 'manager', created_at: 'a' },
      ])
      .execute()
    const rename = new QueryShape((q, name: string, role: string, id: string) =>
      q.updateTable('users').set({ name, role }).where('id', '=', id),
    )
    await rename.run(db, dialect, 'Łucja', 'signer', 'u1')
    await rename.run(db, dialect, 'Zoë', 'admin', 'u2')
    const byName = new QueryShape((q, name: string) =>
      q
        .selectFrom('users')
        .select(['id', 'role'])
        .where((eb) => eb.or([eb('name', '=', name), eb('email', '=', name)])),
    )
    // One argument in two places.
    expect((await byName.run(db, dialect, 'Łucja')).rows).toEqual([{ id: 'u1', role: 'signer' }])
    expect((await byName.run(db, dialect, 'jean@x.test')).rows).toEqual([{ id: 'u2', role: 'admin' }])
    expect((await byName.run(db, dialect, 'Zoë')).rows).toEqual([{ id: 'u2', role: 'admin' }])
  })

  it('refuses a shape whose argument changes the SQL instead of a value', async () => {
    const db = getDb()
    const bad = new QueryShape((q, column: string) => q.selectFrom('users').select(column as 'id'))
    await expect(bad.run(db, dialect, 'name')).rejects.toThrow('argument 0 does not appear among the parameters')
  })

  it('insert any number of rows, compiled once per count, the same as built anew', async () => {
    const db = getDb()
    const insert = new InsertShape('audit_log', ['at', 'actor', 'action', 'target', 'detail'], 3)
    await insert.run(db, dialect, [['t1', 'anna', 'publish', 'flow-1', '{}']])
    await insert.run(db, dialect, [
      ['t2', 'jean', 'move', 'deal-1', '{"to":"won"}'],
      ['t3', 'zoë', 'move', 'deal-2', '{"to":"lost"}'],
    ])
    await insert.run(db, dialect, [['t4', 'anna', 'publish', 'flow-2', '{}']])
    // More rows than it compiles: built the usual way.
    await insert.run(
      db,
      dialect,
      Array.from({ length: 5 }, (_, i) => [`u${i}`, 'bulk', 'import', `row-${i}`, '[]']),
    )
    await insert.run(db, dialect, [])
    const rows = await db.selectFrom('audit_log').select(['at', 'actor', 'target', 'detail']).orderBy('id').execute()
    expect(rows.map((r) => r.at)).toEqual(['t1', 't2', 't3', 't4', 'u0', 'u1', 'u2', 'u3', 'u4'])
    expect(rows[2]).toEqual({ at: 't3', actor: 'zoë', target: 'deal-2', detail: '{"to":"lost"}' })
  })
})
