import { afterAll, beforeAll, expect, test } from 'vitest'
import { startVapiSandbox, type RunningVapiSandbox } from '../src/vapi-sandbox/start-vapi-sandbox.ts'
import { call, createNumber, signUpOwner, type Answer, type Owner } from './support/chaos-client.ts'
import { eventually, halfWrittenRows, inventoryDisagreement } from './support/data-checks.ts'
import { sleep } from './support/pacing.ts'
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts'
import { findFreePort } from '../test/support/cluster-client.ts'
import { chaosWebhookSecret, startServer, type ChaosServer } from './support/server-process.ts'
import { tally, writeSummary } from './support/summary.ts'
import { chaosSeconds } from './support/test-env.ts'

/**
 * Vapi has a bad spell: first every call answers 500, then every call 429 (Retry-After: 1), then every call takes
 * longer than dialtone waits. Its webhooks are lost throughout, so only the poller can tell. dialtone must not
 * crash, must answer creates with clear errors, honour Retry-After, never retry a create, never invent a number,
 * release what Vapi bought behind a timeout, and bring every pending number live once Vapi is well.
 */

const phaseSeconds = Math.min(20, Math.max(8, Math.round(chaosSeconds / 8)))
const maxRequestsPerSecond = 20
const vapiTimeoutMs = 2_000

let database: ScratchDatabase
let sandbox: RunningVapiSandbox
let server: ChaosServer

async function setFaults(faults: Record<string, number>) {
  const response = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  })
  expect(response.status).toBe(200)
}

interface SandboxRequest {
  method: string
  path: string
  route: string
  status: number | null
  accountId: string | null
  at: string
}

async function sandboxRequests(): Promise<SandboxRequest[]> {
  const response = await fetch(`${sandbox.url}/_sandbox/requests`)
  return ((await response.json()) as { requests: SandboxRequest[] }).requests
}

beforeAll(async () => {
  database = await createScratchDatabase()
  sandbox = await startVapiSandbox({
    port: 0,
    minDelayMs: 1_000,
    maxDelayMs: 3_000,
    freeNumberLimit: 1_000_000,
    webhookSecret: chaosWebhookSecret,
  })
  server = startServer({
    port: await findFreePort(),
    databaseUrl: database.url,
    vapiBaseUrl: sandbox.url,
    env: {
      VAPI_MAX_RPS: String(maxRequestsPerSecond),
      VAPI_TIMEOUT_MS: String(vapiTimeoutMs),
      PROVISIONING_RECONCILE_SETTLE_MS: '3000',
      PROVISIONING_HOUSEKEEPING_MS: '1000',
    },
  })
  await server.waitReady()
})

afterAll(async () => {
  await server.kill('SIGKILL')
  await sandbox.close()
  await database.close()
})

interface Phase {
  name: string
  faults: Record<string, number>
  expectedCodes: string[]
}

const phases: Phase[] = [
  { name: 'Vapi answers 500', faults: { errorRate: 1 }, expectedCodes: ['VAPI_UNAVAILABLE'] },
  { name: 'Vapi answers 429', faults: { errorRate: 0, rateLimitRate: 1 }, expectedCodes: ['VAPI_RATE_LIMITED'] },
  {
    name: 'Vapi times out',
    faults: { rateLimitRate: 0, latencyMs: vapiTimeoutMs + 1_500 },
    expectedCodes: ['VAPI_UNAVAILABLE'],
  },
]

test(`Vapi failing for ${phases.length} × ${phaseSeconds} s: clear errors, backoff honoured, no crash, every number live after`, async () => {
  // Only the poller may find out: every webhook of the sandbox is lost.
  await setFaults({ webhookDropRate: 1 })
  const owners: Owner[] = []
  for (let index = 0; index < 4; index++) owners.push(await signUpOwner(server.url, database.db, `Weather ${index}`))
  const bought: string[] = []
  for (const owner of owners) {
    for (let index = 0; index < 5; index++) {
      const answer = await createNumber(server.url, owner, '415')
      expect(answer.status).toBe(201)
      bought.push(answer.body.id)
    }
  }

  const phaseResults: Record<string, unknown>[] = []
  let createsSent = 0
  const createPostsBefore = (await sandboxRequests()).filter(
    (entry) => entry.route === '/phone-number' && entry.method === 'POST',
  ).length
  let rateLimitWindow: { from: number; to: number } | null = null

  for (const phase of phases) {
    await setFaults(phase.faults)
    const startedAt = Date.now()
    const answers: { answer: Answer<{ error?: { code: string; message: string } }>; retryAfter: string | null }[] = []
    while (Date.now() - startedAt < phaseSeconds * 1000) {
      const round = await Promise.all(
        owners.map(async (owner) => {
          createsSent += 1
          const response = await fetch(`${server.url}/api/phone-numbers`, {
            method: 'POST',
            headers: { cookie: owner.cookie, origin: server.url, 'content-type': 'application/json' },
            body: JSON.stringify({ areaCode: '212' }),
            signal: AbortSignal.timeout(30_000),
          })
          const body = (await response.json()) as { error?: { code: string; message: string } }
          return {
            answer: { status: response.status, body, ms: 0, networkError: null },
            retryAfter: response.headers.get('retry-after'),
          }
        }),
      )
      answers.push(...round)
      // Paced so four organisations stay under 30 creates a minute, which would answer 429 of its own.
      await sleep(3_000)
    }
    const endedAt = Date.now()
    if (phase.name === 'Vapi answers 429') rateLimitWindow = { from: startedAt + 200, to: endedAt }
    const codes = new Map<string, number>()
    for (const { answer } of answers) tally(codes, `${answer.status} ${answer.body.error?.code ?? ''}`.trim())
    phaseResults.push({
      phase: phase.name,
      seconds: Math.round((endedAt - startedAt) / 1000),
      creates: answers.length,
      answers: Object.fromEntries(codes),
      alive: !server.hasExited(),
    })
    for (const { answer, retryAfter } of answers) {
      expect(answer.status, phase.name).toBe(503)
      expect(phase.expectedCodes, phase.name).toContain(answer.body.error?.code)
      expect(answer.body.error?.message.length ?? 0).toBeGreaterThan(20)
      if (answer.body.error?.code === 'VAPI_RATE_LIMITED') expect(Number(retryAfter)).toBeGreaterThan(0)
    }
    expect(server.hasExited(), `${phase.name}: the server must not crash`).toBe(false)
  }

  // Vapi well again (its webhooks still lost).
  await setFaults({ errorRate: 0, rateLimitRate: 0, latencyMs: 0 })
  const recoveredAt = Date.now()
  const requests = await sandboxRequests()

  // Retry-After honoured: while Vapi answered 429, no number was asked about again within a second.
  const window = rateLimitWindow ?? { from: 0, to: 0 }
  const duringRateLimit = requests.filter((entry) => {
    const at = Date.parse(entry.at)
    return at >= window.from && at <= window.to
  })
  const lastAskedAt = new Map<string, number>()
  let shortestGapMs = Number.POSITIVE_INFINITY
  // The poller's questions: one number (`GET /phone-number/:id`) or, through the change feed, one account's changed
  // numbers (`GET /phone-number`); the same question is the same path asked with the same account's key.
  const checksDuring429 = duringRateLimit.filter(
    (request) =>
      request.method === 'GET' && (request.route === '/phone-number/:id' || request.route === '/phone-number'),
  )
  for (const entry of checksDuring429) {
    const at = Date.parse(entry.at)
    const question = `${entry.accountId ?? ''} ${entry.path}`
    const previous = lastAskedAt.get(question)
    if (previous !== undefined) shortestGapMs = Math.min(shortestGapMs, at - previous)
    lastAskedAt.set(question, at)
  }
  const rateLimitSeconds = (window.to - window.from) / 1000
  const requestsPerSecondDuring429 = duringRateLimit.length / rateLimitSeconds

  // Creates are never retried: one POST at Vapi per create asked for.
  const createPosts =
    requests.filter((entry) => entry.route === '/phone-number' && entry.method === 'POST').length - createPostsBefore

  // Every number bought before the spell goes live by the poller; what Vapi bought behind a timeout is released.
  const live = await eventually(
    () =>
      database.db
        .selectFrom('phone_number')
        .select(['id', 'status', 'detected_by'])
        .where('id', 'in', bought)
        .execute(),
    (rows) => rows.every((row) => row.status === 'active'),
    { timeoutMs: 90_000, intervalMs: 500 },
  )
  const agreement = await eventually(
    () => inventoryDisagreement(database.db, sandbox.url),
    (state) => state.boughtAndForgotten.length === 0 && state.rowsWithoutNumber.length === 0,
    { timeoutMs: 60_000, intervalMs: 500 },
  )
  const rows = await database.db.selectFrom('phone_number').select('id').execute()
  const halfWritten = await halfWrittenRows(database.db)
  const health = await call(`${server.url}/healthz`)
  const boughtBehindTimeouts = (await database.db.selectFrom('vapi_orphan').select('vapi_phone_number_id').execute())
    .length

  await writeSummary('vapi-outage', {
    phaseSeconds,
    phases: phaseResults,
    createsDuringFaults: createsSent,
    createPostsAtVapi: createPosts,
    checksDuring429: checksDuring429.length,
    shortestGapBetweenChecksOfANumberDuring429Ms: Number.isFinite(shortestGapMs) ? shortestGapMs : null,
    vapiRequestsPerSecondDuring429: Math.round(requestsPerSecondDuring429 * 10) / 10,
    configuredMaxRequestsPerSecond: maxRequestsPerSecond,
    numbersPendingThroughout: bought.length,
    allLiveAfterRecoveryMs: live.isDone ? Date.now() - recoveredAt : null,
    detectedBy: [...new Set(live.value.map((row) => row.detected_by))],
    boughtBehindTimeoutsAndReleased: boughtBehindTimeouts,
    rowsAtEnd: rows.length,
    boughtAndForgotten: agreement.value.boughtAndForgotten.length,
    rowsWithoutNumber: agreement.value.rowsWithoutNumber.length,
    numbersNotFromVapi: agreement.value.numbersNotFromVapi.length,
    crashed: server.hasExited(),
  })

  expect(createPosts).toBe(createsSent)
  expect(checksDuring429.length).toBeGreaterThan(0)
  expect(shortestGapMs).toBeGreaterThanOrEqual(950)
  expect(requestsPerSecondDuring429).toBeLessThanOrEqual(maxRequestsPerSecond)
  expect(live.isDone).toBe(true)
  expect(live.value.every((row) => row.detected_by === 'poll')).toBe(true)
  expect(agreement.value.boughtAndForgotten).toEqual([])
  expect(agreement.value.rowsWithoutNumber).toEqual([])
  expect(agreement.value.numbersNotFromVapi).toEqual([])
  // No failed create left a row: the only rows are the numbers bought before the spell.
  expect(rows.length).toBe(bought.length)
  expect(halfWritten).toEqual({
    versionWithoutHistory: [],
    deliveriesMidway: [],
    purchasedWithoutRow: [],
    liveWithoutNumber: [],
  })
  expect(health.status).toBe(200)
  expect(server.hasExited()).toBe(false)
})
