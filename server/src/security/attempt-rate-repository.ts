import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/** Whose purchases are counted: one organisation's, one person's in every organisation, or everyone's. */
export type AttemptScope = { organizationId: string } | { userId: string } | { platform: true }

/**
 * How many create attempts a scope made since a moment, and when the oldest of them was made.
 * Attempts are written before Vapi is called, by whichever process served the request, so this count is shared
 * by every web process without a store of its own.
 */
export async function countAttemptsSince(
  db: Kysely<Database>,
  input: { scope: AttemptScope; since: Date },
): Promise<{ count: number; oldest: Date | null }> {
  const { scope } = input
  let query = db
    .selectFrom('provisioning_attempt')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('requested_at').as('oldest')])
    .where('requested_at', '>', input.since)
  if ('organizationId' in scope) query = query.where('organization_id', '=', scope.organizationId)
  if ('userId' in scope) query = query.where('requested_by_user_id', '=', scope.userId)
  const row = await query.executeTakeFirst()
  // Carrier purchases and imports (0014) count as well: each one buys or brings a number into Vapi.
  let carrierQuery = db
    .selectFrom('carrier_purchase')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('created_at').as('oldest')])
    .where('created_at', '>', input.since)
  if ('organizationId' in scope) carrierQuery = carrierQuery.where('organization_id', '=', scope.organizationId)
  if ('userId' in scope) carrierQuery = carrierQuery.where('requested_by_user_id', '=', scope.userId)
  const carrierRow = await carrierQuery.executeTakeFirst()
  const oldests = [row?.oldest, carrierRow?.oldest]
    .filter((value) => value !== null && value !== undefined)
    .map((value) => new Date(value).getTime())
  return {
    count: Number(row?.count ?? 0) + Number(carrierRow?.count ?? 0),
    oldest: oldests.length > 0 ? new Date(Math.min(...oldests)) : null,
  }
}
