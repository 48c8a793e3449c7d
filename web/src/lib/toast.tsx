import { useSyncExternalStore } from 'react'

// Short notices in the corner ("Released …", "“Front desk” is live"). dialtone's own instead of a library: the
// page needs three kinds, a description, an id that replaces a notice of the same id, closing, and waiting while
// the pointer is over them; the library it replaced cost 9 kB gzip of the main page's budget (issue 19).

export type ToastKind = 'success' | 'error' | 'info'

export interface ToastOptions {
  /** A second, quieter line. */
  description?: string
  /** A notice with the same id replaces the one shown instead of adding another. */
  id?: string
}

export interface ShownToast {
  id: string
  kind: ToastKind
  title: string
  description: string | undefined
}

/** How long a notice stays (the pointer over the notices holds them). */
export const toastDurationMs = 4_000
/** At most this many at once; the oldest goes first. */
const maxShown = 3

let shown: readonly ShownToast[] = []
let isHeld = false
let counter = 0
const timers = new Map<string, ReturnType<typeof setTimeout>>()
const listeners = new Set<() => void>()

function emit() {
  for (const listener of listeners) listener()
}

function startTimer(id: string) {
  clearTimeout(timers.get(id))
  timers.set(
    id,
    setTimeout(() => dismiss(id), toastDurationMs),
  )
}

function dismiss(id: string) {
  clearTimeout(timers.get(id))
  timers.delete(id)
  if (!shown.some((each) => each.id === id)) return
  shown = shown.filter((each) => each.id !== id)
  // The list is gone from under the pointer: nothing holds new notices.
  if (shown.length === 0) isHeld = false
  emit()
}

function show(kind: ToastKind, title: string, options: ToastOptions = {}): string {
  counter += 1
  const id = options.id ?? `toast-${counter}`
  const next: ShownToast = { id, kind, title, description: options.description }
  const kept = [...shown.filter((each) => each.id !== id), next]
  for (const dropped of kept.slice(0, Math.max(0, kept.length - maxShown))) clearTimeout(timers.get(dropped.id))
  shown = kept.slice(-maxShown)
  if (!isHeld) startTimer(id)
  emit()
  return id
}

export const toast = {
  success: (title: string, options?: ToastOptions) => show('success', title, options),
  error: (title: string, options?: ToastOptions) => show('error', title, options),
  info: (title: string, options?: ToastOptions) => show('info', title, options),
  dismiss,
}

function subscribe(listener: () => void) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** While the pointer is over the notices they stay; they go on counting when it leaves. */
function hold(isHolding: boolean) {
  isHeld = isHolding
  for (const each of shown) {
    if (isHolding) clearTimeout(timers.get(each.id))
    else startTimer(each.id)
  }
}

/** The notices, newest last, in a polite live region; errors are announced at once. */
export function Toaster() {
  const toasts = useSyncExternalStore(subscribe, () => shown)
  return (
    <section className="toaster" aria-label="Notifications" aria-live="polite">
      {
        <ol onMouseEnter={() => hold(true)} onMouseLeave={() => hold(false)}>
          {toasts.map((each) => (
            <li key={each.id} className={`toast toast-${each.kind}`} role={each.kind === 'error' ? 'alert' : 'status'}>
              <div className="toast-text">
                <p className="toast-title">{each.title}</p>
                {each.description && <p className="toast-description">{each.description}</p>}
              </div>
              <button
                type="button"
                className="toast-close"
                aria-label="Close notification"
                onClick={() => dismiss(each.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ol>
      }
    </section>
  )
}
