/**
 * The app's two screens behind a hash route (`#/` the designer, `#/outbox` the outbox): no router
 * dependency, and the server's SPA fallback is not involved, so a link can be opened or reloaded anywhere.
 */
import { useSyncExternalStore } from 'react'

export type Route = 'designer' | 'outbox'

export const ROUTES: ReadonlyArray<{ route: Route; href: string; label: string }> = [
  { route: 'designer', href: '#/', label: 'Designer' },
  { route: 'outbox', href: '#/outbox', label: 'Outbox' },
]

/** `#/outbox`, `#/outbox/`, `#outbox` → outbox; anything else → the designer. */
export function routeOf(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').replace(/\/+$/, '')
  return path === 'outbox' ? 'outbox' : 'designer'
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => routeOf(window.location.hash))
}
