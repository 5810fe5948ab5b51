/**
 * The app's screens behind a hash route (`#/board/invoice-signing`, `#/elements/deal-7`, `#/outbox`): no router
 * dependency, and the server's SPA fallback is not involved, so a link can be opened or reloaded anywhere.
 * `#/` is the home screen, which depends on who signs in (see `homeOf`).
 */
import { useSyncExternalStore } from 'react'

export type Screen = 'home' | 'designer' | 'board' | 'element' | 'inbox' | 'outbox' | 'templates' | 'company'

export interface Route {
  screen: Screen
  /** The pipeline of the board, the element of its page, the template being edited. */
  param?: string
}

/** The top bar's screens, in order; `operation` is what the session must be allowed to call to see it. */
export const ROUTES: ReadonlyArray<{ screen: Exclude<Screen, 'home' | 'element'>; href: string; operation: string }> = [
  { screen: 'board', href: '#/board', operation: 'getBoard' },
  { screen: 'inbox', href: '#/inbox', operation: 'listTasks' },
  { screen: 'designer', href: '#/designer', operation: 'getFlow' },
  { screen: 'templates', href: '#/templates', operation: 'listTemplates' },
  { screen: 'company', href: '#/company', operation: 'getMyCompany' },
  { screen: 'outbox', href: '#/outbox', operation: 'listOutbox' },
]

const SCREENS: ReadonlySet<string> = new Set(['designer', 'board', 'inbox', 'outbox', 'templates', 'company'])

/** `#/outbox`, `#outbox/`, `#/elements/deal%2D7` → the screen and its parameter; anything unknown → home. */
export function routeOf(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .replace(/\/+$/, '')
    .split('/')
    .filter((p) => p !== '')
  const [first, second] = parts
  const param = second === undefined ? undefined : safeDecode(second)
  if (first === 'elements' && param) return { screen: 'element', param }
  if (first && SCREENS.has(first)) return { screen: first as Screen, ...(param ? { param } : {}) }
  return { screen: 'home' }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** The link to a screen with its parameter. */
export function hrefOf(screen: Exclude<Screen, 'home'>, param?: string): string {
  const base = screen === 'element' ? '#/elements' : `#/${screen}`
  return param === undefined ? base : `${base}/${encodeURIComponent(param)}`
}

/** Who designs flows starts in the designer; everyone else on the board. */
export function homeOf(may: (operation: string) => boolean): Exclude<Screen, 'home'> {
  return may('saveDraft') ? 'designer' : 'board'
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

/** The hash, as a string (stable for useSyncExternalStore), read into a route by the caller. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash)
  return routeOf(hash)
}
