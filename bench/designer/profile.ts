/**
 * Where bench/designer's time goes: `node --import tsx bench/designer/profile.ts [ours|baseline]`.
 * Builds the page without minifying (names kept), opens it, and reports for each step — the first render,
 * the 60 drag moves, the drop, a click that selects a card — which React components rendered (counted
 * through React's devtools hook, installed before the app loads) and, for the drop and the click, where
 * the main thread spent its time (Chromium's CPU profiler, self time by source module and by function).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CDPSession, Page as Tab } from 'playwright-core'
import { dragRule, launch, open } from './drive.js'
import { buildPages, type Page, serve } from './pages.js'

const side = (process.argv[2] ?? 'ours') as Page
/** A card to click once the drag is over: another rule of the same column, in view. */
const CLICKED = 's1-r0'

/**
 * React's devtools hook, reduced to counting: after each commit, the components that rendered (a fiber
 * rendered if React did work on it: mounted, or PerformedWork set; subtrees React skipped are not walked).
 */
const HOOK = `(() => {
  const counts = {}
  const COMPONENT_TAGS = new Set([0, 1, 11, 15]) // function, class, forwardRef, simple memo
  const nameOf = (t) =>
    !t ? 'Anonymous' : typeof t === 'function' ? t.displayName || t.name || 'Anonymous'
    : t.displayName || (t.render && nameOf(t.render)) || (t.type && nameOf(t.type)) || 'Anonymous'
  const walk = (root) => {
    const stack = [root]
    while (stack.length) {
      const f = stack.pop()
      const rendered = !f.alternate || (f.flags & 1) !== 0
      if (rendered && COMPONENT_TAGS.has(f.tag)) {
        const name = nameOf(f.type)
        counts[name] = (counts[name] || 0) + 1
      }
      if (f.sibling) stack.push(f.sibling)
      if (f.child && (!f.alternate || f.child !== f.alternate.child)) stack.push(f.child)
    }
  }
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject(renderer) { this.renderers.set(1, renderer); return 1 },
    onCommitFiberRoot(_id, root) { walk(root.current) },
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    onScheduleFiberRoot() {},
    checkDCE() {},
  }
  window.__renders = () => { const out = { ...counts }; for (const k in counts) delete counts[k]; return out }
})()`

const takeRenders = (tab: Tab) =>
  tab.evaluate(() => (window as unknown as { __renders: () => Record<string, number> }).__renders())

function printRenders(step: string, counts: Record<string, number>) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1])
  const total = rows.reduce((n, [, c]) => n + c, 0)
  console.log(`\n## ${step}: ${total} component renders`)
  console.log(
    rows
      .slice(0, 14)
      .map(([name, n]) => `  ${String(n).padStart(6)}  ${name}`)
      .join('\n'),
  )
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** `node_modules/@mui/system/esm/x.js` → `@mui/system`; the repository's own files keep their path. */
function packageOf(path: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  return inModules ? (inModules[1] as string) : path.replace(/^(\.\.\/)+/, '')
}

/** The bundle's `// <module path>` markers (unminified): which source module each line of the bundle comes from. */
function regionsOf(dir: string): (line: number) => string {
  const assets = join(dir, side, 'assets')
  const file = readdirSync(assets).find((f) => f.endsWith('.js'))
  if (!file) return () => '?'
  const marks: [number, string][] = []
  readFileSync(join(assets, file), 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const m = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(text)
      if (m) marks.push([line, packageOf(m[1] as string)])
    })
  return (line) => {
    let lo = 0
    let hi = marks.length - 1
    let found = '?'
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const [at, name] = marks[mid] as [number, string]
      if (at <= line) {
        found = name
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }
}

function printProfile(step: string, profile: Profile, moduleOf: (line: number) => string) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const byModule = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    if (!node) return
    const { functionName, url, lineNumber } = node.callFrame
    const where = url.includes('/assets/')
      ? moduleOf(lineNumber)
      : functionName.startsWith('(')
        ? ''
        : url || (functionName === 'walk' ? '(the render counter of this script)' : '(native)')
    if (functionName === '(idle)' || functionName === '(program)') return
    total += ms
    const module = functionName === '(garbage collector)' ? '(garbage collector)' : where
    byModule.set(module, (byModule.get(module) ?? 0) + ms)
    const fn = `${functionName || '(anonymous)'}  ${where}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms)
  })
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `  ${ms.toFixed(1).padStart(7)} ms ${((100 * ms) / total).toFixed(0).padStart(3)}%  ${k}`)
      .join('\n')
  console.log(`\n## ${step}: ${total.toFixed(0)} ms of script, layout and GC on the main thread`)
  console.log(`by module (self time):\n${top(byModule, 14)}`)
  console.log(`by function (self time):\n${top(byFunction, 16)}`)
}

const folder = mkdtempSync(join(tmpdir(), 'signflow-bench-designer-profile-'))
const browser = await launch()
const server = await (async () => {
  await buildPages(folder, { minify: false })
  return serve(folder)
})()
try {
  const moduleOf = regionsOf(folder)
  let session: CDPSession | undefined
  const opened = await open(browser, server.url, side, async (tab) => {
    await tab.addInitScript(HOOK)
    session = await tab.context().newCDPSession(tab)
    await session.send('Profiler.enable')
    await session.send('Profiler.setSamplingInterval', { interval: 200 })
    await session.send('Profiler.start')
  })
  if (!session) throw new Error('no CDP session')
  const cdp: CDPSession = session
  const { tab } = opened
  const loadProfile = (await cdp.send('Profiler.stop')).profile as unknown as Profile
  console.log(`${side}: first render ${opened.first.ms.toFixed(0)} ms (unminified build)`)
  printRenders('first render (mount and measuring)', await takeRenders(tab))
  printProfile('from navigation to the first render', loadProfile, moduleOf)
  let moves: Record<string, number> = {}
  const drag = await dragRule(opened, async () => {
    moves = await takeRenders(tab)
    await cdp.send('Profiler.start')
  })
  const dropProfile = (await cdp.send('Profiler.stop')).profile as unknown as Profile
  printRenders(`the 60 drag moves (card followed the pointer ${drag.followedPx.toFixed(0)} px)`, moves)
  printRenders(
    `the drop (longest frame after mouse up ${Math.max(...drag.frames.drop).toFixed(0)} ms)`,
    await takeRenders(tab),
  )
  printProfile('the drop', dropProfile, moduleOf)

  await tab.waitForTimeout(500)
  await takeRenders(tab)
  await tab.evaluate(() => window.__bench.startFrames())
  await cdp.send('Profiler.start')
  // The mouse, not locator.click(): Playwright's hit-target checks would run in the page and be profiled too.
  const card = await tab.locator(`.react-flow__node[data-id="${CLICKED}"]`).boundingBox()
  if (!card) throw new Error(`${CLICKED} is not on the canvas`)
  await tab.mouse.click(card.x + card.width / 2, card.y + card.height / 2)
  for (let i = 0; i < 4; i++) await tab.evaluate(() => window.__bench.nextFrame())
  const clickProfile = (await cdp.send('Profiler.stop')).profile as unknown as Profile
  const clickFrames = await tab.evaluate(() => window.__bench.stopFrames())
  printRenders(
    `a click selecting ${CLICKED} (longest frame ${Math.max(...clickFrames.drag).toFixed(0)} ms)`,
    await takeRenders(tab),
  )
  printProfile('the click', clickProfile, moduleOf)
  await opened.context.close()
} finally {
  await browser.close()
  await server.close()
  rmSync(folder, { recursive: true, force: true })
}
