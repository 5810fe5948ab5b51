/**
 * Every main screen in each of the five languages, on the demo (issue 11): the language picked in the
 * browser is the one the screen speaks, with no English left over. A leftover is a line of the English
 * screen — not data (names, titles, amounts, the flows' own texts) — that shows unchanged in another
 * language, unless the catalogs say that language writes it the same way ("Pipeline" in German). Each
 * screen is also checked for text cut off or wider than the page, and kept as a screenshot
 * (docs/screenshots/i18n/<language>-<screen>.png) to look at.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { PDFDocument } from 'pdf-lib'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../shared/i18n/languages.js'
import { launchBrowser } from './support/browser.js'
import { startWorkingDemo, type WorkingDemo } from './support/server.js'
import { visible } from './support/wait.js'

const DESKTOP = { width: 1440, height: 900 }
const SHOTS = new URL('../docs/screenshots/i18n/', import.meta.url).pathname
const LOCALES = new URL('../web/src/i18n/locales/', import.meta.url).pathname
const DEAL = 'director-then-client:deal-7'

interface Screen {
  name: string
  hash: string
  /** Shown once the screen has loaded (after `act`, when given). */
  ready: (page: Page) => Promise<unknown>
  /** What to do first, by element ids and values rather than words (they differ by language). */
  act?: (page: Page) => Promise<void>
  /** Opened by someone not signed in. */
  signedOut?: boolean
}

const SCREENS: Screen[] = [
  { name: 'board', hash: '#/board/director-then-client', ready: (p) => p.getByTestId('board-card').first().waitFor() },
  {
    name: 'deal',
    hash: `#/elements/${encodeURIComponent(DEAL)}`,
    ready: (p) => p.getByTestId('automation').waitFor(),
  },
  { name: 'inbox', hash: '#/inbox', ready: (p) => p.locator('#tasks-title').waitFor() },
  {
    name: 'templates',
    hash: '#/templates',
    ready: (p) => p.locator('main table, main [role="table"]').first().waitFor(),
  },
  { name: 'company', hash: '#/company', ready: (p) => p.locator('main section').nth(2).waitFor() },
  { name: 'outbox', hash: '#/outbox', ready: (p) => p.locator('main h2').first().waitFor() },
  { name: 'designer', hash: '#/designer', ready: (p) => p.locator('.react-flow__node').first().waitFor() },
  {
    name: 'simulator',
    hash: '#/designer',
    act: async (p) => {
      await p.locator('.react-flow__node').first().waitFor()
      await p.locator('button[value="simulate"]').click()
      // A step, so that the timeline and the scenario tab have something to say.
      await p.locator('aside button.MuiButton-outlined').first().click()
    },
    ready: (p) => p.getByTestId('simulator-timeline').locator('[role="button"]').first().waitFor(),
  },
  {
    name: 'template-editor',
    // The template the test makes first (its id comes from the server).
    get hash() {
      return `#/templates/${encodeURIComponent(templateId)}`
    },
    ready: (p) => p.getByTestId('template-page-1').locator('canvas').first().waitFor(),
  },
  { name: 'sign-in', hash: '#/', signedOut: true, ready: (p) => p.locator('input[type="password"]').waitFor() },
]

let demo: WorkingDemo
let templateId = ''
let browser: Browser
let cookie = ''
const contexts: BrowserContext[] = []

/** Every catalog text by language: `ns:key` → text. */
function catalogTexts(language: Language): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'string') out.set(prefix, value)
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(`${prefix}.${k}`, v)
  }
  for (const file of readdirSync(`${LOCALES}${language}`)) {
    if (file.endsWith('.json'))
      walk(file.slice(0, -5), JSON.parse(readFileSync(`${LOCALES}${language}/${file}`, 'utf8')))
  }
  return out
}

/** The words of a text, in lower case (placeholders left out). */
function wordsOf(text: string): string[] {
  return (text.replace(/\{\{[^}]*\}\}/g, ' ').match(/\p{L}[\p{L}'’-]*/gu) ?? []).map((w) => w.toLowerCase())
}

/** What the demo's data says (names, titles, the flows' texts): shown as it is in every language. */
async function dataTexts(): Promise<Set<string>> {
  // The brand, units and names every language writes alike, and the languages' own names (the picker).
  const words = new Set<string>(['Signflow', 'KB', 'SHA-256', ...Object.values(LANGUAGE_NAMES)])
  const get = async (path: string) => (await demo.api(cookie, 'GET', path)).body
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.trim()) words.add(v.trim())
  }
  for (const p of (await get('/api/pipelines')).items) {
    add(p.name)
    for (const s of p.stages) add(s.name)
    const flow = (await get(`/api/flows/${p.id}`)).draft
    add(flow.flow.name)
    for (const s of flow.pipeline.stages) for (const n of [...s.rules, ...s.triggers]) add(n.title)
  }
  for (const u of (await get('/api/users')).items) {
    add(u.name)
    add(`${u.email} · ${u.role}`)
  }
  for (const t of (await get('/api/templates')).items) {
    add(t.name)
    add(t.currency)
  }
  for (const e of (await get('/api/elements?limit=200')).items) {
    add(e.title)
    add(e.id)
  }
  for (const c of (await get('/api/contacts?limit=200')).items) add(c.name)
  for (const c of (await get('/api/companies?limit=200')).items) add(c.name)
  // Our company's details and certificate are data all the way down.
  const deep = (v: unknown) => {
    if (typeof v === 'string') add(v)
    else if (v && typeof v === 'object') for (const x of Object.values(v)) deep(x)
  }
  deep((await get('/api/my-companies')).items)
  deep(await get('/api/settings/sealing'))
  return words
}

/** The screen's lines of text, and its labels (aria-label, placeholder, title). */
async function textsOf(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const lines = document.body.innerText.split('\n')
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
      for (const attr of ['aria-label', 'placeholder', 'title']) {
        const v = el.getAttribute(attr)
        if (v) lines.push(v)
      }
    }
    return lines.map((l) => l.trim()).filter((l) => /\p{L}{2}/u.test(l))
  })
}

async function open(language: Language, screen: Screen): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: language })
  contexts.push(context)
  const [name, value] = cookie.split('=')
  if (!screen.signedOut) await context.addCookies([{ name: name ?? '', value: value ?? '', url: demo.server.url }])
  await context.addInitScript((lng) => {
    localStorage.setItem('signflow.language', lng)
    const style = document.createElement('style')
    style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }'
    document.addEventListener('DOMContentLoaded', () => document.head.appendChild(style))
  }, language)
  const page = await context.newPage()
  await page.goto(`${demo.server.url}/${screen.hash}`)
  await screen.act?.(page)
  return page
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  demo = await startWorkingDemo('languages')
  cookie = await demo.cookieOf('anna@signflow.test')
  // Something in every list: the deal enters Contract (a document, a notification for the director).
  await demo.api(cookie, 'POST', `/api/elements/${encodeURIComponent(DEAL)}/move`, { stage: 'contract' })
  // A template of an uploaded one-page PDF with two fields, for the editor.
  const pdf = await PDFDocument.create()
  pdf.addPage([595, 842])
  const upload = await fetch(`${demo.server.url}/api/files?name=blank.pdf`, {
    method: 'POST',
    headers: { cookie, origin: demo.server.url, 'content-type': 'application/pdf' },
    body: Buffer.from(await pdf.save()),
  })
  const file = (await upload.json()) as { id: string }
  const made = await demo.api(cookie, 'POST', '/api/templates', {
    name: 'Service agreement',
    type: 'contract',
    fileId: file.id,
    fields: [
      { id: 'title', kind: 'text', page: 1, x: 72, y: 100, width: 300, height: 20, bind: 'title' },
      { id: 'sign', kind: 'signature', party: 'client', page: 1, x: 72, y: 700, width: 200, height: 60 },
    ],
  })
  if (made.status !== 201) throw new Error(`the test template was not made: ${JSON.stringify(made.body)}`)
  templateId = made.body.id
  browser = await launchBrowser()
}, 90_000)

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await demo?.close()
})

describe('every main screen in every language', () => {
  it('speaks the language picked, leaves no English behind, and fits', async () => {
    const data = await dataTexts()
    const dataWords = new Set([...data].flatMap(wordsOf))
    const englishLines = new Map<string, string[]>()
    for (const screen of SCREENS) {
      const page = await open('en', screen)
      await screen.ready(page)
      englishLines.set(screen.name, await textsOf(page))
    }
    const problems: string[] = []
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      // A line is left over when it shows as on the English screen and one of its words is neither a word
      // this language's catalogs use ("Documents" in French, "Element" in Polish) nor one of the data's.
      const ownWords = new Set([...catalogTexts(language).values()].flatMap(wordsOf))
      const foreign = (line: string) => wordsOf(line).some((w) => !ownWords.has(w) && !dataWords.has(w))
      for (const screen of SCREENS) {
        const page = await open(language, screen)
        await screen.ready(page)
        await visible(page.locator('html[lang]'))
        expect(await page.getAttribute('html', 'lang')).toBe(language)
        const lines = new Set(await textsOf(page))
        for (const line of englishLines.get(screen.name) ?? []) {
          if (lines.has(line) && !data.has(line) && foreign(line))
            problems.push(`${language} ${screen.name}: "${line}"`)
        }
        // Nothing wider than the page; no control whose text is cut off.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        if (overflow > 0) problems.push(`${language} ${screen.name}: ${overflow}px wider than the window`)
        const cut = await page.evaluate(() =>
          [...document.querySelectorAll('button, [role="tab"], label, h1, h2, h3')]
            .filter((el) => {
              const style = getComputedStyle(el)
              return (
                style.textOverflow !== 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && style.overflow === 'hidden'
              )
            })
            .map((el) => (el as HTMLElement).innerText.trim())
            .filter(Boolean),
        )
        for (const text of cut) problems.push(`${language} ${screen.name}: cut off "${text}"`)
        await page.screenshot({ path: `${SHOTS}${language}-${screen.name}.png` })
      }
    }
    expect([...new Set(problems)]).toEqual([])
  }, 600_000)
})
