import os from 'node:os'
import { parseArgs } from 'node:util'
import { CompiledQuery, sql, type Kysely } from 'kysely'
import { getProvisioningStats, provisioningStatsStatement } from '../src/admin/provisioning-stats-repository.ts'
import { refreshProvisioningStatsRollups } from '../src/admin/provisioning-stats-rollup-repository.ts'
import { dayMs, type StatsRange } from '../src/admin/stats-range.ts'
import { createDatabase, type DatabaseHandle } from '../src/db/create-database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import type { Database } from '../src/db/schema.ts'
import { seedHistory } from '../src/scripts/seed-history.ts'
import { createScratchDatabase } from './bench-database.ts'
import { percentile, round, summarizeLatencies } from './latency-stats.ts'

// How fast the admin statistics answer over a large history. Not a test: it prints figures, method and machine.
//
//   pnpm --filter @dialtone/server exec tsx bench/provisioning-stats.bench.ts --attempts 1000000
//
// By default it creates a scratch database on BENCH_DATABASE_URL's server (postgres://postgres@127.0.0.1:5432/postgres),
// seeds it with pnpm seed:history's generator, measures and drops it. --database-url measures an already seeded
// database instead and leaves it alone.

const { values } = parseArgs({
  options: {
    attempts: { type: 'string', default: '1000000' },
    organizations: { type: 'string', default: '200' },
    days: { type: 'string', default: '30' },
    runs: { type: 'string', default: '21' },
    'database-url': { type: 'string' },
  },
})
const attempts = Number(values.attempts)
const runs = Number(values.runs)

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now()
  const result = await work()
  return { ms: performance.now() - started, result }
}

async function scalar(db: Kysely<Database>, query: string): Promise<string> {
  const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(query))
  return String(Object.values(result.rows[0] ?? {})[0])
}

async function openDatabase(): Promise<DatabaseHandle & { label: string }> {
  if (values['database-url']) {
    const handle = await createDatabase({ kind: 'postgres', url: values['database-url'], maxConnections: 4 })
    await migrateToLatest(handle.db)
    return { ...handle, label: values['database-url'] }
  }
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const scratch = await createScratchDatabase(adminUrl, 'stats')
  console.log(`Seeding ${attempts.toLocaleString('en-US')} attempts into scratch database ${scratch.name}…`)
  const seeding = await timed(() =>
    seedHistory(
      scratch.db,
      { attempts, organizations: Number(values.organizations), days: Number(values.days) },
      new Date(),
    ),
  )
  console.log(`  seeded (rows, indexes, triggers and the first rollup refresh) in ${round(seeding.ms / 1000, 1)} s`)
  return { ...scratch, label: `scratch database ${scratch.name} (dropped afterwards)` }
}

const loadBefore = os.loadavg()
const database = await openDatabase()
const { db } = database
try {
  await sql`vacuum analyze`.execute(db)

  // A full rebuild, as after a bulk import or a change to the definitions.
  await sql`insert into provisioning_stats_dirty_hour (hour_start)
    select distinct date_trunc('hour', requested_at, 'UTC') from provisioning_attempt`.execute(db)
  const rebuild = await timed(() => refreshProvisioningStatsRollups(db))
  await sql`vacuum analyze provisioning_stats_rollup, provisioning_stats_area_code_rollup,
    provisioning_stats_time_to_live_rollup, provisioning_stats_dirty_hour`.execute(db)

  const now = new Date()
  const largestOrganization = await scalar(
    db,
    `select organization_id from provisioning_attempt group by 1 order by count(*) desc limit 1`,
  )
  const scenarios: { name: string; range: StatsRange; dirtyHourEachRun?: boolean }[] = [
    { name: '24 h by hour', range: { from: new Date(now.getTime() - dayMs), to: now, bucket: 'hour' } },
    { name: '7 d by day', range: { from: new Date(now.getTime() - 7 * dayMs), to: now, bucket: 'day' } },
    { name: '30 d by day', range: { from: new Date(now.getTime() - 30 * dayMs), to: now, bucket: 'day' } },
    { name: '7 d by hour', range: { from: new Date(now.getTime() - 7 * dayMs), to: now, bucket: 'hour' } },
    {
      name: '30 d by day, largest organisation',
      range: {
        from: new Date(now.getTime() - 30 * dayMs),
        to: now,
        bucket: 'day',
        organizationId: largestOrganization,
      },
    },
    {
      name: '24 h by hour, after a number changed',
      range: { from: new Date(now.getTime() - dayMs), to: now, bucket: 'hour' },
      dirtyHourEachRun: true,
    },
    {
      name: '30 d by day, after a number changed',
      range: { from: new Date(now.getTime() - 30 * dayMs), to: now, bucket: 'day' },
      dirtyHourEachRun: true,
    },
  ]

  const rows: string[] = []
  for (const scenario of scenarios) {
    const samples: number[] = []
    let attemptsInRange = 0
    for (let run = -3; run < runs; run += 1) {
      if (scenario.dirtyHourEachRun) {
        // What a number going live does: its hour is marked, and the next request recomputes hour and day.
        await sql`insert into provisioning_stats_dirty_hour (hour_start)
          values (date_trunc('hour', ${now.toISOString()}::timestamptz - interval '10 minutes', 'UTC'))`.execute(db)
      }
      const { ms, result } = await timed(() => getProvisioningStats(db, scenario.range, now))
      attemptsInRange = result.totals.attempts
      if (run >= 0) samples.push(ms) // the first three warm the caches
    }
    const summary = summarizeLatencies(samples)
    const p95 = percentile(
      [...samples].sort((left, right) => left - right),
      95,
    )
    rows.push(
      `| ${scenario.name} | ${attemptsInRange.toLocaleString('en-US')} | ${round(summary.p50Ms, 1)} | ${round(p95, 1)} | ${round(summary.maxMs, 1)} |`,
    )
  }

  // As getProvisioningStats runs it: in a transaction without parallel workers.
  const explain = async (range: StatsRange) => {
    const compiled = provisioningStatsStatement(range, now).compile(db)
    const plan = await db.transaction().execute(async (trx) => {
      await sql`set local max_parallel_workers_per_gather = 0`.execute(trx)
      return trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain (analyze, buffers) ${compiled.sql}`, [...compiled.parameters]),
      )
    })
    return plan.rows.map((row) => row['QUERY PLAN']).join('\n')
  }
  const thirtyDays = { from: new Date(now.getTime() - 30 * dayMs), to: now, bucket: 'day' } as const
  const plan = await explain(thirtyDays)
  const organizationPlan = await explain({ ...thirtyDays, organizationId: largestOrganization })

  const rollupRows = await scalar(
    db,
    `select format('%s counts, %s area codes, %s time-to-live rows',
      (select count(*) from provisioning_stats_rollup), (select count(*) from provisioning_stats_area_code_rollup),
      (select count(*) from provisioning_stats_time_to_live_rollup))`,
  )
  console.log(`
Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${round(os.totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}
Postgres: ${await scalar(db, 'select version()')}; shared_buffers ${await scalar(db, 'show shared_buffers')}, work_mem ${await scalar(db, 'show work_mem')}
Database: ${database.label}
History: ${Number(await scalar(db, 'select count(*) from provisioning_attempt')).toLocaleString('en-US')} attempts, ${Number(await scalar(db, 'select count(*) from phone_number')).toLocaleString('en-US')} phone numbers, ${await scalar(db, 'select count(distinct organization_id) from provisioning_attempt')} organisations
Rollups: ${rollupRows}; full rebuild from the attempts took ${round(rebuild.ms / 1000, 1)} s (${rebuild.result} hours)
Load average (1/5/15 min) at start ${loadBefore.map((value) => value.toFixed(1)).join(' / ')}, at end ${os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ')} (the machine is shared)
Method: getProvisioningStats() as the API calls it (rollup refresh check + the one statement + zod parse), ${runs} timed runs after 3 warm-ups, wall time in Node.

| range | attempts in range | median ms | p95 ms | max ms |
| --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}

EXPLAIN (ANALYZE, BUFFERS), 30 d by day:
${plan}

EXPLAIN (ANALYZE, BUFFERS), 30 d by day, largest organisation:
${organizationPlan}
`)
} finally {
  await database.close()
}
