import { CompiledQuery, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { claimDueNumbersQuery } from './poll-claim-repository.ts'
import { defaultPollRoundOptions } from './poll-pending-numbers.ts'

// The planner's choice is what matters here, on the server dialtone runs in production: Postgres only.
const postgresOnly = testDatabaseKinds.includes('postgres') ? describe : describe.skip

const settledCount = 50_000
const pendingCount = 100

postgresOnly('the poller’s claim on a large table (Postgres)', () => {
  let harness: TestApp

  beforeAll(async () => {
    harness = await startTestApp('postgres')
    const { organizationId } = await harness.signUp('Owner')
    // Years of history: numbers live, failed or released, none of them pending…
    await sql`
      insert into phone_number (organization_id, vapi_phone_number_id, area_code, number, status, created_at, updated_at)
      select ${organizationId}, 'settled-' || i, '415', '+1415' || lpad(i::text, 7, '0'),
             (array['active', 'failed', 'released'])[1 + i % 3], now() - interval '1 day', now()
      from generate_series(1, ${settledCount}) as i`.execute(harness.db)
    // …and a handful pending, half of them due now.
    await sql`
      insert into phone_number (organization_id, vapi_phone_number_id, area_code, status, created_at, updated_at, next_check_at)
      select ${organizationId}, 'pending-' || i, '415', 'pending', now(), now(),
             now() + (case when i % 2 = 0 then interval '-1 second' else interval '1 minute' end)
      from generate_series(1, ${pendingCount}) as i`.execute(harness.db)
    await sql`analyze phone_number`.execute(harness.db)
  })
  afterAll(async () => {
    await harness.close()
  })

  test('EXPLAIN ANALYZE: the claim reads the partial due index, never the whole table', async () => {
    const compiled = claimDueNumbersQuery(harness.db, new Date(), defaultPollRoundOptions).compile()
    // ANALYZE runs the UPDATE for real, so it runs in a transaction that is rolled back.
    const plan = await harness.db
      .transaction()
      .execute(async (trx) => {
        const result = await trx.executeQuery<Record<string, string>>(
          CompiledQuery.raw(`explain (analyze, buffers, costs off) ${compiled.sql}`, [...compiled.parameters]),
        )
        throw new PlanCaptured(result.rows.map((row) => Object.values(row).join('')).join('\n'))
      })
      .catch((error: unknown) => {
        if (error instanceof PlanCaptured) return error.plan
        throw error
      })
    console.log(
      `claim plan, ${settledCount} settled + ${pendingCount} pending numbers (${pendingCount / 2} due):\n${plan}`,
    )

    expect(plan).toMatch(/Index Scan using phone_number_due_idx on phone_number/)
    expect(plan).not.toMatch(/Seq Scan on phone_number/)
    // It claimed exactly the due numbers, one batch at most.
    expect(plan).toMatch(
      new RegExp(`Update on phone_number \\(actual time=[\\d.]+\\.\\.[\\d.]+ rows=${pendingCount / 2} loops=1\\)`),
    )
    expect(await countDue(harness)).toBe(pendingCount / 2)
  })
})

class PlanCaptured extends Error {
  constructor(readonly plan: string) {
    super('plan captured; rolling back')
  }
}

async function countDue(harness: TestApp) {
  const row = await harness.db
    .selectFrom('phone_number')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .where('next_check_at', '<=', new Date())
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
