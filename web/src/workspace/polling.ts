/** Keeping a screen current while it is open: load now, then again every `ms` while the tab is visible. */
import { useEffect } from 'react'

export function usePolling(load: (signal: AbortSignal) => unknown, ms: number): void {
  useEffect(() => {
    const abort = new AbortController()
    void load(abort.signal)
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load(abort.signal)
    }, ms)
    return () => {
      abort.abort()
      clearInterval(timer)
    }
  }, [load, ms])
}
