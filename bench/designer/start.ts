/**
 * Imported first by each page of bench/designer, for its effect: it imports nothing, so the bundle runs it
 * before React, MUI or React Flow — the moment the app's script starts.
 */
declare global {
  interface Window {
    /** When the app's script started (ms since navigation). */
    __benchStart: number
  }
}

window.__benchStart = performance.now()
