/**
 * Signing in the client's language, end to end (issue 11), on the working demo: a Polish client (a contact
 * whose language is Polish) gets a Polish contract by email, opens the link on a phone-sized Chromium whose
 * own language is English, and the page speaks Polish — the notice is the Polish one, with its eIDAS wording;
 * a pick of English on the page changes the notice too, and back. She agrees, types her name and signs in
 * Polish; our signer signs too; the signed PDF reads back in Polish (`pdftotext`): "Umowa", the Polish
 * certificate page, amounts as Poles write them. Screenshots go to e2e/screenshots/ (phone-pl-*.png).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DISCLOSURE_SHA256 } from '../server/documents/signing.js'
import { launchBrowser } from './support/browser.js'
import { startWorkingDemo, type WorkingDemo } from './support/server.js'
import { until, visible as waitVisible } from './support/wait.js'

const SCREENSHOTS = new URL('./screenshots/', import.meta.url)
const shot = (name: string) => new URL(`${name}.png`, SCREENSHOTS).pathname
const PHONE = { width: 390, height: 844 }

/** Documents render in the page: a little longer than the usual wait. */
const visible = (locator: Locator) => waitVisible(locator, 20_000)

let demo: WorkingDemo
let browser: Browser
let context: BrowserContext | undefined
let anna = ''
const problems: string[] = []

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  demo = await startWorkingDemo('signing-pl')
  anna = await demo.cookieOf('anna@signflow.test')
  browser = await launchBrowser()
}, 90_000)

afterAll(async () => {
  await context?.close()
  await browser?.close()
  await demo?.close()
})

const api = (method: string, path: string, body?: unknown) => demo.api(anna, method, path, body)

async function emailTo(address: string, subject: RegExp): Promise<{ subject: string; body: string }> {
  return until(`an email to ${address}`, async () => {
    const messages = (await api('GET', '/api/messages')).body.items as Array<{
      to: string
      subject: string | null
      body: string
    }>
    const found = messages.find((m) => m.to === address && subject.test(m.subject ?? ''))
    return found ? { subject: found.subject ?? '', body: found.body } : undefined
  })
}

const linkIn = (body: string) => /(http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]+)/.exec(body)?.[1] ?? ''

/** A phone (or a desktop) whose browser speaks English (as Chromium does in these tests), unless told. */
async function openOnPhone(link: string, viewport = PHONE, locale = 'en-US'): Promise<Page> {
  await context?.close()
  const phone = viewport === PHONE
  context = await browser.newContext({
    viewport,
    deviceScaleFactor: phone ? 2 : 1,
    hasTouch: phone,
    isMobile: phone,
    locale,
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  await page.goto(link)
  return page
}

async function noOverflow(page: Page, width = PHONE.width) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
  // No words cut off: a button, heading, label, tab or chip shows all its text.
  const cut = await page.evaluate(() =>
    [...document.querySelectorAll('button, h1, h2, label, [role="tab"], .MuiChip-label, .MuiSelect-select')]
      .filter((e) => e instanceof HTMLElement && e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
      .map((e) => (e as HTMLElement).innerText),
  )
  expect(cut).toEqual([])
}

describe('signing in Polish', () => {
  it('shows a Polish client the page, the notice and the PDF in Polish, on a phone', async () => {
    expect(
      (
        await api('POST', '/api/contacts', {
          id: 'p-ola',
          name: 'Aleksandra Żółkiewska',
          email: 'ola@zolc.pl',
          language: 'pl',
        })
      ).status,
    ).toBe(201)
    const made = await api('POST', '/api/elements', {
      id: 'umowa-pl',
      pipelineId: 'invoice-signing',
      type: 'deal',
      title: 'Dostawa mebli biurowych',
      stage: 'new',
      responsible: 'u-anna',
      contactId: 'p-ola',
      fields: { amount: 12345.67, currency: 'PLN' },
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const sent = await api('POST', '/api/elements/umowa-pl/signing', {
      template: 'tpl-contract',
      companySigner: 'u-anna',
      channel: 'email',
      signingOrder: 'clientFirst',
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const number = sent.body.documentNumber as string

    // Her invitation is Polish.
    const invitation = await emailTo('ola@zolc.pl', /^Prośba o podpisanie: Umowa/)
    expect(invitation.body).toMatch(/^Dzień dobry,/)
    const page = await openOnPhone(linkIn(invitation.body))

    // The page speaks Polish, though the browser speaks English.
    await visible(page.getByRole('heading', { name: `Umowa ${number}` }))
    await page.waitForSelector('[data-testid="pdf-pages"][data-state="shown"]', { timeout: 20_000 })
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('pl')
    await visible(page.getByText('Signflow Demo spółka z ograniczoną odpowiedzialnością prosi o podpis'))
    await page.screenshot({ path: shot('phone-pl-top') })
    await visible(page.getByRole('heading', { name: 'Zanim podpiszesz' }))
    const notice = page.getByTestId('disclosure')
    expect(await notice.innerText()).toMatch(/zwykły podpis elektroniczny w rozumieniu rozporządzenia eIDAS/)
    expect(await page.getByText('Klient: Aleksandra Żółkiewska · otwarto').count()).toBe(1)
    expect(await page.title()).toBe(`Podpisz: Umowa ${number}`)
    await noOverflow(page)
    await notice.scrollIntoViewIfNeeded()
    await page.screenshot({ path: shot('phone-pl-notice') })

    // Picked English on the page: the notice is the English one; Polish again, and it is Polish again.
    await page.getByRole('combobox', { name: 'Język' }).click()
    await page.getByRole('option', { name: 'English' }).click()
    await visible(page.getByRole('heading', { name: 'Before you sign' }))
    await visible(notice.getByText(/^You are about to sign this document electronically/))
    await page.getByRole('combobox', { name: 'Language' }).click()
    await page.getByRole('option', { name: 'Polski' }).click()
    await visible(page.getByRole('heading', { name: 'Zanim podpiszesz' }))
    await visible(notice.getByText(/^Zamierzasz podpisać ten dokument elektronicznie/))

    // She agrees, types her name and signs, in Polish.
    await page.getByLabel('Zgadzam się podpisać ten dokument elektronicznie').check()
    await page.getByRole('button', { name: 'Dalej' }).click()
    await visible(page.getByRole('heading', { name: 'Podpisz dokument' }))
    await page.getByRole('tab', { name: 'Wpisz' }).click()
    await page.getByLabel('Imię i nazwisko').fill('Aleksandra Żółkiewska')
    await visible(page.getByText('Podpisujesz jako', { exact: false }))
    await noOverflow(page)
    await page.getByRole('button', { name: 'Podpisz', exact: true }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: shot('phone-pl-sign') })
    await page.getByRole('button', { name: 'Podpisz', exact: true }).click()
    await visible(page.getByRole('heading', { name: 'Dokument podpisany' }))
    expect(await page.getByRole('status').innerText()).toMatch(/Gdy wszyscy podpiszą/)
    await page.screenshot({ path: shot('phone-pl-signed') })

    // Our signer is written to in English (our company's language), and signs through the API.
    const toAnna = await emailTo('anna@signflow.test', new RegExp(`^Please sign Umowa ${number}`))
    const token = linkIn(toAnna.body).split('/').pop() ?? ''
    const publicCall = async (path: string, body: unknown) =>
      fetch(`${demo.server.url}/api/public/signing/${token}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'e2e' },
        body: JSON.stringify(body),
      })
    expect((await publicCall('/consent', { disclosureSha256: DISCLOSURE_SHA256 })).status).toBe(204)
    expect((await publicCall('/sign', { signature: { method: 'typed', text: 'Anna Kowalska' } })).status).toBe(200)

    // Everyone has signed: her page says so in Polish, and the signed PDF reads back in Polish.
    await page.reload()
    await visible(page.getByRole('heading', { name: 'Dokument podpisany' }))
    expect(await page.getByRole('status').innerText()).toMatch(/Wszyscy podpisali/)
    await visible(page.getByRole('link', { name: 'Sprawdź pieczęć podpisanego PDF' }))
    await page.waitForSelector('[data-testid="pdf-pages"][data-state="shown"]', { timeout: 20_000 })
    // The last page is the certificate, named in Polish.
    const last = page.getByTestId('pdf-pages').locator('canvas[data-page]').last()
    const pages = await page.getByTestId('pdf-pages').locator('canvas[data-page]').count()
    await last.scrollIntoViewIfNeeded()
    expect(await last.getAttribute('aria-label')).toBe(`Umowa ${number}, strona ${pages} z ${pages}`)
    await page.screenshot({ path: shot('phone-pl-certificate') })
    const copy = await emailTo('ola@zolc.pl', /^Podpisano: Umowa/)
    expect(copy.body).toMatch(/został podpisany przez wszystkie strony/)
    const [doc] = (await api('GET', '/api/documents?element=umowa-pl')).body.items as Array<{ id: string }>
    const pdf = await fetch(`${demo.server.url}/api/documents/${doc?.id}/pdf?version=signed`, {
      headers: { cookie: anna },
    })
    const file = join(demo.dir, 'umowa.pdf')
    writeFileSync(file, new Uint8Array(await pdf.arrayBuffer()))
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
    for (const words of [`Umowa ${number}`, 'SPRZEDAWCA', 'KUPUJĄCY', 'Certyfikat ukończenia', 'Klient: Aleksandra']) {
      expect(text).toContain(words)
    }
    expect(text).toMatch(/15\s185,17\s?zł/u)
    expect(problems, problems.join(' | ')).toEqual([])
  }, 120_000)

  it('speaks German and Turkish as fully, on a desktop and a phone, without cutting a word', async () => {
    const DESKTOP = { width: 1440, height: 900 }
    for (const [language, name, heading, sign, agree, next] of [
      ['de', 'Jürgen Weiß', 'Bevor Sie unterschreiben', 'Unterschreiben', 'Ich bin einverstanden', 'Weiter'],
      ['tr', 'Işıl İnce', 'İmzalamadan önce', 'İmzala', 'Bu belgeyi elektronik olarak', 'Devam'],
    ] as const) {
      const id = `p-${language}`
      expect(
        (await api('POST', '/api/contacts', { id, name, email: `${language}@client.test`, language })).status,
      ).toBe(201)
      const made = await api('POST', '/api/elements', {
        id: `deal-${language}`,
        pipelineId: 'invoice-signing',
        type: 'deal',
        title: language === 'de' ? 'Büromöbel für Köln' : 'Iğdır şubesi için bilişim hizmeti',
        stage: 'new',
        responsible: 'u-anna',
        contactId: id,
        fields: { amount: 4999.9, currency: 'EUR' },
      })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      for (const viewport of [DESKTOP, PHONE]) {
        // A signing of its own for each screen: the first agrees to the notice.
        const sent = await api('POST', `/api/elements/deal-${language}/signing`, {
          template: 'tpl-invoice',
          companySigner: 'u-anna',
          channel: 'email',
          signingOrder: 'parallel',
          oneTimeCode: true,
        })
        expect(sent.status, JSON.stringify(sent.body)).toBe(201)
        const page = await openOnPhone(sent.body.clientSigningLink as string, viewport)
        await visible(page.getByRole('heading', { name: heading }))
        await page.waitForSelector('[data-testid="pdf-pages"][data-state="shown"]', { timeout: 20_000 })
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(language)
        const where = viewport === PHONE ? 'phone' : 'desktop'
        await noOverflow(page, viewport.width)
        await page.screenshot({ path: shot(`${where}-${language}-signing-top`) })
        await page.getByLabel(agree, { exact: false }).check()
        await page.getByRole('button', { name: next }).click()
        await visible(page.getByTestId('one-time-code'))
        await page.getByRole('button', { name: sign, exact: true }).scrollIntoViewIfNeeded()
        await noOverflow(page, viewport.width)
        await page.screenshot({ path: shot(`${where}-${language}-signing-code`) })
      }
    }
    // The verify page speaks the browser's language.
    for (const [locale, title] of [
      ['de-DE', 'Unterschriebenes Dokument prüfen'],
      ['tr-TR', 'İmzalı bir belgeyi doğrulayın'],
    ] as const) {
      const page = await openOnPhone(`${demo.server.url}/verify`, DESKTOP, locale)
      await visible(page.getByRole('heading', { name: title }))
      await noOverflow(page, DESKTOP.width)
      await page.screenshot({ path: shot(`desktop-${locale.slice(0, 2)}-verify`) })
    }
    expect(problems, problems.join(' | ')).toEqual([])
  }, 180_000)
})
