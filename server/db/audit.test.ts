import type { Kysely } from 'kysely'
import { beforeEach, expect, it } from 'vitest'
import { main } from '../cli/main.js'
import { GENESIS_HASH, verifyAuditChain, writeAudit } from './audit.js'
import type { Database } from './schema.js'
import { describeEachDatabase } from './test-support.js'

const AT = '2026-11-23T09:00:00.000Z'

/** Six changes, each in its own transaction, as the API writes them. */
async function sixChanges(db: Kysely<Database>) {
  for (let i = 1; i <= 6; i++) {
    await db
      .transaction()
      .execute((trx) =>
        writeAudit(
          trx,
          { id: i % 2 ? 'u-anna' : 'engine', ip: '203.0.113.7', userAgent: 'test' },
          { action: 'element.moved', target: `element:deal-${i}`, detail: { stage: `s${i}` } },
          AT,
        ),
      )
  }
}

const rowBySeq = (db: Kysely<Database>, seq: number) =>
  db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow()

/** Runs `signflow audit verify --database <target> --json` and returns its exit code and report. */
async function cli(target: string) {
  let out = ''
  const code = await main(['audit', 'verify', '--database', target, '--json'], {
    out: (t) => {
      out += t
    },
    err: () => undefined,
    readStdin: async () => '',
  })
  return { code, report: JSON.parse(out) }
}

describeEachDatabase('the audit chain', (getDb, _dialect, getTarget) => {
  let db: Kysely<Database>

  beforeEach(async () => {
    db = getDb()
    await db.deleteFrom('audit_log').execute()
    await db.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH }).where('id', '=', 1).execute()
    await sixChanges(db)
  })

  it('links each row to the one before; the chain holds and the CLI says so', async () => {
    const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').execute()
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6])
    expect(rows[0]?.prev_hash).toBe(GENESIS_HASH)
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash)
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 6, headSeq: 6 })
    expect(await cli(getTarget())).toEqual({ code: 0, report: { ok: true, rows: 6, headSeq: 6 } })
  })

  it('finds an edited row', async () => {
    const row = await rowBySeq(db, 3)
    await db
      .updateTable('audit_log')
      .set({ detail: row.detail.replace('s3', 'won') })
      .where('id', '=', row.id)
      .execute()
    const report = await verifyAuditChain(db)
    expect(report.problem).toMatchObject({ kind: 'edited', seq: 3, id: Number(row.id) })
    const { code, report: printed } = await cli(getTarget())
    expect(code).toBe(1)
    expect(printed.problem.message).toMatch(/row 3 .* was edited/)
  })

  it('finds an edited row whose hash was recomputed, at the row after it', async () => {
    const row = await rowBySeq(db, 3)
    const { auditRowHash } = await import('./audit.js')
    const detail = row.detail.replace('s3', 'won')
    const hash = auditRowHash({ ...row, seq: 3, detail })
    await db.updateTable('audit_log').set({ detail, hash }).where('id', '=', row.id).execute()
    expect((await verifyAuditChain(db)).problem).toMatchObject({ kind: 'edited', seq: 3 })
  })

  it('finds a deleted row, inside the chain and at its end', async () => {
    await db.deleteFrom('audit_log').where('seq', '=', 4).execute()
    expect((await verifyAuditChain(db)).problem).toMatchObject({ kind: 'deleted', seq: 4 })
    expect((await cli(getTarget())).code).toBe(1)
    // Again, and this time the newest row goes.
    await db.deleteFrom('audit_log').execute()
    await db.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH }).where('id', '=', 1).execute()
    await sixChanges(db)
    await db.deleteFrom('audit_log').where('seq', '=', 6).execute()
    expect((await verifyAuditChain(db)).problem).toMatchObject({
      kind: 'deleted',
      seq: 6,
      message: expect.stringMatching(/missing \(deleted from the end\)/),
    })
  })

  it('finds reordered rows', async () => {
    // Rows 3 and 4 trade places in the table's order (their ids), each keeping its content.
    const [three, four] = [await rowBySeq(db, 3), await rowBySeq(db, 4)]
    const spare = 1_000_000
    await db
      .updateTable('audit_log')
      .set({ id: spare } as never)
      .where('id', '=', three.id)
      .execute()
    await db
      .updateTable('audit_log')
      .set({ id: three.id } as never)
      .where('id', '=', four.id)
      .execute()
    await db
      .updateTable('audit_log')
      .set({ id: four.id } as never)
      .where('id', '=', spare)
      .execute()
    expect((await verifyAuditChain(db)).problem).toMatchObject({ kind: 'reordered', seq: 4 })
    expect((await cli(getTarget())).report.problem.kind).toBe('reordered')
  })

  it('never forks when many changes are written at once', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db
          .transaction()
          .execute((trx) => writeAudit(trx, { id: 'api' }, { action: 'user.updated', target: `user:u${i}` }, AT)),
      ),
    )
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 46, headSeq: 46 })
  })
})
