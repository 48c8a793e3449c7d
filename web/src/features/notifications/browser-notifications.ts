import { useSyncExternalStore } from 'react'

const preferenceKey = 'dialtone.notify-when-live'
const listeners = new Set<() => void>()

export type NotificationState = 'unsupported' | 'blocked' | 'off' | 'on'

export function isNotificationSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window
}

function readPreference(): boolean {
  try {
    return window.localStorage.getItem(preferenceKey) === 'on'
  } catch {
    return false
  }
}

function writePreference(isOn: boolean): void {
  try {
    if (isOn) window.localStorage.setItem(preferenceKey, 'on')
    else window.localStorage.removeItem(preferenceKey)
  } catch {
    // Storage can be disabled (private mode); the choice then lasts until the tab closes.
  }
  sessionPreference = isOn
  for (const listener of listeners) listener()
}

let sessionPreference: boolean | null = null

function readNotificationState(): NotificationState {
  if (!isNotificationSupported()) return 'unsupported'
  if (Notification.permission === 'denied') return 'blocked'
  const isOn = sessionPreference ?? readPreference()
  return isOn && Notification.permission === 'granted' ? 'on' : 'off'
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  // Another tab changing the preference, or the owner changing the site permission and coming back.
  window.addEventListener('storage', listener)
  window.addEventListener('focus', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', listener)
    window.removeEventListener('focus', listener)
  }
}

export function useNotificationState(): NotificationState {
  return useSyncExternalStore(subscribe, readNotificationState)
}

/** Asks the browser once (it must follow a click) and remembers the owner's choice. */
export async function turnNotificationsOn(): Promise<NotificationState> {
  if (!isNotificationSupported()) return 'unsupported'
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission()
  writePreference(permission === 'granted')
  return readNotificationState()
}

export function turnNotificationsOff(): void {
  writePreference(false)
}

/** Only while the tab is in the background: in front, the toast already says it. */
export function notifyInBackground(title: string, options: { body: string; tag: string }): void {
  if (readNotificationState() !== 'on' || document.visibilityState !== 'hidden') return
  try {
    new Notification(title, { body: options.body, tag: options.tag })
  } catch {
    // Some mobile browsers allow notifications only from a service worker; the toast still shows.
  }
}
