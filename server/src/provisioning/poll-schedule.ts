/**
 * When to ask Vapi again about a number still without one. Vapi usually assigns within 5–30 s and sometimes
 * takes minutes, so checks start dense (2 s after creation) and stretch out by half each time, up to a cap,
 * with ±20 % jitter so numbers created together do not poll in lockstep.
 */
export interface PollSchedule {
  /** From creation to the first check; also the step the growth starts from when there is no steady phase. */
  firstCheckDelayMs: number
  growthFactor: number
  capMs: number
  /** ± this share of each delay, at random. */
  jitter: number
  /**
   * Checks made at the even `steadyStepMs` before the growth starts (0: none). Evenly spaced checks through the
   * window where most numbers arrive give the shortest mean wait for a given number of calls.
   */
  steadyChecks: number
  steadyStepMs: number
}

export const pollSchedule: PollSchedule = {
  firstCheckDelayMs: 2_000,
  growthFactor: 1.5,
  capMs: 30_000,
  jitter: 0.2,
  steadyChecks: 0,
  steadyStepMs: 0,
}

/**
 * Shaped on the 5–30 s that Vapi's users report (VAPI.md): no check before 7.5 s (one at 5 s would almost never
 * find a number), then one every 2.5 s until about 35 s, then the usual growth to the 30 s cap. Against the
 * sandbox's uniform 5–30 s it finds a number about 1.3 s after it is assigned with under 6 checks on average,
 * where the default waits about 4.5 s for as many (docs/performance.md, "Polling"). Not the default yet: see there.
 */
export const assignmentWindowPollSchedule: PollSchedule = {
  firstCheckDelayMs: 7_500,
  growthFactor: 1.5,
  capMs: 30_000,
  jitter: 0.2,
  steadyChecks: 11,
  steadyStepMs: 2_500,
}

/** Delay after the `checkCount`-th check (1 = the first) before the next one. */
export function nextCheckDelayMs(
  checkCount: number,
  random: () => number = Math.random,
  schedule: PollSchedule = pollSchedule,
): number {
  const isSteady = schedule.steadyChecks > 0
  const base =
    isSteady && checkCount <= schedule.steadyChecks
      ? schedule.steadyStepMs
      : Math.min(
          schedule.capMs,
          (isSteady ? schedule.steadyStepMs * schedule.growthFactor : schedule.firstCheckDelayMs) *
            schedule.growthFactor ** Math.max(0, checkCount - 1 - schedule.steadyChecks),
        )
  const spread = 1 - schedule.jitter + 2 * schedule.jitter * random()
  return Math.round(base * spread)
}
