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
  /**
   * Every Vapi call per number: GET /phone-number/{id} from the sandbox's request log plus the change feed's list
   * calls (GET /phone-number) shared out over all numbers (the create is not counted).
   */
  meanCallsPerNumber: number
  /** Most GET /phone-number/{id} of one number (list calls are not anyone's in particular). */
  maxCallsPerNumber: number
  /** The change feed's list calls in the whole run (0 without the feed). */
  listCalls?: number
  /** Numbers pending at once per Vapi account: all of them (one account), or one at a time per account. */
  mode?: 'together' | 'one-at-a-time'
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

export interface PollingScenario {
  name: string
  description: string
  schedule: PollSchedule
  /** Whether the change feed runs (issue 19); without it every check is a GET per number. */
  changeFeed: boolean
  /** `one-at-a-time`: several Vapi accounts, each buying its next number only when the last one is live. */
  mode: 'together' | 'one-at-a-time'
}

const perNumber = 'a check at 2 s, then every 2.5 s from 7.5 s to 32.5 s, then ×1.5 to a 30 s cap, ±20 % jitter'

export const pollingSchedules: PollingScenario[] = [
  {
    name: 'change-feed',
    description: `dialtone now: one list call per account (as often as the per-number schedule would ask all its pending numbers, at most 1/s), per-number backstop from 40 s`,
    schedule: { ...pollSchedule },
    changeFeed: true,
    mode: 'together',
  },
  {
    name: 'per-number',
    description: `dialtone before issue 19: ${perNumber}`,
    schedule: { ...pollSchedule },
    changeFeed: false,
    mode: 'together',
  },
  {
    name: 'fixed-10s',
    description: 'a check every 10 s',
    schedule: fixedEvery(10_000),
    changeFeed: false,
    mode: 'together',
  },
  {
    name: 'fixed-2s',
    description: 'a check every 2 s',
    schedule: fixedEvery(2_000),
    changeFeed: false,
    mode: 'together',
  },
  {
    name: 'change-feed, one at a time',
    description:
      'the change feed with one number pending per account (8 accounts, each buys its next when the last is live)',
    schedule: { ...pollSchedule },
    changeFeed: true,
    mode: 'one-at-a-time',
  },
  {
    name: 'per-number, one at a time',
    description: `before issue 19, one number pending per account: ${perNumber}`,
    schedule: { ...pollSchedule },
    changeFeed: false,
    mode: 'one-at-a-time',
  },
]

/** Every schedule at once, each in its own process with its own database and sandbox (they only wait on timers). */
export async function benchPollingSchedules(input: {
  adminUrl: string
  numbers: number
  /** Numbers in each one-at-a-time run (spread over its accounts). */
  oneAtATimeNumbers: number
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
            `--numbers=${schedule.mode === 'one-at-a-time' ? input.oneAtATimeNumbers : input.numbers}`,
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
