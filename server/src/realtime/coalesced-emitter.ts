/**
 * Passes values on at most once per `intervalMs`: the first at once, and whatever arrives within the interval
 * after it folded into one trailing call with the latest value. For events whose listeners only need to know
 * that something changed, however often it changes.
 */
export function createCoalescedEmitter<T>(
  intervalMs: number,
  emit: (value: T) => void,
  now: () => number = () => performance.now(),
): (value: T) => void {
  let lastEmittedAt = Number.NEGATIVE_INFINITY
  let trailing: { value: T } | null = null
  let timer: NodeJS.Timeout | null = null

  const flush = () => {
    timer = null
    if (!trailing) return
    const { value } = trailing
    trailing = null
    lastEmittedAt = now()
    emit(value)
  }

  return (value) => {
    if (timer) {
      trailing = { value }
      return
    }
    const sinceLast = now() - lastEmittedAt
    if (sinceLast >= intervalMs) {
      lastEmittedAt = now()
      emit(value)
      return
    }
    trailing = { value }
    timer = setTimeout(flush, intervalMs - sinceLast)
    // A pending trailing call must not keep a stopping process alive.
    timer.unref()
  }
}
