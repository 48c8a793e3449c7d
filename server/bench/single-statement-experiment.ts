import { sql } from 'kysely'
import { createDatabase } from '../src/db/create-database.ts'
import { findPhoneNumberByVapiId } from '../src/provisioning/phone-number-repository.ts'
import { transitionPhoneNumber } from '../src/provisioning/phone-number-transition-repository.ts'
import { createScratchDatabase, insertOrganization, insertPendingNumbers } from './bench-database.ts'
import { round } from './latency-stats.ts'

// An experiment behind docs/performance.md ("What limits each figure"), not part of `pnpm bench`: Node's CPU for
// the database work of one activation webhook, done the way ingest-vapi-webhook.ts does it (a lookup, then a
// transaction of three statements) and as one data-modifying statement. No HTTP, 20 in flight, 20 connections.
//
//   cd server && npx tsx bench/single-statement-experiment.ts

const adminUrl =
  process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
const count = 6_000
const inFlight = 20
const number = '+14155550100'

const scratch = await createScratchDatabase(adminUrl, 'statements')
const handle = await createDatabase({ kind: 'postgres', url: scratch.url, maxConnections: inFlight })
const { db } = handle

const payloadOf = (vapiId: string) =>
  JSON.stringify({ message: { type: 'phone-number-status-update', phoneNumber: { id: vapiId, number } } })

/** What ingest-vapi-webhook.ts sends for an activation today. */
async function asToday(index: number) {
  const vapiId = `today-${index}`
  const ours = await findPhoneNumberByVapiId(db, vapiId)
  if (!ours) throw new Error(`no number ${vapiId}`)
  const now = new Date()
  await db.transaction().execute(async (trx) => {
    const recorded = await trx
      .insertInto('webhook_delivery')
      .values({
        delivery_id: `id:${vapiId}`,
        message_type: 'phone-number-status-update',
        vapi_phone_number_id: vapiId,
        phone_number_id: ours.id,
        outcome: 'transitioned',
        payload: payloadOf(vapiId),
        received_at: now,
      })
      .onConflict((conflict) => conflict.column('delivery_id').doNothing())
      .returning('delivery_id')
      .executeTakeFirst()
    if (!recorded) return
    await transitionPhoneNumber(trx, {
      phoneNumberId: ours.id,
      signal: { kind: 'assigned', number },
      source: 'webhook',
      now,
    })
  })
}

/** The same effects in one statement: a duplicate delivery inserts nothing, and then nothing changes. */
async function asOneStatement(index: number) {
  const vapiId = `single-${index}`
  const now = new Date()
  await sql`
    with ours as (select id, status from phone_number where vapi_phone_number_id = ${vapiId}),
    delivery as (
      insert into webhook_delivery (delivery_id, message_type, vapi_phone_number_id, phone_number_id, outcome, payload, received_at)
      select ${`id:${vapiId}`}, 'phone-number-status-update', ${vapiId}, ours.id,
        case when ours.status = 'pending' then 'transitioned' else 'unchanged' end, ${payloadOf(vapiId)}::jsonb, ${now}
      from ours
      on conflict (delivery_id) do nothing
      returning delivery_id),
    changed as (
      update phone_number set status = 'active', version = version + 1, updated_at = ${now}, next_check_at = null,
        number = ${number}, activated_at = ${now}, detected_by = 'webhook'
      where id = (select id from ours) and status in ('pending') and exists (select 1 from delivery)
      returning *),
    history as (
      insert into phone_number_status_change (phone_number_id, from_status, to_status, source, reason, at)
      select id, 'pending', 'active', 'webhook', null, ${now} from changed)
    select * from changed`.execute(db)
}

try {
  const organizationId = await insertOrganization(scratch, 'Statements experiment')
  await insertPendingNumbers(scratch, { organizationId, prefix: 'today-', count })
  await insertPendingNumbers(scratch, { organizationId, prefix: 'single-', count })
  for (const [name, run] of [
    ['as today (lookup + transaction)', asToday],
    ['one statement', asOneStatement],
  ] as const) {
    let next = 1
    const cpuBefore = process.cpuUsage()
    const startedAt = performance.now()
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let index = next++; index <= count; index = next++) await run(index)
      }),
    )
    const cpu = process.cpuUsage(cpuBefore)
    const elapsedMs = performance.now() - startedAt
    console.log(
      `${name}: ${Math.round((count / elapsedMs) * 1000)}/s, ${round((cpu.user + cpu.system) / 1000 / count, 3)} ms of Node CPU per webhook`,
    )
  }
  const active = await sql<{
    count: number
  }>`select count(*)::int as count from phone_number where status = 'active'`.execute(db)
  console.log(`${active.rows[0]?.count ?? 0} of ${2 * count} numbers active`)
} finally {
  await handle.close()
  await scratch.close()
}
