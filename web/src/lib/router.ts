import { useSyncExternalStore } from 'react'

/** The app's few screens. A tiny history router: a full router would cost more bytes than the app's own code. */
export const routes = {
  home: '/',
  signIn: '/sign-in',
  signUp: '/sign-up',
  admin: '/admin',
  webhooks: '/settings/webhooks',
  settings: '/settings',
  mailbox: '/mailbox',
  apiKeys: '/settings/api-keys',
  apiReference: '/api-reference',
  team: '/settings/team',
  auditLog: '/settings/audit-log',
  webhookLog: '/settings/webhook-log',
} as const
/** The page an invitation's link opens (its id is the link's secret). */
export type InvitationPath = `/invitations/${string}`
export type RoutePath = (typeof routes)[keyof typeof routes] | InvitationPath

export const invitationPathPrefix = '/invitations/'

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

function getSearch(): string {
  return window.location.search
}

/** One query-string parameter of the current address; follows Back and Forward. */
export function useSearchParam(name: string): string | null {
  return new URLSearchParams(useSyncExternalStore(subscribe, getSearch)).get(name)
}

/** Sets (or, with null, removes) a query-string parameter as a new history entry, so Back undoes it. */
export function setSearchParam(name: string, value: string | null): void {
  const params = new URLSearchParams(window.location.search)
  if (value === null) params.delete(name)
  else params.set(name, value)
  const search = params.toString()
  const url = `${window.location.pathname}${search === '' ? '' : `?${search}`}`
  if (url === `${window.location.pathname}${window.location.search}`) return
  window.history.pushState(null, '', url)
  for (const listener of listeners) listener()
}

export function navigate(path: RoutePath, options: { replace?: boolean } = {}): void {
  if (window.location.pathname === path) return
  if (options.replace) window.history.replaceState(null, '', path)
  else window.history.pushState(null, '', path)
  for (const listener of listeners) listener()
}
