/**
 * The API's docs page (`/api/docs`, Swagger UI from our own files) in a real Chromium: it reads
 * `/api/openapi.json` and lists every operation, with nothing fetched from outside. Screenshots go
 * to e2e/screenshots/.
 */
import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OPERATIONS } from '../server/http/api-spec.js'
import type { RunningServer } from '../server/http/serve.js'
import { launchBrowser } from './support/browser.js'
import { startTestServer } from './support/server.js'

const SCREENSHOTS = new URL('./screenshots/', import.meta.url)

let server: RunningServer
let browser: Browser

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  server = await startTestServer()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('the API docs page', () => {
  it('lists every operation of the description, from our own server only, without errors', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })
    const page = await context.newPage()
    const problems: string[] = []
    const elsewhere: string[] = []
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
    })
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) elsewhere.push(request.url())
    })
    await page.goto(`${server.url}/api/docs`)
    await page.getByText('Signflow API', { exact: false }).first().waitFor({ state: 'visible', timeout: 15_000 })
    await page.locator('.opblock').first().waitFor({ state: 'visible', timeout: 15_000 })
    const shown = await page.locator('.opblock .opblock-summary-path').allInnerTexts()
    const paths = new Set(shown.map((p) => p.replace(/\u200b/g, '').trim()))
    for (const op of Object.values(OPERATIONS)) expect(paths, op.path).toContain(op.path)
    expect(paths).toContain('/api/health')
    await page.screenshot({ path: new URL('api-docs-desktop.png', SCREENSHOTS).pathname })
    // One operation opened: its parameters and answers are shown.
    await page.locator('.opblock', { hasText: '/api/elements/{id}/move' }).first().locator('.opblock-summary').click()
    await page.getByRole('heading', { name: 'Responses' }).first().waitFor({ state: 'visible', timeout: 10_000 })
    await page.screenshot({ path: new URL('api-docs-operation.png', SCREENSHOTS).pathname })
    expect(problems).toEqual([])
    expect(elsewhere).toEqual([])
    await context.close()
  }, 60_000)
})
