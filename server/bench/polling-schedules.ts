import { spawn } from 'node:child_process'
import path from 'node:path'
import { pollSchedule, type PollSchedule } from '../src/provisioning/poll-schedule.ts'

export interface PollingScheduleResult {
  schedule: string
  description: string
  numbers: number
  live: number
  meanDelaySeconds: number
  p50DelaySeconds: number
  p90DelaySeconds: number
  maxDelaySeconds: number
  /** GET /phone-number/{id} per number, from the sandbox's request log (the create is not counted). */
  meanCallsPerNumber: number
  maxCallsPerNumber: number
}

const fixedEvery = (ms: number): PollSchedule => ({
  firstCheckDelayMs: ms,
  growthFactor: 1,
  capMs: ms,
  jitter: 0,
  windowStartMs: 0,
  windowStepMs: 0,
  windowChecks: 0,
})

/** Before the even window: the first check at 2 s, then ×1.5 per check to the 30 s cap. */
const plainBackoff: PollSchedule = { ...pollSchedule, windowChecks: 0 }

export const pollingSchedules: { name: string; description: string; schedule: PollSchedule }[] = [
  {
    name: 'dialtone',
    description:
      'dialtone: a check at 2 s, then every 2.5 s from 7.5 s to 32.5 s, then ×1.5 to a 30 s cap, ±20 % jitter',
    schedule: { ...pollSchedule },
  },
  {
    name: 'plain-backoff',
    description: 'the first schedule: 2 s, then ×1.5 per check to a 30 s cap, ±20 % jitter',
    schedule: plainBackoff,
  },
  { name: 'fixed-10s', description: 'a check every 10 s', schedule: fixedEvery(10_000) },
  { name: 'fixed-2s', description: 'a check every 2 s', schedule: fixedEvery(2_000) },
]

/** Every schedule at once, each in its own process with its own database and sandbox (they only wait on timers). */
export async function benchPollingSchedules(input: {
  adminUrl: string
  numbers: number
  spreadMs: number
  maxRps: number
}): Promise<PollingScheduleResult[]> {
  const child = path.join(import.meta.dirname, 'polling-child.ts')
  const runs = pollingSchedules.map(
    (schedule) =>
      new Promise<PollingScheduleResult>((resolve, reject) => {
        const process = spawn(
          globalThis.process.execPath,
          [
            '--import',
            'tsx',
            child,
            `--schedule=${schedule.name}`,
            `--numbers=${input.numbers}`,
            `--spread-ms=${input.spreadMs}`,
            `--max-rps=${input.maxRps}`,
            `--admin-url=${input.adminUrl}`,
          ],
          { cwd: path.resolve(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
        )
        let output = ''
        process.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
        process.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
        process.once('exit', (code) => {
          const line = output.split('\n').find((candidate) => candidate.startsWith('RESULT '))
          if (code !== 0 || !line) return reject(new Error(`polling run ${schedule.name} failed (${code}):\n${output}`))
          resolve(JSON.parse(line.slice('RESULT '.length)) as PollingScheduleResult)
        })
      }),
  )
  return Promise.all(runs)
}
