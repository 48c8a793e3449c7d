import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../db/schema.ts'
import { createRecordingPublisher } from '../realtime/publisher.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { claimDueNumbers, nextDueAt } from './poll-claim-repository.ts'
import { defaultPollRoundOptions, pollDueNumbers, type PollRoundOptions } from './poll-pending-numbers.ts'
import { baseDelayMs, changeFeed, pollSchedule } from './poll-schedule.ts'
import { defaultWorkerOptions, startProvisioningWorker } from './provisioning-worker.ts'
import {
  clearSandboxFaults,
  createNumber,
  createOffsetClock,
  deleteAtSandbox,
  eventsFor,
  eventually,
  historyOf,
  makePendingDue,
  phoneNumberRow,
  postWebhook,
  sandboxGetsOf,
  sandboxHoldings,
  sandboxRequests,
  sandboxWebhookLog,
  setSandboxFaults,
  statusMessage,
} from '../../test/support/provisioning-test-kit.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { vapiIdOf } from '../../test/support/vapi-id-of.ts'

const fixedRandom: PollRoundOptions = { ...defaultPollRoundOptions, random: () => 0.5 }

// These tests are about the per-number checks on their full schedule, which is how dialtone polls with
// VAPI_CHANGE_FEED=off; with the feed on (the default) the same code is the backstop on a slower schedule, and
// the feed has its own tests (poll-change-feed.test.ts).

describe.each(testDatabaseKinds)('the fallback poller on %s', (kind) => {
  let harness: TestApp
  const owners: string[] = []
  let created = 0
  const clock = createOffsetClock()

  beforeAll(async () => {
    // Vapi (the sandbox) assigns 100–400 ms after a create; the poller's clock is the test's to move.
    harness = await startTestApp(kind, {
      clock,
      sandboxMinDelayMs: 100,
      sandboxMaxDelayMs: 400,
      env: { VAPI_CHANGE_FEED: 'off' },
    })
    expect(changeFeed.enabled).toBe(false)
    for (const name of ['First', 'Second', 'Third']) owners.push((await harness.signUp(name)).cookie)
  })
  afterEach(async () => {
    await clearSandboxFaults(harness)
    // Whatever a test left pending must not become another test's due work.
    await harness.db
      .updateTable('phone_number')
      .set({ status: 'released', next_check_at: null })
      .where('status', '=', 'pending')
      .execute()
  })
  afterAll(async () => {
    await harness.close()
  })

  /** An organisation may order 30 numbers a minute; spread the test's orders over three. */
  const order = (areaCode: string) => createNumber(harness, owners[Math.floor(created++ / 25)] ?? '', areaCode)

  test('with every webhook dropped, the poller alone turns every number live, on its backoff schedule', async () => {
    await setSandboxFaults(harness, { webhookDropRate: 1 })
    const numbers = await Promise.all(['415', '212', '617', '303', '206', '512'].map(order))

    // Nothing is due before the first check, 2 s after creation.
    expect((await pollDueNumbers(harness.provisioning, fixedRandom)).claimed).toBe(0)
    for (const number of numbers) {
      const row = await phoneNumberRow(harness, number.id)
      const firstCheckInMs = (row.next_check_at?.getTime() ?? 0) - row.created_at.getTime()
      expect(firstCheckInMs).toBeGreaterThanOrEqual(pollSchedule.firstCheckDelayMs)
      expect(firstCheckInMs).toBeLessThan(pollSchedule.firstCheckDelayMs + 2_000)
    }

    let rounds = 0
    for (; rounds < 40; rounds++) {
      const due = await nextDueAt(harness.db)
      if (!due) break
      // Jump the poller's clock to the next due check (real time only passes for Vapi to assign).
      clock.offsetMs = Math.max(clock.offsetMs, due.getTime() - Date.now())
      const round = await pollDueNumbers(harness.provisioning, fixedRandom)
      expect(round.errors).toBe(0)
      // Each number still waiting is rescheduled by its own backoff step, never sooner.
      for (const number of numbers) {
        const row = await phoneNumberRow(harness, number.id)
        if (row.status !== 'pending' || row.last_checked_at === null || row.next_check_at === null) continue
        const delayMs = row.next_check_at.getTime() - row.last_checked_at.getTime()
        const base = baseDelayMs(row.check_count)
        expect(delayMs).toBeGreaterThanOrEqual(base * 0.8)
      }
      await new Promise((resolve) => setTimeout(resolve, 30))
    }
    expect(rounds).toBeLessThan(40)

    const holdings = await sandboxHoldings(harness)
    const webhooks = await sandboxWebhookLog(harness)
    for (const number of numbers) {
      const row = await phoneNumberRow(harness, number.id)
      const holding = holdings.find((entry) => entry.id === number.vapiPhoneNumberId)
      expect(row).toMatchObject({ status: 'active', detected_by: 'poll', number: holding?.number, next_check_at: null })
      expect(
        webhooks.filter((entry) => entry.phoneNumberId === number.vapiPhoneNumberId).map((e) => e.outcome),
      ).toEqual(['dropped'])
      expect(eventsFor(harness, number.id).map((event) => event.phoneNumber.status)).toEqual(['pending', 'active'])
      // Asked once per check, and never again once live.
      expect(await sandboxGetsOf(harness, vapiIdOf(number))).toHaveLength(row.check_count)
    }
    const requestsBefore = (await sandboxRequests(harness)).length
    clock.advance(60 * 60_000)
    expect((await pollDueNumbers(harness.provisioning, fixedRandom)).claimed).toBe(0)
    expect((await sandboxRequests(harness)).length).toBe(requestsBefore)
  })

  test('a number that went live by webhook is never polled', async () => {
    const number = await order('415')
    const response = await postWebhook(
      harness,
      statusMessage({ id: vapiIdOf(number), status: 'active', number: '+14155550190' }),
      { timestampMs: clock.now().getTime() },
    )
    expect(response.status).toBe(200)
    expect(await phoneNumberRow(harness, number.id)).toMatchObject({ status: 'active', next_check_at: null })
    clock.advance(60_000)
    await pollDueNumbers(harness.provisioning, fixedRandom)
    expect(await sandboxGetsOf(harness, vapiIdOf(number))).toEqual([])
  })

  test('when Vapi answers 429 the poller waits as told: numbers rescheduled, no call before Retry-After', async () => {
    const numbers = await Promise.all(['415', '415', '415'].map(order))
    // A client that does not retry by itself, so what is seen is the poller's own waiting.
    const deps: ProvisioningDeps = {
      ...harness.provisioning,
      // A client that does not retry, for each organisation's own account.
      vapiAccounts: harness.vapiAccountsWith({ maxRetries: 0, maxRequestsPerSecond: 1_000 }),
    }
    await setSandboxFaults(harness, { rateLimitRate: 1 })
    await fetch(`${harness.sandbox.url}/_sandbox/requests`, { method: 'DELETE' })
    await makePendingDue(harness, clock.now())

    const before = clock.now().getTime()
    const round = await pollDueNumbers(deps, { ...fixedRandom, concurrency: 1 })
    const after = clock.now().getTime()
    expect(round).toMatchObject({ claimed: 3, errors: 1, activated: 0, stillPending: 0 })
    // The sandbox says Retry-After: 1.
    expect(round.pausedUntil?.getTime()).toBeGreaterThanOrEqual(before + 1_000)
    expect(round.pausedUntil?.getTime()).toBeLessThanOrEqual(after + 1_000)
    // One call got the 429; the other two numbers were not asked at all, only moved to after the pause.
    expect((await sandboxRequests(harness)).map((entry) => entry.status)).toEqual([429])
    for (const number of numbers) {
      expect((await phoneNumberRow(harness, number.id)).next_check_at).toEqual(round.pausedUntil)
    }

    // Before the pause is over nothing is due, so nothing is asked.
    clock.offsetMs += (round.pausedUntil?.getTime() ?? 0) - clock.now().getTime() - 50
    expect((await pollDueNumbers(deps, fixedRandom)).claimed).toBe(0)
    expect(await sandboxRequests(harness)).toHaveLength(1)

    // After it, Vapi is asked again, and with the limit lifted the numbers go live.
    await clearSandboxFaults(harness)
    await eventually(
      async () =>
        (await sandboxHoldings(harness)).filter((entry) => numbers.some((n) => n.vapiPhoneNumberId === entry.id)),
      (list) => list.every((entry) => entry.number !== undefined),
    )
    clock.advance(100)
    const resumed = await pollDueNumbers(deps, fixedRandom)
    expect(resumed).toMatchObject({ claimed: 3, activated: 3 })
  })

  test('the worker loop sleeps through the Retry-After pause instead of calling again', async () => {
    const number = await order('415')
    const deps: ProvisioningDeps = {
      ...harness.provisioning,
      // A client that does not retry, for each organisation's own account.
      vapiAccounts: harness.vapiAccountsWith({ maxRetries: 0, maxRequestsPerSecond: 1_000 }),
    }
    await setSandboxFaults(harness, { rateLimitRate: 1 })
    await makePendingDue(harness, clock.now())
    const worker = startProvisioningWorker(deps, {
      ...defaultWorkerOptions,
      idleMs: 20,
      housekeepingMs: 60 * 60_000,
      pollRound: fixedRandom,
    })
    await new Promise((resolve) => setTimeout(resolve, 2_600))
    await worker.stop()

    const times = (await sandboxGetsOf(harness, vapiIdOf(number))).map((entry) => Date.parse(entry.at))
    // Without the pause an eager loop (20 ms idle) would have called dozens of times.
    expect(times.length).toBeGreaterThanOrEqual(2)
    expect(times.length).toBeLessThanOrEqual(3)
    for (let index = 1; index < times.length; index++) {
      expect((times[index] ?? 0) - (times[index - 1] ?? 0)).toBeGreaterThanOrEqual(990)
    }
  })

  test('534 (never assigned) ends failed at the deadline, with a reason the owner understands', async () => {
    const number = await order('534')
    const createdAt = (await phoneNumberRow(harness, number.id)).created_at.getTime()
    const deadlineMs = harness.provisioning.deadlineMs
    expect(deadlineMs).toBe(15 * 60_000)

    clock.offsetMs += createdAt + deadlineMs - 5_000 - clock.now().getTime()
    await makePendingDue(harness, clock.now())
    expect(await pollDueNumbers(harness.provisioning, fixedRandom)).toMatchObject({ claimed: 1, stillPending: 1 })
    expect((await phoneNumberRow(harness, number.id)).status).toBe('pending')

    clock.advance(10_000)
    await makePendingDue(harness, clock.now())
    expect(await pollDueNumbers(harness.provisioning, fixedRandom)).toMatchObject({ claimed: 1, failed: 1 })
    const row = await phoneNumberRow(harness, number.id)
    expect(row).toMatchObject({
      status: 'failed',
      failure_code: 'deadline_exceeded',
      number: null,
      next_check_at: null,
    })
    expect(row.failure_reason).toBe(
      'Vapi did not assign a number within 15 minutes. It has been given up; try again, or pick another area code.',
    )
    expect((await historyOf(harness, number.id)).at(-1)).toEqual({
      from_status: 'pending',
      to_status: 'failed',
      source: 'poll',
      reason: 'deadline_exceeded',
    })
    const event = eventsFor(harness, number.id).at(-1)
    expect(event?.phoneNumber).toMatchObject({ status: 'failed', failureReason: row.failure_reason })
  })

  test('535 ends failed as blocked', async () => {
    await setSandboxFaults(harness, { webhookDropRate: 1 })
    const number = await order('535')
    await eventually(
      async () => (await sandboxHoldings(harness)).find((entry) => entry.id === number.vapiPhoneNumberId),
      (entry) => entry?.status === 'blocked',
    )
    await makePendingDue(harness, clock.now())
    expect(await pollDueNumbers(harness.provisioning, fixedRandom)).toMatchObject({ claimed: 1, failed: 1 })
    const row = await phoneNumberRow(harness, number.id)
    expect(row).toMatchObject({ status: 'failed', failure_code: 'blocked', detected_by: null })
    expect(row.failure_reason).toMatch(/^Vapi blocked this number before it was assigned/)
    expect(eventsFor(harness, number.id).map((event) => event.phoneNumber.status)).toEqual(['pending', 'failed'])
  })

  test('a number deleted at Vapi ends failed as "deleted at Vapi"', async () => {
    const number = await order('415')
    await deleteAtSandbox(harness, vapiIdOf(number))
    await makePendingDue(harness, clock.now())
    expect(await pollDueNumbers(harness.provisioning, fixedRandom)).toMatchObject({ claimed: 1, failed: 1, errors: 0 })
    expect(await phoneNumberRow(harness, number.id)).toMatchObject({
      status: 'failed',
      failure_code: 'deleted_at_vapi',
      failure_reason: 'This number no longer exists at Vapi (it was deleted there).',
    })
  })

  test('Vapi failing (500) is retried later on the backoff, and changes nothing meanwhile', async () => {
    const number = await order('415')
    const deps: ProvisioningDeps = {
      ...harness.provisioning,
      // A client that does not retry, for each organisation's own account.
      vapiAccounts: harness.vapiAccountsWith({ maxRetries: 0, maxRequestsPerSecond: 1_000 }),
    }
    await setSandboxFaults(harness, { errorRate: 1 })
    await makePendingDue(harness, clock.now())
    expect(await pollDueNumbers(deps, fixedRandom)).toMatchObject({ claimed: 1, errors: 1, pausedUntil: null })
    const row = await phoneNumberRow(harness, number.id)
    expect(row).toMatchObject({ status: 'pending', version: 1 })
    expect((row.next_check_at?.getTime() ?? 0) - clock.now().getTime()).toBeGreaterThan(1_000)
  })

  test('a restart picks up where the last process stopped: its state is all in the database', async () => {
    await setSandboxFaults(harness, { webhookDropRate: 1 })
    const numbers = await Promise.all(['415', '415', '415'].map(order))
    // A fresh "process": its own Vapi client, its own publisher and, on Postgres, its own connection pool.
    const restarted = createRecordingPublisher()
    const secondPool =
      harness.database.url === null
        ? null
        : new Kysely<Database>({
            dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: harness.database.url, max: 4 }) }),
          })
    const next: ProvisioningDeps = {
      ...harness.provisioning,
      db: secondPool ?? harness.db,
      vapiAccounts: harness.vapiAccountsWith({ maxRequestsPerSecond: 1_000 }),
      publisher: restarted.publisher,
    }
    try {
      // The first process claims the due numbers, then dies before checking any of them.
      await makePendingDue(harness, clock.now())
      const claimed = await claimDueNumbers(harness.db, harness.provisioning.clock.now(), defaultPollRoundOptions)
      expect(claimed.map((row) => row.id).sort()).toEqual(numbers.map((number) => number.id).sort())

      // The next process respects the dead one's claims while they last…
      expect((await pollDueNumbers(next, fixedRandom)).claimed).toBe(0)
      await eventually(
        async () =>
          (await sandboxHoldings(harness)).filter((entry) => numbers.some((n) => n.vapiPhoneNumberId === entry.id)),
        (list) => list.every((entry) => entry.number !== undefined),
      )
      // …and takes the numbers over once they expire, with the check count carried on.
      clock.advance(defaultPollRoundOptions.leaseMs + 1)
      expect(await pollDueNumbers(next, fixedRandom)).toMatchObject({ claimed: 3, activated: 3 })
      for (const number of numbers) {
        expect(await phoneNumberRow(harness, number.id)).toMatchObject({ status: 'active', check_count: 2 })
      }
      expect(restarted.events.map((event) => event.phoneNumber.status)).toEqual(['active', 'active', 'active'])
    } finally {
      await secondPool?.destroy()
    }
  })
})
