import { afterAll, beforeAll, expect, test } from 'vitest'
import { startVapiSandbox, type RunningVapiSandbox } from '../src/vapi-sandbox/start-vapi-sandbox.ts'
import { BrowserTab, call, createNumber, signUpOwner, type Owner } from './support/chaos-client.ts'
import { eventually, halfWrittenRows, inventoryDisagreement } from './support/data-checks.ts'
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts'
import { findFreePort } from '../test/support/cluster-client.ts'
import { chaosWebhookSecret, startServer, type ChaosServer } from './support/server-process.ts'
import { writeSummary } from './support/summary.ts'

/**
 * SIGTERM while creates and a poll round are waiting on a slow Vapi: the requests already in flight are answered,
 * the round finishes, sockets are closed, new connections are refused, and the process exits 0.
 */

let database: ScratchDatabase
let sandbox: RunningVapiSandbox
let server: ChaosServer
const vapiLatencyMs = 1_500
const leaseMs = 30_000

beforeAll(async () => {
  database = await createScratchDatabase()
  // Never assigned within the test: numbers stay pending and keep the poller busy.
  sandbox = await startVapiSandbox({
    port: 0,
    minDelayMs: 600_000,
    maxDelayMs: 600_000,
    webhookSecret: chaosWebhookSecret,
  })
  server = startServer({ port: await findFreePort(), databaseUrl: database.url, vapiBaseUrl: sandbox.url })
  await server.waitReady()
})

afterAll(async () => {
  await server.kill('SIGKILL')
  await sandbox.close()
  await database.close()
})

async function sandboxRequests(): Promise<Record<string, number>> {
  const response = await fetch(`${sandbox.url}/_sandbox/requests`)
  return ((await response.json()) as { counts: Record<string, number> }).counts
}

test('SIGTERM drains in-flight creates and the poll round, closes sockets, refuses newcomers and exits 0', async () => {
  const owners: Owner[] = []
  for (let index = 0; index < 3; index++) owners.push(await signUpOwner(server.url, database.db, `Draining ${index}`))
  // Pending numbers for the poller to be checking when the signal comes.
  for (const owner of owners) {
    for (let index = 0; index < 4; index++) expect((await createNumber(server.url, owner, '415')).status).toBe(201)
  }
  const tabs = owners.flatMap((owner) => [0, 1, 2].map(() => new BrowserTab(server.url, owner, { reconnect: false })))
  await Promise.all(tabs.map((tab) => tab.waitConnected()))

  await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs: vapiLatencyMs }),
  })
  // Wait for a poll round to be waiting on Vapi (the change feed's list call, or a check of one number), then start
  // creates that will be waiting on it too.
  const before = await sandboxRequests()
  const pollCalls = (counts: Record<string, number>) =>
    (counts['GET /phone-number/:id'] ?? 0) + (counts['GET /phone-number'] ?? 0)
  const polling = await eventually(sandboxRequests, (counts) => pollCalls(counts) > pollCalls(before), {
    timeoutMs: 20_000,
    intervalMs: 50,
  })
  expect(polling.isDone).toBe(true)
  const inFlight = owners.map((owner) => createNumber(server.url, owner, '212', 30_000))
  const creating = await eventually(
    sandboxRequests,
    (counts) => (counts['POST /phone-number'] ?? 0) >= (before['POST /phone-number'] ?? 0) + owners.length,
    { timeoutMs: 20_000, intervalMs: 25 },
  )
  expect(creating.isDone).toBe(true)

  const signalledAt = Date.now()
  const exit = server.kill('SIGTERM')
  // Give the signal a moment to land, then knock: the listener must be gone.
  await new Promise((resolve) => setTimeout(resolve, 300))
  const newcomer = await call(`${server.url}/healthz`, { timeoutMs: 5_000 })
  const answers = await Promise.all(inFlight)
  const { code, signal } = await exit
  const exitedAfterMs = Date.now() - signalledAt
  await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })

  expect(answers.map((answer) => answer.status)).toEqual(owners.map(() => 201))
  expect(newcomer.status).toBe(0)
  expect(code).toBe(0)
  expect(signal).toBeNull()
  expect(exitedAfterMs).toBeLessThan(15_000)
  await eventually(
    async () => tabs.every((tab) => tab.disconnects === 1),
    (done) => done,
    { timeoutMs: 5_000 },
  )
  expect(tabs.map((tab) => tab.disconnects)).toEqual(tabs.map(() => 1))

  // The round that was waiting on Vapi finished: no pending number is left holding the poller's claim.
  const pending = await database.db
    .selectFrom('phone_number')
    .select(['id', 'next_check_at', 'last_checked_at', 'check_count'])
    .where('status', '=', 'pending')
    .execute()
  const stillClaimed = pending.filter(
    (row) =>
      row.next_check_at !== null &&
      row.last_checked_at !== null &&
      row.next_check_at.getTime() - row.last_checked_at.getTime() >= leaseMs,
  )
  expect(pending.length).toBe(owners.length * 5)
  expect(stillClaimed.map((row) => row.id)).toEqual([])
  // Nor is a Vapi account's change feed left leased to the process that went.
  const heldFeeds = await database.db
    .selectFrom('vapi_account_feed')
    .select('account_key')
    .where('lease_until', 'is not', null)
    .execute()
  expect(heldFeeds).toEqual([])

  // Everything bought is stored: the drained creates committed before the process went.
  const agreement = await inventoryDisagreement(database.db, sandbox.url)
  expect(agreement.boughtAndForgotten).toEqual([])
  expect(agreement.rowsWithoutNumber).toEqual([])
  expect(await halfWrittenRows(database.db)).toEqual({
    versionWithoutHistory: [],
    deliveriesMidway: [],
    purchasedWithoutRow: [],
    liveWithoutNumber: [],
  })
  for (const tab of tabs) tab.close()

  await writeSummary('graceful-shutdown', {
    inFlightCreatesAtSigterm: inFlight.length,
    answered201: answers.filter((answer) => answer.status === 201).length,
    socketsClosed: tabs.length,
    newConnectionRefused: newcomer.status === 0,
    pendingNumbersLeftClaimed: stillClaimed.length,
    exitCode: code,
    exitedAfterMs,
  })
})
