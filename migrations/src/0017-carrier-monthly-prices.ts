import { sql, type Kysely } from 'kysely'

// What a carrier number costs a month, as the carrier said when it was bought or imported (issue 15): Telnyx's
// cost_information.monthly_cost for the number, Twilio's Pricing API for its country and type. Both columns are null
// when the carrier did not say (the owner sees "price unknown", never 0); Vapi's own numbers are free and carry none.
// The saga keeps the price it found until the card exists, then the card keeps it.
//
// Also (issue 15, admin statistics split by provider and country): carrier purchases of every organisation in a
// time range are read by their creation time.
//
// Also (issue 19, statistics for all organisations): how many numbers each organisation has live right now, without
// counting half a million rows on every request. Statement-level triggers append +1/-1 per organisation whenever a
// number starts or stops being live (nothing for the many updates that do not change that, so the poller's and the
// call events' bookkeeping append nothing); the statistics fold the deltas into provisioning_stats_live_count and
// read count + unfolded deltas in one snapshot, which equals count(*) of active numbers exactly.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['carrier_purchase', 'phone_number']) {
    await db.schema.alterTable(table).addColumn('monthly_price_amount', 'text').execute()
    await db.schema.alterTable(table).addColumn('monthly_price_currency', 'text').execute()
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_monthly_price_whole`)}
      check ((monthly_price_amount is null) = (monthly_price_currency is null))`.execute(db)
  }
  await db.schema.createIndex('carrier_purchase_created_idx').on('carrier_purchase').column('created_at').execute()

  await db.schema
    .createTable('provisioning_stats_live_count')
    .addColumn('organization_id', 'text', (col) => col.primaryKey())
    .addColumn('live_now', 'integer', (col) => col.notNull())
    .execute()
  await db.schema
    .createTable('provisioning_stats_live_delta')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) => col.notNull())
    .addColumn('delta', 'integer', (col) => col.notNull())
    .execute()
  await sql`
    create function provisioning_stats_mark_live_numbers() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into provisioning_stats_live_delta (organization_id, delta)
        select organization_id, count(*) from new_rows where status = 'active' group by organization_id;
      elsif tg_op = 'DELETE' then
        insert into provisioning_stats_live_delta (organization_id, delta)
        select organization_id, -count(*) from old_rows where status = 'active' group by organization_id;
      else
        insert into provisioning_stats_live_delta (organization_id, delta)
        select organization_id, sum(delta) from (
          select old_rows.organization_id, -1 as delta
          from old_rows join new_rows on new_rows.id = old_rows.id
          where old_rows.status = 'active'
            and (new_rows.status <> 'active' or new_rows.organization_id <> old_rows.organization_id)
          union all
          select new_rows.organization_id, 1
          from old_rows join new_rows on new_rows.id = old_rows.id
          where new_rows.status = 'active'
            and (old_rows.status <> 'active' or new_rows.organization_id <> old_rows.organization_id)
        ) as changed
        group by organization_id;
      end if;
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger provisioning_stats_live_insert after insert on phone_number
    referencing new table as new_rows for each statement execute function provisioning_stats_mark_live_numbers()`.execute(
    db,
  )
  await sql`
    create trigger provisioning_stats_live_update after update on phone_number
    referencing old table as old_rows new table as new_rows
    for each statement execute function provisioning_stats_mark_live_numbers()`.execute(db)
  await sql`
    create trigger provisioning_stats_live_delete after delete on phone_number
    referencing old table as old_rows for each statement execute function provisioning_stats_mark_live_numbers()`.execute(
    db,
  )
  await sql`
    create function provisioning_stats_clear_live() returns trigger language plpgsql as $$
    begin
      delete from provisioning_stats_live_count;
      delete from provisioning_stats_live_delta;
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger provisioning_stats_live_truncate after truncate on phone_number
    for each statement execute function provisioning_stats_clear_live()`.execute(db)
  await sql`
    insert into provisioning_stats_live_count (organization_id, live_now)
    select organization_id, count(*) from phone_number where status = 'active' group by organization_id`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ['truncate', 'delete', 'update', 'insert']) {
    await sql`drop trigger if exists ${sql.raw(`provisioning_stats_live_${trigger}`)} on phone_number`.execute(db)
  }
  await sql`drop function if exists provisioning_stats_clear_live()`.execute(db)
  await sql`drop function if exists provisioning_stats_mark_live_numbers()`.execute(db)
  await db.schema.dropTable('provisioning_stats_live_delta').ifExists().execute()
  await db.schema.dropTable('provisioning_stats_live_count').ifExists().execute()
  await db.schema.dropIndex('carrier_purchase_created_idx').ifExists().execute()
  for (const table of ['phone_number', 'carrier_purchase']) {
    await sql`alter table ${sql.table(table)} drop constraint if exists ${sql.ref(`${table}_monthly_price_whole`)}`.execute(
      db,
    )
    await db.schema.alterTable(table).dropColumn('monthly_price_currency').execute()
    await db.schema.alterTable(table).dropColumn('monthly_price_amount').execute()
  }
}
