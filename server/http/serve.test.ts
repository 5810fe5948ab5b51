import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openTestDatabase } from '../db/test-support.js'
import { Runtime } from '../runtime/runtime.js'
import { startServer } from './serve.js'

describe('startServer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signflow-serve-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Built designer</title>')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('listens on a free port with port 0 and reports the real one', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: dir })
    try {
      const url = new URL(server.url)
      expect(url.hostname).toBe('127.0.0.1')
      expect(Number(url.port)).toBeGreaterThan(0)
      const health = await fetch(`${server.url}/api/health`)
      expect(await health.json()).toMatchObject({ status: 'ok' })
      expect(await (await fetch(`${server.url}/`)).text()).toContain('Built designer')
    } finally {
      await server.close()
    }
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow()
  })

  it('rejects when the port is taken', async () => {
    const first = await startServer({ port: 0, host: '127.0.0.1', staticDir: dir })
    try {
      const port = Number(new URL(first.url).port)
      await expect(startServer({ port, host: '127.0.0.1', staticDir: dir })).rejects.toThrow(/EADDRINUSE/)
    } finally {
      await first.close()
    }
  })

  it('refuses a static dir without index.html', async () => {
    await expect(startServer({ port: 0, staticDir: join(dir, 'missing') })).rejects.toThrow(/npm run build/)
  })

  it('closes promptly with a keep-alive connection open', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: dir })
    await (await fetch(`${server.url}/api/health`, { headers: { connection: 'keep-alive' } })).text()
    const started = Date.now()
    await server.close()
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('serves the runtime routes with the services it is given, and 503 without', async () => {
    const storage = await openTestDatabase('sqlite')
    const services = { db: storage.db, runtime: new Runtime({ db: storage.db }) }
    const withStorage = await startServer({ port: 0, host: '127.0.0.1', staticDir: dir, services })
    const without = await startServer({ port: 0, host: '127.0.0.1', staticDir: dir })
    try {
      const res = await fetch(`${withStorage.url}/api/pipelines`)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ items: [] })
      // Over real HTTP the audit log keeps the caller's address and user agent.
      const made = await fetch(`${withStorage.url}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'crm-sync/2.1' },
        body: JSON.stringify({ id: 'u-1', name: 'Zoë Ünal', email: 'zoe@signflow.test', role: 'sales' }),
      })
      expect(made.status).toBe(201)
      const audit = (await (await fetch(`${withStorage.url}/api/audit`)).json()) as {
        items: Array<{ action: string; actor: string; detail: { ip?: string; userAgent?: string } }>
      }
      expect(audit.items[0]).toMatchObject({ action: 'user.created', actor: 'api' })
      expect(audit.items[0]?.detail.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/)
      expect(audit.items[0]?.detail.userAgent).toBe('crm-sync/2.1')
      const no = await fetch(`${without.url}/api/pipelines`)
      expect(no.status).toBe(503)
      expect(((await no.json()) as { error: { code: string } }).error.code).toBe('no-storage')
    } finally {
      await withStorage.close()
      await without.close()
      await storage.close()
    }
  })

  it('over real HTTP, refuses a chunked body as soon as it passes the limit, and a declared size unread', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: dir })
    try {
      let sent = 0
      const chunk = new Uint8Array(64 * 1024).fill(0x20)
      // 1 GB announced by nobody: sent in chunks until the server answers.
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 1024 * 1024 * 1024) controller.close()
          else {
            sent += chunk.length
            controller.enqueue(chunk)
          }
        },
      })
      const res = await fetch(`${server.url}/api/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit)
      expect(res.status).toBe(413)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload-too-large')
      expect(sent).toBeLessThan(64 * 1024 * 1024)
      const declared = await fetch(`${server.url}/api/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(6 * 1024 * 1024) },
        body: '{}',
      }).catch((error: unknown) => error)
      // The server answers 413 before reading; the client may see the answer or a closed connection.
      if (declared instanceof Response) expect(declared.status).toBe(413)
      const ok = await fetch(`${server.url}/api/health`)
      expect(ok.status).toBe(200)
    } finally {
      await server.close()
    }
  })
})
