import { sql, type Kysely } from 'kysely'

// Frozen in time, like every migration: Kysely<any>, no imports from the server.
//
// The admin statistics must answer in well under a second over a million attempts. Joining every attempt to its
// phone number and sorting every time to live on each request cannot (about 2.5 s at 1 M rows), so the server keeps
// per-hour and per-day partial sums in three rollup tables. What an attempt counts as (succeeded, failed and why)
// is defined in one place, the server's statistics repository, which recomputes a rollup hour from the raw rows.
// The database's only job here is to remember WHICH hours changed: statement-level triggers append those hours to
// provisioning_stats_dirty_hour, and the next statistics request recomputes them. Appending (rather than upserting
// one row per hour) means provisioning transactions never wait on each other or on a refresh.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('provisioning_stats_dirty_hour')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('hour_start', 'timestamptz', (col) => col.notNull())
    .execute()

  // unit: 'hour' rows are recomputed from attempts; 'day' rows are sums of a day's hour rows.
  // failure_reason '' means the attempt did not fail (it went live or is still pending).
  await db.schema
    .createTable('provisioning_stats_rollup')
    .addColumn('unit', 'text', (col) => col.notNull().check(sql`unit in ('hour', 'day')`))
    .addColumn('period_start', 'timestamptz', (col) => col.notNull())
    .addColumn('organization_id', 'text', (col) => col.notNull())
    .addColumn('failure_reason', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('succeeded', 'integer', (col) => col.notNull())
    .addColumn('detected_by_webhook', 'integer', (col) => col.notNull())
    .addColumn('detected_by_poll', 'integer', (col) => col.notNull())
    .addColumn('detected_by_manual', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('provisioning_stats_rollup_pk', [
      'unit',
      'period_start',
      'organization_id',
      'failure_reason',
    ])
    .execute()

  await db.schema
    .createTable('provisioning_stats_area_code_rollup')
    .addColumn('unit', 'text', (col) => col.notNull().check(sql`unit in ('hour', 'day')`))
    .addColumn('period_start', 'timestamptz', (col) => col.notNull())
    .addColumn('area_code', 'text', (col) => col.notNull())
    .addColumn('requested', 'integer', (col) => col.notNull())
    .addColumn('unavailable', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('provisioning_stats_area_code_rollup_pk', ['unit', 'period_start', 'area_code'])
    .execute()

  // A histogram of whole seconds from request to live: exact percentiles can be interpolated from it.
  await db.schema
    .createTable('provisioning_stats_time_to_live_rollup')
    .addColumn('unit', 'text', (col) => col.notNull().check(sql`unit in ('hour', 'day')`))
    .addColumn('period_start', 'timestamptz', (col) => col.notNull())
    .addColumn('seconds', 'integer', (col) => col.notNull())
    .addColumn('numbers', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('provisioning_stats_time_to_live_rollup_pk', ['unit', 'period_start', 'seconds'])
    .execute()

  await sql`
    create function provisioning_stats_mark_attempt_hours() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into provisioning_stats_dirty_hour (hour_start)
        select distinct date_trunc('hour', requested_at, 'UTC') from new_rows;
      elsif tg_op = 'DELETE' then
        insert into provisioning_stats_dirty_hour (hour_start)
        select distinct date_trunc('hour', requested_at, 'UTC') from old_rows;
      else
        insert into provisioning_stats_dirty_hour (hour_start)
        select distinct date_trunc('hour', changed.requested_at, 'UTC')
        from old_rows
        join new_rows on new_rows.id = old_rows.id
        cross join lateral (values (old_rows.requested_at), (new_rows.requested_at)) as changed (requested_at)
        where (old_rows.organization_id, old_rows.phone_number_id, old_rows.area_code, old_rows.outcome,
               old_rows.failure_code, old_rows.requested_at)
          is distinct from (new_rows.organization_id, new_rows.phone_number_id, new_rows.area_code,
               new_rows.outcome, new_rows.failure_code, new_rows.requested_at);
      end if;
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger provisioning_stats_attempt_insert after insert on provisioning_attempt
    referencing new table as new_rows for each statement execute function provisioning_stats_mark_attempt_hours()`.execute(
    db,
  )
  await sql`
    create trigger provisioning_stats_attempt_update after update on provisioning_attempt
    referencing old table as old_rows new table as new_rows
    for each statement execute function provisioning_stats_mark_attempt_hours()`.execute(db)
  await sql`
    create trigger provisioning_stats_attempt_delete after delete on provisioning_attempt
    referencing old table as old_rows for each statement execute function provisioning_stats_mark_attempt_hours()`.execute(
    db,
  )

  // A number's status, activation, failure or detection changes what its attempts count as. The poller's own
  // bookkeeping (next_check_at, check_count) does not, so it marks nothing.
  await sql`
    create function provisioning_stats_mark_phone_number_hours() returns trigger language plpgsql as $$
    begin
      insert into provisioning_stats_dirty_hour (hour_start)
      select distinct date_trunc('hour', attempt.requested_at, 'UTC')
      from old_rows
      join new_rows on new_rows.id = old_rows.id
      join provisioning_attempt as attempt on attempt.phone_number_id = new_rows.id
      where (old_rows.status, old_rows.activated_at, old_rows.failure_code, old_rows.detected_by)
        is distinct from (new_rows.status, new_rows.activated_at, new_rows.failure_code, new_rows.detected_by);
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger provisioning_stats_phone_number_update after update on phone_number
    referencing old table as old_rows new table as new_rows
    for each statement execute function provisioning_stats_mark_phone_number_hours()`.execute(db)

  await sql`
    create function provisioning_stats_clear() returns trigger language plpgsql as $$
    begin
      delete from provisioning_stats_rollup;
      delete from provisioning_stats_area_code_rollup;
      delete from provisioning_stats_time_to_live_rollup;
      delete from provisioning_stats_dirty_hour;
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger provisioning_stats_attempt_truncate after truncate on provisioning_attempt
    for each statement execute function provisioning_stats_clear()`.execute(db)

  // History that existed before this migration is summed on the first statistics request.
  await sql`
    insert into provisioning_stats_dirty_hour (hour_start)
    select distinct date_trunc('hour', requested_at, 'UTC') from provisioning_attempt`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists provisioning_stats_attempt_truncate on provisioning_attempt`.execute(db)
  await sql`drop trigger if exists provisioning_stats_phone_number_update on phone_number`.execute(db)
  await sql`drop trigger if exists provisioning_stats_attempt_delete on provisioning_attempt`.execute(db)
  await sql`drop trigger if exists provisioning_stats_attempt_update on provisioning_attempt`.execute(db)
  await sql`drop trigger if exists provisioning_stats_attempt_insert on provisioning_attempt`.execute(db)
  await sql`drop function if exists provisioning_stats_clear()`.execute(db)
  await sql`drop function if exists provisioning_stats_mark_phone_number_hours()`.execute(db)
  await sql`drop function if exists provisioning_stats_mark_attempt_hours()`.execute(db)
  for (const table of [
    'provisioning_stats_time_to_live_rollup',
    'provisioning_stats_area_code_rollup',
    'provisioning_stats_rollup',
    'provisioning_stats_dirty_hour',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
