import { useSyncExternalStore } from 'react'

/** The app's few screens. A tiny history router: a full router would cost more bytes than the app's own code. */
export const routes = {
  home: '/',
  signIn: '/sign-in',
  signUp: '/sign-up',
  admin: '/admin',
  settings: '/settings',
  mailbox: '/mailbox',
} as const
export type RoutePath = (typeof routes)[keyof typeof routes]

const listeners = new Set<() => void>()

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  window.addEventListener('popstate', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('popstate', listener)
  }
}

function getPathname(): string {
  return window.location.pathname
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, getPathname)
}

export function navigate(path: RoutePath, options: { replace?: boolean } = {}): void {
  if (window.location.pathname === path) return
  if (options.replace) window.history.replaceState(null, '', path)
  else window.history.pushState(null, '', path)
  for (const listener of listeners) listener()
}
