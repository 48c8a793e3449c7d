import { randomBytes, randomUUID } from 'node:crypto'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import type { Database } from '../db/schema.ts'
import { createLogger } from '../lib/logger.ts'
import { silentPublisher } from '../realtime/publisher.ts'
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../test/support/test-databases.ts'
import { insertPendingNumber } from '../../test/support/insert-pending-number.ts'
import { startVapiSandbox, type RunningVapiSandbox } from '../vapi-sandbox/start-vapi-sandbox.ts'
import { createVapiClient, type VapiClient } from '../vapi/vapi-client.ts'
import { createPostgresVapiPauseStore } from '../vapi/vapi-pause-repository.ts'
import { createVapiRateLimiter } from '../vapi/vapi-rate-limiter.ts'
import { listChangedSince, pollChangeFeeds } from './poll-change-feed.ts'
import { defaultPollRoundOptions, pollDueNumbers } from './poll-pending-numbers.ts'
import {
  changeFeed,
  feedIntervalMs,
  perNumberSchedule,
  pollSchedule,
  scheduleStepAtAgeMs,
  type ChangeFeedSettings,
} from './poll-schedule.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'

// The change feed against the real sandbox (a real HTTP server on a loopback port) and a real database: the
// sandbox assigns each number after a delay the test sets, sends no webhook (no server.url), and counts every
// request, so each test sees exactly which calls the feed made.

test('one number alone is asked as the per-number schedule asks it; many share one call per second', () => {
  for (const ageMs of [0, 1_000, 2_000, 5_000, 7_500, 9_000, 20_000, 40_000, 200_000]) {
    expect(feedIntervalMs([ageMs])).toBe(Math.max(changeFeed.minIntervalMs, scheduleStepAtAgeMs(ageMs)))
  }
  // The schedule's own gaps: the first check at 2 s, the next at 7.5 s, then every 2.5 s through the window.
  expect(scheduleStepAtAgeMs(3_000)).toBe(pollSchedule.windowStartMs - pollSchedule.firstCheckDelayMs)
  expect(scheduleStepAtAgeMs(10_000)).toBe(pollSchedule.windowStepMs)
  expect(scheduleStepAtAgeMs(3_600_000)).toBe(pollSchedule.capMs)
  // Two numbers in their window: twice as often; forty: the floor.
  expect(feedIntervalMs([10_000, 12_000])).toBe(pollSchedule.windowStepMs / 2)
  expect(feedIntervalMs(Array.from({ length: 40 }, (_, index) => 8_000 + index * 500))).toBe(changeFeed.minIntervalMs)
  expect(feedIntervalMs([])).toBe(Number.POSITIVE_INFINITY)
  // While the feed runs, a number's own checks start after the usual window.
  expect(perNumberSchedule().firstCheckDelayMs).toBeGreaterThan(30_000)
})

const sandboxRequestsSchema = z.looseObject({ counts: z.record(z.string(), z.number()) })
const sandboxNumbersSchema = z.array(z.looseObject({ id: z.string(), number: z.string().optional() }))

describe.each(testDatabaseKinds)('the change feed on %s', (kind) => {
  let database: TestDatabase
  let sandbox: RunningVapiSandbox
  /** A second sandbox whose clock runs behind ours by `skewMs` (Vapi's view of "now"). */
  let skewedSandbox: RunningVapiSandbox
  let skewMs = 0
  let organizationId: string
  const settings: ChangeFeedSettings = { ...changeFeed }

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    const webhookSecret = randomBytes(16).toString('hex')
    sandbox = await startVapiSandbox({ port: 0, minDelayMs: 150, maxDelayMs: 300, webhookSecret })
    skewedSandbox = await startVapiSandbox({
      port: 0,
      minDelayMs: 1_500,
      maxDelayMs: 1_500,
      webhookSecret,
      clock: { now: () => new Date(Date.now() - skewMs) },
    })
    organizationId = randomUUID()
    await database.db
      .insertInto('organization')
      .values({ id: organizationId, name: 'Feed', slug: `feed-${organizationId.slice(0, 8)}`, createdAt: new Date() })
      .execute()
  })
  afterEach(async () => {
    Object.assign(settings, changeFeed)
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
    await database.db.updateTable('phone_number').set({ status: 'released', next_check_at: null }).execute()
    await database.db.deleteFrom('vapi_account_feed').execute()
    await database.db.deleteFrom('vapi_account_pause').execute()
  })
  afterAll(async () => {
    await sandbox.close()
    await skewedSandbox.close()
    await database.close()
  })

  /** Each test its own Vapi account (a new sandbox key), so request counts and feeds are its own. */
  const newAccount = (
    at: RunningVapiSandbox = sandbox,
    options: { maxRetries?: number; db?: Kysely<Database> } = {},
  ) => {
    const apiKey = `feed-${randomUUID()}`
    const make = (db: Kysely<Database>) =>
      createVapiClient({
        baseUrl: at.url,
        apiKey,
        accountKey: apiKey,
        maxRetries: options.maxRetries ?? 3,
        limiter: createVapiRateLimiter({ ratePerSecond: 100 }),
        sharedPauses: createPostgresVapiPauseStore(db),
      })
    return { apiKey, ref: `key:${apiKey}`, make }
  }

  const depsFor = (client: VapiClient, ref: string, db: Kysely<Database> = database.db): ProvisioningDeps => ({
    db,
    vapi: client,
    vapiAccounts: {
      policy: 'platform',
      isSandbox: true,
      current: () => Promise.reject(new Error('not used')),
      owning: (_organizationId, accountRef) =>
        accountRef === ref ? Promise.resolve(client) : Promise.reject(new Error(`unknown account ${accountRef}`)),
      clientForKey: () => client,
      describe: () => Promise.reject(new Error('not used')),
    },
    publisher: silentPublisher,
    clock: { now: () => new Date() },
    logger: createLogger('silent'),
    deadlineMs: 900_000,
    webhookUrl: 'http://127.0.0.1:1/webhooks/vapi',
  })

  /** Buys `count` numbers at the sandbox and stores them pending, created `ageMs` ago (so the feed is due). */
  const buy = async (client: VapiClient, ref: string, count: number, ageMs = 3_000) => {
    const rows: { id: string; vapiId: string }[] = []
    for (let index = 0; index < count; index += 1) {
      const bought = await client.createPhoneNumber({ numberDesiredAreaCode: '415' })
      const id = await insertPendingNumber(database.db, {
        organizationId,
        vapiPhoneNumberId: bought.id,
        vapiAccount: ref,
        createdAt: new Date(Date.now() - ageMs),
      })
      rows.push({ id, vapiId: bought.id })
    }
    return rows
  }

  const requestCounts = async (at: RunningVapiSandbox = sandbox) =>
    sandboxRequestsSchema.parse(await (await fetch(`${at.url}/_sandbox/requests`)).json()).counts
  const resetRequests = async (at: RunningVapiSandbox = sandbox) =>
    fetch(`${at.url}/_sandbox/requests`, { method: 'DELETE' })
  const sandboxNumbers = async (at: RunningVapiSandbox = sandbox) =>
    sandboxNumbersSchema.parse(await (await fetch(`${at.url}/_sandbox/phone-numbers`)).json())
  const rowsOf = (ids: string[]) =>
    database.db
      .selectFrom('phone_number')
      .select(['id', 'vapi_phone_number_id', 'status', 'number', 'detected_by'])
      .where('id', 'in', ids)
      .execute()
  /** As if the feed's interval had passed (its last call long ago). */
  const makeFeedsDue = () =>
    database.db.updateTable('vapi_account_feed').set({ last_run_at: null, not_before: null }).execute()
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  /** Waits until the sandbox has assigned every one of these numbers (it does within 300 ms of each create). */
  const untilAssigned = async (bought: { vapiId: string }[], at: RunningVapiSandbox = sandbox) => {
    for (let tries = 0; tries < 100; tries += 1) {
      const assigned = new Set((await sandboxNumbers(at)).filter((each) => each.number).map((each) => each.id))
      if (bought.every((each) => assigned.has(each.vapiId))) return
      await sleep(50)
    }
    throw new Error('the sandbox did not assign the numbers')
  }

  test('one list call finds every assigned number of the account; no number is asked on its own', async () => {
    const account = newAccount()
    const client = account.make(database.db)
    const bought = await buy(client, account.ref, 6)
    await untilAssigned(bought) // the sandbox assigns each within 300 ms
    await resetRequests()
    const result = await pollChangeFeeds(depsFor(client, account.ref), settings)
    expect(result).toMatchObject({ feedsRun: 1, listCalls: 1, activated: 6, confirmed: 0, errors: 0 })
    const rows = await rowsOf(bought.map((row) => row.id))
    const assigned = new Map((await sandboxNumbers()).map((each) => [each.id, each.number]))
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'active', detected_by: 'poll' })
      expect(row.number).toBe(assigned.get(row.vapi_phone_number_id ?? ''))
    }
    const counts = await requestCounts()
    expect(counts['GET /phone-number']).toBe(1)
    expect(counts['GET /phone-number/:id'] ?? 0).toBe(0)
    // Nothing pending any more: the next round asks nothing.
    expect(await pollChangeFeeds(depsFor(client, account.ref), settings)).toMatchObject({ feedsRun: 0 })
  })

  test('not due again before its interval; a number still unassigned stays pending', async () => {
    skewMs = 0
    // This sandbox assigns after 1.5 s: the first call comes before the number has one.
    const account = newAccount(skewedSandbox)
    const client = account.make(database.db)
    const bought = await buy(client, account.ref, 1)
    const [row] = bought
    if (!row) throw new Error('not bought')
    await resetRequests(skewedSandbox)
    // Asked at once: still pending, and one interval (5.5 s for one number 3 s old) to wait.
    const first = await pollChangeFeeds(depsFor(client, account.ref), settings)
    expect(first).toMatchObject({ feedsRun: 1, listCalls: 1, activated: 0 })
    expect(first.nextDueAt?.getTime()).toBeGreaterThan(Date.now() + 4_000)
    expect((await rowsOf([row.id]))[0]?.status).toBe('pending')
    await untilAssigned(bought, skewedSandbox)
    expect(await pollChangeFeeds(depsFor(client, account.ref), settings)).toMatchObject({ feedsRun: 0 })
    await makeFeedsDue()
    expect(await pollChangeFeeds(depsFor(client, account.ref), settings)).toMatchObject({ activated: 1 })
    expect((await requestCounts(skewedSandbox))['GET /phone-number']).toBe(2)
  })

  test('masked digits in the list: the number is confirmed with a GET and never stored masked', async () => {
    const account = newAccount()
    const client = account.make(database.db)
    const bought = await buy(client, account.ref, 3)
    await untilAssigned(bought)
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ listMasksNumbers: true }),
    })
    // The list itself hides digits...
    const listed = await client.listPhoneNumbers({ limit: 10 })
    expect(listed.length).toBe(3)
    for (const item of listed) expect(item.number).toMatch(/^\+141\*{4}\d{4}$/)
    await resetRequests()
    const result = await pollChangeFeeds(depsFor(client, account.ref), settings)
    // ...so each number was asked once on its own (a GET shows every digit), and what is stored is the real number.
    expect(result).toMatchObject({ listCalls: 1, confirmed: 3, activated: 3 })
    const assigned = new Map((await sandboxNumbers()).map((each) => [each.id, each.number]))
    for (const row of await rowsOf(bought.map((each) => each.id))) {
      expect(row.status).toBe('active')
      expect(row.number).toMatch(/^\+1415\d{7}$/)
      expect(row.number).toBe(assigned.get(row.vapi_phone_number_id ?? ''))
    }
    const counts = await requestCounts()
    expect(counts['GET /phone-number/:id']).toBe(3)
    expect((await client.getPhoneNumber(listed[0]?.id ?? '')).number).toMatch(/^\+1415\d{7}$/)
  })

  test('paging: a full page is split by time and asked again until every change is seen', async () => {
    const account = newAccount()
    const client = account.make(database.db)
    const bought = await buy(client, account.ref, 7)
    await untilAssigned(bought)
    await resetRequests()
    // Tiny pages: numbers assigned a few milliseconds apart take many halvings of a 30 s window to tell apart.
    settings.pageLimit = 3
    settings.maxCallsPerRound = 500
    const result = await pollChangeFeeds(depsFor(client, account.ref), settings)
    expect(result.activated).toBe(7)
    expect(result.listCalls).toBeGreaterThanOrEqual(3)
    for (const row of await rowsOf(bought.map((each) => each.id))) expect(row.status).toBe('active')
    // The same splitting on its own: every item once, whatever the page size.
    for (const pageLimit of [2, 3, 100]) {
      const all = await listChangedSince(
        client,
        new Date(Date.now() - 60_000),
        { pageLimit, maxCallsPerRound: 1_000 },
        {},
      )
      expect(all.isComplete).toBe(true)
      expect(new Set(all.items.keys())).toEqual(new Set(bought.map((each) => each.vapiId)))
    }
    // Too few calls allowed: the round says so, and says how far it read in full.
    const since = new Date(Date.now() - 60_000)
    const cut = await listChangedSince(client, since, { pageLimit: 2, maxCallsPerRound: 2 }, {})
    expect(cut.isComplete).toBe(false)
    expect(cut.readThrough.getTime()).toBeGreaterThanOrEqual(since.getTime())
  })

  test('paging with few calls a round: each round goes on from where the last got to, until every change is seen', async () => {
    const account = newAccount()
    const client = account.make(database.db)
    const bought = await buy(client, account.ref, 7)
    await untilAssigned(bought)
    settings.pageLimit = 2
    settings.maxCallsPerRound = 1
    let activated = 0
    let rounds = 0
    let incompleteRounds = 0
    for (; rounds < 20 && activated < 7; rounds += 1) {
      await makeFeedsDue()
      const before = await database.db.selectFrom('vapi_account_feed').selectAll().executeTakeFirst()
      const result = await pollChangeFeeds(depsFor(client, account.ref), settings)
      activated += result.activated
      const after = await database.db.selectFrom('vapi_account_feed').selectAll().executeTakeFirstOrThrow()
      // A round that could not read everything still moved the cursor on (never stood still).
      if (result.listCalls > 0 && after.checked_through && before?.checked_through && activated < 7) {
        incompleteRounds += 1
        expect(after.checked_through.getTime()).toBeGreaterThan(before.checked_through.getTime())
      }
    }
    expect(activated).toBe(7)
    expect(rounds).toBeLessThan(20)
    expect(incompleteRounds).toBeLessThan(rounds)
  })

  test('clock skew within the margin: a Vapi clock 20 s behind ours still shows the change', async () => {
    skewMs = 20_000
    const account = newAccount(skewedSandbox)
    const client = account.make(database.db)
    const [row] = await buy(client, account.ref, 1)
    if (!row) throw new Error('not bought')
    // First call before the assignment: the feed's cursor moves to now (our clock).
    expect(await pollChangeFeeds(depsFor(client, account.ref), settings)).toMatchObject({ activated: 0 })
    await sleep(1_800) // assigned at 1.5 s, stamped 20 s in our past
    await makeFeedsDue()
    expect(await pollChangeFeeds(depsFor(client, account.ref), settings)).toMatchObject({ activated: 1 })
  })

  test('missed by the feed (a clock beyond the margin): the per-number backstop still finds the number', async () => {
    skewMs = 120_000
    const account = newAccount(skewedSandbox)
    const client = account.make(database.db)
    const [row] = await buy(client, account.ref, 1)
    if (!row) throw new Error('not bought')
    const deps = depsFor(client, account.ref)
    expect(await pollChangeFeeds(deps, settings)).toMatchObject({ activated: 0 })
    await sleep(1_800)
    await makeFeedsDue()
    await resetRequests(skewedSandbox)
    // The change is stamped 2 minutes before the cursor minus the margin: the list does not show it.
    expect(await pollChangeFeeds(deps, settings)).toMatchObject({ listCalls: 1, activated: 0 })
    expect((await rowsOf([row.id]))[0]?.status).toBe('pending')
    // Its own check is not due before the backstop's first check (40 s) ...
    expect((await pollDueNumbers(deps, defaultPollRoundOptions)).claimed).toBe(0)
    // ... and when it is, one GET finds it.
    await database.db
      .updateTable('phone_number')
      .set({ next_check_at: new Date(Date.now() - 1) })
      .where('id', '=', row.id)
      .execute()
    expect(await pollDueNumbers(deps, defaultPollRoundOptions)).toMatchObject({ claimed: 1, activated: 1 })
    expect((await requestCounts(skewedSandbox))['GET /phone-number/:id']).toBe(1)
    skewMs = 0
  })

  test('429 with Retry-After: shared with every process; the feed waits for it, then resumes', async () => {
    const account = newAccount(sandbox, { maxRetries: 0 })
    const client = account.make(database.db)
    await untilAssigned(await buy(client, account.ref, 2))
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimitRate: 1 }),
    })
    await resetRequests()
    const refused = await pollChangeFeeds(depsFor(client, account.ref), settings)
    expect(refused).toMatchObject({ feedsRun: 1, listCalls: 1, errors: 1, activated: 0 })
    // The sandbox's Retry-After (1 s) is written down for every process, and the feed itself waits for it.
    const pause = await database.db
      .selectFrom('vapi_account_pause')
      .selectAll()
      .where('account_key', '=', account.apiKey)
      .executeTakeFirst()
    expect(pause?.paused_until.getTime()).toBeGreaterThan(Date.now())
    const feed = await database.db.selectFrom('vapi_account_feed').selectAll().executeTakeFirstOrThrow()
    expect(feed.not_before?.getTime()).toBeGreaterThan(Date.now())
    // Another process with a client of its own: not due, so nothing is sent while paused.
    const otherProcess = depsFor(account.make(database.db), account.ref)
    expect(await pollChangeFeeds(otherProcess, settings)).toMatchObject({ feedsRun: 0 })
    expect((await requestCounts())['GET /phone-number']).toBe(1)
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
    // Its interval passed, but not the pause: still nothing sent.
    await database.db.updateTable('vapi_account_feed').set({ last_run_at: null }).execute()
    expect(await pollChangeFeeds(otherProcess, settings)).toMatchObject({ feedsRun: 0 })
    await sleep(Math.max(0, (feed.not_before?.getTime() ?? 0) - Date.now()) + 50)
    expect(await pollChangeFeeds(otherProcess, settings)).toMatchObject({ feedsRun: 1, activated: 2 })
  })

  test('two pollers (two processes, two connection pools): one list call per account per interval', async () => {
    const second =
      kind === 'postgres' && database.url
        ? new Kysely<Database>({
            dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 4 }) }),
          })
        : database.db
    try {
      const accounts = [newAccount(), newAccount()]
      const clients = accounts.map((account) => account.make(database.db))
      const bought = []
      for (const [index, account] of accounts.entries()) {
        const client = clients[index]
        if (client) bought.push(...(await buy(client, account.ref, 4)))
      }
      await untilAssigned(bought)
      await resetRequests()
      const processDeps = (db: Kysely<Database>): ProvisioningDeps => {
        const own = accounts.map((account) => account.make(db))
        return {
          ...depsFor(own[0] ?? clients[0]!, accounts[0]?.ref ?? '', db),
          vapiAccounts: {
            policy: 'platform',
            isSandbox: true,
            current: () => Promise.reject(new Error('not used')),
            owning: (_organizationId, ref) => {
              const index = accounts.findIndex((account) => account.ref === ref)
              const client = own[index]
              return client ? Promise.resolve(client) : Promise.reject(new Error(`unknown account ${ref}`))
            },
            clientForKey: () => {
              throw new Error('not used')
            },
            describe: () => Promise.reject(new Error('not used')),
          },
        }
      }
      const results = await Promise.all([
        pollChangeFeeds(processDeps(database.db), settings),
        pollChangeFeeds(processDeps(second), settings),
        pollChangeFeeds(processDeps(database.db), settings),
      ])
      expect(results.reduce((sum, result) => sum + result.feedsRun, 0)).toBe(2)
      expect(results.reduce((sum, result) => sum + result.activated, 0)).toBe(8)
      expect((await requestCounts())['GET /phone-number']).toBe(2)
      for (const row of await rowsOf(bought.map((each) => each.id))) expect(row.status).toBe('active')
    } finally {
      if (second !== database.db) await second.destroy()
    }
  })
})
