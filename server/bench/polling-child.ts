import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { systemClock } from '../src/lib/clock.ts'
import { createLogger } from '../src/lib/logger.ts'
import { pollSchedule } from '../src/provisioning/poll-schedule.ts'
import type { ProvisioningDeps } from '../src/provisioning/provisioning-deps.ts'
import { startProvisioningWorker } from '../src/provisioning/provisioning-worker.ts'
import { silentPublisher } from '../src/realtime/publisher.ts'
import { createVapiClient } from '../src/vapi/vapi-client.ts'
import { startVapiSandbox } from '../src/vapi-sandbox/start-vapi-sandbox.ts'
import { createScratchDatabase, insertOrganization } from './bench-database.ts'
import { round, sleep, summarizeLatencies } from './latency-stats.ts'
import { pollingSchedules, type PollingScheduleResult } from './polling-schedules.ts'

// One polling schedule in a process of its own (the schedule is per process), printed as one JSON line.
// Run by polling-schedules.ts; by hand: tsx bench/polling-child.ts --schedule dialtone

const { values } = parseArgs({
  options: {
    schedule: { type: 'string' },
    numbers: { type: 'string', default: '48' },
    'spread-ms': { type: 'string', default: '60000' },
    'min-delay-ms': { type: 'string', default: '5000' },
    'max-delay-ms': { type: 'string', default: '30000' },
    'max-rps': { type: 'string', default: '10' },
    'admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
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
  requests: z.array(z.looseObject({ method: z.string(), route: z.string(), path: z.string() })),
})

// The poller reads the schedule at each decision, so this process polls exactly as a server configured so would.
Object.assign(pollSchedule, schedule.schedule)

const database = await createScratchDatabase(values['admin-url'], 'poll')
const sandbox = await startVapiSandbox({
  port: 0,
  minDelayMs: Number(values['min-delay-ms']),
  maxDelayMs,
  webhookSecret: randomBytes(32).toString('hex'),
})
const vapi = createVapiClient({
  baseUrl: sandbox.url,
  apiKey: 'bench-key',
  timeoutMs: 10_000,
  maxRequestsPerSecond: Number(values['max-rps']),
})
const deps: ProvisioningDeps = {
  db: database.db,
  vapi,
  publisher: silentPublisher,
  clock: systemClock,
  logger: createLogger('warn'),
  deadlineMs: 900_000,
  webhookUrl: 'http://127.0.0.1:1/webhooks/vapi',
}
const worker = startProvisioningWorker(deps)
try {
  const organizationId = await insertOrganization(database, `Polling ${schedule.name}`)
  const startedAt = Date.now()
  for (let index = 0; index < numbers; index += 1) {
    const due = startedAt + (index * spreadMs) / numbers
    if (due > Date.now()) await sleep(due - Date.now())
    // No server.url: the sandbox sends no webhook, so only the poller can find the number (webhooks dropped).
    const bought = await vapi.createPhoneNumber({ numberDesiredAreaCode: '415' })
    const createdAt = new Date()
    await database.db
      .insertInto('phone_number')
      .values({
        organization_id: organizationId,
        vapi_phone_number_id: bought.id,
        area_code: '415',
        status: 'pending',
        created_at: createdAt,
        updated_at: createdAt,
        next_check_at: new Date(createdAt.getTime() + schedule.schedule.firstCheckDelayMs),
      })
      .execute()
    worker.wake()
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
      callsPerNumber.reduce((sum, calls) => sum + calls, 0) / Math.max(1, callsPerNumber.length),
    ),
    maxCallsPerNumber: Math.max(0, ...callsPerNumber),
  }
  console.log(`RESULT ${JSON.stringify(result)}`)
} finally {
  await worker.stop()
  await sandbox.close()
  await database.close()
}
