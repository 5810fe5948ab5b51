/**
 * The flow designer in a real Chromium against the real server with the demo: an analyst opens the invoice
 * flow, adds a "Sent" stage and undoes and redoes it with the keyboard, adds a trigger and a rule with "+",
 * sees the empty email counted as errors on the node and in the status, deletes it with the Delete key, and
 * saves the draft, which the server then holds. Screenshots go to e2e/screenshots/.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/http/serve.js'
import type { Graph } from '../shared/graph/graph.js'
import { importGraph } from '../shared/graph/io.js'
import { launchBrowser } from './support/browser.js'
import { type DemoServer, startDemoServer } from './support/server.js'
import { visible } from './support/wait.js'

const SCREENSHOTS = new URL('./screenshots/', import.meta.url)
const shot = (name: string) => new URL(`${name}.png`, SCREENSHOTS).pathname
const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }

let demo: DemoServer | undefined
let server: RunningServer
let browser: Browser
let context: BrowserContext | undefined
const problems: string[] = []

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  demo = await startDemoServer('designer')
  server = demo.server
  browser = await launchBrowser()
}, 60_000)

afterEach(async () => {
  await context?.close()
  context = undefined
})

afterAll(async () => {
  await browser?.close()
  await demo?.close()
})

async function open(viewport: { width: number; height: number }): Promise<Page> {
  context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    permissions: ['clipboard-read', 'clipboard-write'],
  })
  const page = await context.newPage()
  problems.length = 0
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
  })
  await page.goto(`${server.url}/`)
  return page
}

async function chooseInvoiceFlow(page: Page) {
  await (await visible(page.getByRole('combobox', { name: 'Pipeline', exact: true }))).click()
  await page.getByRole('option', { name: 'Invoice signing' }).click()
  await page.getByRole('listbox').waitFor({ state: 'detached' })
  await visible(page.getByRole('group', { name: 'Stage Invoice' }))
  await page.waitForTimeout(400) // the view fits the pipeline
}

const stages = (page: Page) => page.locator('[role="group"][aria-label^="Stage "]')

describe('the flow designer', () => {
  it('adds a stage, undoes and redoes it, adds nodes with "+", shows and clears errors, saves the draft', async () => {
    const page = await open(DESKTOP)
    await chooseInvoiceFlow(page)
    expect(await stages(page).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual([
      'Stage New',
      'Stage Invoice',
      'Stage Signed',
      'Stage Lost',
    ])
    await visible(page.locator('[data-kind="rule"][aria-label="Rule Send the invoice for signing"]'))
    await visible(page.locator('[data-kind="trigger"][aria-label="Trigger Invoice signed by both sides"]'))
    expect(await page.getByTestId('designer-status').innerText()).toMatch(/all saved/)
    await page.screenshot({ path: shot('desktop-designer-flow') })

    // A new stage, then undone and redone from the keyboard.
    await page.getByRole('button', { name: 'Add stage' }).click()
    await page.getByLabel('Stage name').fill('Sent')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await visible(page.getByRole('group', { name: 'Stage Sent' }))
    expect(await stages(page).count()).toBe(5)
    await page.getByTestId('flow-canvas').focus()
    await page.keyboard.press('Control+z')
    await page.getByRole('group', { name: 'Stage Sent' }).waitFor({ state: 'detached' })
    await page.keyboard.press('Control+y')
    await visible(page.getByRole('group', { name: 'Stage Sent' }))
    // Where it belongs: after "Invoice", two places to the left, from its column's menu.
    for (let i = 0; i < 2; i++) {
      await page.getByRole('button', { name: 'Stage Sent: more' }).click()
      await page.getByRole('menuitem', { name: 'Move left' }).click()
    }
    const order = () => stages(page).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))
    expect(await order()).toEqual(['Stage New', 'Stage Invoice', 'Stage Sent', 'Stage Signed', 'Stage Lost'])
    // A stage renamed and deleted, each one undo step.
    await page.getByRole('button', { name: 'Stage Lost: more' }).click()
    await page.getByRole('menuitem', { name: 'Delete…' }).click()
    await visible(page.getByText('It has no rules or triggers.'))
    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    await page.getByRole('group', { name: 'Stage Lost' }).waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Undo' }).click()
    await visible(page.getByRole('group', { name: 'Stage Lost' }))

    // "+" on the new column: a trigger, then a rule whose empty settings are errors, shown where they are.
    await page.getByRole('button', { name: 'Add to Sent' }).click()
    await page.getByRole('menuitem', { name: 'Signed by the company representative' }).click()
    await visible(page.locator('[data-kind="trigger"][aria-label="Trigger Signed by the company representative"]'))
    await page.getByRole('button', { name: 'Add to Sent' }).click()
    await page.getByRole('menuitem', { name: 'Send email to client' }).click()
    const email = await visible(page.locator('[data-kind="rule"][aria-label="Rule Send email to client"]'))
    await expect.poll(() => page.getByTestId('designer-status').innerText(), { timeout: 5_000 }).toMatch(/\d+ errors?/)
    await visible(email.getByTestId('problem-mark'))
    await page.getByTestId('flow-canvas').scrollIntoViewIfNeeded()
    await page.waitForTimeout(300) // the view glides to the new column
    await page.screenshot({ path: shot('desktop-designer-errors') })

    // Its settings, generated from the catalog: typing the subject and the body clears the errors; typing in
    // one field is one undo step.
    const status = () => page.getByTestId('designer-status').innerText()
    const panel = page.getByTestId('settings-panel')
    await visible(panel.getByRole('heading', { name: 'Send email to client' }))
    await panel.getByRole('textbox', { name: 'Subject', exact: true }).fill('Your invoice')
    await panel.getByRole('textbox', { name: 'Body', exact: true }).fill('Please find it attached.')
    await expect.poll(status, { timeout: 5_000 }).not.toMatch(/errors?/)
    await page.waitForTimeout(300) // the labels' colour fades back from red
    await page.screenshot({ path: shot('desktop-designer-settings') })
    await page.getByRole('button', { name: 'Undo' }).click()
    await expect.poll(status, { timeout: 5_000 }).toMatch(/1 error/)
    expect(await panel.getByRole('textbox', { name: 'Body', exact: true }).innerText()).toBe('')
    await page.getByRole('button', { name: 'Redo' }).click()
    await expect.poll(status, { timeout: 5_000 }).not.toMatch(/errors?/)
    await page.getByRole('button', { name: 'Undo' }).click()
    await page.getByRole('button', { name: 'Undo' }).click()
    await expect.poll(status, { timeout: 5_000 }).toMatch(/\d+ errors?/)
    // The problems list names them; choosing one selects the node.
    const problemsList = await visible(page.getByRole('region', { name: 'Problems' }))
    // A click on the empty canvas (below the columns) selects nothing.
    const pane = page.locator('.react-flow__pane')
    const paneBox = (await pane.boundingBox()) ?? { width: 0, height: 0 }
    await pane.click({ position: { x: paneBox.width / 2, y: paneBox.height - 12 } })
    await visible(page.getByText('Select a rule or trigger to see its settings.'))
    await problemsList.getByRole('button').first().click()
    await visible(panel.getByRole('heading', { name: 'Send email to client' }))

    // Selected and deleted with the keyboard: the errors go with it.
    await email.click()
    await page.keyboard.press('Delete')
    await email.waitFor({ state: 'detached' })
    await expect.poll(() => page.getByTestId('designer-status').innerText(), { timeout: 5_000 }).not.toMatch(/errors?/)

    // Copy and paste (through the system clipboard), duplicate with D; each one undo step.
    const invoiceRules = page.locator('[data-kind="rule"][aria-label="Rule Send the invoice for signing"]')
    await invoiceRules.first().click()
    await page.keyboard.press('Control+c')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Control+v')
    await expect.poll(() => invoiceRules.count(), { timeout: 5_000 }).toBe(2)
    await page.keyboard.press('d')
    await expect.poll(() => invoiceRules.count(), { timeout: 5_000 }).toBe(3)
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('"kind":"signflow-nodes"')
    await page.keyboard.press('Control+z')
    await page.keyboard.press('Control+z')
    await expect.poll(() => invoiceRules.count(), { timeout: 5_000 }).toBe(1)

    // The keyboard walks the nodes: arrows between them, Enter to their settings.
    await page.keyboard.press('Escape')
    await page.keyboard.press('ArrowRight')
    const panelTitle = panel.getByRole('heading', { level: 3 })
    await expect.poll(() => panelTitle.innerText(), { timeout: 5_000 }).toBe('Send the invoice for signing')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => panelTitle.innerText(), { timeout: 5_000 }).toBe('Signed by the company representative')
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => panelTitle.innerText(), { timeout: 5_000 }).toBe('Send the invoice for signing')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe(
      'Send the invoice for signing',
    )
    await page.getByTestId('flow-canvas').focus()

    // A palette item dragged onto a column lands there.
    // (HTML drag and drop, as the browser fires it: dragstart on the item, dragover and drop on the column.)
    const palette = page.getByRole('complementary', { name: 'Palette' })
    const task = palette.locator('li[data-type="createTask"]')
    const column = page.getByRole('group', { name: 'Stage New' })
    await column.scrollIntoViewIfNeeded()
    const box = (await column.boundingBox()) ?? { x: 0, y: 0, width: 0, height: 0 }
    const point = { clientX: box.x + box.width / 2, clientY: box.y + box.height * 0.6 }
    const dataTransfer = await page.evaluateHandle(() => new DataTransfer())
    await task.dispatchEvent('dragstart', { dataTransfer })
    await column.dispatchEvent('dragover', { dataTransfer, ...point })
    await column.dispatchEvent('drop', { dataTransfer, ...point })
    const added = await visible(page.locator('[data-kind="rule"][aria-label="Rule Create task"]'))
    expect(await added.evaluate((el) => el.closest('.react-flow__node')?.getAttribute('data-id'))).toBe('createTask')
    await page.getByRole('button', { name: 'Undo' }).click()
    await added.waitFor({ state: 'detached' })
    // Several picked with Ctrl-click and dragged at once: all added, in one undo step.
    await palette.locator('li[data-type="sendSms"]').click({ modifiers: ['Control'] })
    await palette.locator('li[data-type="createTask"]').click({ modifiers: ['Control'] })
    expect(await palette.locator('li[aria-selected="true"]').count()).toBe(2)
    const many = await page.evaluateHandle(() => new DataTransfer())
    await task.dispatchEvent('dragstart', { dataTransfer: many })
    await column.dispatchEvent('dragover', { dataTransfer: many, ...point })
    await column.dispatchEvent('drop', { dataTransfer: many, ...point })
    await visible(page.locator('[data-kind="rule"][aria-label="Rule Create task"]'))
    await visible(page.locator('[data-kind="rule"][aria-label="Rule Send SMS to client"]'))
    await page.getByRole('button', { name: 'Undo' }).click()
    await page.locator('[data-kind="rule"][aria-label="Rule Send SMS to client"]').waitFor({ state: 'detached' })
    expect(await page.locator('[data-kind="rule"][aria-label="Rule Create task"]').count()).toBe(0)

    // Saved by itself a moment after the last change: the server holds the draft with the new stage and its trigger.
    await expect.poll(() => page.getByTestId('designer-status').innerText(), { timeout: 10_000 }).toMatch(/all saved/)
    const flow = (await (await fetch(`${server.url}/api/flows/invoice-signing`)).json()) as { draft: Graph }
    expect(flow.draft.pipeline.stages.map((s) => s.name)).toEqual(['New', 'Invoice', 'Sent', 'Signed', 'Lost'])
    const sent = flow.draft.pipeline.stages.find((s) => s.name === 'Sent')
    expect(sent?.triggers.map((t) => t.type)).toEqual(['signedByCompany'])
    expect(sent?.rules).toEqual([])
    expect(await page.getByTestId('designer-status').innerText()).toMatch(/all saved/)

    // Exported as a file that validates; published as the next version; a file imported in its place, undone.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('invoice-signing.json')
    const exported = importGraph(readFileSync((await download.path()) as string, 'utf8'))
    expect(exported.valid).toBe(true)
    expect(exported.graph?.pipeline.stages.map((s) => s.name)).toEqual(['New', 'Invoice', 'Sent', 'Signed', 'Lost'])
    await page.getByRole('button', { name: 'Publish…' }).click()
    await page.getByLabel('Note (what changed and why)').fill('A "Sent" stage')
    await page.getByRole('dialog').getByRole('button', { name: 'Publish', exact: true }).click()
    await visible(page.getByRole('alert').filter({ hasText: 'Published as version 2' }))
    const versions = (await (await fetch(`${server.url}/api/flows/invoice-signing/versions`)).json()) as {
      items: Array<{ number: number; note: string | null }>
    }
    expect(versions.items.at(-1)).toMatchObject({ number: 2, note: 'A "Sent" stage' })
    await page
      .getByTestId('import-file')
      .setInputFiles(fileURLToPath(new URL('../shared/fixtures/invoice-signing.json', import.meta.url)))
    await visible(page.getByRole('alert').filter({ hasText: 'invoice-signing.json imported' }))
    await expect.poll(() => stages(page).count(), { timeout: 5_000 }).toBe(4)
    await page.getByRole('button', { name: 'Undo' }).click()
    await expect.poll(() => stages(page).count(), { timeout: 5_000 }).toBe(5)
    expect(problems).toEqual([])
  }, 60_000)

  it('fits a phone screen: the canvas pans inside its frame', async () => {
    const page = await open(PHONE)
    await chooseInvoiceFlow(page)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    await page.getByTestId('flow-canvas').scrollIntoViewIfNeeded()
    await page.getByRole('listbox').waitFor({ state: 'detached' })
    await page.screenshot({ path: shot('phone-designer-flow') })
    expect(problems).toEqual([])
  })
})
