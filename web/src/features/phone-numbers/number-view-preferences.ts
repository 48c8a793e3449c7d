import { useCallback, useState } from 'react'

/**
 * A value kept in localStorage, so the owner's choice (a filter, a dismissed card) survives a reload. A browser
 * that refuses storage (private mode, quota) still works for the session.
 */
export function useStoredState<T>(
  key: string,
  initial: T,
  isValid: (value: unknown) => value is T,
): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = window.localStorage.getItem(key)
      if (stored === null) return initial
      const parsed: unknown = JSON.parse(stored)
      return isValid(parsed) ? parsed : initial
    } catch {
      return initial
    }
  })
  const store = useCallback(
    (next: T) => {
      setValue(next)
      try {
        window.localStorage.setItem(key, JSON.stringify(next))
      } catch {
        // Not remembered, still applied.
      }
    },
    [key],
  )
  return [value, store]
}

export const storageKeys = {
  statusFilter: 'dialtone.numbers.statusFilter',
  hideFinished: 'dialtone.numbers.hideFailedAndReleased',
  dismissed: 'dialtone.numbers.dismissed',
} as const

export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean'
export const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string')
