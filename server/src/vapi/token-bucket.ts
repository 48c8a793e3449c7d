/**
 * A token bucket shared by every call of one Vapi client, so bursts from the poller, "check all" and creates
 * together stay under the organisation's limit. Holds up to `ratePerSecond` tokens (at least one); a call that
 * finds it empty reserves the next token and waits for it, so waiters are served in arrival order.
 */
export interface TokenBucket {
  /** Resolves when the caller may send one request. */
  take(): Promise<void>
}

export function createTokenBucket(options: {
  ratePerSecond: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}): TokenBucket {
  const { ratePerSecond } = options
  if (!(ratePerSecond > 0)) throw new Error(`ratePerSecond must be positive (got ${ratePerSecond})`)
  const now = options.now ?? (() => performance.now())
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const capacity = Math.max(1, Math.floor(ratePerSecond))
  // May go negative: each waiter's reservation is a debt the refill pays back in order.
  let tokens = capacity
  let refilledAt = now()

  return {
    async take() {
      const current = now()
      tokens = Math.min(capacity, tokens + ((current - refilledAt) / 1000) * ratePerSecond)
      refilledAt = current
      tokens -= 1
      if (tokens >= 0) return
      await sleep((-tokens / ratePerSecond) * 1000)
    },
  }
}
