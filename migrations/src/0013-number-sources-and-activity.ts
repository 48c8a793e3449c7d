import { sql, type Kysely } from 'kysely'

// Where a number comes from and what its line is doing. Until now every number was bought from Vapi by area code;
// carriers (Twilio, Telnyx) sell numbers in many countries that are then imported into Vapi, so a number may exist at
// its carrier before Vapi knows it (vapi_phone_number_id is null until the import). Call activity is what Vapi's
// call messages tell about the line: the current state, the last call, today's count and the first call ever.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('phone_number')
    .addColumn('provider', 'text', (col) =>
      col
        .notNull()
        .defaultTo('vapi')
        .check(sql`provider in ('vapi', 'twilio', 'telnyx')`),
    )
    .addColumn('country', 'text', (col) => col.notNull().defaultTo('US'))
    .addColumn('capabilities', 'jsonb', (col) =>
      col.notNull().defaultTo(sql`'{"voice": true, "sms": false, "mms": false}'::jsonb`),
    )
    .addColumn('carrier_number_id', 'text')
    .addColumn('call_state', 'text', (col) =>
      col
        .notNull()
        .defaultTo('idle')
        .check(sql`call_state in ('idle', 'ringing', 'in-call')`),
    )
    .addColumn('call_started_at', 'timestamptz')
    .addColumn('last_call_at', 'timestamptz')
    .addColumn('last_ended_reason', 'text')
    .addColumn('calls_today', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('calls_today_on', 'text')
    .addColumn('answered_first_call_at', 'timestamptz')
    .execute()
  await db.schema
    .alterTable('phone_number')
    .alterColumn('vapi_phone_number_id', (col) => col.dropNotNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from phone_number where vapi_phone_number_id is null`.execute(db)
  await db.schema
    .alterTable('phone_number')
    .alterColumn('vapi_phone_number_id', (col) => col.setNotNull())
    .execute()
  await db.schema
    .alterTable('phone_number')
    .dropColumn('provider')
    .dropColumn('country')
    .dropColumn('capabilities')
    .dropColumn('carrier_number_id')
    .dropColumn('call_state')
    .dropColumn('call_started_at')
    .dropColumn('last_call_at')
    .dropColumn('last_ended_reason')
    .dropColumn('calls_today')
    .dropColumn('calls_today_on')
    .dropColumn('answered_first_call_at')
    .execute()
}
