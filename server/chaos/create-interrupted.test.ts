import { afterAll, beforeAll, expect, test } from 'vitest'
import { startVapiSandbox, type RunningVapiSandbox } from '../src/vapi-sandbox/start-vapi-sandbox.ts'
import { call, createNumber, signUpOwner, type Answer, type Owner } from './support/chaos-client.ts'
import { eventually, halfWrittenRows, inventoryDisagreement, sandboxInventory } from './support/data-checks.ts'
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts'
import { findFreePort } from '../test/support/cluster-client.ts'
import { chaosWebhookSecret, startServer, type ChaosServer } from './support/server-process.ts'
import { writeSummary } from './support/summary.ts'
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts'

/**
 * The create flow killed (SIGKILL) at each step between asking Vapi and committing the row, without any hook in the
 * server: proxies in front of Vapi and Postgres freeze the exact request, answer or statement, then the process
 * dies there. After a restart, Vapi's inventory and the database must agree.
 */

let database: ScratchDatabase
let sandbox: RunningVapiSandbox
let postgresProxy: TcpProxy
let vapiProxy: TcpProxy
let frontProxy: TcpProxy
let server: ChaosServer | null = null
let port: number
let owner: Owner

const createPath = 'POST /phone-number '
const results: Record<string, unknown>[] = []

async function boot() {
  server = startServer({
    port,
    databaseUrl: database.urlVia('127.0.0.1', postgresProxy.port),
    vapiBaseUrl: `http://127.0.0.1:${vapiProxy.port}`,
    env: {
      VAPI_TIMEOUT_MS: '2500',
      PROVISIONING_RECONCILE_SETTLE_MS: '3000',
      PROVISIONING_HOUSEKEEPING_MS: '1000',
    },
  })
  await server.waitReady()
  return server
}

async function setFaults(faults: Record<string, number>) {
  await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  })
}

async function sandboxCreates(): Promise<number> {
  const response = await fetch(`${sandbox.url}/_sandbox/requests`)
  const body = (await response.json()) as { counts: Record<string, number> }
  return body.counts['POST /phone-number'] ?? 0
}

beforeAll(async () => {
  database = await createScratchDatabase()
  sandbox = await startVapiSandbox({
    port: 0,
    minDelayMs: 2_000,
    maxDelayMs: 4_000,
    webhookSecret: chaosWebhookSecret,
  })
  postgresProxy = await startTcpProxy({ host: database.host, port: database.port })
  vapiProxy = await startTcpProxy({ host: '127.0.0.1', port: sandbox.port })
  port = await findFreePort()
  frontProxy = await startTcpProxy({ host: '127.0.0.1', port })
  await boot()
  owner = await signUpOwner(`http://127.0.0.1:${port}`, database.db, 'Interrupted')
})

afterAll(async () => {
  await server?.kill('SIGKILL')
  await frontProxy?.close()
  await vapiProxy?.close()
  await postgresProxy?.close()
  await sandbox?.close()
  await database?.close()
})

interface KillPoint {
  name: string
  /** What was true at the moment of the kill. */
  expectBoughtAtKill: boolean
  /** Sets the trap; what it returns resolves once the create is frozen exactly where this point means. */
  arm(): Promise<() => Promise<void>>
  disarm(): Promise<void>
  /** The create goes through this base URL (the front proxy when the answer itself is frozen). */
  baseUrl?: () => string
}

const killPoints: KillPoint[] = [
  {
    name: 'create request not yet at Vapi',
    expectBoughtAtKill: false,
    arm: async () => {
      vapiProxy.holdWhen({ toServer: (text) => text.includes(createPath) })
      return async () => void (await vapiProxy.nextHold(20_000))
    },
    disarm: async () => vapiProxy.holdWhen({}),
  },
  {
    name: 'Vapi still working on the create (it finishes after the kill)',
    expectBoughtAtKill: false,
    arm: async () => {
      const before = await sandboxCreates()
      await setFaults({ latencyMs: 2_000 })
      return async () => {
        const seen = await eventually(sandboxCreates, (count) => count > before, { timeoutMs: 20_000, intervalMs: 50 })
        if (!seen.isDone) throw new Error('the create never reached the sandbox')
      }
    },
    disarm: async () => {
      // The sandbox finishes the create it was holding: a number dialtone never heard of.
      await new Promise((resolve) => setTimeout(resolve, 2_500))
      await setFaults({ latencyMs: 0 })
    },
  },
  {
    name: 'Vapi answered 201, the answer not yet received',
    expectBoughtAtKill: true,
    arm: async () => {
      vapiProxy.holdWhen({
        toServer: (text, connection) => {
          if (text.includes(createPath)) connection.notes.add('create')
          return false
        },
        toClient: (text, connection) => connection.notes.has('create') && text.startsWith('HTTP/1.1 201'),
      })
      return async () => void (await vapiProxy.nextHold(20_000))
    },
    disarm: async () => vapiProxy.holdWhen({}),
  },
  {
    name: 'answer received, row not yet inserted',
    expectBoughtAtKill: true,
    arm: async () => {
      postgresProxy.holdWhen({ toServer: (text) => text.includes('insert into "phone_number" (') })
      return async () => void (await postgresProxy.nextHold(20_000))
    },
    disarm: async () => postgresProxy.holdWhen({}),
  },
  {
    name: 'row inserted, transaction not yet committed',
    expectBoughtAtKill: true,
    arm: async () => {
      postgresProxy.holdWhen({
        toServer: (text, connection) => {
          if (text.includes('insert into "phone_number" (')) connection.notes.add('inserted')
          return connection.notes.has('inserted') && /\bcommit\b/i.test(text)
        },
      })
      return async () => void (await postgresProxy.nextHold(20_000))
    },
    disarm: async () => postgresProxy.holdWhen({}),
  },
  {
    name: 'committed, the 201 not yet delivered to the browser',
    expectBoughtAtKill: true,
    arm: async () => {
      frontProxy.holdWhen({ toClient: (text) => text.startsWith('HTTP/1.1 201') })
      return async () => void (await frontProxy.nextHold(20_000))
    },
    disarm: async () => frontProxy.holdWhen({}),
    baseUrl: () => `http://127.0.0.1:${frontProxy.port}`,
  },
]

test('killed at every step of a create, the restarted server and Vapi agree: nothing bought and forgotten', async () => {
  for (const point of killPoints) {
    const running = server ?? (await boot())
    const heldBefore = (await sandboxInventory(sandbox.url)).length
    const reached = await point.arm()
    const baseUrl = point.baseUrl?.() ?? running.url
    const pendingCreate: Promise<Answer> = createNumber(baseUrl, owner, '415', 60_000, running.url)
    await reached()
    const killedAt = Date.now()
    const exit = await running.kill('SIGKILL')
    server = null
    expect(exit.signal).toBe('SIGKILL')
    const answer = await pendingCreate
    await point.disarm()

    const heldAfterKill = (await sandboxInventory(sandbox.url)).length
    const rowsAtKill = await database.db.selectFrom('phone_number').select('id').execute()

    await boot()
    const agreed = await eventually(
      async () => {
        const disagreement = await inventoryDisagreement(database.db, sandbox.url)
        const unsettled = await database.db
          .selectFrom('provisioning_attempt')
          .select('id')
          .where('outcome', '=', 'in_flight')
          .execute()
        return { ...disagreement, unsettled: unsettled.length }
      },
      (state) => state.boughtAndForgotten.length === 0 && state.rowsWithoutNumber.length === 0 && state.unsettled === 0,
      { timeoutMs: 60_000, intervalMs: 250 },
    )
    const attempts = await database.db
      .selectFrom('provisioning_attempt')
      .select(['outcome', 'failure_code'])
      .orderBy('requested_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    results.push({
      killPoint: point.name,
      browserGot: answer.status === 0 ? 'no answer' : answer.status,
      boughtAtVapiAfterKill: heldAfterKill > heldBefore,
      rowsAtKill: rowsAtKill.length,
      attemptEndedAs: attempts.outcome,
      agreedAfterMs: agreed.isDone ? Date.now() - killedAt : null,
      heldAtVapi: agreed.value.held,
      rows: agreed.value.rows,
    })
    expect(answer.status === 0 || answer.status === 201, point.name).toBe(true)
    if (point.expectBoughtAtKill) expect(heldAfterKill, point.name).toBe(heldBefore + 1)
    expect(agreed.value.boughtAndForgotten, point.name).toEqual([])
    expect(agreed.value.rowsWithoutNumber, point.name).toEqual([])
    expect(agreed.value.unsettled, point.name).toBe(0)
  }

  // The lost-answer fault, without a kill: Vapi buys, answers 500; dialtone answers 503 and releases it later.
  await setFaults({ lostCreateAnswerRate: 1 })
  const lost = await createNumber(server?.url ?? '', owner, '212')
  await setFaults({ lostCreateAnswerRate: 0 })
  expect(lost.status).toBe(503)
  const lostAgreed = await eventually(
    () => inventoryDisagreement(database.db, sandbox.url),
    (state) => state.boughtAndForgotten.length === 0,
    { timeoutMs: 30_000 },
  )
  expect(lostAgreed.value.boughtAndForgotten).toEqual([])
  results.push({ killPoint: 'no kill: Vapi bought, its answer lost (500)', browserGot: lost.status })

  // And the server that lived through all of it still sells numbers.
  const after = await createNumber(server?.url ?? '', owner, '305')
  expect(after.status).toBe(201)
  expect(await halfWrittenRows(database.db)).toEqual({
    versionWithoutHistory: [],
    deliveriesMidway: [],
    purchasedWithoutRow: [],
    liveWithoutNumber: [],
  })
  const final = await inventoryDisagreement(database.db, sandbox.url)
  const everBought = (await sandboxInventory(sandbox.url)).length
  await writeSummary('create-interrupted', {
    killPoints: results,
    numbersEverBoughtAtVapi: everBought,
    heldAtVapiAtEnd: final.held,
    rowsAtEnd: final.rows,
    boughtAndForgotten: final.boughtAndForgotten.length,
    rowsWithoutNumber: final.rowsWithoutNumber.length,
  })
  // Untouched so far: the health check answers through the whole ordeal.
  expect((await call(`${server?.url ?? ''}/healthz`)).status).toBe(200)
})
