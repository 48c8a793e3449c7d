import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, PhoneNumberRow } from '../db/schema.ts'
import { staleCallMs } from '../provisioning/phone-number-mapper.ts'

type Db = Kysely<Database> | Transaction<Database>

/** Locks the number for the rest of the transaction: one number's calls are applied one message at a time. */
export async function lockPhoneNumber(tx: Transaction<Database>, phoneNumberId: string): Promise<void> {
  await tx.selectFrom('phone_number').select('id').where('id', '=', phoneNumberId).forUpdate().execute()
}

/**
 * Moves a call forward to `stage` (1 queued, 2 ringing, 3 in progress, 4 ended), never back: a message older than
 * what the call already shows changes nothing. True when something changed.
 */
export async function advanceCall(
  tx: Db,
  input: {
    callId: string
    organizationId: string
    phoneNumberId: string
    stage: number
    endedReason: string | null
    at: Date
  },
): Promise<boolean> {
  const { callId, organizationId, phoneNumberId, stage, endedReason, at } = input
  const answeredAt = stage >= 3 && stage < 4 ? at : null
  const endedAt = stage === 4 ? at : null
  const result = await sql<{ id: string }>`
    insert into vapi_call (id, organization_id, phone_number_id, stage, started_at, answered_at, ended_at, ended_reason)
    values (${callId}, ${organizationId}, ${phoneNumberId}, ${stage}, ${at}, ${answeredAt}, ${endedAt}, ${endedReason})
    on conflict (id) do update set
      stage = greatest(vapi_call.stage, excluded.stage),
      started_at = least(vapi_call.started_at, excluded.started_at),
      answered_at = coalesce(vapi_call.answered_at, excluded.answered_at),
      ended_at = coalesce(vapi_call.ended_at, excluded.ended_at),
      ended_reason = coalesce(vapi_call.ended_reason, excluded.ended_reason)
    where vapi_call.phone_number_id = excluded.phone_number_id
      and (vapi_call.stage < excluded.stage
        or (vapi_call.ended_reason is null and excluded.ended_reason is not null)
        or (vapi_call.answered_at is null and excluded.answered_at is not null))
    returning id`.execute(tx)
  return result.rows.length > 0
}

/** The ended reasons of the number's latest ended calls, newest first. */
export async function latestEndedReasons(tx: Db, phoneNumberId: string, count: number): Promise<(string | null)[]> {
  const rows = await tx
    .selectFrom('vapi_call')
    .select('ended_reason')
    .where('phone_number_id', '=', phoneNumberId)
    .where('stage', '=', 4)
    .orderBy('ended_at', 'desc')
    .limit(count)
    .execute()
  return rows.map((row) => row.ended_reason)
}

/**
 * Writes the number's activity as its calls show it (one statement): on a call when one is in progress, ringing
 * when one is queued or ringing, else idle; the last ended call; today's calls; the first answered call ever.
 * Bumps `version`, as every change does.
 */
export async function writeActivityFromCalls(
  tx: Db,
  input: { phoneNumberId: string; now: Date; isFailing: boolean },
): Promise<PhoneNumberRow> {
  const { phoneNumberId, now, isFailing } = input
  const today = now.toISOString().slice(0, 10)
  const todayStart = new Date(`${today}T00:00:00.000Z`)
  const freshAfter = new Date(now.getTime() - staleCallMs)
  const calls = (where: ReturnType<typeof sql>) =>
    sql`(select ${where} from vapi_call c where c.phone_number_id = ${phoneNumberId}`
  const result = await sql<PhoneNumberRow>`
    update phone_number set
      call_state = case
        when exists ${calls(sql`1`)} and c.stage = 3 and c.started_at > ${freshAfter}) then 'in-call'
        when exists ${calls(sql`1`)} and c.stage in (1, 2) and c.started_at > ${freshAfter}) then 'ringing'
        else 'idle' end,
      call_started_at = coalesce(
        ${calls(sql`min(coalesce(c.answered_at, c.started_at))`)} and c.stage = 3 and c.started_at > ${freshAfter}),
        ${calls(sql`min(c.started_at)`)} and c.stage in (1, 2) and c.started_at > ${freshAfter})),
      last_call_at = ${calls(sql`max(c.ended_at)`)} and c.stage = 4),
      last_ended_reason = ${calls(sql`c.ended_reason`)} and c.stage = 4 order by c.ended_at desc limit 1),
      calls_today = ${calls(sql`count(*)::int`)} and c.started_at >= ${todayStart}),
      calls_today_on = ${today},
      answered_first_call_at = coalesce(answered_first_call_at, ${calls(sql`min(c.answered_at)`)})),
      call_failing = ${isFailing},
      version = version + 1
    where id = ${phoneNumberId}
    returning *`.execute(tx)
  const row = result.rows[0]
  if (!row) throw new Error(`phone number ${phoneNumberId} vanished while its call was applied`)
  return row
}
