import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/** The change feed's rows (0016's vapi_account_feed) and the pending numbers it answers for. */

/** `vapi_account` as the feed names an account: null (bought before 0010) is the platform account. */
const accountKeyOf = sql<string>`coalesce(phone_number.vapi_account, 'platform')`

/** The pending numbers per account (oldest first), for deciding which feeds are due and how often. */
export async function pendingNumbersForFeeds(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom('phone_number')
    .select([accountKeyOf.as('account_key'), 'organization_id', 'created_at'])
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .limit(limit)
    .execute()
}

/** Makes the feed rows of these accounts exist (a new account's feed starts unclaimed, never run). */
export async function ensureFeedRows(db: Kysely<Database>, accountKeys: readonly string[]) {
  if (accountKeys.length === 0) return []
  await db
    .insertInto('vapi_account_feed')
    .values(accountKeys.map((account_key) => ({ account_key })))
    .onConflict((conflict) => conflict.column('account_key').doNothing())
    .execute()
  return db.selectFrom('vapi_account_feed').selectAll().where('account_key', 'in', accountKeys).execute()
}

export type FeedRow = Awaited<ReturnType<typeof ensureFeedRows>>[number]

/**
 * Takes an account's feed if nobody holds it and nobody took it since `seen` was read: lease_token is compared and
 * bumped, so of several processes that saw the feed due, exactly one runs it.
 */
export async function claimFeed(
  db: Kysely<Database>,
  seen: Pick<FeedRow, 'account_key' | 'lease_token'>,
  now: Date,
  leaseMs: number,
): Promise<FeedRow | undefined> {
  return db
    .updateTable('vapi_account_feed')
    .set((eb) => ({ lease_until: new Date(now.getTime() + leaseMs), lease_token: eb('lease_token', '+', 1) }))
    .where('account_key', '=', seen.account_key)
    .where('lease_token', '=', seen.lease_token)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .returningAll()
    .executeTakeFirst()
}

/** Ends a claim: what the round learnt, written only if the claim is still this one's (its token unchanged). */
export async function finishFeed(
  db: Kysely<Database>,
  claim: Pick<FeedRow, 'account_key' | 'lease_token'>,
  outcome: { lastRunAt: Date; checkedThrough?: Date; notBefore: Date | null },
): Promise<boolean> {
  const result = await db
    .updateTable('vapi_account_feed')
    .set({
      lease_until: null,
      last_run_at: outcome.lastRunAt,
      not_before: outcome.notBefore,
      ...(outcome.checkedThrough ? { checked_through: outcome.checkedThrough } : {}),
    })
    .where('account_key', '=', claim.account_key)
    .where('lease_token', '=', claim.lease_token)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** This account's pending numbers among the Vapi ids a list call answered. */
export async function pendingNumbersOfVapiIds(db: Kysely<Database>, accountKey: string, vapiIds: readonly string[]) {
  if (vapiIds.length === 0) return []
  return db
    .selectFrom('phone_number')
    .select(['id', 'organization_id', 'vapi_phone_number_id', 'created_at', 'vapi_account'])
    .where('status', '=', 'pending')
    .where('vapi_phone_number_id', 'in', vapiIds)
    .where(accountKeyOf, '=', accountKey)
    .execute()
}
