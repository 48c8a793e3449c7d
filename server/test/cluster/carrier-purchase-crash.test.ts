import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { startTwilioSandbox, type RunningTwilioSandbox } from '../../src/carrier-sandbox/start-carrier-sandboxes.ts'
import { startVapiSandbox, type RunningVapiSandbox } from '../../src/vapi-sandbox/start-vapi-sandbox.ts'
import { findFreePort, signUpThrough } from '../support/cluster-client.ts'
import { spawnServerProcess, type ServerProcess } from '../support/server-process.ts'
import { createScratchPostgres, testDatabaseKinds, type TestDatabase } from '../support/test-databases.ts'
import { testDatabaseUrl } from '../support/test-env.ts'

// A carrier purchase cut short by a killed process (decision 0014): Twilio has sold the number, Vapi's import has
// not happened (Vapi answered 500), and the process is killed with SIGKILL. The next process's worker finds the
// saga, asks Vapi whether it already holds the number, imports it, and the card turns live; the number is bought
// once, imported once.

const webhookSecret = 'crash-test-webhook-secret-0123456789abcdef0123'
const authSecret = 'crash-test-auth-secret-0123456789abcdef0123456789'

describe.each(testDatabaseKinds)('a carrier purchase interrupted by a killed process, on %s', (kind) => {
  let twilio: RunningTwilioSandbox
  let vapi: RunningVapiSandbox
  let dataDir: string
  let database: TestDatabase | null = null
  const processes: ServerProcess[] = []

  beforeAll(async () => {
    twilio = await startTwilioSandbox({ port: 0 })
    vapi = await startVapiSandbox({
      port: 0,
      minDelayMs: 60_000,
      maxDelayMs: 60_000,
      webhookSecret,
      webhookAuth: 'hmac',
      carriers: { twilioBaseUrl: twilio.baseUrl },
    })
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialtone-carrier-crash-'))
    if (kind === 'postgres' && testDatabaseUrl) {
      database = await createScratchPostgres(testDatabaseUrl, { label: 'carrier_crash' })
    }
  })
  afterAll(async () => {
    for (const server of processes) await server.kill('SIGKILL')
    await database?.close()
    await vapi.close()
    await twilio.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  async function startServer(): Promise<ServerProcess> {
    const server = spawnServerProcess({
      port: await findFreePort(),
      dataDir,
      authSecret,
      webhookSecret,
      vapiBaseUrl: vapi.url,
      ...(database?.url ? { databaseUrl: database.url } : {}),
      extraEnv: { TWILIO_BASE_URL: twilio.baseUrl, LOG_LEVEL: 'warn' },
    })
    processes.push(server)
    await server.waitReady()
    return server
  }

  const setVapiFaults = (faults: Record<string, number>) =>
    fetch(`${vapi.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    })

  test('the next process carries the saga on to live, buying and importing once', async () => {
    const first = await startServer()
    const { cookie } = await signUpThrough(first.url, 'Crash Owner')
    const number = '+15005550006'
    await setVapiFaults({ errorRate: 1 })
    const bought = await fetch(`${first.url}/api/phone-numbers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: first.url, cookie },
      body: JSON.stringify({ carrier: 'twilio', number }),
    })
    const card = phoneNumberSchema.parse(await bought.json())
    expect(bought.status).toBe(201)
    expect(card).toMatchObject({ status: 'pending', provider: 'twilio', vapiPhoneNumberId: null })

    const exit = await first.kill('SIGKILL')
    expect(exit.signal).toBe('SIGKILL')
    await fetch(`${vapi.url}/_sandbox/faults`, { method: 'DELETE' })

    const second = await startServer()
    const deadline = Date.now() + 30_000
    let now = card
    while (Date.now() < deadline) {
      const response = await fetch(`${second.url}/api/phone-numbers/${card.id}`, {
        headers: { origin: second.url, cookie },
      })
      now = phoneNumberSchema.parse(await response.json())
      if (now.status !== 'pending') break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(now.status).toBe('active')
    expect(now.detectedBy).toBe('poll')
    expect(now.vapiPhoneNumberId).not.toBeNull()

    const atTwilio = z
      .array(z.looseObject({ phoneNumber: z.string(), releasedAt: z.string().nullable() }))
      .parse(await (await fetch(`${twilio.url}/_sandbox/numbers`)).json())
      .filter((entry) => entry.phoneNumber === number && entry.releasedAt === null)
    expect(atTwilio).toHaveLength(1)
    const atVapi = z
      .array(z.looseObject({ number: z.string().optional(), releasedAt: z.string().nullable() }))
      .parse(await (await fetch(`${vapi.url}/_sandbox/phone-numbers`)).json())
      .filter((entry) => entry.number === number && entry.releasedAt === null)
    expect(atVapi).toHaveLength(1)
  }, 120_000)
})
