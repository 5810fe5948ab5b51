/**
 * The template editor in a real Chromium against the demo server: a PDF made here is uploaded as a new
 * template; a text field bound to the title and a client signature box are dragged onto its first page, moved,
 * resized and nudged with the keyboard; a refused save shows the server's problem at the field it names; the
 * template is saved, reloaded with every field where it was put (and inside the page by the API's answer), and
 * previewed with a sample. A template started from the built-in invoice gets its layout. A read-only session
 * sees the list and the layout, and can change nothing. Screenshots go to e2e/screenshots/ and docs/screenshots/.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/http/serve.js'
import { launchBrowser } from './support/browser.js'
import { type DemoServer, startDemoServer } from './support/server.js'
import { docShot } from './support/shots.js'
import { visible } from './support/wait.js'

let demo: DemoServer | undefined
let server: RunningServer
let browser: Browser
let context: BrowserContext | undefined
/** The template made by the first test, opened read-only by the last. */
let madeId = ''

const LETTER = { width: 612, height: 792 }

beforeAll(async () => {
  demo = await startDemoServer('templates')
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

/** A small two-page US Letter PDF, like a client's own contract form. */
async function agreementPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create()
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const bold = await doc.embedFont(StandardFonts.HelveticaBold)
  for (const n of [1, 2]) {
    const page = doc.addPage([LETTER.width, LETTER.height])
    page.drawText(n === 1 ? 'SERVICE AGREEMENT' : 'TERMS', { x: 60, y: 720, size: 22, font: bold })
    for (let line = 0; line < 14; line++) {
      page.drawLine({
        start: { x: 60, y: 640 - line * 24 },
        end: { x: 552, y: 640 - line * 24 },
        color: rgb(0.85, 0.85, 0.85),
      })
    }
    page.drawText(n === 1 ? 'Subject:' : 'Page two of the agreement.', { x: 60, y: 660, size: 11, font })
    if (n === 1) page.drawText('Client signature:', { x: 376, y: 162, size: 10, font })
  }
  return Buffer.from(await doc.save())
}

async function open(hash: string): Promise<{ page: Page; problems: string[] }> {
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
  })
  await page.goto(`${server.url}/${hash}`)
  return { page, problems }
}

/** A field's box on page 1 in points from the page's top-left corner, read from the screen. */
async function boxInPoints(page: Page, id: string) {
  const overlay = page.getByTestId('template-page-1')
  const scale = Number(await overlay.getAttribute('data-scale'))
  const o = (await overlay.boundingBox())!
  const b = (await page.locator(`[data-field-id="${id}"]`).boundingBox())!
  return { x: (b.x - o.x) / scale, y: (b.y - o.y) / scale, width: b.width / scale, height: b.height / scale, scale }
}

/** Drags by (dx, dy) pixels from the middle of what `selector` finds, in small steps as a hand does. */
async function dragBy(page: Page, selector: string, dx: number, dy: number) {
  await page.locator(selector).scrollIntoViewIfNeeded()
  const b = (await page.locator(selector).boundingBox())!
  const x = b.x + b.width / 2
  const y = b.y + b.height / 2
  await page.mouse.move(x, y)
  await page.mouse.down()
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 5 })
  await page.mouse.move(x + dx, y + dy, { steps: 5 })
  await page.mouse.up()
}

async function drawn(page: Page) {
  await visible(page.getByTestId('template-page-1').locator('canvas'))
  // pdf.js has drawn something on the canvas (not all white).
  await expect
    .poll(() =>
      page
        .getByTestId('template-page-1')
        .locator('canvas')
        .evaluate((c: HTMLCanvasElement) => {
          const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data
          if (!data) return false
          for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) return true
          return false
        }),
    )
    .toBe(true)
}

describe('the template editor', () => {
  it('places, moves and resizes fields on an uploaded PDF, saves them and finds them where they were put', async () => {
    const { page, problems } = await open('#/templates')
    const list = page.locator('section[aria-labelledby="templates-title"]')
    await visible(list.getByRole('link', { name: 'Invoice', exact: true }))
    expect(await page.getByTestId('template-row-tpl-contract').innerText()).toContain('Built in')

    // A new template from a PDF of ours.
    await page.getByRole('button', { name: 'New template…' }).click()
    const dialog = page.getByRole('dialog', { name: 'New template' })
    await dialog.locator('input[type="file"]').setInputFiles({
      name: 'service-agreement.pdf',
      mimeType: 'application/pdf',
      buffer: await agreementPdf(),
    })
    await dialog.getByLabel('Name', { exact: true }).fill('Service agreement')
    await dialog.getByRole('button', { name: 'Place the fields' }).click()
    await visible(page.getByRole('heading', { name: 'New template' }))
    await drawn(page)
    expect(await page.getByText('Page 2 of 2 · 612 × 792 points').count()).toBe(1)

    // A text field dropped by the subject line, bound to the title with "…".
    const sheet = page.getByTestId('template-page-1')
    const scale = Number(await sheet.getAttribute('data-scale'))
    await page.getByTestId('palette-element-text').dragTo(sheet, { targetPosition: { x: 260 * scale, y: 130 * scale } })
    await visible(page.locator('[data-field-id="text-1"]'))
    const settings = page.getByRole('region', { name: 'Field settings' })
    await settings.getByRole('button', { name: 'Choose what this text shows' }).click()
    await page.getByRole('combobox', { name: 'Search fields' }).fill('Title')
    await page
      .getByRole('option', { name: /^Title/ })
      .first()
      .click()
    expect(await settings.getByRole('textbox', { name: 'Shows' }).inputValue()).toBe('Title')
    expect(await page.locator('[data-field-id="text-1"]').innerText()).toBe('{Title}')

    // A client signature box dropped by "Client signature:".
    await page
      .getByTestId('palette-client-signature')
      .dragTo(sheet, { targetPosition: { x: 420 * scale, y: 600 * scale } })
    const signature = page.locator('[data-field-id="signature-1"]')
    await visible(signature)
    expect(await signature.getAttribute('aria-label')).toBe('Client signature, page 1')
    const dropped = await boxInPoints(page, 'signature-1')
    expect(dropped.x + dropped.width / 2).toBeCloseTo(420, -1)
    expect(dropped.y + dropped.height / 2).toBeCloseTo(600, -1)

    // Moved with the mouse, then ten points left with Shift+←; a drag past the edge stops at it.
    await dragBy(page, '[data-field-id="signature-1"]', 40 * scale, 30 * scale)
    const moved = await boxInPoints(page, 'signature-1')
    expect(moved.x - dropped.x).toBeCloseTo(40, -1)
    expect(moved.y - dropped.y).toBeCloseTo(30, -1)
    await signature.focus()
    await page.keyboard.press('Shift+ArrowLeft')
    expect((await boxInPoints(page, 'signature-1')).x).toBeCloseTo(moved.x - 10, 0)
    await dragBy(page, '[data-field-id="signature-1"]', 0, 900 * scale)
    const atBottom = await boxInPoints(page, 'signature-1')
    expect(atBottom.y + atBottom.height).toBeCloseTo(LETTER.height, 0)
    await dragBy(page, '[data-field-id="signature-1"]', 0, -(110 * scale))
    expect((await boxInPoints(page, 'signature-1')).y).toBeCloseTo(atBottom.y - 110, -1)

    // The text field made wider and taller from its corner.
    await page.locator('[data-field-id="text-1"]').click()
    const before = await boxInPoints(page, 'text-1')
    await dragBy(page, '[data-field-id="text-1"] [data-testid="resize-handle"]', 100 * scale, 8 * scale)
    const resized = await boxInPoints(page, 'text-1')
    expect(resized.x).toBeCloseTo(before.x, 0)
    expect(resized.width - before.width).toBeCloseTo(100, -1)
    expect(resized.height - before.height).toBeCloseTo(8, -1)
    await settings.getByLabel('Font size, points', { exact: true }).fill('12')
    await settings.getByLabel('Font size, points', { exact: true }).press('Enter')

    // The first save of this template is refused by (a stand-in for) the server: the problem shows at its field.
    await page.route('**/api/templates', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 422,
            contentType: 'application/json',
            body: JSON.stringify({
              error: { code: 'invalid', message: 'The field runs off the bottom of page 1.', path: '/fields/1/y' },
            }),
          })
        : route.fallback(),
    )
    await page.getByRole('button', { name: 'Save the template' }).click()
    await visible(settings.getByText('The field runs off the bottom of page 1.'))
    expect(await settings.getByTestId('field-panel').getByRole('heading').innerText()).toBe('Client signature')
    expect(await signature.getAttribute('aria-invalid')).toBe('true')
    await page.unroute('**/api/templates')

    // Saved for real: the editor opens it by its new id.
    await page.getByRole('button', { name: 'Save the template' }).click()
    await page.waitForURL(/#\/templates\/tpl-/)
    madeId = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '')
    await visible(page.getByRole('heading', { name: 'Service agreement' }))
    await drawn(page)
    const placed = { text: await boxInPoints(page, 'text-1'), signature: await boxInPoints(page, 'signature-1') }
    await page.locator('[data-field-id="text-1"]').click()
    await page.getByTestId('template-pages').evaluate((e) => e.scrollTo(0, 0))
    await docShot(page.locator('section[aria-labelledby="template-editor-title"]'), 'template-editor')

    // Reloaded: every field where it was put.
    await page.reload()
    await drawn(page)
    for (const id of ['text-1', 'signature-1'] as const) {
      const again = await boxInPoints(page, id)
      const was = id === 'text-1' ? placed.text : placed.signature
      for (const k of ['x', 'y', 'width', 'height'] as const) expect(again[k]).toBeCloseTo(was[k], 0)
    }

    // The API has them in points from the top-left corner, inside the page.
    const template = (await (await fetch(`${server.url}/api/templates/${madeId}`)).json()) as {
      name: string
      type: string
      fields: Array<{
        id: string
        kind: string
        x: number
        y: number
        width: number
        height: number
        [k: string]: unknown
      }>
    }
    expect(template).toMatchObject({ name: 'Service agreement', type: 'contract' })
    expect(template.fields.map((f) => [f.id, f.kind, f.bind ?? f.party])).toEqual([
      ['text-1', 'text', 'title'],
      ['signature-1', 'signature', 'client'],
    ])
    expect(template.fields[0]?.fontSize).toBe(12)
    for (const f of template.fields) {
      expect(f.x).toBeGreaterThanOrEqual(0)
      expect(f.y).toBeGreaterThanOrEqual(0)
      expect(f.x + f.width).toBeLessThanOrEqual(LETTER.width)
      expect(f.y + f.height).toBeLessThanOrEqual(LETTER.height)
      const shown = f.id === 'text-1' ? placed.text : placed.signature
      expect(f.x).toBeCloseTo(shown.x, 0)
      expect(f.y).toBeCloseTo(shown.y, 0)
    }

    // Previewed with a sample: the title is drawn in the text field, the pages marked as not valid.
    await page.getByRole('button', { name: 'Preview with a sample…' }).click()
    const preview = page.getByRole('dialog', { name: 'Preview with a sample' })
    await preview.getByLabel('Title', { exact: true }).fill('Office cleaning 2027')
    const href = (await preview.getByRole('link', { name: 'Open the preview' }).getAttribute('href')) ?? ''
    expect(await preview.getByRole('link', { name: 'Open the preview' }).getAttribute('target')).toBe('_blank')
    const pdf = await fetch(new URL(href, server.url))
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    const file = join((demo as DemoServer).dir, 'template-preview.pdf')
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()))
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    expect(text).toContain('Office cleaning 2027')
    expect(text).toContain('PREVIEW')
    await page.keyboard.press('Escape')

    // The list shows it with its two fields.
    await page.getByRole('link', { name: '← Templates' }).click()
    const row = page.getByTestId(`template-row-${madeId}`)
    await visible(row)
    expect((await row.innerText()).replace(/\s+/g, ' ')).toMatch(/Service agreement Contract Uploaded PDF .* 2/)
    await docShot(list, 'templates')
    // Only the refusal staged above reached the console.
    expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([])
  })

  it('starts a template from the built-in invoice: its layout on a plain page, saved as it is', async () => {
    const { page, problems } = await open('#/templates')
    // The built-in one, drawn for a sample, offers to make one's own from it.
    await page.getByTestId('template-row-tpl-invoice').getByRole('link', { name: 'Invoice' }).click()
    await visible(page.getByRole('heading', { name: 'Invoice' }))
    await visible(page.locator('[data-testid="pdf-pages"][data-state="shown"]'))
    await page.getByRole('button', { name: 'Make my own from this one…' }).click()
    const dialog = page.getByRole('dialog', { name: 'New template' })
    expect(await dialog.getByLabel('Name', { exact: true }).inputValue()).toBe('My invoice')
    await dialog.getByRole('button', { name: 'Place the fields' }).click()
    await drawn(page)
    const fields = page.getByTestId('template-page-1').locator('[data-field-id]')
    expect(await fields.count()).toBe(17)
    await visible(page.locator('[data-field-id="client-signature"]'))
    await page.getByRole('button', { name: 'Save the template' }).click()
    await page.waitForURL(/#\/templates\/tpl-/)
    const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '')
    const template = (await (await fetch(`${server.url}/api/templates/${id}`)).json()) as {
      type: string
      fields: Array<{ id: string; bind?: string }>
    }
    expect(template.type).toBe('invoice')
    expect(template.fields).toHaveLength(17)
    expect(template.fields.find((f) => f.id === 'subject')?.bind).toBe('title')
    await drawn(page)
    expect(problems).toEqual([])
  })

  it('shows a read-only session the list and the layout, with nothing to change', async () => {
    expect(madeId).not.toBe('')
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 })
    // The browser is told it is a read-only user's session (the UI follows the operations /api/me lists).
    await context.route('**/api/health', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify({ status: 'ok', signIn: true }) }),
    )
    await context.route('**/api/me', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          user: { id: 'u-reader', name: 'Rita Reader', email: 'rita@signflow.test', role: 'readOnly' },
          role: 'readOnly',
          via: 'session',
          operations: ['listTemplates', 'getTemplate', 'getFile'],
        }),
      }),
    )
    const page = await context.newPage()
    await page.goto(`${server.url}/#/templates`)
    await visible(page.getByTestId(`template-row-${madeId}`))
    expect(await page.getByRole('button', { name: 'New template…' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Make my own…' }).count()).toBe(0)

    await page.getByRole('link', { name: 'Service agreement' }).click()
    await drawn(page)
    expect(await page.getByRole('navigation', { name: 'Fields to place' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /^Save/ }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Preview with a sample…' }).count()).toBe(0)
    expect(await page.getByLabel('Name', { exact: true }).isDisabled()).toBe(true)
    const was = await boxInPoints(page, 'signature-1')
    await page.locator('[data-field-id="signature-1"]').click()
    await page.keyboard.press('ArrowRight')
    await dragBy(page, '[data-field-id="signature-1"]', 50, 50)
    const now = await boxInPoints(page, 'signature-1')
    expect(now.x).toBeCloseTo(was.x, 1)
    expect(now.y).toBeCloseTo(was.y, 1)
    expect(await page.getByRole('button', { name: 'Delete this field' }).count()).toBe(0)
    expect(await page.getByTestId('field-panel').getByLabel('Left', { exact: true }).isDisabled()).toBe(true)
  })
})
