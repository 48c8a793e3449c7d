import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'

export interface AdminStatsRow {
  range: string
  attemptsInRange: number
  medianMs: number
  p95Ms: number
  maxMs: number
}

export type AdminStatsResult =
  | { status: 'measured'; attempts: number; seconds: number; rows: AdminStatsRow[]; output: string }
  | { status: 'skipped'; reason: string }

const statsBench = path.join(import.meta.dirname, 'provisioning-stats.bench.ts')

/**
 * The admin statistics query over a large history is measured by its own benchmark (provisioning-stats.bench.ts,
 * kept by the admin feature); this runs it as it is and reads its table back.
 */
export async function benchAdminStats(input: { adminUrl: string; attempts: number }): Promise<AdminStatsResult> {
  if (!existsSync(statsBench)) return { status: 'skipped', reason: 'bench/provisioning-stats.bench.ts is missing' }
  const startedAt = performance.now()
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', statsBench, `--attempts=${input.attempts}`], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, BENCH_DATABASE_URL: input.adminUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
    child.once('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`stats bench failed (${code}):\n${text}`)),
    )
  })
  const rows: AdminStatsRow[] = []
  for (const line of output.split('\n')) {
    const cells = line
      .split('|')
      .map((cell) => cell.trim())
      .filter((cell) => cell.length > 0)
    const [range, attempts, median, p95, max] = cells
    if (cells.length !== 5 || !range || !median || Number.isNaN(Number(median))) continue
    rows.push({
      range,
      attemptsInRange: Number((attempts ?? '').replaceAll(',', '')),
      medianMs: Number(median),
      p95Ms: Number(p95),
      maxMs: Number(max),
    })
  }
  return {
    status: 'measured',
    attempts: input.attempts,
    seconds: Math.round((performance.now() - startedAt) / 1000),
    rows,
    output,
  }
}
