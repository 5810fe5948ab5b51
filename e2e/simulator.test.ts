/**
 * The simulator in a real Chromium against the demo server: an analyst plays the seeds' flow (b) on a
 * deal copied from a real one — moved to Contract, signed by the director, two days later — and reads the
 * timeline, the counts and the lit node on the canvas, "why not?" and what waits, with no request but GETs
 * while it runs. They keep it as a scenario, break the flow, and see the scenario fail. Screenshots go to
 * e2e/screenshots/ and docs/screenshots/.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/http/serve.js'
import { launchBrowser } from './support/browser.js'
import { type DemoServer, startDemoServer } from './support/server.js'
import { docShot } from './support/shots.js'
import { visible } from './support/wait.js'

let demo: DemoServer | undefined
let server: RunningServer
let browser: Browser
let context: BrowserContext | undefined

beforeAll(async () => {
  demo = await startDemoServer('simulator')
  server = demo.server
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await context?.close()
  await browser?.close()
  await demo?.close()
})

async function choose(page: Page, scope: Locator, label: string, option: string) {
  await scope.getByRole('combobox', { name: label, exact: true }).click()
  await page.getByRole('option', { name: option, exact: true }).click()
  await page.getByRole('listbox').waitFor({ state: 'detached' })
}

/** The scenario the demo keeps next to flow (b): the fixture's. */
const SEED_SCENARIO = 'Contract: the director signs, the deal moves to Sent, the client gets the link and a reminder'

describe('the simulator', () => {
  it('plays flow (b) on a copied deal, explains it, keeps it as a scenario that fails once the flow breaks', async () => {
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
    })
    await page.goto(`${server.url}/`)
    await choose(page, page.locator('body'), 'Pipeline', 'Contract: director first, then the client')
    await visible(page.getByRole('group', { name: 'Stage Contract' }))

    // From here until the scenario is kept, the browser only reads.
    const writes: string[] = []
    const gets: string[] = []
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url)) return
      if (request.method() === 'GET') gets.push(new URL(request.url()).pathname)
      else writes.push(`${request.method()} ${request.url()}`)
    })
    await page.getByRole('button', { name: 'Simulate', exact: true }).click()
    const controls = page.getByRole('complementary', { name: 'Simulation' })
    const results = page.getByTestId('simulator-results')
    await visible(controls)

    // The sample: a real deal of this pipeline, copied (read only).
    await controls.getByRole('button', { name: 'Copy a real element…' }).click()
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /Annual service contract/ })
      .click()
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    expect(await controls.getByLabel('Client: name', { exact: true }).inputValue()).toBe('İğdır Şirketi')
    expect(gets.some((p) => p.startsWith('/api/elements/'))).toBe(true)

    // Moved to Contract: the contract is made and the director asked, with the client's name in the text.
    await choose(page, controls, 'Move to', 'Contract')
    await controls.getByRole('button', { name: 'Move', exact: true }).click()
    const timeline = page.getByTestId('simulator-timeline')
    await visible(timeline.getByText(/"Create the contract" done/))
    await visible(
      timeline.getByText(/would send notification to u-director: "Please sign contract CON-0001 for İğdır Şirketi/),
    )
    const card = (title: string) => page.locator(`article[aria-label="${title}"]`)
    expect(await card('Rule Create the contract').getByTestId('sim-stats').innerText()).toBe('ran 1')
    expect(await card('Rule Ask the director to sign').getByTestId('sim-stats').innerText()).toBe('ran 1')

    // The director signs: the deal moves to Sent, the client gets the link, the reminder waits two days.
    await choose(page, controls, 'Event', 'Signed by the company')
    await choose(page, controls, 'Document', 'Contract')
    await controls.getByRole('button', { name: 'Fire the event' }).click()
    await visible(results.getByText(/is in “Sent”/))
    expect(await card('Trigger Director signed the contract').getByTestId('sim-stats').innerText()).toBe('fired 1')
    const schedule = page.getByTestId('simulator-schedule')
    await visible(schedule.getByText(/“Remind the client after 2 days” at /))

    // A line of the timeline lights its node on the canvas and shows what it carried.
    await timeline.getByText(/would send link to/).click()
    await expect.poll(() => card('Rule Send the contract to the client').getAttribute('data-lit')).toBe('true')
    await visible(timeline.getByText(/Link by email to info@igdir\.com\.tr/))
    await docShot(page, 'simulator')

    // The contract that would have been made, as a PDF drawn for this sample (a GET; nothing is stored).
    await timeline.getByText(/would send document from tpl-contract/).click()
    const preview = timeline.getByRole('link', { name: 'Preview the PDF' })
    const href = (await preview.getAttribute('href')) ?? ''
    const pdf = await fetch(new URL(href, server.url))
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    const pdfFile = join((demo as DemoServer).dir, 'preview.pdf')
    writeFileSync(pdfFile, Buffer.from(await pdf.arrayBuffer()))
    const text = execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' })
    expect(text).toContain('İğdır Şirketi')
    expect(text).toContain('PREVIEW')

    // Why not? The client's signature trigger: nothing set it off yet.
    await card('Trigger Client signed the contract').click()
    await results.getByRole('tab', { name: 'Why not?' }).click()
    await visible(
      page
        .getByTestId('why-not')
        .getByText('Nothing set it off: it waits for the client signing, and none happened to this element.'),
    )
    await card('Rule Remind the client after 2 days').click()
    await visible(
      page.getByTestId('why-not').getByText(/^It is waiting until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d/),
    )
    await docShot(results, 'simulator-why-not')

    // Two days later, in working hours, the reminder goes by SMS.
    await controls.getByRole('button', { name: 'To the next due rule' }).click()
    await results.getByRole('tab', { name: 'Timeline' }).click()
    await visible(timeline.getByText(/would send SMS to \+90 555 000 00 00: "Reminder: the contract is waiting/))
    expect(await card('Rule Remind the client after 2 days').getByTestId('sim-stats').innerText()).toBe('ran 1')
    // Step back and forth: reset replays nothing, play replays all.
    await controls.getByRole('button', { name: 'Reset' }).click()
    await visible(results.getByText(/is in “New”/))
    await controls.getByRole('button', { name: 'Step' }).click()
    await visible(results.getByText(/is in “Contract”/))
    await controls.getByRole('button', { name: 'Play' }).click()
    await visible(results.getByText(/is in “Sent”/))
    expect(writes).toEqual([])

    // Kept as a scenario: it ends in Sent, with one email and one SMS.
    await results.getByRole('tab', { name: 'Scenario' }).click()
    const keep = page.getByTestId('keep-scenario')
    for (const label of ['Ends in "Sent"', '1 email', '1 SMS']) await keep.getByLabel(label, { exact: true }).check()
    await keep.getByLabel('Scenario name').fill('Director first, then the client')
    await keep.getByRole('button', { name: 'Keep' }).click()
    await visible(keep.getByText('Kept as “Director first, then the client”.'))
    expect(writes).toEqual([expect.stringMatching(/^PUT .*\/api\/flows\/director-then-client\/scenarios\//)])
    await keep.getByRole('button', { name: 'Run all scenarios' }).click()
    const outcome = keep.getByTestId('scenario-results')
    await visible(outcome.getByText('✓ Director first, then the client'))
    // The demo keeps the fixture's scenario next to the flow too.
    await visible(outcome.getByText(`✓ ${SEED_SCENARIO}`))
    await docShot(results, 'simulator-scenario')

    // The flow broken: the director's trigger now waits for an invoice. The scenario fails, and says why.
    await page.getByRole('button', { name: 'Design', exact: true }).click()
    await card('Trigger Director signed the contract').click()
    await choose(page, page.getByTestId('settings-panel'), 'Document type', 'Invoice')
    await page.getByRole('button', { name: 'Simulate', exact: true }).click()
    await results.getByRole('tab', { name: 'Scenario' }).click()
    await keep.getByRole('button', { name: 'Run all scenarios' }).click()
    await visible(outcome.getByText('✗ Director first, then the client'))
    await visible(outcome.getByText(`✗ ${SEED_SCENARIO}`))
    await visible(
      outcome.locator('li', { hasText: 'Director first, then the client' }).getByText(/is in "Contract", not "Sent"/),
    )
    // The publish dialog says so too.
    await page.getByRole('button', { name: 'Design', exact: true }).click()
    await page.getByRole('button', { name: 'Publish…' }).click()
    await visible(
      page.getByTestId('publish-scenarios').getByText(/^2 of 2 scenarios fail: .*“Director first, then the client”/),
    )
    expect(problems).toEqual([])
  }, 120_000)
})
