import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chaosResultsDir } from './test-env.ts'

/** Prints what a scenario tried and survived, and keeps it as JSON for docs/reliability.md. */
export async function writeSummary(scenario: string, summary: Record<string, unknown>) {
  const record = {
    scenario,
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((load) => Math.round(load * 10) / 10) },
    ...summary,
  }
  await mkdir(chaosResultsDir, { recursive: true })
  const file = path.join(chaosResultsDir, `${scenario}.json`)
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`)
  console.info(`[chaos] ${scenario}: ${JSON.stringify(summary)}\n[chaos] written to ${file}`)
}

/** Milliseconds at the given percentiles of a sample, rounded. */
export function percentiles(samples: number[], points: number[] = [50, 99]) {
  const sorted = [...samples].sort((a, b) => a - b)
  const result: Record<string, number | null> = {}
  for (const point of points) {
    const index = Math.min(sorted.length - 1, Math.ceil((point / 100) * sorted.length) - 1)
    const value = sorted[Math.max(0, index)]
    result[`p${point}Ms`] = value === undefined ? null : Math.round(value)
  }
  return result
}

export function tally(counts: Map<string, number>, key: string, by = 1) {
  counts.set(key, (counts.get(key) ?? 0) + by)
}
