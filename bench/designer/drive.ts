/**
 * Driving bench/designer's pages in Chromium (playwright-core, the system's Chromium as the browser tests use
 * it): open a page and wait for its first full render, drag the rule `DRAGGED_NODE` with the mouse.
 */
import { type Browser, type BrowserContext, chromium, type Page as Tab } from 'playwright-core'
import { CANVAS_NODES, DRAGGED_NODE, NODES_PER_STAGE, STAGES } from './graph.js'
import type { Page } from './pages.js'
import type { FirstRender, Frames } from './probe.js'

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

/** The node types each page must draw: the comparison means nothing otherwise. */
const EXPECTED: Record<Page, Record<string, number>> = {
  ours: { '.react-flow__node-stage': STAGES, '.react-flow__node-flow': STAGES * NODES_PER_STAGE },
  baseline: { '.react-flow__node-group': STAGES, '.react-flow__node-default': STAGES * NODES_PER_STAGE },
}

export interface Opened {
  context: BrowserContext
  tab: Tab
  first: FirstRender
  /** Uncaught errors in the page so far (checked after each step). */
  errors: string[]
}

/** Opens `side` in a new context (a fresh load: no cache) and waits for its first full render. */
export async function open(
  browser: Browser,
  base: string,
  side: Page,
  beforeLoad?: (tab: Tab) => Promise<void>,
): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1680, height: 1000 }, deviceScaleFactor: 1 })
  const tab = await context.newPage()
  const errors: string[] = []
  tab.on('pageerror', (e) => errors.push(e.message))
  await beforeLoad?.(tab)
  await tab.goto(`${base}/${side}/${side}.html`)
  let timer: NodeJS.Timeout | undefined
  const first = await Promise.race([
    tab.evaluate(() => window.__bench.firstRender),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${side}: no full render in 60 s (${errors.join('; ')})`)), 60_000)
    }),
  ]).finally(() => clearTimeout(timer))
  if (errors.length > 0) throw new Error(`${side}: ${errors.join('; ')}`)
  if (first.nodes !== CANVAS_NODES) throw new Error(`${side}: ${first.nodes} nodes drawn, ${CANVAS_NODES} expected`)
  const counts = await tab.evaluate(
    (list) => Object.fromEntries(list.map((s) => [s, document.querySelectorAll(s).length])),
    Object.keys(EXPECTED[side]),
  )
  for (const [selector, n] of Object.entries(EXPECTED[side])) {
    if (counts[selector] !== n) throw new Error(`${side}: ${counts[selector]} ${selector}, ${n} expected`)
  }
  return { context, tab, first, errors }
}

export const MOVES = 60
/** The pointer's path, in screen pixels below the start: 45 moves down, 15 back up (the rule lands lower). */
const offsetAt = (i: number) => (i <= 45 ? 3 * i : 135 - 3 * (i - 45))

export interface Drag {
  frames: Frames
  /** How far the card moved on screen with the pointer 135 px down (0: it stayed put while dragged). */
  followedPx: number
  /** The canvas's view when the drag started (its CSS transform). */
  viewport: string
}

/**
 * Drags `DRAGGED_NODE` down the column with the mouse: down, MOVES moves with a frame after each, up; the
 * page records the frames. `beforeUp` runs just before the mouse is released (to profile the drop).
 */
export async function dragRule({ tab, errors }: Opened, beforeUp?: () => Promise<void>): Promise<Drag> {
  // Let the canvas settle first (ours fits the view again, animated, 60 ms after mounting).
  await tab.waitForTimeout(800)
  const viewport = await tab.evaluate(
    () => document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? '',
  )
  const card = tab.locator(`.react-flow__node[data-id="${DRAGGED_NODE}"]`)
  const start = await card.boundingBox()
  if (!start || start.x < 0 || start.x + start.width > 1600 || start.y + start.height + offsetAt(45) > 600) {
    throw new Error(`${DRAGGED_NODE} is not in view where the drag needs it: ${JSON.stringify(start)}, ${viewport}`)
  }
  const x = start.x + start.width / 2
  const y = start.y + start.height / 2
  await tab.mouse.move(x, y)
  await tab.evaluate(() => window.__bench.startFrames())
  await tab.mouse.down()
  let followedPx = 0
  for (let i = 1; i <= MOVES; i++) {
    await tab.mouse.move(x, y + offsetAt(i))
    await tab.evaluate(() => window.__bench.nextFrame())
    if (i === 45) followedPx = ((await card.boundingBox())?.y ?? start.y) - start.y
  }
  await beforeUp?.()
  await tab.evaluate(() => window.__bench.markUp())
  await tab.mouse.up()
  for (let i = 0; i < 4; i++) await tab.evaluate(() => window.__bench.nextFrame())
  const frames = await tab.evaluate(() => window.__bench.stopFrames())
  if (errors.length > 0) throw new Error(errors.join('; '))
  return { frames, followedPx, viewport }
}
