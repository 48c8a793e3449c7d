import type { CallStats } from '@dialtone/shared/call-stats'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * Calls per number and how many numbers took a call within an hour of going live, for numbers that went live in
 * [from, to). A call is any call Vapi's messages told dialtone about (vapi_call); a number "answered" when one of its
 * calls reached in-progress (answered_first_call_at).
 */
export async function getCallStats(
  db: Kysely<Database>,
  input: { from: Date; to: Date; limit: number },
): Promise<CallStats> {
  const { from, to, limit } = input
  const totals = await db
    .selectFrom('phone_number')
    .select((eb) => [
      eb.fn.countAll<string>().as('live'),
      eb.fn
        .count<string>('id')
        .filterWhere(sql<boolean>`answered_first_call_at <= activated_at + interval '1 hour'`)
        .as('answered'),
    ])
    .where('activated_at', '>=', from)
    .where('activated_at', '<', to)
    .executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom('phone_number')
    .leftJoin('organization', 'organization.id', 'phone_number.organization_id')
    .select((eb) => [
      'phone_number.id',
      'phone_number.organization_id',
      'organization.name as organization_name',
      'phone_number.number',
      'phone_number.activated_at',
      'phone_number.answered_first_call_at',
      'phone_number.call_failing',
      eb
        .selectFrom('vapi_call')
        .select((inner) => inner.fn.countAll<string>().as('n'))
        .whereRef('vapi_call.phone_number_id', '=', 'phone_number.id')
        .as('calls'),
    ])
    .where('phone_number.activated_at', '>=', from)
    .where('phone_number.activated_at', '<', to)
    .orderBy('calls', 'desc')
    .orderBy('phone_number.activated_at', 'desc')
    .limit(limit)
    .execute()
  const live = Number(totals.live)
  const answered = Number(totals.answered)
  return {
    range: { from: from.toISOString(), to: to.toISOString() },
    liveNumbers: live,
    answeredWithinHour: answered,
    answeredWithinHourShare: live === 0 ? null : answered / live,
    numbers: rows.map((row) => ({
      id: row.id,
      organizationId: row.organization_id,
      organizationName: row.organization_name,
      number: row.number,
      activatedAt: row.activated_at?.toISOString() ?? null,
      answeredFirstCallAt: row.answered_first_call_at?.toISOString() ?? null,
      calls: Number(row.calls ?? 0),
      failing: row.call_failing,
    })),
  }
}
