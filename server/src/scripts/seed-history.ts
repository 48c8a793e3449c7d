import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import { refreshProvisioningStatsRollups } from '../admin/provisioning-stats-rollup-repository.ts'
import { createDatabase } from '../db/create-database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import type { Database } from '../db/schema.ts'
import { readProcessEnv } from '../env.ts'

// Writes a realistic provisioning history so the admin charts can be judged at volume and the statistics query
// measured. Everything is generated inside the database (INSERT … SELECT generate_series), in chunks, because a
// million rows sent one by one from Node would take minutes instead of seconds.

const optionsSchema = z.object({
  attempts: z.coerce.number().int().positive().max(50_000_000),
  organizations: z.coerce.number().int().positive().max(100_000),
  days: z.coerce.number().positive().max(3650),
})
export type SeedHistoryOptions = z.infer<typeof optionsSchema>

const chunkSize = 100_000

// Popular codes first: the generator picks early entries more often, as real demand clusters on big cities.
const areaCodes = [
  '212',
  '415',
  '646',
  '312',
  '213',
  '512',
  '617',
  '305',
  '702',
  '206',
  '303',
  '404',
  '713',
  '214',
  '602',
  '619',
  '718',
  '917',
  '310',
  '503',
  '720',
  '615',
  '704',
  '919',
  '801',
  '813',
  '407',
  '614',
  '317',
  '816',
  '502',
  '901',
  '504',
  '405',
  '918',
  '505',
  '775',
  '208',
  '406',
  '307',
  '533',
]
// Codes that often have no numbers left, so refusals cluster where they do in practice.
const scarceAreaCodes = ['212', '646', '917', '415', '533']
const businessFirstWords = [
  'Northwind',
  'Blue Harbor',
  'Cedar',
  'Maple Street',
  'Summit',
  'Riverside',
  'Golden Gate',
  'Lakeside',
  'Pinecrest',
  'Bright Smile',
  'Ironwood',
  'Silver Oak',
  'Harborview',
  'Redwood',
  'Evergreen',
  'Sunrise',
  'Granite',
  'Willow',
]
const businessSecondWords = [
  'Dental',
  'Plumbing',
  'Realty',
  'Veterinary',
  'Law Group',
  'Auto Repair',
  'Clinic',
  'Roofing',
  'Insurance',
  'Bakery',
  'Fitness',
  'Salon',
  'HVAC',
  'Tutoring',
  'Pharmacy',
  'Movers',
  'Landscaping',
]

function textArray(values: readonly string[]) {
  return sql`(array[${sql.join(values.map((value) => sql.lit(value)))}]::text[])`
}

async function seedOrganizations(db: Kysely<Database>, count: number): Promise<void> {
  const first = textArray(businessFirstWords)
  const second = textArray(businessSecondWords)
  await sql`
    insert into organization (id, name, slug, "createdAt")
    select 'seed-org-' || k,
      ${first}[1 + (k - 1) % ${businessFirstWords.length}] || ' ' || ${second}[1 + ((k - 1) * 7 + (k - 1) / ${businessFirstWords.length}) % ${businessSecondWords.length}]
        || case when k > ${businessFirstWords.length * businessSecondWords.length}
             then ' ' || (1 + (k - 1) / ${businessFirstWords.length * businessSecondWords.length}) else '' end,
      'seed-org-' || k,
      now() - interval '400 days'
    from generate_series(1, ${count}) as k
    on conflict (id) do nothing`.execute(db)
}

/**
 * One chunk of attempts and their phone numbers, in one statement. The spec CTE draws every random choice once
 * per attempt; phone numbers are inserted for the attempts that bought one, then the attempts point at them.
 */
async function seedChunk(
  db: Kysely<Database>,
  size: number,
  pendingCount: number,
  options: SeedHistoryOptions,
  now: Date,
): Promise<void> {
  const codes = textArray(areaCodes)
  const scarce = textArray(scarceAreaCodes)
  await sql`
    with draw as (
      select gen_random_uuid() as phone_number_id,
        'seed-org-' || (1 + floor(${options.organizations} * power(random(), 1.8)))::int as organization_id,
        -- The first few are recent numbers still waiting for Vapi, so "pending now" has something to show.
        case when i <= ${pendingCount}
          then ${now}::timestamptz - interval '10 minutes' * random()
          else ${now}::timestamptz - ${options.days}::float8 * interval '1 day' * random()
        end as requested_at,
        case when i <= ${pendingCount} then 0.97 else random() end as kind_draw, random() as code_draw, random() as speed_draw, random() as spread_draw,
        random() as detect_draw, random() as release_draw
      from generate_series(1, ${size}) as i
    ), classified as (
      select draw.*,
        case
          when kind_draw < 0.830 then 'live'
          when kind_draw < 0.875 then 'area_code_unavailable'
          when kind_draw < 0.888 then 'vapi_rejected'
          when kind_draw < 0.905 then 'vapi_unavailable'
          when kind_draw < 0.915 then 'vapi_rate_limited'
          when kind_draw < 0.920 then 'rolled_back'
          when kind_draw < 0.950 then 'blocked'
          when kind_draw < 0.985 then 'deadline_exceeded'
          else 'deleted_at_vapi'
        end as kind,
        -- Most numbers go live in 5–30 s; a tenth take minutes (webhook lost, found by the poller).
        case
          when speed_draw < 0.90 then 5 + 25 * spread_draw
          when speed_draw < 0.99 then 30 + 150 * spread_draw
          else 180 + 600 * spread_draw
        end as seconds_to_live,
        300 + floor(1700 * spread_draw)::int as response_ms
      from draw
    ), spec as materialized (
      select classified.*,
        case when kind = 'area_code_unavailable'
          then ${scarce}[1 + floor(code_draw * ${scarceAreaCodes.length})::int]
          else ${codes}[1 + floor(power(code_draw, 2) * ${areaCodes.length})::int]
        end as area_code,
        case
          -- Still inside the 15-minute deadline, or not assigned yet: the number is pending now.
          when kind = 'deadline_exceeded' and requested_at > ${now}::timestamptz - interval '15 minutes' then 'pending'
          when kind = 'live' and requested_at + seconds_to_live * interval '1 second' > ${now}::timestamptz then 'pending'
          when kind = 'live' and release_draw < 0.04 then 'released'
          when kind = 'live' then 'active'
          when kind in ('blocked', 'deadline_exceeded', 'deleted_at_vapi') then 'failed'
        end as number_status
      from classified
    ), numbers as (
      insert into phone_number (id, organization_id, vapi_phone_number_id, name, area_code, number, status,
        failure_code, failure_reason, detected_by, version, created_at, activated_at, released_at, updated_at,
        next_check_at, check_count, last_checked_at)
      select phone_number_id, organization_id, 'seed-' || phone_number_id, 'Line ' || area_code, area_code,
        case when number_status in ('active', 'released')
          then '+1' || area_code || lpad((floor(spread_draw * 10000000))::int::text, 7, '0') end,
        number_status,
        case when number_status = 'failed' then kind end,
        case kind
          when 'blocked' then 'Vapi blocked this number.'
          when 'deadline_exceeded' then 'No number was assigned within 15 minutes.'
          when 'deleted_at_vapi' then 'The number was deleted at Vapi.'
        end,
        case when number_status in ('active', 'released')
          then (case when detect_draw < 0.86 then 'webhook' when detect_draw < 0.97 then 'poll' else 'manual' end)
        end,
        case number_status when 'active' then 2 when 'released' then 3 when 'failed' then 2 else 1 end,
        requested_at + response_ms * interval '1 millisecond',
        case when number_status in ('active', 'released') then requested_at + seconds_to_live * interval '1 second' end,
        case when number_status = 'released'
          then requested_at + seconds_to_live * interval '1 second' + interval '1 day' * release_draw * 25 end,
        case number_status
          when 'pending' then requested_at + response_ms * interval '1 millisecond'
          when 'failed' then requested_at + (case when kind = 'deadline_exceeded' then 900 else seconds_to_live end) * interval '1 second'
          else requested_at + seconds_to_live * interval '1 second'
        end,
        -- Seeded numbers do not exist at Vapi, so the poller must never ask about them: no next check.
        null,
        case when number_status = 'pending' then 1 else 0 end,
        null
      from spec
      where number_status is not null
    )
    insert into provisioning_attempt (organization_id, phone_number_id, vapi_phone_number_id, area_code, outcome,
      failure_code, failure_message, vapi_status_code, requested_at, responded_at, duration_ms)
    select organization_id,
      case when number_status is not null then phone_number_id end,
      case when number_status is not null or kind = 'rolled_back' then 'seed-' || phone_number_id end,
      area_code,
      case
        when number_status is not null then 'purchased'
        when kind in ('area_code_unavailable', 'vapi_rejected') then 'refused'
        when kind = 'rolled_back' then 'rolled_back'
        else 'error'
      end,
      case when number_status is null then kind end,
      case kind
        when 'area_code_unavailable' then 'No numbers are available in area code ' || area_code || '.'
        when 'vapi_rejected' then 'Vapi rejected the request.'
        when 'vapi_unavailable' then 'Vapi did not answer in time.'
        when 'vapi_rate_limited' then 'Vapi asked us to slow down.'
        when 'rolled_back' then 'The number could not be stored and was deleted again.'
      end,
      case
        when number_status is not null or kind = 'rolled_back' then 201
        when kind in ('area_code_unavailable', 'vapi_rejected') then 400
        when kind = 'vapi_rate_limited' then 429
        else 503
      end,
      requested_at,
      requested_at + response_ms * interval '1 millisecond',
      response_ms
    from spec`.execute(db)
}

export async function seedHistory(
  db: Kysely<Database>,
  options: SeedHistoryOptions,
  now: Date,
  onProgress: (written: number) => void = () => {},
): Promise<void> {
  await seedOrganizations(db, options.organizations)
  let written = 0
  while (written < options.attempts) {
    const size = Math.min(chunkSize, options.attempts - written)
    const pendingCount = written === 0 ? Math.min(size, Math.max(3, Math.round(options.attempts / 50_000))) : 0
    await seedChunk(db, size, pendingCount, options, now)
    written += size
    onProgress(written)
  }
  // Fresh statistics, so the planner sees the new volume straight away instead of after autovacuum.
  await sql`analyze organization, phone_number, provisioning_attempt`.execute(db)
  // Sum the new history into the admin rollups now, rather than on the first admin page load.
  await refreshProvisioningStatsRollups(db)
  await sql`analyze provisioning_stats_rollup, provisioning_stats_area_code_rollup, provisioning_stats_time_to_live_rollup`.execute(
    db,
  )
  await sql`analyze provisioning_stats_organization_area_code_rollup, provisioning_stats_organization_time_to_live_rollup`.execute(
    db,
  )
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      attempts: { type: 'string', default: '10000' },
      organizations: { type: 'string', default: '40' },
      days: { type: 'string', default: '30' },
    },
  })
  const parsed = optionsSchema.safeParse(values)
  if (!parsed.success) {
    console.error(
      'Usage: pnpm seed:history --attempts N [--organizations K] [--days D]\n' +
        parsed.error.issues.map((issue) => `  --${issue.path.join('.')}: ${issue.message}`).join('\n'),
    )
    process.exitCode = 1
    return
  }
  const env = readProcessEnv()
  const database = await createDatabase(
    env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, maxConnections: 2 }
      : { kind: 'pglite', dataDir: env.DATA_DIR },
  )
  try {
    await migrateToLatest(database.db)
    const started = performance.now()
    await seedHistory(database.db, parsed.data, new Date(), (written) => {
      console.log(`  ${written.toLocaleString('en-US')} / ${parsed.data.attempts.toLocaleString('en-US')} attempts`)
    })
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(
      `Seeded ${parsed.data.attempts.toLocaleString('en-US')} attempts over ${parsed.data.days} days for ` +
        `${parsed.data.organizations} organisations into ${database.kind === 'postgres' ? 'Postgres' : env.DATA_DIR} in ${seconds} s.`,
    )
  } finally {
    await database.close()
  }
}

// Run as a script, not when imported by the benchmark.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
