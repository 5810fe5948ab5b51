/**
 * A salesperson's day on the demo, as `npm start` runs it (sign-in, workers, the SMTP catcher, sealing):
 * Jean signs in and lands on the board; drags "Annual service contract" to "Contract" and watches the stage's
 * rules run in the Automation tab; sends the contract the rule made with the Sign wizard; the director signs
 * on a desktop, the deal moves to "Sent" by itself; the client signs on a phone-sized page; the deal moves to
 * "Signed" and its card says so. On a second deal, "Use this template" sends the same contract in two
 * clicks. Screenshots of each screen go to docs/screenshots/ for the README.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './support/browser.js'
import { startWorkingDemo, type WorkingDemo } from './support/server.js'
import { docShot } from './support/shots.js'
import { until, visible } from './support/wait.js'

const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }
const PIPELINE = 'director-then-client'
const DEAL = `${PIPELINE}:deal-7`

let demo: WorkingDemo
let browser: Browser
let anna = ''
const contexts: BrowserContext[] = []
const problems: string[] = []

beforeAll(async () => {
  demo = await startWorkingDemo('workspace')
  anna = await demo.cookieOf('anna@signflow.test')
  browser = await launchBrowser()
}, 90_000)

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await demo?.close()
})

async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
  const phone = viewport === PHONE
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: phone ? 2 : 1,
    hasTouch: phone,
    isMobile: phone,
  })
  contexts.push(context)
  // Screenshots show screens at rest: no transitions half-way (a tab's underline, a closing menu).
  await context.addInitScript(() => {
    const style = document.createElement('style')
    style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }'
    document.addEventListener('DOMContentLoaded', () => document.head.appendChild(style))
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    // The browser reports the 401 of "who am I?" before sign-in, and the 404 by which "Use this template"
    // learns there is nothing to reuse yet; nothing else may fail.
    if (message.type() === 'error' && !/(401 \(Unauthorized\)|404 \(Not Found\))/.test(message.text())) {
      problems.push(message.text())
    }
  })
  await page.goto(url)
  return page
}

const linkIn = (body: string) => /(http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]+)/.exec(body)?.[1]

async function emailTo(address: string, subject: RegExp): Promise<{ body: string }> {
  return until(`an email to ${address}`, async () => {
    const messages = (await demo.api(anna, 'GET', '/api/messages')).body.items as Array<{
      to: string
      subject: string | null
      body: string
    }>
    return messages.find((m) => m.to === address && subject.test(m.subject ?? ''))
  })
}

async function stageOf(id: string): Promise<string> {
  return (await demo.api(anna, 'GET', `/api/elements/${encodeURIComponent(id)}`)).body.stage as string
}

/** Agrees to sign electronically and signs with a typed name (desktop) or a drawn one (phone). */
async function sign(page: Page, name: string, drawn: boolean): Promise<void> {
  await page.waitForSelector('[data-testid="pdf-pages"][data-state="shown"]', { timeout: 20_000 })
  await page.getByLabel('I agree to sign this document electronically').check()
  await page.getByRole('button', { name: 'Continue' }).click()
  if (drawn) {
    const pad = await visible(page.getByTestId('signature-pad'))
    await pad.scrollIntoViewIfNeeded()
    const box = (await pad.boundingBox()) ?? { x: 0, y: 0, width: 300, height: 150 }
    await page.mouse.move(box.x + 20, box.y + box.height * 0.6)
    await page.mouse.down()
    for (let i = 1; i <= 20; i++)
      await page.mouse.move(box.x + 20 + i * 12, box.y + box.height * (0.5 + 0.2 * Math.sin(i)))
    await page.mouse.up()
  } else {
    await page.getByRole('tab', { name: 'Type' }).click()
    await page.getByLabel('Your full name').fill(name)
  }
  await page.getByRole('button', { name: 'Sign', exact: true }).click()
  await visible(page.getByRole('heading', { name: 'You have signed' }), 20_000)
}

describe('a salesperson’s day', () => {
  it('moves a deal, watches its rules, sends the contract with the wizard, sees both sign and the deal move', async () => {
    // Jean signs in and lands on the board (sales do not design flows).
    const page = await open(demo.server.url, DESKTOP)
    await page.getByLabel('Email').fill('jean@signflow.test')
    await page.getByLabel('Password').fill('jean-demo-2026')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await visible(page.getByRole('heading', { name: 'Signflow — Board' }))
    const nav = page.getByRole('navigation', { name: 'Screens' })
    expect(await nav.getByRole('link', { name: 'Designer' }).count()).toBe(1) // sales may read flows
    await page.getByRole('combobox', { name: 'Pipeline' }).click()
    await page.getByRole('option', { name: 'Contract: director first, then the client' }).click()
    const card = page.locator(`[data-testid="board-card"][data-element="${DEAL}"]`)
    await visible(card)
    expect(await card.innerText()).toContain('İğdır Şirketi')
    await docShot(page.locator('main'), 'board')

    // Dragged over "Sent" and dropped on "Contract": it enters only "Contract".
    await card.dragTo(page.locator('[data-stage="contract"]'))
    await visible(page.getByText('“Annual service contract” moved to “Contract”.'))
    await visible(page.locator('[data-stage="contract"]').locator(`[data-element="${DEAL}"]`))
    expect(await stageOf(DEAL)).toBe('contract')
    const history = (await demo.api(anna, 'GET', `/api/elements/${encodeURIComponent(DEAL)}/history`)).body
      .items as Array<{
      type: string
      record: { stage?: string }
    }>
    expect(history.filter((h) => h.type === 'stage.entered').map((h) => h.record.stage)).toEqual(['contract'])

    // The element page: the Contract stage's rules ran — the contract was made, the director told.
    await card.getByRole('link', { name: 'Annual service contract' }).click()
    const automation = await visible(page.getByTestId('automation'))
    const contract = automation.locator('[data-stage="contract"]')
    await visible(contract.locator('[data-rule="create-contract"][data-state="done"]'))
    await visible(contract.locator('[data-rule="ask-director"][data-state="done"]'))
    await visible(contract.getByText('Here now'))
    await docShot(page.locator('main'), 'element-automation')
    await page.getByRole('tab', { name: 'Timeline' }).click()
    await visible(page.getByText(/Moved to “Contract” by Jean Dupont/))
    await visible(page.getByText(/Notified Ayşe Yılmaz/))

    // The Sign wizard: the contract the rule made is offered first; Anna signs for us, the client by email.
    await page.getByRole('button', { name: 'Sign…' }).click()
    const wizard = await visible(page.getByRole('dialog', { name: /Send “Annual service contract” for signing/ }))
    expect(await wizard.getByRole('combobox', { name: 'What to sign' }).innerText()).toMatch(/made, not sent yet/)
    await wizard.getByRole('combobox', { name: 'Signs for the company' }).click()
    await page.getByRole('option', { name: /Anna Kowalska/ }).click()
    expect(await wizard.getByLabel('Email').inputValue()).toBe('info@igdir.com.tr')
    await docShot(wizard, 'sign-wizard')
    await wizard.getByRole('button', { name: 'Send for signing' }).click()
    const sent = await visible(wizard.getByTestId('sign-sent'))
    const clientLink = (await sent.getByRole('link').getAttribute('href')) ?? ''
    expect(clientLink).toMatch(/\/s\/[A-Za-z0-9_-]+$/)
    await wizard.getByRole('button', { name: 'Close' }).click()
    await page.getByRole('tab', { name: /Documents/ }).click()
    await visible(page.getByText(/Anna Kowalska \(for us, by email\)/))
    await visible(page.getByText(/İğdır Şirketi \(client, by email\)/))

    // The director signs on a desktop: "signed by the company" moves the deal to "Sent" by itself.
    const toAnna = await emailTo('anna@signflow.test', /^Please sign/)
    const desk = await open(linkIn(toAnna.body) ?? '', DESKTOP)
    await sign(desk, 'Anna Kowalska', false)
    await until('the deal in "Sent"', async () => ((await stageOf(DEAL)) === 'sent' ? true : undefined))
    await page.getByRole('tab', { name: 'Automation' }).click()
    await visible(page.getByTestId('element-stage').getByText('Sent'))
    await visible(automation.locator('[data-trigger="director-signed"][data-fired="true"]'))

    // The client signs on a phone; everyone has signed: the deal moves to "Signed".
    const phone = await open(clientLink, PHONE)
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    await sign(phone, 'Mehmet Öztürk', true)
    await until('the deal in "Signed"', async () => ((await stageOf(DEAL)) === 'signed' ? true : undefined))
    await visible(page.getByTestId('element-stage').getByText('Signed'))
    await page.getByRole('tab', { name: /Documents/ }).click()
    await visible(page.locator('[data-document]').getByTestId('signing-badge').getByText('Signed'))
    await docShot(page.locator('main'), 'element-documents')

    // Back on the board the card stands in "Signed" with its badge.
    await page.getByRole('link', { name: /← Contract: director first/ }).click()
    const signedCard = page.locator('[data-stage="signed"]').locator(`[data-element="${DEAL}"]`)
    await visible(signedCard.getByTestId('signing-badge').getByText('Signed'))
    expect(problems, problems.join(' | ')).toEqual([])
  }, 240_000)

  it('reuses the contract on a second deal in two clicks: Sign…, Use this template', async () => {
    const jean = await demo.cookieOf('jean@signflow.test')
    const made = await demo.api(jean, 'POST', '/api/elements', {
      id: 'second-deal',
      pipelineId: PIPELINE,
      type: 'deal',
      title: 'Maintenance for Société Générale',
      stage: 'new',
      responsible: 'u-jean',
      fields: { amount: 4800, 'client.name': 'Société Générale', 'client.email': 'achats@sg.fr' },
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const page = await open(`${demo.server.url}/#/elements/second-deal`, DESKTOP)
    await page.getByLabel('Email').fill('jean@signflow.test')
    await page.getByLabel('Password').fill('jean-demo-2026')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await visible(page.getByRole('heading', { name: 'Maintenance for Société Générale' }))
    await page.getByRole('button', { name: 'Sign…' }).click()
    const reuse = await visible(page.getByTestId('sign-reuse'))
    expect(await reuse.innerText()).toMatch(/A contract \(CTR-2026-\d+\) was sent from another deal/)
    await docShot(page.getByRole('dialog'), 'sign-wizard-reuse')
    await reuse.getByRole('button', { name: 'Use this template' }).click()
    await visible(page.getByTestId('sign-sent'))
    const docs = (await demo.api(jean, 'GET', '/api/documents?element=second-deal')).body.items as Array<{
      type: string
      parties: Array<{ role: string; name: string }>
    }>
    expect(docs).toHaveLength(1)
    expect(docs[0]?.type).toBe('contract')
    expect(docs[0]?.parties.map((p) => [p.role, p.name])).toEqual([
      ['company', 'Anna Kowalska'],
      ['client', 'Société Générale'],
    ])
    await emailTo('anna@signflow.test', /^Please sign .*CTR-2026-0*2/)
    expect(problems, problems.join(' | ')).toEqual([])
  }, 120_000)

  it('shows each role only what it may do: the director’s inbox, a read-only designer for sales', async () => {
    // The director (an analyst) was notified when the deal entered "Contract"; she reads it in her inbox.
    const page = await open(`${demo.server.url}/#/inbox`, DESKTOP)
    await page.getByLabel('Email').fill('director@signflow.test')
    await page.getByLabel('Password').fill('director-demo-2026')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const note = await visible(page.getByTestId('notification').filter({ hasText: 'İğdır Şirketi' }).first())
    expect(await note.getAttribute('data-read')).toBe('false')
    await visible(page.getByTestId('unread-count'))
    await docShot(page.locator('main'), 'inbox')
    await note.getByRole('button', { name: 'Mark read' }).click()
    await until('the notification read', async () =>
      (await note.getAttribute('data-read')) === 'true' ? true : undefined,
    )
    // An analyst neither moves deals nor sends them for signing: the element page offers neither.
    await page.goto(`${demo.server.url}/#/elements/${encodeURIComponent(DEAL)}`)
    await visible(page.getByRole('heading', { name: 'Annual service contract' }))
    await visible(page.getByTestId('automation'))
    expect(await page.getByRole('button', { name: 'Sign…' }).count()).toBe(0)
    expect(await page.getByRole('combobox', { name: 'Move to' }).count()).toBe(0)

    // Jean (sales) may read flows, not change them: the designer shows the flow read-only, without Publish.
    const jean = await open(`${demo.server.url}/#/designer`, DESKTOP)
    await jean.getByLabel('Email').fill('jean@signflow.test')
    await jean.getByLabel('Password').fill('jean-demo-2026')
    await jean.getByRole('button', { name: 'Sign in' }).click()
    await visible(jean.getByTestId('designer-read-only'))
    expect(await jean.getByRole('button', { name: 'Publish…' }).count()).toBe(0)
    expect(await jean.getByRole('button', { name: 'New pipeline…' }).count()).toBe(0)
    expect(
      await jean.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'My company' }).count(),
    ).toBe(1)
    expect(problems, problems.join(' | ')).toEqual([])
  }, 120_000)

  it('shows a failed rule with its error; fixed, Retry runs it again', async () => {
    const jean = await demo.cookieOf('jean@signflow.test')
    // A deal whose client's email is mistyped: sending the invoice for signing by email cannot work.
    const made = await demo.api(jean, 'POST', '/api/elements', {
      id: 'no-email',
      pipelineId: 'invoice-signing',
      type: 'deal',
      title: 'Desks without an address',
      stage: 'new',
      responsible: 'u-jean',
      fields: { amount: 2300, currency: 'PLN', 'client.name': 'Biuro Bez Adresu', 'client.email': 'biuro' },
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const page = await open(`${demo.server.url}/#/elements/no-email`, DESKTOP)
    await page.getByLabel('Email').fill('jean@signflow.test')
    await page.getByLabel('Password').fill('jean-demo-2026')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await visible(page.getByRole('heading', { name: 'Desks without an address' }))
    await page.getByRole('combobox', { name: 'Move to' }).click()
    await page.getByRole('option', { name: 'Invoice' }).click()
    const failed = await visible(page.locator('[data-rule="send-invoice"][data-state="failed"]'), 20_000)
    const error = await failed.innerText()
    expect(error).toMatch(/email/i)
    await docShot(page.locator('main'), 'element-failed-rule')

    // The client's email mended in Details; Retry sends the invoice.
    await page.getByRole('tab', { name: 'Details' }).click()
    await page.getByLabel('Client: email', { exact: true }).fill('biuro@bez-adresu.pl')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await visible(page.getByTestId('element-notice').getByText('Saved.'))
    await page.getByRole('tab', { name: 'Automation' }).click()
    await page.locator('[data-rule="send-invoice"]').getByRole('button', { name: 'Retry' }).click()
    await visible(page.locator('[data-rule="send-invoice"][data-state="done"]'), 20_000)
    await emailTo('anna@signflow.test', /^Please sign Invoice/)
    await page.getByRole('tab', { name: 'Timeline' }).click()
    await visible(page.getByText(/“Send the invoice for signing” retried by Jean Dupont/))

    // The client's email added in Details; Retry sends the invoice.
    expect(problems, problems.join(' | ')).toEqual([])
  }, 120_000)

  it('lets the admin keep our company: requisites, the stamp, the working calendar', async () => {
    const page = await open(`${demo.server.url}/#/company`, DESKTOP)
    await page.getByLabel('Email').fill('anna@signflow.test')
    await page.getByLabel('Password').fill('anna-demo-2026')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const details = await visible(page.getByRole('region', { name: 'Requisites and bank details' }))
    await details.getByLabel('VAT ID').fill('PL5250000000')
    await details.getByRole('button', { name: 'Save' }).click()
    await visible(details.getByText('Saved. New documents print these details.'))
    const mine = (await demo.api(anna, 'GET', '/api/my-companies')).body.items[0]
    expect(mine.requisites.vatId).toBe('PL5250000000')
    // The stamp and signature the demo uploaded are shown as documents draw them.
    const images = page.getByRole('region', { name: 'Stamp and signature' })
    await visible(images.getByRole('img', { name: 'Our stamp' }))
    const stamp = images.getByRole('img', { name: 'Our stamp' })
    await until('the stamp drawn', async () =>
      (await stamp.evaluate((img) => (img as HTMLImageElement).naturalWidth)) > 0 ? true : undefined,
    )
    // The working calendar: the demo's Warsaw office hours; Saturday becomes a working day.
    const calendar = await visible(page.getByRole('region', { name: 'Working calendar' }))
    expect(await calendar.getByRole('combobox', { name: 'Time zone' }).inputValue()).toBe('Europe/Warsaw')
    await calendar.getByLabel('Sat').check()
    await calendar.getByRole('button', { name: 'Save the calendar' }).click()
    await visible(calendar.getByText(/Saved\. Delays/))
    const after = (await demo.api(anna, 'GET', '/api/my-companies')).body.items[0]
    expect(after.calendar.workDays).toEqual([1, 2, 3, 4, 5, 6])
    await visible(page.getByRole('region', { name: 'Sealing certificate' }).getByText(/made this certificate itself/))
    await docShot(page.locator('main'), 'my-company')
    expect(problems, problems.join(' | ')).toEqual([])
  }, 120_000)
})
