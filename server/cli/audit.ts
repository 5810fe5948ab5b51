import { EXIT, type Io } from './main.js'

/**
 * `signflow audit verify [--database URL|FILE] [--json]`: recomputes the audit log's hash chain and
 * names the first row that was edited, deleted or reordered. Exit 0 when it holds, 1 when not.
 */
export async function runAuditVerify(options: { database?: string; json?: boolean }, io: Io): Promise<number> {
  const { openDatabase, migrateToLatest, redact } = await import('../db/database.js')
  const { verifyAuditChain } = await import('../db/audit.js')
  const url = options.database ?? process.env.DATABASE_URL
  let opened: Awaited<ReturnType<typeof openDatabase>>
  try {
    opened = await openDatabase(url ? { url } : {})
  } catch (error) {
    io.err(`signflow audit: cannot open the database: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT.misuse
  }
  try {
    await migrateToLatest(opened.db)
    const report = await verifyAuditChain(opened.db)
    if (options.json) io.out(`${JSON.stringify(report)}\n`)
    else if (report.ok) {
      io.out(`The audit chain holds: ${report.rows} rows, from 1 to ${report.headSeq}.\n`)
    } else {
      io.out(
        `The audit chain is broken (${url?.startsWith('postgres') ? redact(url) : (url ?? 'data/signflow.sqlite')}): ${report.problem?.message}.\n`,
      )
    }
    return report.ok ? EXIT.ok : EXIT.finding
  } finally {
    await opened.close()
  }
}
