import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * How many create attempts an organisation made since a moment, and when the oldest of them was made.
 * Attempts are written before Vapi is called, by whichever process served the request, so this count is shared
 * by every web process without a store of its own.
 */
export async function countAttemptsSince(
  db: Kysely<Database>,
  input: { organizationId: string; since: Date },
): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('provisioning_attempt')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('requested_at').as('oldest')])
    .where('organization_id', '=', input.organizationId)
    .where('requested_at', '>', input.since)
    .executeTakeFirst()
  const oldest = row?.oldest
  return { count: Number(row?.count ?? 0), oldest: oldest ? new Date(oldest) : null }
}
