import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createAuth } from '../auth/auth.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { createApp } from '../http/app.js'
import { type RunningServer, startServer } from '../http/serve.js'
import { Runtime } from '../runtime/runtime.js'
import { graph, seed } from '../runtime/test-fixtures.js'

const bin = fileURLToPath(new URL('./bin.js', import.meta.url))

/** The real CLI, as an integrator runs it. */
function signflow(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const environment = { ...process.env, SIGNFLOW_TOKEN: '', ...env }
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000, env: environment }, (error, stdout, stderr) => {
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

  it('tests the scenarios stored next to a flow: exit 1 when one fails, 0 when all pass, 2 for misuse', async () => {
    const flow = ['--server', server.url, '--flow', 'sales-flow']
    const passing = {
      formatVersion: 1,
      name: 'The offer goes out',
      graph: 'draft',
      start: '2026-11-23T09:00:00Z',
      elements: [{ id: 'deal-1', stage: 'new', fields: { title: 'Big deal', 'client.email': 'a@client.test' } }],
      steps: [
        { move: { element: 'deal-1', to: 'offer' } },
        { expect: { element: 'deal-1', emails: 1 } },
        { advance: 'end' },
        { expect: { element: 'deal-1', emails: 2, stage: 'offer' } },
      ],
    }
    const failing = {
      ...passing,
      name: 'Won at once (wrong)',
      steps: [{ move: { element: 'deal-1', to: 'offer' } }, { expect: { element: 'deal-1', stage: 'won' } }],
    }
    const put = async (id: string, scenario: unknown) => {
      const res = await fetch(`${server.url}/api/flows/sales-flow/scenarios/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(scenario),
      })
      expect(res.status, await res.text()).toBe(201)
    }
    // No scenarios yet: nothing to test is misuse, as no matching files is.
    const none = await signflow(['test', ...flow])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('flow "sales-flow" has no stored scenarios')
    await put('offer', passing)
    await put('won-at-once', failing)

    const run = await signflow(['test', ...flow])
    expect(run.code, run.stderr).toBe(1)
    expect(run.stdout).toContain('✓ The offer goes out  (sales-flow/scenarios/offer)\n')
    expect(run.stdout).toContain('✗ Won at once (wrong)  (sales-flow/scenarios/won-at-once)\n')
    expect(run.stdout).toContain('    step 2: expected deal-1 in "Won"; but deal-1 is in "Offer", not "Won"\n')
    expect(run.stdout.trim().split('\n').at(-1)).toBe('1 passed, 1 failed')
    const json = await signflow(['test', ...flow, '--json', '--version', 'latest'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({
      flow: 'sales-flow',
      graph: 'version 2',
      passed: 1,
      failed: 1,
      results: [
        { file: 'sales-flow/scenarios/offer', name: 'The offer goes out', passed: true, failures: [] },
        { file: 'sales-flow/scenarios/won-at-once', passed: false },
      ],
    })

    const deleted = await fetch(`${server.url}/api/flows/sales-flow/scenarios/won-at-once`, { method: 'DELETE' })
    expect(deleted.status).toBe(204)
    for (const version of [[], ['--version', 'draft'], ['--version', 'latest'], ['--version', '1']]) {
      const ok = await signflow(['test', ...flow, ...version])
      expect(ok.code, `${version.join(' ')}: ${ok.stdout}${ok.stderr}`).toBe(0)
      expect(ok.stdout).toBe('✓ The offer goes out  (sales-flow/scenarios/offer)\n1 passed, 0 failed\n')
    }

    // A draft saved while it still has errors: no scenario can run on it, and each says why (exit 1).
    const broken = structuredClone(graph) as unknown as {
      pipeline: { stages: Array<{ rules: Array<{ settings: Record<string, unknown> }> }> }
    }
    const rule = broken.pipeline.stages[1]?.rules[0]
    if (rule) rule.settings.to = { kind: 'template', parts: [] }
    const draft = (body: unknown) =>
      fetch(`${server.url}/api/flows/sales-flow/draft`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    expect((await draft(broken)).status).toBe(200)
    const onBroken = await signflow(['test', ...flow])
    expect(onBroken.code).toBe(1)
    expect(onBroken.stdout).toContain('✗ The offer goes out  (sales-flow/scenarios/offer)\n')
    expect(onBroken.stdout).toContain('the draft of flow "sales-flow" is not a valid graph (1 error):')
    expect(onBroken.stdout).toContain('/pipeline/stages/1/rules/0/settings/to  setting-empty')
    expect((await signflow(['test', ...flow, '--version', 'latest'])).code).toBe(0)
    expect((await draft(graph)).status).toBe(200)

    // Misuse: no such version or flow, a bad --version, files and --flow together, an unreachable server.
    const missing = await signflow(['test', ...flow, '--version', '9'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('cannot read version 9 of flow "sales-flow"')
    const unknown = await signflow(['test', '--server', server.url, '--flow', 'nope'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('cannot read flow "nope"')
    expect((await signflow(['test', ...flow, '--version', 'newest'])).code).toBe(2)
    expect((await signflow(['test', 'x.scenario.json', ...flow])).code).toBe(2)
    expect((await signflow(['test', '--server', server.url])).stderr).toContain('--server goes with --flow')
    const away = await signflow(['test', '--server', 'http://127.0.0.1:9', '--flow', 'sales-flow'])
    expect(away.code).toBe(2)
    expect(away.stderr).toContain('cannot reach the server at http://127.0.0.1:9')
    expect(away.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
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

describeEachDatabase('signflow test --flow on a server with sign-in', (getDb, dialect) => {
  let server: RunningServer
  /** The same services in process, where a person signs in and makes the token (as from the web app). */
  let app: ReturnType<typeof createApp>
  const base = 'http://localhost:3000'

  beforeAll(async () => {
    const db = getDb()
    await seed(db, 1)
    const auth = createAuth({ db, dialect, baseURL: base, secret: 'test-secret-0123456789-0123456789-abc' })
    const services = { db, runtime: new Runtime({ db }), auth }
    server = await startServer({ port: 0, services })
    app = createApp({ services })
    await auth.api.createUser({
      body: { email: 'analyst@cli.test', password: 'analyst password 2026', name: 'Ana', role: 'analyst' as 'admin' },
    })
  }, 60_000)
  afterAll(async () => {
    await server.close()
  })

  it('sends the token from --token or $SIGNFLOW_TOKEN, and says how when there is none', async () => {
    const origin = { origin: base, 'content-type': 'application/json' }
    const signIn = await app.request('/api/auth/sign-in/email', {
      method: 'POST',
      headers: origin,
      body: JSON.stringify({ email: 'analyst@cli.test', password: 'analyst password 2026' }),
    })
    expect(signIn.status).toBe(200)
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const made = await app.request('/api/tokens', {
      method: 'POST',
      headers: { ...origin, cookie },
      body: JSON.stringify({ name: 'ci' }),
    })
    expect(made.status, await made.clone().text()).toBe(201)
    const { token } = (await made.json()) as { token: string }
    const stored = await fetch(`${server.url}/api/flows/sales-flow/scenarios/offer`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        formatVersion: 1,
        name: 'Stays new',
        graph: 'draft',
        start: '2026-11-23T09:00:00Z',
        elements: [{ id: 'deal-1', stage: 'new' }],
        steps: [{ expect: { element: 'deal-1', stage: 'new' } }],
      }),
    })
    expect(stored.status).toBe(201)

    const flow = ['test', '--server', server.url, '--flow', 'sales-flow']
    const withOption = await signflow([...flow, '--token', token])
    expect(withOption, withOption.stderr).toMatchObject({
      code: 0,
      stdout: '✓ Stays new  (sales-flow/scenarios/offer)\n1 passed, 0 failed\n',
    })
    expect((await signflow(flow, { SIGNFLOW_TOKEN: token })).code).toBe(0)
    const none = await signflow(flow)
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('cannot read flow "sales-flow"')
    expect(none.stderr).toContain('[401 unauthorized]; pass an API token with --token or $SIGNFLOW_TOKEN')
  }, 60_000)
})
