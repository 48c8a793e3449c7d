import { useEffect, useSyncExternalStore } from 'react'
import { formatPhoneNumber } from './format-phone-number.ts'

type Format = (e164: string) => string

// libphonenumber's metadata is downloaded only once a number outside North America is on screen: most owners
// hold US numbers and never pay for it.
let internationalFormat: Format | null = null
let loading: Promise<void> | null = null
const listeners = new Set<() => void>()

function loadInternationalFormat(): void {
  loading ??= import('libphonenumber-js/min').then(
    ({ parsePhoneNumberFromString }) => {
      internationalFormat = (e164) => parsePhoneNumberFromString(e164)?.formatInternational() ?? e164
      for (const listener of listeners) listener()
    },
    () => {
      // Offline or a failed chunk: the number stays as the server gave it; the next card to need it tries again.
      loading = null
    },
  )
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

const getFormat = () => internationalFormat

/** A number as people read it: North America as "+1 (415) 555-0123", elsewhere by libphonenumber ("+44 20 7946 0123"). */
export function useFormattedNumber(e164: string | null): string | null {
  const isNorthAmerican = e164 === null || e164.startsWith('+1')
  const format = useSyncExternalStore(subscribe, getFormat)
  useEffect(() => {
    if (!isNorthAmerican && format === null) loadInternationalFormat()
  }, [isNorthAmerican, format])
  if (e164 === null) return null
  if (isNorthAmerican) return formatPhoneNumber(e164)
  return format === null ? e164 : format(e164)
}
