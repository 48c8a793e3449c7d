import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../db/schema.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import type { VapiClient } from '../vapi/vapi-client.ts'
import { claimDueNumbers } from './poll-claim-repository.ts'
import { defaultPollRoundOptions, pollDueNumbers } from './poll-pending-numbers.ts'
import { createNumber, makePendingDue, setSandboxFaults } from '../../test/support/provisioning-test-kit.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'

// Two "processes" need two connection pools to one server; PGlite is one in-process backend, so Postgres only.
const postgresOnly = testDatabaseKinds.includes('postgres') ? describe : describe.skip

/**
 * The real Vapi client, watched: records every GET per number and whether one started while another for the
 * same number was still in flight (shared by both "processes", since they run in this one test process).
 */
function createOverlapWatch() {
  const inFlight = new Map<string, number>()
  const overlaps: string[] = []
  const checks = new Map<string, number>()
  const watch = (client: VapiClient): VapiClient => ({
    ...client,
    getPhoneNumber: async (id) => {
      const running = inFlight.get(id) ?? 0
      if (running > 0) overlaps.push(id)
      inFlight.set(id, running + 1)
      checks.set(id, (checks.get(id) ?? 0) + 1)
      try {
        return await client.getPhoneNumber(id)
      } finally {
        inFlight.set(id, (inFlight.get(id) ?? 1) - 1)
      }
    },
  })
  return { watch, overlaps, checks }
}

postgresOnly('two pollers (two processes) on one Postgres database', () => {
  let harness: TestApp
  let secondPool: Kysely<Database>
  const numberCount = 40

  beforeAll(async () => {
    // Vapi takes a minute to assign: every number stays pending and keeps being polled.
    harness = await startTestApp('postgres')
    // Two organisations, as an organisation may only order 30 numbers a minute.
    const owners = [await harness.signUp('First'), await harness.signUp('Second')]
    for (let index = 0; index < numberCount; index += 10) {
      const owner = index < numberCount / 2 ? owners[0] : owners[1]
      if (!owner) throw new Error('no owner')
      const { cookie } = owner
      await Promise.all(Array.from({ length: 10 }, () => createNumber(harness, cookie, '415')))
    }
    secondPool = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: harness.database.url ?? '', max: 10 }) }),
    })
  })
  afterAll(async () => {
    await secondPool.destroy()
    await harness.close()
  })

  const processes = (watch: (client: VapiClient) => VapiClient): [ProvisioningDeps, ProvisioningDeps] => {
    // Each process resolves the organisations' own Vapi accounts with clients of its own, watched.
    const accountsFor = () => harness.vapiAccountsWith({ maxRequestsPerSecond: 1_000 }, watch)
    return [
      { ...harness.provisioning, vapiAccounts: accountsFor() },
      { ...harness.provisioning, db: secondPool, vapiAccounts: accountsFor() },
    ]
  }

  test('claiming at the same moment: no number is claimed by both, and together they claim every due number', async () => {
    await makePendingDue(harness, new Date())
    const [first, second] = processes((client) => client)
    const options = { batchSize: 15, leaseMs: 30_000 }
    const claimedBy = new Map<string, number>()
    // Both claim in parallel, round after round, until nothing is due.
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([
        claimDueNumbers(first.db, first.clock.now(), options),
        claimDueNumbers(second.db, second.clock.now(), options),
      ])
      // A claim never takes more than its batch (it once took every due row: see claimDueNumbers).
      expect(a.length).toBeLessThanOrEqual(options.batchSize)
      expect(b.length).toBeLessThanOrEqual(options.batchSize)
      for (const [index, rows] of [a, b].entries()) {
        for (const row of rows) {
          expect(claimedBy.has(row.id), `claimed twice: ${row.id}`).toBe(false)
          claimedBy.set(row.id, index)
        }
      }
      if (a.length + b.length === 0) break
    }
    expect(claimedBy.size).toBe(numberCount)
    // SKIP LOCKED let both work at once rather than one waiting for the other.
    expect(new Set(claimedBy.values())).toEqual(new Set([0, 1]))
  })

  test('polling concurrently for a while: a number is never checked by both at the same time', async () => {
    // Vapi answers slowly and a round's batch takes longer than the lease: the hard case for "never twice at once".
    await setSandboxFaults(harness, { latencyMs: 40 })
    try {
      await makePendingDue(harness, new Date())
      // Both processes share a clock running 10× fast, so checks come due again within the test: leases of
      // 3 s last 0.3 s of real time, next checks (2–30 s) come after 0.2–3 s.
      const startedAt = Date.now()
      const fastClock = { now: () => new Date(startedAt + (Date.now() - startedAt) * 10) }
      const { watch, overlaps, checks } = createOverlapWatch()
      const [first, second] = processes(watch).map((deps) => ({ ...deps, clock: fastClock }))
      const options = { ...defaultPollRoundOptions, batchSize: 40, leaseMs: 3_000, concurrency: 2 }
      const stopAt = Date.now() + 2_500
      const loop = async (deps: ProvisioningDeps | undefined) => {
        if (!deps) throw new Error('missing deps')
        const totals = { checked: 0, skipped: 0 }
        while (Date.now() < stopAt) {
          const round = await pollDueNumbers(deps, options)
          totals.checked += round.stillPending
          totals.skipped += round.skipped
          if (round.claimed === 0) await new Promise((resolve) => setTimeout(resolve, 10))
        }
        return totals
      }
      const [byFirst, bySecond] = await Promise.all([loop(first), loop(second)])
      console.log(
        `two pollers, 2.5 s: ${byFirst.checked} + ${bySecond.checked} checks of ${numberCount} numbers; ` +
          `${byFirst.skipped + bySecond.skipped} claims found taken over; overlapping checks: ${overlaps.length}`,
      )

      expect(overlaps).toEqual([])
      expect(byFirst.checked).toBeGreaterThan(0)
      expect(bySecond.checked).toBeGreaterThan(0)
      expect(checks.size).toBe(numberCount)
      // Some claims did outlive their lease and were taken over: the situation this test is about did occur.
      expect(byFirst.skipped + bySecond.skipped).toBeGreaterThan(0)
    } finally {
      await setSandboxFaults(harness, { latencyMs: 0 })
    }
  })

  test('a check slower than the lease keeps its claim: the other process never takes the number meanwhile', async () => {
    const [only] = await harness.db
      .selectFrom('phone_number')
      .select('id')
      .where('status', '=', 'pending')
      .limit(1)
      .execute()
    if (!only) throw new Error('no pending number')
    // Nothing else is due; this one number is, and Vapi takes 1.5 s to answer about it, against a 0.6 s lease.
    await harness.db
      .updateTable('phone_number')
      .set({ next_check_at: new Date(Date.now() + 60 * 60_000) })
      .where('status', '=', 'pending')
      .execute()
    await harness.db.updateTable('phone_number').set({ next_check_at: new Date() }).where('id', '=', only.id).execute()
    await setSandboxFaults(harness, { latencyMs: 1_500 })
    try {
      const { watch, overlaps, checks } = createOverlapWatch()
      const [first, second] = processes(watch)
      const options = { ...defaultPollRoundOptions, leaseMs: 600 }
      const before = await harness.db
        .selectFrom('phone_number')
        .select('check_count')
        .where('id', '=', only.id)
        .executeTakeFirstOrThrow()
      const slow = pollDueNumbers(first, options)
      // The second process starts once the first holds the claim.
      for (;;) {
        const row = await harness.db
          .selectFrom('phone_number')
          .select('check_count')
          .where('id', '=', only.id)
          .executeTakeFirstOrThrow()
        if (row.check_count > before.check_count) break
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      let claimedBySecond = 0
      const until = Date.now() + 1_700
      while (Date.now() < until) {
        claimedBySecond += (await pollDueNumbers(second, options)).claimed
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(await slow).toMatchObject({ claimed: 1, stillPending: 1 })
      expect(claimedBySecond).toBe(0)
      expect(overlaps).toEqual([])
      expect([...checks.values()]).toEqual([1])
    } finally {
      await setSandboxFaults(harness, { latencyMs: 0 })
    }
  })
})
