import type { PhoneNumber } from '@dialtone/shared/phone-number'
import type { ServerToClientEvents } from '@dialtone/shared/socket-events'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/test-databases.ts'
import { testDatabaseUrl, testRedisUrl } from '../support/test-env.ts'
import { startVapiSandbox, type RunningVapiSandbox } from '../../src/vapi-sandbox/start-vapi-sandbox.ts'
import {
  createPhoneNumberThrough,
  findFreePort,
  signedAssignmentWebhook,
  signUpThrough,
} from '../support/cluster-client.ts'
import { spawnServerProcess, type ServerProcess } from '../support/server-process.ts'
import { vapiIdOf } from '../support/vapi-id-of.ts'

const webhookSecret = 'cluster-webhook-secret-0123456789abcdef0123456789'
const authSecret = 'cluster-auth-secret-0123456789abcdef0123456789abcdef'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// With REDIS_URL set, events cross processes through Redis instead of Postgres (TEST_REDIS_URL, e.g. redis://127.0.0.1:6379).
describe.runIf(testDatabaseUrl && testRedisUrl)('two server processes with the Redis adapter', () => {
  let database: TestDatabase
  let sandbox: RunningVapiSandbox
  const servers: ServerProcess[] = []
  let socket: Socket<ServerToClientEvents> | null = null

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    sandbox = await startVapiSandbox({ port: 0, minDelayMs: 200, maxDelayMs: 1_000, webhookSecret })
    for (let index = 0; index < 2; index++) {
      servers.push(
        spawnServerProcess({
          port: await findFreePort(),
          databaseUrl: database.url ?? '',
          authSecret,
          vapiBaseUrl: sandbox.url,
          webhookSecret,
          extraEnv: { REDIS_URL: testRedisUrl ?? '' },
        }),
      )
    }
    await Promise.all(servers.map((each) => each.waitReady(45_000)))
  }, 90_000)

  afterAll(async () => {
    socket?.close()
    await Promise.all(servers.map((each) => each.kill('SIGKILL')))
    await sandbox?.close()
    await database?.close()
  })

  test('a webhook delivered to the second process reaches a client of the first exactly once', async () => {
    const [first, second] = servers
    if (!first || !second) throw new Error('servers did not start')
    const { cookie } = await signUpThrough(first.url)
    const received: PhoneNumber[] = []
    socket = connectSocket(first.url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false })
    socket.on('phone-number:updated', (phoneNumber) => received.push(phoneNumber))
    await new Promise<void>((resolve, reject) => {
      socket?.once('connect', resolve)
      socket?.once('connect_error', reject)
    })
    const pending = await createPhoneNumberThrough(first.url, cookie, { areaCode: '534' })
    for (let waited = 0; !received.some((each) => each.id === pending.id) && waited < 5_000; waited += 50) {
      await sleep(50)
    }
    received.length = 0

    const { rawBody, headers } = signedAssignmentWebhook({
      secret: webhookSecret,
      vapiPhoneNumberId: vapiIdOf(pending),
      number: '+15342345679',
    })
    const response = await fetch(`${second.url}/webhooks/vapi`, { method: 'POST', headers, body: rawBody })
    expect(response.status).toBe(200)
    for (let waited = 0; received.length === 0 && waited < 5_000; waited += 50) await sleep(50)
    await sleep(1_000)
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({ id: pending.id, status: 'active', number: '+15342345679' })
  })
})
