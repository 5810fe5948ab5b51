/**
 * Signing end to end, as the issue tells it, against the real server (sign-in on, demo data, SQLite, the
 * loopback SMTP catcher): an analyst publishes the invoice flow with a "Sent" stage; a deal enters
 * "Invoice"; the invoice is made and its signing link emailed to the director, who signs on a desktop
 * (typed); a trigger moves the deal to "Sent"; the client opens the link the SMTP server received on a
 * phone-sized Chromium, agrees, draws a signature and signs; the deal moves to "Signed"; the final PDF reads
 * back with both parties and the certificate page (`pdftotext`), `qpdf --check` is clean, and `pdfsig`
 * finds the platform's seal valid. Screenshots go to e2e/screenshots/.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Graph } from '../shared/graph/graph.js'
import { launchBrowser } from './support/browser.js'
import { startWorkingDemo, type WorkingDemo } from './support/server.js'
import { until, visible as waitVisible } from './support/wait.js'

const SCREENSHOTS = new URL('./screenshots/', import.meta.url)
const shot = (name: string) => new URL(`${name}.png`, SCREENSHOTS).pathname
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }
const DEAL = 'invoice-signing:deal-1'

/** Documents render in the page: a little longer than the usual wait. */
const visible = (locator: Locator) => waitVisible(locator, 20_000)

let demo: WorkingDemo
let browser: Browser
let context: BrowserContext | undefined
let cookie = ''
const problems: string[] = []

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  demo = await startWorkingDemo('signing')
  cookie = await demo.cookieOf('anna@signflow.test')
  browser = await launchBrowser()
}, 90_000)

afterEach(async () => {
  await context?.close()
  context = undefined
})

afterAll(async () => {
  await browser?.close()
  await demo?.close()
})

/** Anna, signed in, through the API as the web app calls it. */
const api = (method: string, path: string, body?: unknown) => demo.api(cookie, method, path, body)

async function openLink(link: string, viewport: { width: number; height: number }): Promise<Page> {
  context = await browser.newContext({
    viewport,
    deviceScaleFactor: viewport === PHONE ? 2 : 1,
    hasTouch: viewport === PHONE,
    isMobile: viewport === PHONE,
  })
  const page = await context.newPage()
  problems.length = 0
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  await page.goto(link)
  return page
}

const linkIn = (body: string) => /(http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]+)/.exec(body)?.[1]

async function emailTo(address: string, subject: RegExp) {
  return until(`an email to ${address}`, async () => {
    const messages = (await api('GET', '/api/messages')).body.items as Array<{
      to: string
      subject: string
      body: string
    }>
    return messages.find((m) => m.to === address && subject.test(m.subject ?? ''))
  })
}

async function stageOf(id: string): Promise<string> {
  return (await api('GET', `/api/elements/${encodeURIComponent(id)}`)).body.stage as string
}

function tool(name: string, args: string[]): string {
  try {
    return execFileSync(name, args, { encoding: 'utf8' })
  } catch (error) {
    // pdfsig exits 1 for a signature it cannot trust (ours is self-signed); its report is still printed.
    const e = error as { stdout?: string; status?: number }
    if (typeof e.stdout === 'string' && e.stdout !== '') return e.stdout
    throw error
  }
}

describe('signing an invoice', () => {
  it('goes from "Invoice" to "Sent" to "Signed" as the director, then the client on a phone, sign', async () => {
    // The analyst adds a "Sent" stage: signed by the company moves the deal there.
    const flow = (await api('GET', '/api/flows/invoice-signing')).body as { draft: Graph }
    const graph = structuredClone(flow.draft)
    const stages = graph.pipeline.stages
    const at = stages.findIndex((s) => s.id === 'signed')
    stages.splice(at, 0, {
      id: 'sent',
      name: 'Sent',
      color: '#ef6c00',
      kind: 'inProgress',
      triggers: [
        {
          id: 'company-signed',
          type: 'signedByCompany',
          title: 'Signed by the director',
          changeStageAs: { mode: 'responsible' },
          allowReturn: false,
          settings: { documentType: 'invoice' },
        },
      ],
      rules: [],
    } as (typeof stages)[number])
    const published = await api('POST', '/api/flows/invoice-signing/versions', { graph })
    expect(published.status, JSON.stringify(published.body)).toBe(201)

    // The deal enters "Invoice": the invoice is made and sent to the director.
    expect((await api('POST', `/api/elements/${encodeURIComponent(DEAL)}/move`, { stage: 'invoice' })).status).toBe(200)
    const toDirector = await emailTo('anna@signflow.test', /^Please sign Invoice/)
    const directorLink = linkIn(toDirector.body) ?? ''
    expect(directorLink).not.toBe('')

    const desk = await openLink(directorLink, DESKTOP)
    await visible(desk.getByRole('heading', { name: /^Invoice INV-2026-\d{4}$/ }))
    await visible(desk.getByTestId('pdf-pages').locator('canvas'))
    await desk.waitForSelector('[data-testid="pdf-pages"][data-state="shown"]', { timeout: 20_000 })
    expect(await desk.getByTestId('disclosure').innerText()).toMatch(/simple electronic signature/)
    await desk.screenshot({ path: shot('desktop-signing-consent'), fullPage: true })
    await desk.getByLabel('I agree to sign this document electronically').check()
    await desk.getByRole('button', { name: 'Continue' }).click()
    await desk.getByRole('tab', { name: 'Type' }).click()
    await desk.getByLabel('Your full name').fill('Anna Kowalska')
    await desk.screenshot({ path: shot('desktop-signing-typed'), fullPage: true })
    await desk.getByRole('button', { name: 'Sign', exact: true }).click()
    await visible(desk.getByRole('heading', { name: 'You have signed' }))
    expect(problems).toEqual([])

    // Signed by the company: the trigger moves the deal to "Sent"; the client's email arrives.
    await until('the deal in "Sent"', async () => ((await stageOf(DEAL)) === 'sent' ? true : undefined))
    const toClient = await emailTo('biuro@zazolc.pl', /^Please sign Invoice/)
    const clientLink = linkIn(toClient.body) ?? ''
    expect(clientLink).not.toBe(directorLink)

    const phone = await openLink(clientLink, PHONE)
    await visible(phone.getByRole('heading', { name: /^Invoice INV-2026-\d{4}$/ }))
    await phone.waitForSelector('[data-testid="pdf-pages"][data-state="shown"]', { timeout: 20_000 })
    // Nothing wider than the phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    await phone.screenshot({ path: shot('phone-signing-consent') })
    await phone.getByLabel('I agree to sign this document electronically').check()
    await phone.getByRole('button', { name: 'Continue' }).click()
    const pad = await visible(phone.getByTestId('signature-pad'))
    await pad.scrollIntoViewIfNeeded()
    const box = (await pad.boundingBox()) ?? { x: 0, y: 0, width: 300, height: 150 }
    // A signature drawn with a finger: a few strokes across the pad.
    await phone.mouse.move(box.x + 20, box.y + box.height * 0.6)
    await phone.mouse.down()
    for (let i = 1; i <= 24; i++) {
      await phone.mouse.move(box.x + 20 + i * 11, box.y + box.height * (0.5 + 0.25 * Math.sin(i / 2)))
    }
    await phone.mouse.up()
    await phone.screenshot({ path: shot('phone-signing-drawn') })
    const sign = phone.getByRole('button', { name: 'Sign', exact: true })
    expect(await sign.isEnabled()).toBe(true)
    await sign.click()
    await visible(phone.getByRole('heading', { name: 'You have signed' }))
    expect(await phone.getByRole('status').innerText()).toMatch(/Everyone has signed/)
    // The pages shown now are the signed document's: the invoice and its certificate page.
    await phone.waitForSelector('[data-testid="pdf-pages"][data-state="shown"] canvas[data-page="2"]', {
      timeout: 20_000,
    })
    expect(await phone.getByTestId('pdf-pages').locator('canvas').count()).toBe(2)
    await phone.screenshot({ path: shot('phone-signed') })
    await phone.getByTestId('pdf-pages').locator('canvas[data-page="2"]').scrollIntoViewIfNeeded()
    await phone.screenshot({ path: shot('phone-signed-certificate') })
    expect(problems).toEqual([])

    // Signed by all: the deal moves to "Signed".
    await until('the deal in "Signed"', async () => ((await stageOf(DEAL)) === 'signed' ? true : undefined))
    const [doc] = (await api('GET', `/api/documents?element=${encodeURIComponent(DEAL)}`)).body.items as Array<{
      id: string
      status: string
      number: string
    }>
    expect(doc?.status).toBe('signed')
    const pdf = await fetch(`${demo.server.url}/api/documents/${doc?.id}/pdf?version=signed`, { headers: { cookie } })
    const file = join(demo.dir, 'signed.pdf')
    writeFileSync(file, new Uint8Array(await pdf.arrayBuffer()))
    const text = tool('pdftotext', ['-enc', 'UTF-8', file, '-'])
    expect(text).toContain('Certificate of completion')
    expect(text).toMatch(/Company signer: Anna Kowalska/)
    expect(text).toMatch(/Client: Zażółć Sp\. z o\.o\./)
    expect(text).toContain(doc?.number ?? '?')
    expect(tool('qpdf', ['--check', file])).toMatch(/No syntax or stream encoding errors/)
    const sig = tool('pdfsig', [file])
    expect(sig).toMatch(/Signature Validation: Signature is Valid\./)
    expect(sig).toMatch(/Signature Type: (ETSI\.CAdES\.detached|adbe\.pkcs7\.detached)/)
    // One changed byte inside the signed content: the seal says so.
    const bytes = readFileSync(file)
    const at2 = bytes.indexOf(Buffer.from('Certificate of completion'))
    const broken = Buffer.from(bytes)
    broken[at2 > 0 ? at2 : 200] = (broken[at2 > 0 ? at2 : 200] ?? 0) ^ 0x01
    writeFileSync(join(demo.dir, 'broken.pdf'), broken)
    expect(tool('pdfsig', [join(demo.dir, 'broken.pdf')])).not.toMatch(/Signature Validation: Signature is Valid\./)

    // A public link to the signed document opens without an account, on a phone.
    const link = await api('POST', `/api/documents/${doc?.id}/public-link`, { expiresInDays: 7 })
    expect(link.status).toBe(201)
    const reader = await openLink(link.body.url as string, PHONE)
    await visible(reader.getByRole('heading', { name: `Invoice ${doc?.number}` }))
    await reader.waitForSelector('[data-testid="pdf-pages"][data-state="shown"] canvas[data-page="2"]', {
      timeout: 20_000,
    })
    expect(await reader.getByText('Signed by everyone', { exact: false }).count()).toBe(1)
    await reader.screenshot({ path: shot('phone-public-document') })
    expect(problems).toEqual([])

    // Anyone can check the file on the verify page; the changed one is told apart.
    const verifier = await openLink(`${demo.server.url}/verify`, DESKTOP)
    await visible(verifier.getByRole('heading', { name: 'Check a signed document' }))
    await verifier.getByTestId('verify-file').setInputFiles(file)
    await visible(verifier.getByRole('heading', { name: 'Sealed by us and unchanged' }))
    expect(await verifier.getByTestId('verify-result').innerText()).toContain(`This is Invoice ${doc?.number}`)
    await verifier.screenshot({ path: shot('desktop-verify-good') })
    await verifier.getByTestId('verify-file').setInputFiles(join(demo.dir, 'broken.pdf'))
    await visible(verifier.getByRole('heading', { name: 'Changed after it was sealed' }))
    await verifier.screenshot({ path: shot('desktop-verify-changed') })
    expect(problems).toEqual([])
  }, 120_000)

  it('asks the client on a phone for the code texted to them before signing', async () => {
    const sent = await api('POST', `/api/elements/${encodeURIComponent('director-then-client:deal-7')}/signing`, {
      template: 'tpl-contract',
      companySigner: 'u-anna',
      channel: 'sms',
      signingOrder: 'parallel',
      oneTimeCode: true,
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const phone = await openLink(sent.body.clientSigningLink as string, PHONE)
    await visible(phone.getByRole('heading', { name: /^Contract CTR-2026-\d{4}$/ }))
    await phone.getByLabel('I agree to sign this document electronically').check()
    await phone.getByRole('button', { name: 'Continue' }).click()
    await (await visible(phone.getByRole('button', { name: 'Send me a code' }))).click()
    await visible(phone.getByRole('button', { name: 'Send a new code' }))
    const text = await until('the code by SMS', async () => {
      const messages = (await api('GET', '/api/messages')).body.items as Array<{ to: string; body: string }>
      return messages.find((m) => m.to === '+90 555 000 00 00' && /Your code to sign/.test(m.body))
    })
    const code = /: (\d{6})\./.exec(text.body)?.[1] ?? ''
    await phone.getByRole('tab', { name: 'Type' }).click()
    await phone.getByLabel('Your full name').fill('Mehmet Öztürk')
    const sign = phone.getByRole('button', { name: 'Sign', exact: true })
    expect(await sign.isEnabled()).toBe(false) // no code yet
    await phone.getByLabel('Code').fill(code)
    await phone.getByTestId('one-time-code').scrollIntoViewIfNeeded()
    await phone.screenshot({ path: shot('phone-signing-code') })
    await sign.click()
    await visible(phone.getByRole('heading', { name: 'You have signed' }))
    expect(problems).toEqual([])
  }, 60_000)
})
