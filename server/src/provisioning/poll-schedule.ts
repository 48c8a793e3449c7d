/**
 * When to ask Vapi again about a number still without one. Vapi usually assigns within 5–30 s and sometimes
 * takes minutes, so checks start dense (2 s after creation) and stretch out by half each time, up to a cap,
 * with ±20 % jitter so numbers created together do not poll in lockstep.
 */
export const pollSchedule = {
  firstCheckDelayMs: 2_000,
  growthFactor: 1.5,
  capMs: 30_000,
  jitter: 0.2,
}

/** Delay after the `checkCount`-th check (1 = the first) before the next one. */
export function nextCheckDelayMs(checkCount: number, random: () => number = Math.random): number {
  const base = Math.min(
    pollSchedule.capMs,
    pollSchedule.firstCheckDelayMs * pollSchedule.growthFactor ** Math.max(0, checkCount - 1),
  )
  const spread = 1 - pollSchedule.jitter + 2 * pollSchedule.jitter * random()
  return Math.round(base * spread)
}
