/**
 * `signflow serve` as a person starts it: a real process on a real SQLite file, signed in to over HTTP.
 * The demo only when asked for; the first admin's one-time password printed; an admin who can no longer
 * sign in is recovered with a new one-time password at the next start, and the old one stops working.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(root, 'server/cli/bin.js')

interface Started {
  url: string
  stderr: () => string
  stop: () => Promise<void>
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })

async function serve(dataFile: string, args: string[], env: Record<string, string> = {}): Promise<Started> {
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--port', String(port), ...args], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: dataFile,
      SMTP_URL: 'smtp://127.0.0.1:9',
      SIGNFLOW_DEMO: '',
      SIGNFLOW_BASE_URL: `http://127.0.0.1:${port}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr?.on('data', (chunk) => {
    err += String(chunk)
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${err}`)), 30_000)
    child.stdout?.on('data', (chunk) => {
      out += String(chunk)
      const match = /Signflow is running at (\S+)/.exec(out)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${err}`)))
  })
  return {
    url: url.replace('0.0.0.0', '127.0.0.1'),
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

const oneTimePassword = (stderr: string) => /one-time password (\S+)/.exec(stderr)?.[1]

async function signIn(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    // Node's fetch sends Sec-Fetch-Mode, as a browser does, and so must say where it comes from, as a browser does.
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email, password }),
  })
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  return { status: res.status, cookie }
}

const get = async (url: string, cookie: string) => {
  const res = await fetch(url, { headers: { cookie } })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('signflow serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signflow-serve-cli-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('starts empty without --demo: only the first admin, with a one-time password to change', async () => {
    const file = join(dir, 'plain.sqlite')
    let server = await serve(file, [])
    let firstPassword: string | undefined
    try {
      firstPassword = oneTimePassword(server.stderr())
      expect(firstPassword, server.stderr()).toBeDefined()
      // The demo's people do not exist, so their published passwords open nothing.
      expect((await signIn(server.url, 'anna@signflow.test', 'anna-demo-2026')).status).toBe(401)
      const admin = await signIn(server.url, 'admin@signflow.local', firstPassword as string)
      expect(admin.status).toBe(200)
      expect((await get(`${server.url}/api/me`, admin.cookie)).body).toMatchObject({ mustChangePassword: true })
      expect((await get(`${server.url}/api/pipelines`, admin.cookie)).status).toBe(403)
    } finally {
      await server.stop()
    }
    // Nobody can sign in as an admin any more (here: deactivated by hand in the file): the next start makes
    // the first admin usable again with a new one-time password, and the old one no longer opens it.
    const sqlite = new Database(file)
    sqlite.prepare("update users set active = 0 where role = 'admin'").run()
    sqlite.close()
    server = await serve(file, [])
    try {
      const again = oneTimePassword(server.stderr())
      expect(again).toBeDefined()
      expect(again).not.toBe(firstPassword)
      expect((await signIn(server.url, 'admin@signflow.local', firstPassword as string)).status).toBe(401)
      const admin = await signIn(server.url, 'admin@signflow.local', again as string)
      expect(admin.status).toBe(200)
      expect((await get(`${server.url}/api/me`, admin.cookie)).body).toMatchObject({ mustChangePassword: true })
    } finally {
      await server.stop()
    }
  }, 90_000)

  it('seeds the demo with --demo; its README passwords must be changed when other machines can reach it', async () => {
    const local = await serve(join(dir, 'demo.sqlite'), ['--demo'])
    try {
      const anna = await signIn(local.url, 'anna@signflow.test', 'anna-demo-2026')
      expect(anna.status).toBe(200)
      expect((await get(`${local.url}/api/me`, anna.cookie)).body).toMatchObject({ mustChangePassword: false })
      const pipelines = await get(`${local.url}/api/pipelines`, anna.cookie)
      expect((pipelines.body.items as unknown[]).length).toBe(5)
    } finally {
      await local.stop()
    }
    const open = await serve(join(dir, 'open.sqlite'), ['--demo', '--host', '0.0.0.0'])
    try {
      expect(open.stderr()).toMatch(/choose their own/)
      const anna = await signIn(open.url, 'anna@signflow.test', 'anna-demo-2026')
      expect(anna.status).toBe(200)
      expect((await get(`${open.url}/api/me`, anna.cookie)).body).toMatchObject({ mustChangePassword: true })
      expect((await get(`${open.url}/api/pipelines`, anna.cookie)).status).toBe(403)
    } finally {
      await open.stop()
    }
  }, 90_000)
})
