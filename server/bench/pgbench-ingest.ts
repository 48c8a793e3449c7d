import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { processCpuSeconds, startBackendCpuSampler } from './cpu-usage.ts'
import { insertOrganization, insertPendingNumbers, type ScratchDatabase } from './bench-database.ts'
import { round, summarizeLatencies, type LatencySummary } from './latency-stats.ts'

const run = promisify(execFile)

export interface PgbenchIngestResult {
  transactions: number
  clients: number
  transactionsPerSecond: number
  latency: LatencySummary
  transitioned: number
  pgbenchVersion: string
  /** CPU time per transaction in pgbench itself and in the Postgres backends serving it. */
  pgbenchCpuMsPerTransaction: number
  postgresCpuMsPerTransaction: number
}

/** Runs a command to its end, reading its CPU time from /proc while it lives (the last reading before it exits). */
export async function runMeasured(command: string, args: string[], cwd: string) {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  let cpuSeconds = 0
  const timer = setInterval(() => {
    if (child.pid !== undefined)
      void processCpuSeconds(child.pid).then((seconds) => (cpuSeconds = seconds ?? cpuSeconds))
  }, 100)
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  clearInterval(timer)
  if (code !== 0) throw new Error(`${command} exited with ${code}:\n${stdout}\n${stderr}`)
  return { stdout, cpuSeconds }
}

/** pgbench from PATH or from Debian's versioned folder; null when postgresql-contrib / the client is missing. */
export async function findPgbench(): Promise<string | null> {
  try {
    await run('pgbench', ['--version'])
    return 'pgbench'
  } catch {
    const root = '/usr/lib/postgresql'
    if (!existsSync(root)) return null
    for (const version of (await readdir(root)).sort().reverse()) {
      const candidate = path.join(root, version, 'bin', 'pgbench')
      if (existsSync(candidate)) return candidate
    }
    return null
  }
}

/** pgbench's tps line and the per-transaction latencies of its --log files in `folder` (log prefix "log"). */
export async function readPgbenchFigures(stdout: string, folder: string) {
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]
  if (!tps) throw new Error(`could not read pgbench's tps:\n${stdout}`)
  // Per-transaction log lines: client, transaction number, latency in µs, script, epoch seconds, µs.
  const latenciesMs: number[] = []
  for (const file of (await readdir(folder)).filter((name) => name.startsWith('log'))) {
    for (const line of (await readFile(path.join(folder, file), 'utf8')).split('\n')) {
      const latencyUs = Number(line.split(' ')[2])
      if (Number.isFinite(latencyUs) && line.length > 0) latenciesMs.push(latencyUs / 1000)
    }
  }
  return { tps, latenciesMs }
}

/**
 * The statements ingest-vapi-webhook.ts sends for a webhook that activates a number, in the same order: look the
 * number up by its Vapi id, then in one transaction record the delivery with its expected outcome (deduplicated
 * on its id), make the guarded compare-and-set UPDATE and write the history row. The only extra statement is
 * pgbench's own: nextval() picks a pending number no other client has taken.
 */
const transactionScript = `
SELECT nextval('bench_pgbench_seq') AS n \\gset
SELECT * FROM phone_number WHERE vapi_phone_number_id = 'pgbench-' || :n::text \\gset p_
BEGIN;
INSERT INTO webhook_delivery (delivery_id, message_type, vapi_phone_number_id, phone_number_id, outcome, payload, received_at)
  VALUES ('id:' || 'pgbench-' || :n::text, 'phone-number-status-update', 'pgbench-' || :n::text, :p_id::uuid, 'transitioned',
    ('{"message":{"type":"phone-number-status-update","timestamp": 1700000000000,"phoneNumber":{"id":"pgbench-' || :n::text || '","provider":"vapi","status":"active","number":"+1415' || lpad(:n::text, 7, '0') || '"}}}')::jsonb,
    now())
  ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id;
UPDATE phone_number SET status = 'active', version = version + 1, updated_at = now(), next_check_at = NULL,
    number = '+1415' || lpad(:n::text, 7, '0'), activated_at = now(), detected_by = 'webhook'
  WHERE id = :p_id::uuid AND status IN ('pending') RETURNING *;
INSERT INTO phone_number_status_change (phone_number_id, from_status, to_status, source, reason, at)
  VALUES (:p_id::uuid, 'pending', 'active', 'webhook', NULL, now());
COMMIT;
`

/** pgbench driving the webhook's transaction on the same database, with the same number of connections. */
export async function benchPgbenchIngest(input: {
  adminUrl: string
  pgbench: string
  database: ScratchDatabase
  transactions: number
  clients: number
}): Promise<PgbenchIngestResult> {
  const perClient = Math.ceil(input.transactions / input.clients)
  const total = perClient * input.clients
  const organizationId = await insertOrganization(input.database, 'pgbench')
  await insertPendingNumbers(input.database, { organizationId, prefix: 'pgbench-', count: total })
  await input.database.pool?.query('create sequence if not exists bench_pgbench_seq')
  await input.database.pool?.query('vacuum analyze phone_number')

  const folder = await mkdtemp(path.join(tmpdir(), 'dialtone-pgbench-'))
  try {
    const scriptFile = path.join(folder, 'webhook-transaction.sql')
    await writeFile(scriptFile, transactionScript)
    const { stdout: versionText } = await run(input.pgbench, ['--version'])
    const backends = startBackendCpuSampler(input.adminUrl, input.database.name)
    await backends.ready
    const { stdout, cpuSeconds } = await runMeasured(
      input.pgbench,
      [
        '--no-vacuum',
        '--protocol=extended',
        `--client=${input.clients}`,
        '--jobs=2',
        `--transactions=${perClient}`,
        `--file=${scriptFile}`,
        '--log',
        `--log-prefix=${path.join(folder, 'log')}`,
        input.database.url,
      ],
      folder,
    )
    const postgresCpuSeconds = await backends.stop()
    const { tps, latenciesMs } = await readPgbenchFigures(stdout, folder)
    const activated = await input.database.pool?.query<{ count: number }>(
      `select count(*)::int as count from phone_number where vapi_phone_number_id like 'pgbench-%' and status = 'active'`,
    )
    return {
      transactions: total,
      clients: input.clients,
      transactionsPerSecond: round(Number(tps), 0),
      latency: summarizeLatencies(latenciesMs),
      transitioned: activated?.rows[0]?.count ?? 0,
      pgbenchVersion: versionText.trim(),
      pgbenchCpuMsPerTransaction: round((cpuSeconds * 1000) / total, 3),
      postgresCpuMsPerTransaction: round((postgresCpuSeconds * 1000) / total, 3),
    }
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
