/**
 * bench/designer: the designer's canvas in a real Chromium, on a 40-stage × 15-node graph (40 columns, 600
 * cards with their badges and connectors). Ours is `FlowCanvas` as the app wraps it (MUI theme); the baseline
 * is plain React Flow with its built-in nodes at the same places, in the same frame with the same settings
 * (bench/designer/baseline.tsx). Both pages are built with Vite into a temporary folder and served locally.
 *
 * Measured in the page with the Performance API, each page loaded afresh (a new browser context) several
 * times, ours and the baseline taking turns:
 * - first render: from the start of the app's script to the first frame painted with every node in the DOM
 *   and measured (React Flow shows a node once it knows its size); renders/s = 1000 / median ms.
 *   ratio = ours / theirs (goal ≥ 0.5);
 * - a drag: one rule card held with the mouse and moved 60 times, a frame between moves; the page records
 *   frame durations (requestAnimationFrame timestamps) and long tasks. Goal: no drag frame over 50 ms.
 *   The drop (mouse up: ours moves the rule in its store, which lays the canvas out again) is reported apart.
 *
 * BENCH_LOADS (default 5) loads of each page, after one of each to warm up. Where the time goes:
 * `node --import tsx bench/designer/profile.ts [ours|baseline]`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { dragRule, launch, open } from './designer/drive.js'
import { CANVAS_NODES, NODES_PER_STAGE, STAGES } from './designer/graph.js'
import { buildPages, type Page, serve } from './designer/pages.js'
import { printOutcome } from './report.js'

const LOADS = Number(process.env.BENCH_LOADS ?? 5)

interface Load {
  page: Page
  firstMs: number
  sinceNavigationMs: number
  dragMean: number
  dragMax: number
  dropMs: number
  longTasks: number
  /** How far the card moved on screen with the pointer 135 px down (0: it stayed put while dragged). */
  followedPx: number
  viewport: string
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0)
const round = (x: number, d = 1) => Number(x.toFixed(d))

async function measure(browser: Browser, base: string, side: Page): Promise<Load> {
  const opened = await open(browser, base, side)
  try {
    const { frames, followedPx, viewport } = await dragRule(opened)
    return {
      page: side,
      firstMs: opened.first.ms,
      sinceNavigationMs: opened.first.sinceNavigation,
      dragMean: mean(frames.drag),
      dragMax: max(frames.drag),
      dropMs: max(frames.drop),
      longTasks: frames.longTasks.length,
      followedPx,
      viewport,
    }
  } finally {
    await opened.context.close()
  }
}

const folder = mkdtempSync(join(tmpdir(), 'signflow-bench-designer-'))
let browser: Browser | undefined
let server: Awaited<ReturnType<typeof serve>> | undefined
const loads: Load[] = []
try {
  const built = Date.now()
  await buildPages(folder)
  console.log(
    `built both pages in ${Date.now() - built} ms; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  server = await serve(folder)
  browser = await launch()
  // One load of each to warm up (the browser's first pages are slower), then LOADS of each, taking turns.
  await measure(browser, server.url, 'ours')
  await measure(browser, server.url, 'baseline')
  for (let i = 0; i < LOADS; i++) {
    const order: Page[] = i % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours']
    for (const side of order) {
      const load = await measure(browser, server.url, side)
      loads.push(load)
      console.log(
        `${side.padEnd(8)} first render ${load.firstMs.toFixed(0).padStart(5)} ms (${load.sinceNavigationMs.toFixed(0)} from navigation)` +
          `  drag frames mean ${load.dragMean.toFixed(1)} max ${load.dragMax.toFixed(1)} ms  drop ${load.dropMs.toFixed(1)} ms` +
          `  long tasks ${load.longTasks}  card followed ${load.followedPx.toFixed(0)} px`,
      )
    }
  }
} finally {
  await browser?.close()
  await server?.close()
  rmSync(folder, { recursive: true, force: true })
}

const of = (side: Page) => loads.filter((l) => l.page === side)
const summary = (side: Page) => {
  const ls = of(side)
  return {
    'first render ms (median)': round(median(ls.map((l) => l.firstMs))),
    'from navigation ms (median)': round(median(ls.map((l) => l.sinceNavigationMs))),
    'drag frame mean ms (median)': round(median(ls.map((l) => l.dragMean))),
    'drag frame max ms (median)': round(median(ls.map((l) => l.dragMax))),
    'drag frame max ms (worst)': round(max(ls.map((l) => l.dragMax))),
    'drop frame ms (median)': round(median(ls.map((l) => l.dropMs))),
    'long tasks in drag+drop (median)': median(ls.map((l) => l.longTasks)),
    'card followed pointer px (median)': round(median(ls.map((l) => l.followedPx))),
  }
}
const ours = summary('ours')
const plain = summary('baseline')
console.log(`\n${STAGES} stages × ${NODES_PER_STAGE} nodes (${CANVAS_NODES} canvas nodes), ${LOADS} loads each`)
console.table({ 'ours (FlowCanvas)': ours, 'plain React Flow': plain })
const views = (side: Page) => [...new Set(of(side).map((l) => l.viewport))].join(' | ')
console.log(`view when dragging: ours ${views('ours')}; plain ${views('baseline')}`)
if (views('ours') !== views('baseline'))
  console.log('NOTE: the two pages showed different views: frames compare less well')
const ratio = plain['first render ms (median)'] / ours['first render ms (median)']
const worstDrag = ours['drag frame max ms (worst)']
console.log(
  `goal: first render ratio ${ratio.toFixed(2)} ≥ 0.5 — ${ratio >= 0.5 ? 'met' : 'missed'}; ` +
    `no drag frame over 50 ms — ${worstDrag <= 50 ? 'met' : 'missed'} (worst ${worstDrag} ms` +
    `${ours['card followed pointer px (median)'] === 0 ? ', but the card did not follow the pointer' : ''}); ` +
    `the drop (mouse up) ${ours['drop frame ms (median)']} ms — ${ours['drop frame ms (median)'] <= 50 ? 'within' : 'over'} 50 ms`,
)
printOutcome({
  bench: 'designer',
  ours: 1000 / ours['first render ms (median)'],
  baseline: 'plain React Flow (default nodes)',
  theirs: 1000 / plain['first render ms (median)'],
  unit: 'renders/s',
  extra: {
    first_render_ms_ours: ours['first render ms (median)'],
    first_render_ms_plain: plain['first render ms (median)'],
    drag_frame_mean_ms_ours: ours['drag frame mean ms (median)'],
    drag_frame_max_ms_ours: ours['drag frame max ms (median)'],
    drag_frame_max_ms_plain: plain['drag frame max ms (median)'],
    drag_frame_mean_ms_plain: plain['drag frame mean ms (median)'],
    drag_frame_worst_ms_ours: ours['drag frame max ms (worst)'],
    drop_frame_ms_ours: ours['drop frame ms (median)'],
    drop_frame_ms_plain: plain['drop frame ms (median)'],
    navigation_to_render_ms_ours: ours['from navigation ms (median)'],
    navigation_to_render_ms_plain: plain['from navigation ms (median)'],
  },
})
