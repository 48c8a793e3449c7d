import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { systemClock } from '../src/lib/clock.ts'
import { createLogger } from '../src/lib/logger.ts'
import type { VapiAccounts } from '../src/connections/vapi-accounts.ts'
import { changeFeed, pollSchedule } from '../src/provisioning/poll-schedule.ts'
import type { ProvisioningDeps } from '../src/provisioning/provisioning-deps.ts'
import { startProvisioningWorker } from '../src/provisioning/provisioning-worker.ts'
import { silentPublisher } from '../src/realtime/publisher.ts'
import { createVapiClient, type VapiClient } from '../src/vapi/vapi-client.ts'
import { startVapiSandbox } from '../src/vapi-sandbox/start-vapi-sandbox.ts'
import { insertPendingNumber } from '../test/support/insert-pending-number.ts'
import { createScratchDatabase, insertOrganization } from './bench-database.ts'
import { round, sleep, summarizeLatencies } from './latency-stats.ts'
import { pollingSchedules, type PollingScheduleResult } from './polling-schedules.ts'

// One polling schedule in a process of its own (the schedule is per process), printed as one JSON line.
// Run by polling-schedules.ts; by hand: tsx bench/polling-child.ts --schedule change-feed

const { values } = parseArgs({
  options: {
    schedule: { type: 'string' },
    numbers: { type: 'string', default: '48' },
    'spread-ms': { type: 'string', default: '60000' },
    'min-delay-ms': { type: 'string', default: '5000' },
    'max-delay-ms': { type: 'string', default: '30000' },
    'max-rps': { type: 'string', default: '10' },
    'admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    // One-at-a-time runs: this many Vapi accounts, each with one number pending at a time.
    accounts: { type: 'string', default: '8' },
  },
})
const schedule = pollingSchedules.find((candidate) => candidate.name === values.schedule)
if (!schedule)
  throw new Error(`unknown schedule ${values.schedule}; one of ${pollingSchedules.map((s) => s.name).join(', ')}`)
const numbers = Number(values.numbers)
const spreadMs = Number(values['spread-ms'])
const maxDelayMs = Number(values['max-delay-ms'])

const sandboxNumbersSchema = z.array(z.looseObject({ id: z.string(), status: z.string(), updatedAt: z.string() }))
const sandboxRequestsSchema = z.looseObject({
  counts: z.record(z.string(), z.number()),
  requests: z.array(z.looseObject({ method: z.string(), route: z.string(), path: z.string() })),
})

// The poller reads the schedule at each decision, so this process polls exactly as a server configured so would.
Object.assign(pollSchedule, schedule.schedule)
changeFeed.enabled = schedule.changeFeed
const isOneAtATime = schedule.mode === 'one-at-a-time'
const accountCount = isOneAtATime ? Math.max(1, Number(values.accounts)) : 1

const database = await createScratchDatabase(values['admin-url'], 'poll')
/** A seeded generator (mulberry32): every run's sandbox draws the same assignment delays in the same order. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const sandbox = await startVapiSandbox({
  port: 0,
  random: seededRandom(19),
  minDelayMs: Number(values['min-delay-ms']),
  maxDelayMs,
  webhookSecret: randomBytes(32).toString('hex'),
})
const clientFor = (apiKey: string) =>
  createVapiClient({
    baseUrl: sandbox.url,
    apiKey,
    timeoutMs: 10_000,
    maxRequestsPerSecond: Number(values['max-rps']),
  })
const vapi = clientFor('bench-key')
// One-at-a-time runs buy with several sandbox keys; each number names its account as 0010 does ('key:…').
const accountClients = new Map<string, VapiClient>(
  Array.from({ length: accountCount }, (_, index) => [`key:bench-${index}`, clientFor(`bench-key-${index}`)]),
)
const notUsed = () => {
  throw new Error('not used by the polling bench')
}
const vapiAccounts: VapiAccounts = {
  policy: 'platform',
  isSandbox: true,
  current: notUsed,
  owning: (_organizationId, ref) => Promise.resolve((ref && accountClients.get(ref)) || vapi),
  clientForKey: notUsed,
  describe: notUsed,
}
const deps: ProvisioningDeps = {
  db: database.db,
  vapi,
  vapiAccounts,
  publisher: silentPublisher,
  clock: systemClock,
  logger: createLogger('warn'),
  deadlineMs: 900_000,
  webhookUrl: 'http://127.0.0.1:1/webhooks/vapi',
}
const worker = startProvisioningWorker(deps)
try {
  const organizationId = await insertOrganization(database, `Polling ${schedule.name}`)
  const buy = async (accountRef: string | null) => {
    const client = (accountRef && accountClients.get(accountRef)) || vapi
    // No server.url: the sandbox sends no webhook, so only the poller can find the number (webhooks dropped).
    const bought = await client.createPhoneNumber({ numberDesiredAreaCode: '415' })
    const id = await insertPendingNumber(database.db, {
      organizationId,
      vapiPhoneNumberId: bought.id,
      vapiAccount: accountRef,
      createdAt: new Date(),
    })
    worker.wake()
    return id
  }
  if (isOneAtATime) {
    // Each account buys its next number only once the last one is no longer pending: one pending number alone.
    const perAccount = Math.ceil(numbers / accountCount)
    await Promise.all(
      [...accountClients.keys()].map(async (accountRef, index) => {
        await sleep((index * 2_500) / accountCount)
        for (let bought = 0; bought < perAccount; bought += 1) {
          const id = await buy(accountRef)
          const giveUpAt = Date.now() + maxDelayMs + 90_000
          for (;;) {
            const row = await database.db
              .selectFrom('phone_number')
              .select('status')
              .where('id', '=', id)
              .executeTakeFirstOrThrow()
            if (row.status !== 'pending' || Date.now() > giveUpAt) break
            await sleep(100)
          }
        }
      }),
    )
  } else {
    const startedAt = Date.now()
    for (let index = 0; index < numbers; index += 1) {
      const due = startedAt + (index * spreadMs) / numbers
      if (due > Date.now()) await sleep(due - Date.now())
      await buy(null)
    }
  }
  const deadline = Date.now() + maxDelayMs + 90_000
  for (;;) {
    const pending = await database.db
      .selectFrom('phone_number')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow()
    if (Number(pending.count) === 0 || Date.now() > deadline) break
    await sleep(200)
  }
  const rows = await database.db
    .selectFrom('phone_number')
    .select(['vapi_phone_number_id', 'status', 'activated_at'])
    .execute()
  const held = sandboxNumbersSchema.parse(await (await fetch(`${sandbox.url}/_sandbox/phone-numbers`)).json())
  const assignedAt = new Map(held.map((each) => [each.id, Date.parse(each.updatedAt)]))
  const log = sandboxRequestsSchema.parse(await (await fetch(`${sandbox.url}/_sandbox/requests`)).json())
  const checks = new Map<string, number>()
  for (const entry of log.requests) {
    if (entry.method !== 'GET' || entry.route !== '/phone-number/:id') continue
    const id = entry.path.slice('/phone-number/'.length)
    checks.set(id, (checks.get(id) ?? 0) + 1)
  }
  const delaysMs: number[] = []
  const callsPerNumber: number[] = []
  for (const row of rows) {
    const assigned = assignedAt.get(row.vapi_phone_number_id ?? '')
    if (row.status === 'active' && row.activated_at && assigned !== undefined) {
      delaysMs.push(row.activated_at.getTime() - assigned)
    }
    callsPerNumber.push(checks.get(row.vapi_phone_number_id ?? '') ?? 0)
  }
  const listCalls = log.counts['GET /phone-number'] ?? 0
  const delay = summarizeLatencies(delaysMs)
  const result: PollingScheduleResult = {
    schedule: schedule.name,
    description: schedule.description,
    numbers: rows.length,
    live: delaysMs.length,
    meanDelaySeconds: round(delay.meanMs / 1000),
    p50DelaySeconds: round(delay.p50Ms / 1000),
    p90DelaySeconds: round(delay.p90Ms / 1000),
    maxDelaySeconds: round(delay.maxMs / 1000),
    meanCallsPerNumber: round(
      (callsPerNumber.reduce((sum, calls) => sum + calls, 0) + listCalls) / Math.max(1, callsPerNumber.length),
    ),
    maxCallsPerNumber: Math.max(0, ...callsPerNumber),
    listCalls,
    mode: schedule.mode,
  }
  console.log(`RESULT ${JSON.stringify(result)}`)
} finally {
  await worker.stop()
  await sandbox.close()
  await database.close()
}
