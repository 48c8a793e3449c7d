/**
 * When the fallback poller asks Vapi about a number still without one.
 *
 * Against real Vapi the poller is how most numbers turn live, so the schedule decides how long an owner stares at
 * "Provisioning…". Vapi's users see numbers arrive 5–30 s after the purchase, sometimes minutes:
 * - one early check 2 s after creation, for numbers Vapi assigns at once;
 * - then checks evenly through the usual window (from 7.5 s, every 2.5 s, eleven of them): evenly spaced checks
 *   give the shortest mean wait for a given number of calls, here about 1.3 s after assignment for about
 *   6 calls per number (docs/performance.md, "Polling");
 * - then backing off ×1.5 per check up to a 30 s cap, so a number that takes minutes costs about 2 calls a minute.
 * Every delay is jittered ±20 % so numbers bought together do not poll in lockstep.
 */
export interface PollSchedule {
  /** From creation to the first check. */
  firstCheckDelayMs: number
  /** From creation to the first check of the even window (0 window checks: no window, growth starts at once). */
  windowStartMs: number
  windowStepMs: number
  windowChecks: number
  growthFactor: number
  capMs: number
  /** ± this share of each delay, at random. */
  jitter: number
}

export const pollSchedule: PollSchedule = {
  firstCheckDelayMs: 2_000,
  windowStartMs: 7_500,
  windowStepMs: 2_500,
  windowChecks: 11,
  growthFactor: 1.5,
  capMs: 30_000,
  jitter: 0.2,
}

/** The delay after the `checkCount`-th check (1 = the first) before the next one, before jitter. */
export function baseDelayMs(checkCount: number, schedule: PollSchedule = pollSchedule): number {
  const count = Math.max(1, checkCount)
  if (schedule.windowChecks === 0) {
    return Math.min(schedule.capMs, schedule.firstCheckDelayMs * schedule.growthFactor ** (count - 1))
  }
  if (count === 1) return Math.max(0, schedule.windowStartMs - schedule.firstCheckDelayMs)
  if (count <= schedule.windowChecks) return schedule.windowStepMs
  return Math.min(schedule.capMs, schedule.windowStepMs * schedule.growthFactor ** (count - schedule.windowChecks))
}

/** Delay after the `checkCount`-th check (1 = the first) before the next one, jittered. */
export function nextCheckDelayMs(
  checkCount: number,
  random: () => number = Math.random,
  schedule: PollSchedule = pollSchedule,
): number {
  const spread = 1 - schedule.jitter + 2 * schedule.jitter * random()
  return Math.round(baseDelayMs(checkCount, schedule) * spread)
}

/**
 * The change feed (issue 19): instead of one GET per pending number, one `GET /phone-number?updatedAtGt=` per Vapi
 * account answers for all of that account's pending numbers at once (poll-change-feed.ts). The per-number checks
 * stay as the backstop for anything the feed misses, on the slower `backstop` schedule.
 */
export interface ChangeFeedSettings {
  enabled: boolean
  /** Never more often than this per account, however many numbers wait: the feed's whole cost is this rate. */
  minIntervalMs: number
  /**
   * Each call asks from this long before the previous call was sent: covers a Vapi clock behind ours, and changes
   * whose updatedAt was stamped before they became visible. Re-seen numbers cost nothing (one call either way).
   */
  skewMarginMs: number
  /** Items per list call (Vapi's maximum is 1000); a full page is split by time and asked again. */
  pageLimit: number
  /** List calls one round may make for one account; beyond it the round is left incomplete (the backstop waits). */
  maxCallsPerRound: number
  /** How long one process holds an account's feed; the next claim after a crash waits at most this. */
  leaseMs: number
  /** After a failed call other than a 429 (which waits its Retry-After), the account's next call waits this. */
  errorRetryMs: number
  /** Per-number checks while the feed runs: after the usual 5–30 s window, then about once a minute. */
  backstop: PollSchedule
}

export const changeFeed: ChangeFeedSettings = {
  enabled: true,
  minIntervalMs: 1_000,
  skewMarginMs: 30_000,
  pageLimit: 1_000,
  maxCallsPerRound: 20,
  leaseMs: 20_000,
  errorRetryMs: 5_000,
  backstop: {
    firstCheckDelayMs: 40_000,
    windowStartMs: 0,
    windowStepMs: 0,
    windowChecks: 0,
    growthFactor: 1.5,
    capMs: 60_000,
    jitter: 0.2,
  },
}

/** The schedule of each number's own checks: the backstop while the feed runs, the full schedule without it. */
export function perNumberSchedule(): PollSchedule {
  return changeFeed.enabled ? changeFeed.backstop : pollSchedule
}

/** The gap between the schedule's two checks around `ageMs` after creation (before jitter). */
export function scheduleStepAtAgeMs(ageMs: number, schedule: PollSchedule = pollSchedule): number {
  let checkAt = schedule.firstCheckDelayMs
  if (ageMs < checkAt) return checkAt
  for (let count = 1; count < 10_000; count++) {
    const step = baseDelayMs(count, schedule)
    if (ageMs < checkAt + step || step >= schedule.capMs) return Math.max(1, step)
    checkAt += step
  }
  return schedule.capMs
}

/**
 * How often one account's feed runs for numbers of these ages: as often as the per-number schedule would check all
 * of them together (each number's rate is 1 / its step; the feed's rate is their sum), but never more often than
 * `minIntervalMs`. One young number alone is asked exactly as today's per-number schedule asks it; forty numbers in
 * their window share one call a second, where per-number checks would make sixteen.
 */
export function feedIntervalMs(agesMs: readonly number[], settings: ChangeFeedSettings = changeFeed): number {
  let rate = 0
  for (const age of agesMs) rate += 1 / scheduleStepAtAgeMs(age)
  if (rate === 0) return Number.POSITIVE_INFINITY
  return Math.max(settings.minIntervalMs, 1 / rate)
}
