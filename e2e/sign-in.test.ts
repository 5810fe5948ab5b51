/**
 * Sign-in in a real Chromium against the real server with sign-in on (as `npm start` runs it): the
 * sign-in screen, a wrong password, the demo user, signing out, and the first admin's printed password.
 * Screenshots go to e2e/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORDS, FIRST_ADMIN_EMAIL, sessionSecret, setUpSignIn } from '../server/auth/setup.js'
import { DEFAULT_STATIC_DIR, type RunningServer, startServer } from '../server/http/serve.js'
import { type RuntimeProcess, startRuntime } from '../server/runtime/process.js'
import { launchBrowser } from './support/browser.js'
import { freePort, visible } from './support/wait.js'

const SCREENSHOTS = new URL('./screenshots/', import.meta.url)
const shot = (name: string) => new URL(`${name}.png`, SCREENSHOTS).pathname
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

let tmp: string
let proc: RuntimeProcess
let server: RunningServer
let browser: Browser
let context: BrowserContext | undefined
let adminPassword = ''
const problems: string[] = []

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  tmp = mkdtempSync(join(tmpdir(), 'signflow-e2e-sign-in-'))
  const file = join(tmp, 'signflow.sqlite')
  proc = await startRuntime({ database: file, seed: true, pollMs: 100 })
  const port = await freePort()
  const lines: string[] = []
  const auth = await setUpSignIn({
    db: proc.database.db,
    dialect: 'sqlite',
    baseURL: `http://127.0.0.1:${port}`,
    secret: sessionSecret(file, (l) => lines.push(l)),
    demo: proc.seeded,
    log: (l) => lines.push(l),
  })
  adminPassword = /one-time password (\S+)/.exec(lines.join('\n'))?.[1] ?? ''
  server = await startServer({
    port,
    host: '127.0.0.1',
    staticDir: DEFAULT_STATIC_DIR,
    services: { db: proc.database.db, runtime: proc.runtime, auth },
  })
  browser = await launchBrowser()
}, 60_000)

afterEach(async () => {
  await context?.close()
  context = undefined
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await proc?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

async function open(viewport: { width: number; height: number }, hash = ''): Promise<Page> {
  context = await browser.newContext({ viewport, deviceScaleFactor: 1 })
  const page = await context.newPage()
  problems.length = 0
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    // The browser reports the 401 of "who am I?" before sign-in; nothing else may fail.
    if (message.type() === 'error' && !/401 \(Unauthorized\)/.test(message.text())) problems.push(message.text())
  })
  await page.goto(`${server.url}/${hash}`)
  return page
}

async function signInAs(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe('sign-in', () => {
  it('asks who you are first; a wrong password is said so; the demo user gets in and out', async () => {
    const page = await open(DESKTOP, '#/outbox')
    await visible(page.getByRole('heading', { name: 'Sign in', exact: true }))
    expect(await page.getByRole('navigation', { name: 'Screens' }).count()).toBe(0)
    expect(await page.title()).toBe('Signflow — Sign in')
    await page.screenshot({ path: shot('desktop-sign-in') })

    await signInAs(page, 'anna@signflow.test', 'not her password')
    const alert = await visible(page.getByRole('alert'))
    expect(await alert.innerText()).toContain('The email or the password is wrong.')
    // Ready for another try.
    expect(await page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true)
    await page.waitForTimeout(400) // the button's colour fades back from "busy"
    await page.screenshot({ path: shot('desktop-sign-in-wrong') })

    await page.getByLabel('Password').fill(DEMO_PASSWORDS['anna@signflow.test'] ?? '')
    await page.getByRole('button', { name: 'Sign in' }).click()
    // In: the screen asked for (the Outbox), the user's name and a way out.
    await visible(page.getByRole('heading', { name: 'Sent messages' }))
    expect(await page.getByTestId('signed-in-as').innerText()).toBe('Anna Kowalska')
    await page.screenshot({ path: shot('desktop-signed-in') })
    const cookies = await context?.cookies()
    const session = cookies?.find((c) => c.name === 'signflow.session_token')
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' })

    await page.getByRole('button', { name: 'Sign out' }).click()
    await visible(page.getByRole('heading', { name: 'Sign in', exact: true }))
    const me = await page.evaluate(async () => (await fetch('/api/me')).status)
    expect(me).toBe(401)
    expect(problems).toEqual([])
  }, 60_000)

  it('lets the first admin in with the password printed at the first start', async () => {
    expect(adminPassword).toMatch(/^\S{12,}$/)
    const page = await open(PHONE)
    await visible(page.getByRole('heading', { name: 'Sign in', exact: true }))
    await page.screenshot({ path: shot('phone-sign-in') })
    await signInAs(page, FIRST_ADMIN_EMAIL, adminPassword)
    // A one-time password: the first thing is to choose one's own.
    await visible(page.getByRole('heading', { name: 'Choose your password' }))
    expect(await page.getByRole('navigation', { name: 'Screens' }).count()).toBe(0)
    await page.getByLabel('Current password').fill(adminPassword)
    await page.getByLabel(/^New password\s*\*?$/).fill('my own admin password')
    await page.getByLabel('New password again').fill('my own admin passwort')
    await page.getByRole('button', { name: 'Save and go on' }).click()
    expect(await (await visible(page.getByRole('alert'))).innerText()).toContain('The two new passwords differ.')
    await page.getByLabel('New password again').fill('my own admin password')
    await page.waitForTimeout(300)
    await page.screenshot({ path: shot('phone-change-password') })
    await page.getByRole('button', { name: 'Save and go on' }).click()
    await visible(page.getByRole('navigation', { name: 'Screens' }))
    expect(await page.getByTestId('signed-in-as').innerText()).toBe('Administrator')
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: shot('phone-signed-in') })
    expect(problems).toEqual([])
  }, 60_000)
})
