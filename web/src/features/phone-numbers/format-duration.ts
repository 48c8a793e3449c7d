/** "8 s", "2 min 05 s", "1 h 04 min": short enough for a card line, precise enough to watch it tick. */
export function formatElapsed(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds))
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`
  const hours = Math.floor(minutes / 60)
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`
}

/** A typical wait, rounded the way a person says it: "about 20 s", "about 3 min". */
export function formatTypicalWait(seconds: number): string {
  if (seconds < 10) return `about ${Math.max(1, Math.round(seconds))} s`
  if (seconds < 90) return `about ${Math.round(seconds / 5) * 5} s`
  return `about ${Math.round(seconds / 60)} min`
}
