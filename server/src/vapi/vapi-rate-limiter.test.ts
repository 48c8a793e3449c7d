import { expect, test } from 'vitest'
import { createVapiRateLimiter, type VapiCallTicket } from './vapi-rate-limiter.ts'

/** A limiter on a hand-turned clock: `advance` moves time and runs whatever came due, in order. */
function manualLimiter(ratePerSecond: number) {
  let now = 0
  let timers: { at: number; callback: () => void }[] = []
  const limiter = createVapiRateLimiter({
    ratePerSecond,
    now: () => now,
    schedule: (callback, ms) => void timers.push({ at: now + ms, callback }),
  })
  const served: string[] = []
  const take = (label: string, ticket: Partial<VapiCallTicket> = {}) =>
    void limiter
      .take({ accountKey: 'account', organizationId: null, priority: 'background', ...ticket })
      .then(() => served.push(label))
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0))
  const advance = async (ms: number) => {
    const until = now + ms
    for (;;) {
      const due = timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0]
      if (!due) break
      timers = timers.filter((timer) => timer !== due)
      now = due.at
      due.callback()
      await settle()
    }
    now = until
    await settle()
  }
  return { limiter, take, served, advance, settle }
}

test('a full bucket lets `rate` calls through at once, then one per 1/rate seconds', async () => {
  const { take, served, advance, settle } = manualLimiter(4)
  for (let call = 0; call < 7; call++) take(`call ${call}`)
  await settle()
  expect(served).toHaveLength(4)
  await advance(250)
  expect(served).toHaveLength(5)
  await advance(500)
  expect(served).toEqual(['call 0', 'call 1', 'call 2', 'call 3', 'call 4', 'call 5', 'call 6'])
})

test('one organisation’s queue of checks delays another’s check by one turn, not by the whole queue', async () => {
  const { take, served, advance, settle } = manualLimiter(5)
  for (let call = 0; call < 5; call++) take(`warm-up ${call}`, { organizationId: 'noisy' })
  await settle()
  for (let call = 0; call < 80; call++) take(`noisy ${call}`, { organizationId: 'noisy' })
  take('quiet', { organizationId: 'quiet' })
  // First-come would serve the quiet organisation after 80 calls at 5/s: 16 s. Round-robin: second turn.
  await advance(400)
  expect(served.slice(5)).toEqual(['noisy 0', 'quiet'])
})

test('a purchase goes ahead of every queued check and poll', async () => {
  const { take, served, advance, settle } = manualLimiter(5)
  for (let call = 0; call < 5; call++) take(`warm-up ${call}`)
  await settle()
  for (let call = 0; call < 20; call++) take(`poll ${call}`, { organizationId: `org ${call % 3}` })
  take('check now', { organizationId: 'buyer', priority: 'interactive' })
  take('purchase', { organizationId: 'buyer', priority: 'purchase' })
  await advance(400)
  expect(served.slice(5)).toEqual(['purchase', 'check now'])
})

test('accounts have rates of their own: a busy account does not slow another', async () => {
  const { take, served, settle } = manualLimiter(2)
  for (let call = 0; call < 10; call++) take(`busy ${call}`, { accountKey: 'busy' })
  take('calm', { accountKey: 'calm' })
  await settle()
  expect(served).toEqual(['busy 0', 'busy 1', 'calm'])
})

test('a Retry-After pause holds every call of that account, and only that account, until it ends', async () => {
  const { limiter, take, served, advance, settle } = manualLimiter(5)
  limiter.pause('account', 3_000)
  expect(limiter.pausedForMs('account')).toBe(3_000)
  expect(limiter.pausedForMs('other')).toBe(0)
  take('held', { priority: 'purchase' })
  take('elsewhere', { accountKey: 'other' })
  await settle()
  expect(served).toEqual(['elsewhere'])
  await advance(2_999)
  expect(served).toEqual(['elsewhere'])
  await advance(1)
  expect(served).toEqual(['elsewhere', 'held'])
  expect(limiter.pausedForMs('account')).toBe(0)
})

test('a rate below one per second still lets one call through at a time; a rate of zero is refused', async () => {
  const { take, served, advance, settle } = manualLimiter(0.5)
  take('first')
  take('second')
  await settle()
  expect(served).toEqual(['first'])
  await advance(2_000)
  expect(served).toEqual(['first', 'second'])
  expect(() => createVapiRateLimiter({ ratePerSecond: 0 })).toThrow()
})
