import { readFile } from 'node:fs/promises'
import pg from 'pg'
import { round } from './latency-stats.ts'

const ticksPerSecond = 100 // USER_HZ on Linux

/** User + system CPU seconds of a process (all its threads), from /proc; null once it is gone. */
export async function processCpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces) start at ") ": utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
  } catch {
    return null
  }
}

/**
 * CPU spent by the Postgres backends serving one database while some work runs: the backends are found in
 * pg_stat_activity every 200 ms and each one's CPU is read from /proc, so connections opened and closed during the
 * work are counted from when they were first seen. Postgres's own background writers are not included.
 */
export function startBackendCpuSampler(adminUrl: string, databaseName: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  const firstSeen = new Map<number, number>()
  const lastSeen = new Map<number, number>()
  let isRunning = true
  const sample = async () => {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [databaseName],
    )
    for (const { pid } of rows) {
      const seconds = await processCpuSeconds(pid)
      if (seconds === null) continue
      if (!firstSeen.has(pid)) firstSeen.set(pid, seconds)
      lastSeen.set(pid, seconds)
    }
  }
  const started = client.connect().then(sample)
  const loop = (async () => {
    await started
    while (isRunning) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      if (isRunning) await sample()
    }
  })()
  return {
    ready: started,
    /** Takes a last sample and returns the CPU seconds the backends used since the sampler started. */
    stop: async () => {
      isRunning = false
      await loop
      await sample()
      await client.end()
      let total = 0
      for (const [pid, last] of lastSeen) total += last - (firstSeen.get(pid) ?? last)
      return round(total, 2)
    },
  }
}
