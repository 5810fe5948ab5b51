import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { type RunningServer, startServer } from '../http/serve.js'
import { Runtime } from '../runtime/runtime.js'
import { graph, seed } from '../runtime/test-fixtures.js'

const bin = fileURLToPath(new URL('./bin.js', import.meta.url))

/** The real CLI, as an integrator runs it. */
function signflow(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr })
    })
  })
}

describeEachDatabase('signflow publish and event', (getDb) => {
  let db: Kysely<Database>
  let server: RunningServer
  const folder = mkdtempSync(join(tmpdir(), 'signflow-cli-remote-'))
  const file = (name: string, content: unknown) => {
    const path = join(folder, name)
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
    return path
  }

  beforeAll(async () => {
    db = getDb()
    await seed(db, 2)
    const runtime = new Runtime({ db })
    server = await startServer({ port: 0, services: { db, runtime } })
  })
  afterAll(async () => {
    await server.close()
  })

  it('publishes a graph file as the next version, and says so when nothing changed', async () => {
    const first = await signflow(['publish', file('sales.json', graph), '--server', server.url])
    expect(first).toMatchObject({ code: 0, stderr: '' })
    expect(first.stdout).toMatch(/^published sales-flow version 1 \([0-9a-f]{12}\)\n$/)
    const again = await signflow(['publish', file('sales.json', graph), '--server', server.url, '--json'])
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ flow: 'sales-flow', number: 1, created: false })
    const renamed = { ...graph, flow: { ...graph.flow, name: 'Sales, renamed' } }
    const second = await signflow(['publish', file('renamed.json', renamed), '--server', server.url])
    expect(second.stdout).toContain('published sales-flow version 2')
    const versions = await db.selectFrom('flow_versions').select('number').orderBy('number').execute()
    expect(versions.map((v) => v.number)).toEqual([1, 2])
  }, 60_000)

  it('publishes nothing from an invalid graph (exit 1, with the paths), and says when the server is away (exit 2)', async () => {
    const broken = { ...graph, pipeline: { ...graph.pipeline, stages: [] } }
    const run = await signflow(['publish', file('broken.json', broken), '--server', server.url])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('is not a valid graph, nothing was published')
    expect(run.stderr).toContain('/pipeline/stages')
    const away = await signflow(['publish', file('sales.json', graph), '--server', 'http://127.0.0.1:9'])
    expect(away.code).toBe(2)
    expect(away.stderr).toContain('cannot reach the server at http://127.0.0.1:9')
    expect(away.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    const notUrl = await signflow(['publish', file('sales.json', graph), '--server', 'ftp://x'])
    expect(notUrl).toMatchObject({ code: 2 })
  }, 60_000)

  it('sends an event: the deal moves, and the answer says where it is', async () => {
    const run = await signflow(['event', 'deal-1', 'signedByClient', '--server', server.url])
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout).toBe('deal-1 is in stage "won" (revision 1)\n')
    const unknown = await signflow(['event', 'deal-404', 'signedByClient', '--server', server.url])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('the event was refused')
    expect(unknown.stderr).toContain('404')
    const wrongType = await signflow(['event', 'deal-2', 'teleported', '--server', server.url])
    expect(wrongType.code).not.toBe(0)
    expect(wrongType.stderr).toContain('/type')
  }, 60_000)
})
