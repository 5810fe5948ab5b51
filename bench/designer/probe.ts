/**
 * In the page, for bench/designer: exposes on `window.__bench` what the driver reads — when the canvas first
 * showed all its nodes (from the start of the app's script, noted by `start.ts`), and the frames of a drag.
 */

export interface FirstRender {
  /** From the start of the app's script to the first frame painted with every node in place. */
  ms: number
  /** The same, from navigation (fetching and parsing the bundle included). */
  sinceNavigation: number
  nodes: number
}

export interface Frames {
  /** Durations of the frames (ms between requestAnimationFrame timestamps) from mouse down to mouse up. */
  drag: number[]
  /** The frames after mouse up (the drop, and a few after it). */
  drop: number[]
  /** Long tasks (> 50 ms) seen while recording. */
  longTasks: number[]
}

export interface BenchApi {
  firstRender: Promise<FirstRender>
  startFrames(): void
  markUp(): void
  stopFrames(): Frames
  nextFrame(): Promise<void>
}

declare global {
  interface Window {
    __bench: BenchApi
  }
}

/** Every node in the DOM and measured (React Flow hides a node until it knows its size). */
function allShown(expected: number): boolean {
  return (
    document.querySelectorAll('.react-flow__node').length >= expected &&
    !document.querySelector('.react-flow__node[style*="visibility: hidden"]')
  )
}

/** Resolves after the frame in which `probe` first holds has been painted. */
function whenPainted(probe: () => boolean): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      if (!probe()) {
        requestAnimationFrame(check)
        return
      }
      // Checked in a frame's rAF: what it saw is what this frame paints. A message posted now is handled
      // as the next task, once style, layout and paint of this frame are done.
      const channel = new MessageChannel()
      channel.port1.onmessage = () => resolve(performance.now())
      channel.port2.postMessage(null)
    }
    requestAnimationFrame(check)
  })
}

export function installProbe(expectedNodes: number): void {
  const stamps: number[] = []
  const longTasks: PerformanceEntry[] = []
  let recording = false
  let upAt = -1
  let since = 0
  try {
    new PerformanceObserver((list) => {
      longTasks.push(...list.getEntries())
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    // No long task timing in this browser: the frames say enough.
  }
  const loop = (t: number) => {
    stamps.push(t)
    if (recording) requestAnimationFrame(loop)
  }
  const deltas = (from: number, to: number) => {
    const out: number[] = []
    for (let i = Math.max(1, from); i < to; i++) out.push((stamps[i] as number) - (stamps[i - 1] as number))
    return out
  }
  window.__bench = {
    firstRender: whenPainted(() => allShown(expectedNodes)).then((end) => ({
      ms: end - window.__benchStart,
      sinceNavigation: end,
      nodes: document.querySelectorAll('.react-flow__node').length,
    })),
    startFrames() {
      stamps.length = 0
      upAt = -1
      recording = true
      since = performance.now()
      requestAnimationFrame(loop)
    },
    markUp() {
      upAt = stamps.length
    },
    stopFrames() {
      recording = false
      const up = upAt < 0 ? stamps.length : upAt
      return {
        drag: deltas(1, up),
        drop: deltas(up, stamps.length),
        longTasks: longTasks.filter((e) => e.startTime >= since).map((e) => e.duration),
      }
    },
    nextFrame: () => new Promise((resolve) => requestAnimationFrame(() => resolve())),
  }
}
