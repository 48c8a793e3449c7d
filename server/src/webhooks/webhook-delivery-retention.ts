import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * How long a delivery id is remembered. De-duplication needs minutes (a sender's retries, a restart); a week
 * also leaves room to look into what Vapi sent. Older rows only cost space.
 */
export const webhookDeliveryRetentionMs = 7 * 24 * 60 * 60_000

/** Forgets deliveries older than the retention, a bounded batch at a time so one run never holds long locks. */
export async function deleteOldWebhookDeliveries(
  db: Kysely<Database>,
  now: Date,
  options: { retentionMs?: number; batchSize?: number } = {},
): Promise<number> {
  const olderThan = new Date(now.getTime() - (options.retentionMs ?? webhookDeliveryRetentionMs))
  const result = await db
    .deleteFrom('webhook_delivery')
    .where('delivery_id', 'in', (eb) =>
      eb
        .selectFrom('webhook_delivery')
        .select('delivery_id')
        .where('received_at', '<', olderThan)
        .limit(options.batchSize ?? 5_000),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
