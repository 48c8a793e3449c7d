import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../test/support/test-databases.ts'
import { deleteOldWebhookDeliveries, webhookDeliveryRetentionMs } from './webhook-delivery-repository.ts'

describe.each(testDatabaseKinds)('webhook delivery retention on %s', (kind) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase(kind)
  })
  afterAll(async () => {
    await database.close()
  })

  test('forgets deliveries older than a week, in bounded batches, and keeps the rest', async () => {
    const now = new Date('2025-06-10T12:00:00Z')
    const ageOf = (index: number) =>
      index < 30 ? webhookDeliveryRetentionMs + 60_000 : webhookDeliveryRetentionMs - 60_000
    await database.db
      .insertInto('webhook_delivery')
      .values(
        Array.from({ length: 50 }, (_, index) => ({
          delivery_id: `id:${index}`,
          message_type: 'phone-number-status-update',
          outcome: 'not-ours',
          payload: '{}',
          received_at: new Date(now.getTime() - ageOf(index)),
        })),
      )
      .execute()

    expect(await deleteOldWebhookDeliveries(database.db, now, { batchSize: 20 })).toBe(20)
    expect(await deleteOldWebhookDeliveries(database.db, now, { batchSize: 20 })).toBe(10)
    expect(await deleteOldWebhookDeliveries(database.db, now, { batchSize: 20 })).toBe(0)
    const left = await database.db.selectFrom('webhook_delivery').select('delivery_id').execute()
    expect(left.map((row) => row.delivery_id).sort()).toEqual(
      Array.from({ length: 20 }, (_, index) => `id:${index + 30}`).sort(),
    )
  })
})
