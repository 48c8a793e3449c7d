import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../db/schema.ts'
import { eventually } from '../../test/support/provisioning-test-kit.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { startWebhookReceiver } from '../../test/support/start-webhook-receiver.ts'
import { defaultDeliveryRoundOptions } from './deliver-due-webhooks.ts'
import { startOutboundWebhookWorker } from './outbound-webhook-worker.ts'
import { registerWebhookEndpoint } from './register-webhook-endpoint.ts'

// Two worker processes need two connection pools to one server; PGlite is one in-process backend, so Postgres only.
const postgresOnly = testDatabaseKinds.includes('postgres') ? describe : describe.skip

postgresOnly('two webhook workers (two processes) on one Postgres database', () => {
  let harness: TestApp
  let secondPool: Kysely<Database>
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>

  beforeAll(async () => {
    harness = await startTestApp('postgres')
    secondPool = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: harness.database.url ?? '', max: 10 }) }),
    })
    // A slow receiver widens the window in which both workers look at the same due rows.
    receiver = await startWebhookReceiver({ delayMs: 30 })
  })
  afterAll(async () => {
    await receiver.close()
    await secondPool.destroy()
    await harness.close()
  })

  test('racing over the same queue, every delivery is sent exactly once and both workers share the work', async () => {
    const owner = await harness.signUp('Busy')
    const endpoints = await Promise.all(
      [1, 2].map(() =>
        registerWebhookEndpoint(harness.outboundWebhooks, { organizationId: owner.organizationId, url: receiver.url }),
      ),
    )
    // 60 status changes, written as the transition writes them: the trigger queues one delivery per endpoint each.
    const changeCount = 60
    await harness.db.transaction().execute(async (trx) => {
      for (let index = 0; index < changeCount; index++) {
        const row = await trx
          .insertInto('phone_number')
          .values({
            organization_id: owner.organizationId,
            vapi_phone_number_id: `race-${index}`,
            area_code: '415',
            status: 'pending',
            created_at: new Date(),
            updated_at: new Date(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await trx
          .insertInto('phone_number_status_change')
          .values({
            phone_number_id: row.id,
            from_status: null,
            to_status: 'pending',
            source: 'create',
            at: new Date(),
          })
          .execute()
      }
    })
    const expected = changeCount * endpoints.length
    const round = { ...defaultDeliveryRoundOptions, batchSize: 7, concurrency: 3 }
    const sentBy = [0, 0]
    const workers = [harness.outboundWebhooks, { ...harness.outboundWebhooks, db: secondPool }].map((deps, index) =>
      startOutboundWebhookWorker(deps, {
        idleMs: 5,
        retentionMs: 60_000,
        round,
        onRound: (result) => {
          sentBy[index] = (sentBy[index] ?? 0) + result.succeeded
        },
      }),
    )
    try {
      await eventually(
        async () => receiver.received.length,
        (count) => count >= expected,
        30_000,
      )
      // A moment longer: a double send would arrive now.
      await new Promise((resolve) => setTimeout(resolve, 300))
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()))
    }

    const ids = receiver.received.map((webhook) => String(webhook.headers['webhook-id']))
    expect(ids).toHaveLength(expected)
    expect(new Set(ids).size).toBe(expected)
    const attempts = await harness.db.selectFrom('outbound_webhook_attempt').select('delivery_id').execute()
    expect(attempts).toHaveLength(expected)
    const pending = await harness.db
      .selectFrom('outbound_webhook_delivery')
      .select('id')
      .where('status', '!=', 'succeeded')
      .execute()
    expect(pending).toEqual([])
    expect(sentBy[0]).toBeGreaterThan(0)
    expect(sentBy[1]).toBeGreaterThan(0)
    expect((sentBy[0] ?? 0) + (sentBy[1] ?? 0)).toBe(expected)
  })
})
