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
