import { execFile } from 'node:child_process'
import os from 'node:os'
import { promisify } from 'node:util'
import pg from 'pg'
import { round } from './latency-stats.ts'

const run = promisify(execFile)

export interface MachineInfo {
  cpus: number
  cpuModel: string
  memoryGiB: number
  /** `free -h`, as printed. */
  free: string
  node: string
  postgres: string
  postgresSettings: Record<string, string>
  loadAverage: number[]
}

export function loadAverage(): number[] {
  return os.loadavg().map((value) => round(value, 2))
}

/** What the figures were measured on: the machine, Node, and the Postgres server with the settings that matter. */
export async function describeMachine(databaseUrl: string): Promise<MachineInfo> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const version = await client.query<{ version: string }>('select version()')
    const settings = await client.query<{ name: string; setting: string; unit: string | null }>(
      `select name, setting, unit from pg_settings
       where name in ('max_connections', 'shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'work_mem')`,
    )
    const free = await run('free', ['-h']).then(
      (result) => result.stdout.trim(),
      () => 'free(1) not available',
    )
    return {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      free,
      node: process.version,
      postgres: version.rows[0]?.version ?? 'unknown',
      postgresSettings: Object.fromEntries(
        settings.rows.map((row) => [row.name, row.unit ? `${row.setting} (${row.unit})` : row.setting]),
      ),
      loadAverage: loadAverage(),
    }
  } finally {
    await client.end()
  }
}
