/**
 * The Outbox screen in a real Chromium against the real server, the built page and a real runtime
 * (SQLite in a temporary folder, the demo seeded, the SMTP catcher, the workers). Screenshots go
 * to e2e/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_STATIC_DIR, type RunningServer, startServer } from '../server/http/serve.js'
import { type RuntimeProcess, startRuntime } from '../server/runtime/process.js'
import { launchBrowser } from './support/browser.js'
import { startTestServer } from './support/server.js'
import { visible } from './support/wait.js'

const SCREENSHOTS = new URL('./screenshots/', import.meta.url)
const screenshotPath = (name: string) => new URL(`${name}.png`, SCREENSHOTS).pathname

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

const DEAL = 'large-deals-only:big'
// A rule naming a company of ours that does not exist: its document cannot be made, and the Outbox says why.
const DOCUMENT_ERROR = /no company of ours "gone-company"/i

let tmp: string
let proc: RuntimeProcess
/** With storage and the runtime: the demo, seeded. */
let server: RunningServer
/** Without storage: the runtime routes answer 503 `no-storage`. */
let bare: RunningServer
let browser: Browser
let context: BrowserContext | undefined
const problems: string[] = []

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  tmp = mkdtempSync(join(tmpdir(), 'signflow-e2e-outbox-'))
  proc = await startRuntime({ database: join(tmp, 'signflow.sqlite'), seed: true, pollMs: 100 })
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    staticDir: DEFAULT_STATIC_DIR,
    services: { db: proc.database.db, runtime: proc.runtime },
  })
  bare = await startTestServer()
  browser = await launchBrowser()
})

afterEach(async () => {
  await context?.close()
  context = undefined
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await bare?.close()
  await proc?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
  context = await browser.newContext({ viewport, deviceScaleFactor: 1 })
  const page = await context.newPage()
  problems.length = 0
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
  })
  await page.goto(url)
  return page
}

async function api(path: string, body: unknown): Promise<Response> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`)
  return res
}

/**
 * The seeded "Large deals only" flow mails the offer only AFTER its "create document" rule, and
 * documents always fail for now (after 8 attempts, ~2 min), so as seeded the email never goes.
 * Publish (through the API) the same flow with "Mail the offer" running in parallel and with an
 * uploaded price list attached instead of the PDF the flow would make: moving the deal then sends the email at once AND queues the document.
 * `big` has not run yet, so it takes this newest version.
 */
async function publishParallelMail(): Promise<void> {
  const res = await fetch(`${server.url}/api/flows/large-deals-only/versions/1`)
  expect(res.status).toBe(200)
  const graph = (await res.json()) as any
  const offer = graph.pipeline.stages.find((s: any) => s.id === 'offer')
  const mail = offer.rules.find((r: any) => r.id === 'mail-offer')
  expect(mail.type).toBe('sendEmail')
  mail.execution = 'parallel'
  // Instead of the PDF the flow would make: a price list uploaded as a file.
  const upload = await fetch(`${server.url}/api/files?name=${encodeURIComponent('Cennik 2026.pdf')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf' },
    body: '%PDF-1.4\n% price list\ntrailer << >>\n%%EOF\n',
  })
  expect(upload.status).toBe(201)
  const file = (await upload.json()) as { id: string }
  mail.settings.attachments = [{ kind: 'literal', value: file.id }]
  const make = offer.rules.find((r: any) => r.id === 'create-offer')
  make.settings.myCompany = { company: 'gone-company' }
  await api('/api/flows/large-deals-only/versions', { graph })
}

const emailItem = (page: Page) => page.locator('li[data-message-id]').filter({ hasText: 'achats@sg.fr' })
const documentDelivery = (page: Page) => page.locator('li[data-delivery-id][data-kind="createDocument"]')

async function noOverflow(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
}

describe('outbox page', () => {
  it('is reachable from the top bar, and the designer from it', async () => {
    const page = await open(server.url, DESKTOP)
    await visible(page.getByRole('heading', { name: 'Signflow — Designer' }))
    const nav = page.getByRole('navigation', { name: 'Screens' })
    expect(await nav.getByRole('link', { name: 'Designer' }).getAttribute('aria-current')).toBe('page')
    await nav.getByRole('link', { name: 'Outbox' }).click()
    await visible(page.getByRole('heading', { name: 'Signflow — Outbox' }))
    expect(page.url()).toBe(`${server.url}/#/outbox`)
    expect(await page.title()).toBe('Signflow — Outbox')
    expect(await nav.getByRole('link', { name: 'Outbox' }).getAttribute('aria-current')).toBe('page')
    await visible(page.getByRole('heading', { name: 'Sent messages' }))
    await page.goBack()
    await visible(page.getByText('Design a flow'))
    expect(await page.title()).toBe('Signflow — Designer')
    expect(problems).toEqual([])
  })

  it('shows the empty state, then the email and the deliveries as the automation runs, without reloading', async () => {
    const page = await open(`${server.url}/#/outbox`, DESKTOP)
    await visible(page.getByRole('heading', { name: 'Signflow — Outbox' }))

    // Nothing sent yet: both lists say so, and how to make something appear.
    await visible(page.getByText('No messages yet', { exact: true }))
    await visible(page.getByText(/Move a deal into a stage with a .Send email. rule/))
    await visible(page.getByText('Nothing queued yet', { exact: true }))
    await page.screenshot({ path: screenshotPath('desktop-outbox-empty') })
    await page.evaluate(() => {
      ;(window as any).__sameDocument = true
    })

    await publishParallelMail()
    await api(`/api/elements/${encodeURIComponent(DEAL)}/move`, { stage: 'offer' })

    // The email arrives through SMTP at the catcher and shows up by itself within a few seconds.
    const email = await visible(emailItem(page), 6_000)
    await visible(email.getByText('Our offer for Big deal', { exact: true }))
    const attachment = await visible(email.getByTestId('message-attachment'))
    expect(await attachment.innerText()).toMatch(/Cennik 2026\.pdf\s*\d+ B/)
    await visible(email.getByRole('img', { name: 'Email' }))
    await visible(email.locator('time'))
    expect(await email.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(await email.locator('time').innerText()).toMatch(/(Today|Yesterday), /)
    expect(await page.getByText('No messages yet').count()).toBe(0)

    // The document delivery: its status and the error in plain words.
    const document = await visible(documentDelivery(page), 6_000)
    await visible(document.getByText('Create document', { exact: true }))
    await visible(document.getByText(DOCUMENT_ERROR), 6_000)
    expect(['pending', 'sending', 'failed']).toContain(await document.getAttribute('data-status'))
    await visible(document.getByText(/Last attempt failed, will retry|Gave up/))
    await visible(document.getByText('large-deals-only:big', { exact: true }))
    // The email's own delivery is done.
    const emailDelivery = await visible(page.locator('li[data-delivery-id][data-kind="email"][data-status="done"]'))
    await visible(emailDelivery.getByText('Done', { exact: true }))
    await visible(page.locator('li[data-delivery-id][data-kind="createDocument"]').getByText(/^(Pending|Sending)$/))

    // Still the same page: it refreshed itself.
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true)
    await page.screenshot({ path: screenshotPath('desktop-outbox') })

    // The body opens and closes.
    const toggle = email.getByRole('button', { name: 'Show message' })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await email.getByTestId('message-body').isVisible()).toBe(false)
    await toggle.click()
    const body = await visible(email.getByTestId('message-body'))
    expect(await body.innerText()).toContain('Dear Société Générale,\nplease find our offer attached.')
    expect(await email.getByRole('button', { name: 'Hide message' }).getAttribute('aria-expanded')).toBe('true')
    // It stays open across the automatic refreshes.
    await page.waitForTimeout(2_500)
    expect(await body.isVisible()).toBe(true)
    await page.screenshot({ path: screenshotPath('desktop-outbox-message'), fullPage: true })

    // The manual refresh button.
    const before = await page.getByTestId('outbox-updated').innerText()
    await page.waitForTimeout(1_100)
    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => page.getByTestId('outbox-updated').innerText(), { timeout: 5_000 }).not.toBe(before)
    await noOverflow(page)
    expect(problems).toEqual([])
  })

  it('says when the server cannot be reached, keeps what it showed, and recovers', async () => {
    const page = await open(`${server.url}/#/outbox`, DESKTOP)
    await visible(emailItem(page))
    await page.route('**/api/**', (route) => route.abort('connectionrefused'))
    const alert = await visible(page.getByRole('alert').filter({ hasText: 'Cannot reach the server' }), 6_000)
    await visible(alert.getByText(/may be out of date/))
    await visible(emailItem(page))
    await page.screenshot({ path: screenshotPath('desktop-outbox-offline') })
    await page.unroute('**/api/**')
    await alert.waitFor({ state: 'detached', timeout: 6_000 })
    await visible(emailItem(page))
    expect(problems.filter((p) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(p))).toEqual([])
  })

  it('fits a phone screen (390 px)', async () => {
    const page = await open(`${server.url}/#/outbox`, PHONE)
    const email = await visible(emailItem(page))
    await visible(documentDelivery(page).getByText(DOCUMENT_ERROR))
    await page.screenshot({ path: screenshotPath('phone-outbox') })
    await noOverflow(page)
    await page.getByRole('heading', { name: 'Deliveries' }).evaluate((heading) => heading.scrollIntoView())
    await page.evaluate(() => window.scrollBy(0, -16))
    await page.screenshot({ path: screenshotPath('phone-outbox-deliveries') })

    await email.getByRole('button', { name: 'Show message' }).click()
    await visible(email.getByTestId('message-body'))
    await email.locator('.MuiCollapse-entered').waitFor()
    await page.mouse.move(0, 0)
    await page.waitForTimeout(600) // the button's ripple fades
    await noOverflow(page)
    await page.screenshot({ path: screenshotPath('phone-outbox-full'), fullPage: true })
    expect(problems).toEqual([])
  })

  it('shows a deal title with markup as text, running nothing', async () => {
    const xss = '<img src=x onerror="window.__xss=1"> & <b>bold</b>'
    await publishParallelMail() // as in the test above, so that this one stands alone too
    await api('/api/elements', {
      id: 'xss-deal',
      pipelineId: 'large-deals-only',
      type: 'deal',
      title: xss,
      stage: 'new',
      fields: { amount: 9000, currency: 'EUR', 'client.email': 'xss@client.test', 'client.name': xss },
    })
    await api('/api/elements/xss-deal/move', { stage: 'offer' })
    const page = await open(`${server.url}/#/outbox`, DESKTOP)
    const dialogs: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    const item = await visible(page.locator('li[data-message-id]').filter({ hasText: 'xss@client.test' }), 10_000)
    await visible(item.getByText(`Our offer for ${xss}`, { exact: true }))
    await item.getByRole('button', { name: 'Show message' }).click()
    expect(await (await visible(item.getByTestId('message-body'))).innerText()).toContain(`Dear ${xss}`)
    expect(await item.locator('img, b').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
    expect(dialogs).toEqual([])
    expect(problems).toEqual([])
  })

  it('explains a server without storage instead of failing', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const page = await open(`${bare.url}/#/outbox`, viewport)
      await visible(page.getByRole('heading', { name: 'Signflow — Outbox' }))
      await visible(page.getByText('This server has no storage', { exact: true }))
      await visible(page.getByText(/started without a database/))
      await visible(page.getByText('Not refreshing', { exact: true }))
      expect(await page.getByRole('heading', { name: 'Sent messages' }).count()).toBe(0)
      await noOverflow(page)
      await page.screenshot({ path: screenshotPath(`${name}-outbox-no-storage`) })
      // Only the expected 503s of the runtime routes may show up in the console.
      expect(problems.filter((p) => !p.includes('503'))).toEqual([])
      await context?.close()
      context = undefined
    }
  })
})
