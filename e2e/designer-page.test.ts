/**
 * The designer page (for now a stub with the catalog and the graph check) in a real Chromium
 * against the real server and the built page. Screenshots go to e2e/screenshots/.
 */
import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/http/serve.js'
import { demoGraph } from '../shared/test/graphs.js'
import { launchBrowser } from './support/browser.js'
import { startTestServer } from './support/server.js'
import { visible } from './support/wait.js'

const SCREENSHOTS = new URL('./screenshots/', import.meta.url)
const screenshotPath = (name: string) => new URL(`${name}.png`, SCREENSHOTS).pathname

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

const VALID_GRAPH = JSON.stringify(demoGraph(), null, 2)
const BROKEN_GRAPH = JSON.stringify(demoGraph({ kind: 'constant', id: 'nope' }), null, 2)

/** The catalog entry (a list item) with exactly this label. */
function catalogItem(page: Page, label: string): Locator {
  return page.locator('li[data-type]').filter({ has: page.getByText(label, { exact: true }) })
}

let server: RunningServer
let browser: Browser
let context: BrowserContext | undefined
const problems: string[] = []

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  server = await startTestServer()
  browser = await launchBrowser()
})

afterEach(async () => {
  await context?.close()
  context = undefined
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function open(viewport: { width: number; height: number }): Promise<Page> {
  context = await browser.newContext({ viewport, deviceScaleFactor: 1 })
  const page = await context.newPage()
  problems.length = 0
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    // This server has no storage: the flow section's request for pipelines is answered 503, and says so.
    if (message.type() === 'error' && !/503 \(Service Unavailable\)/.test(message.text())) {
      problems.push(`console error: ${message.text()}`)
    }
  })
  await page.goto(server.url)
  return page
}

async function checkGraph(page: Page, text: string): Promise<void> {
  await page.getByLabel('Rule graph (JSON)').fill(text)
  await page.getByRole('button', { name: 'Validate' }).click()
}

describe('designer page', () => {
  it('shows the stub notice, the catalog and the graph check (desktop)', async () => {
    const page = await open(DESKTOP)
    expect(await page.title()).toBe('Signflow — Designer')
    await visible(page.getByRole('heading', { name: 'Signflow — Designer' }))
    await visible(page.getByText('Design a flow'))

    // Deal pipeline by default: a rule and a trigger, each labelled in words, not only colour.
    const send = await visible(catalogItem(page, 'Send document for signing'))
    await visible(send.getByText('Rule', { exact: true }))
    expect(await send.getAttribute('aria-disabled')).toBeNull()
    const signed = await visible(catalogItem(page, 'Signed by the client'))
    await visible(signed.getByText('Trigger', { exact: true }))
    await visible(page.getByRole('heading', { name: 'Paperwork' }))
    await page.screenshot({ path: screenshotPath('desktop-catalog') })

    // The signing-document pipeline: paperwork rules are there, greyed, with the reason.
    await page.getByRole('combobox', { name: 'Pipeline type' }).click()
    await page.getByRole('option', { name: 'Signing document' }).click()
    const create = catalogItem(page, 'Create document')
    await page.locator('li[data-type="createDocument"][aria-disabled="true"]').waitFor({ timeout: 15_000 })
    expect(await create.getAttribute('aria-disabled')).toBe('true')
    await visible(create.getByText('Rule', { exact: true }))
    await visible(create.getByText(/Paperwork group holds only triggers/))
    expect(await catalogItem(page, 'Send document for signing').getAttribute('aria-disabled')).toBe('true')
    // Paperwork triggers stay usable there.
    expect(await catalogItem(page, 'Signed by the client').getAttribute('aria-disabled')).toBeNull()
    await page.screenshot({ path: screenshotPath('desktop-signing-document') })

    // A broken graph: the finding's code and JSON path.
    await checkGraph(page, BROKEN_GRAPH)
    const finding = await visible(page.locator('li[data-code="unknown-constant"]'))
    await visible(finding.getByText('unknown-constant', { exact: true }))
    await visible(finding.getByText('/pipeline/stages/0/rules/0/settings/subject/id'))
    await visible(page.getByText(/Not valid: 1 error/))
    await finding.scrollIntoViewIfNeeded()
    await page.screenshot({ path: screenshotPath('desktop-findings') })

    // A valid graph.
    await checkGraph(page, VALID_GRAPH)
    await visible(page.getByText('Valid graph', { exact: true }))
    expect(await page.locator('li[data-code]').count()).toBe(0)
    await page.screenshot({ path: screenshotPath('desktop-valid'), fullPage: true })

    expect(problems).toEqual([])
  })

  it('finds catalog items by words of their label or description, rules or triggers only', async () => {
    const page = await open(DESKTOP)
    await visible(catalogItem(page, 'Create document'))
    await page.getByLabel('Search the catalog').fill('societe document')
    await visible(page.getByText('Nothing in the catalog matches “societe document”.'))
    await page.getByLabel('Search the catalog').fill('SIGN')
    await visible(catalogItem(page, 'Send document for signing'))
    await visible(catalogItem(page, 'Signed by the client'))
    expect(await catalogItem(page, 'Send email to client').count()).toBe(0)
    await page.getByRole('combobox', { name: 'Show' }).click()
    await page.getByRole('option', { name: 'Triggers', exact: true }).click()
    await page.getByRole('listbox').waitFor({ state: 'detached' })
    await visible(catalogItem(page, 'Signed by the client'))
    expect(await catalogItem(page, 'Send document for signing').count()).toBe(0)
    await page.screenshot({ path: screenshotPath('desktop-catalog-search') })
    expect(problems).toEqual([])
  })

  it('reports text that is not JSON with its line and column', async () => {
    const page = await open(DESKTOP)
    await checkGraph(page, '{\n  "formatVersion": 1\n  "flow": {}\n}')
    await visible(page.getByText('Not valid JSON', { exact: true }))
    await visible(page.getByText(/line 3, column 3/))
    // The text box selects the spot of the error.
    const at = await page.getByLabel('Rule graph (JSON)').evaluate((el) => (el as HTMLTextAreaElement).selectionStart)
    expect(at).toBe('{\n  "formatVersion": 1\n  '.length)
    await page.screenshot({ path: screenshotPath('desktop-not-json') })
    // Only the expected 400 of /api/validate may show up in the console.
    expect(problems.filter((p) => !p.includes('400'))).toEqual([])
  })

  it('reads a graph from a chosen .json file', async () => {
    const page = await open(DESKTOP)
    await page.locator('input[type="file"]').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(BROKEN_GRAPH),
    })
    await visible(page.getByText('broken.json', { exact: true }))
    expect(await page.getByLabel('Rule graph (JSON)').inputValue()).toBe(BROKEN_GRAPH)
    await page.getByRole('button', { name: 'Validate' }).click()
    await visible(page.locator('li[data-code="unknown-constant"]'))
  })

  it('fits a phone screen (390 px)', async () => {
    const page = await open(PHONE)
    await visible(page.getByText('Design a flow'))
    await visible(catalogItem(page, 'Send document for signing').getByText('Rule', { exact: true }))
    await page.screenshot({ path: screenshotPath('phone-top') })

    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)

    await checkGraph(page, BROKEN_GRAPH)
    const finding = await visible(page.locator('li[data-code="unknown-constant"]'))
    await page.getByRole('heading', { name: 'Check a rule graph' }).scrollIntoViewIfNeeded()
    await page.evaluate(() => window.scrollBy(0, -16))
    await page.screenshot({ path: screenshotPath('phone-check') })
    await finding.scrollIntoViewIfNeeded()
    await page.screenshot({ path: screenshotPath('phone-findings') })
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: screenshotPath('phone-full'), fullPage: true })
    expect(problems).toEqual([])
  })
})
