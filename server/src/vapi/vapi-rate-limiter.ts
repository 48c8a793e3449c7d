/**
 * Which Vapi calls go first when a Vapi account's rate is spent. A purchase is a person waiting on a form; a
 * single "Check now" is a person waiting on a card; bulk checks, the poller and housekeeping can wait.
 */
export const vapiCallPriorities = ['purchase', 'interactive', 'background'] as const
export type VapiCallPriority = (typeof vapiCallPriorities)[number]

export interface VapiCallTicket {
  /** One Vapi account (one API key): its rate and its Retry-After pauses are its own. */
  accountKey: string
  /** Whose call this is; calls of no organisation (housekeeping) share one turn. */
  organizationId: string | null
  priority: VapiCallPriority
}

/**
 * Hands out the right to send one request to Vapi. Each account key has its own token bucket of
 * `ratePerSecond`; when it is empty, waiting calls are served by priority, and within a priority round-robin
 * over organisations (each organisation's own calls in arrival order), so one organisation's hundred queued
 * checks delay another's one check by one turn, not by a hundred.
 */
export interface VapiRateLimiter {
  /** Resolves when the caller may send one request. */
  take(ticket: VapiCallTicket): Promise<void>
  /** Vapi answered 429 with Retry-After: no request of this account leaves before `ms` from now. */
  pause(accountKey: string, ms: number): void
  /** How long this account is still paused by Vapi (0 when it is not). */
  pausedForMs(accountKey: string): number
}

export interface VapiRateLimiterOptions {
  /** Requests per second per account; bursts of up to this many (at least one) after a quiet spell. */
  ratePerSecond: number
  now?: () => number
  /** Runs `callback` after `ms`; setTimeout by default (unref'd: a queued call never holds the process open). */
  schedule?: (callback: () => void, ms: number) => void
}

interface Waiter {
  resolve: () => void
}

interface AccountState {
  tokens: number
  refilledAt: number
  pausedUntil: number
  isWakeScheduled: boolean
  /** Per priority, per organisation, the waiters in arrival order; Map order is the round-robin order. */
  queues: Record<VapiCallPriority, Map<string, Waiter[]>>
}

const noOrganization = '(none)'

export function createVapiRateLimiter(options: VapiRateLimiterOptions): VapiRateLimiter {
  const { ratePerSecond } = options
  if (!(ratePerSecond > 0)) throw new Error(`ratePerSecond must be positive (got ${ratePerSecond})`)
  const now = options.now ?? (() => performance.now())
  const schedule =
    options.schedule ??
    ((callback: () => void, ms: number) => {
      setTimeout(callback, ms).unref()
    })
  const capacity = Math.max(1, Math.floor(ratePerSecond))
  const accounts = new Map<string, AccountState>()

  const stateOf = (accountKey: string): AccountState => {
    let state = accounts.get(accountKey)
    if (!state) {
      state = {
        tokens: capacity,
        refilledAt: now(),
        pausedUntil: 0,
        isWakeScheduled: false,
        queues: { purchase: new Map(), interactive: new Map(), background: new Map() },
      }
      accounts.set(accountKey, state)
    }
    return state
  }

  const refill = (state: AccountState, at: number) => {
    if (at <= state.refilledAt) return
    state.tokens = Math.min(capacity, state.tokens + ((at - state.refilledAt) / 1000) * ratePerSecond)
    state.refilledAt = at
  }

  /** The next waiter: highest priority first, then the organisation whose turn it is. */
  const nextWaiter = (state: AccountState): Waiter | undefined => {
    for (const priority of vapiCallPriorities) {
      const queues = state.queues[priority]
      const first = queues.entries().next()
      if (first.done) continue
      const [organizationId, waiters] = first.value
      const waiter = waiters.shift()
      queues.delete(organizationId)
      // Back of the line for this organisation's next call.
      if (waiters.length > 0) queues.set(organizationId, waiters)
      return waiter
    }
    return undefined
  }

  const hasWaiters = (state: AccountState) => vapiCallPriorities.some((priority) => state.queues[priority].size > 0)

  const drain = (accountKey: string, state: AccountState) => {
    while (hasWaiters(state)) {
      const current = now()
      if (current < state.pausedUntil) return wakeAt(accountKey, state, state.pausedUntil - current)
      refill(state, current)
      if (state.tokens < 1) return wakeAt(accountKey, state, ((1 - state.tokens) / ratePerSecond) * 1000)
      state.tokens -= 1
      nextWaiter(state)?.resolve()
    }
  }

  const wakeAt = (accountKey: string, state: AccountState, delayMs: number) => {
    if (state.isWakeScheduled) return
    state.isWakeScheduled = true
    schedule(
      () => {
        state.isWakeScheduled = false
        drain(accountKey, state)
      },
      Math.max(1, Math.ceil(delayMs)),
    )
  }

  return {
    take(ticket) {
      const state = stateOf(ticket.accountKey)
      return new Promise<void>((resolve) => {
        const queues = state.queues[ticket.priority]
        const organizationId = ticket.organizationId ?? noOrganization
        const waiters = queues.get(organizationId)
        if (waiters) waiters.push({ resolve })
        else queues.set(organizationId, [{ resolve }])
        drain(ticket.accountKey, state)
      })
    },

    pause(accountKey, ms) {
      if (!(ms > 0)) return
      const state = stateOf(accountKey)
      const until = now() + ms
      if (until <= state.pausedUntil) return
      state.pausedUntil = until
      // After the pause one request goes first, then the rate resumes: no burst into a Vapi that just said stop.
      state.tokens = Math.min(state.tokens, 1)
      state.refilledAt = until
    },

    pausedForMs(accountKey) {
      const state = accounts.get(accountKey)
      return state ? Math.max(0, state.pausedUntil - now()) : 0
    },
  }
}
