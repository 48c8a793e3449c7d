import { availableNumberListSchema } from '@dialtone/shared/carriers'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { eventually } from '../../test/support/provisioning-test-kit.ts'
import { startTestApp, testWebhookSecret, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import {
  startTelnyxSandbox,
  startTwilioSandbox,
  type RunningTelnyxSandbox,
  type RunningTwilioSandbox,
} from '../carrier-sandbox/start-carrier-sandboxes.ts'
import { startVapiSandbox, type RunningVapiSandbox } from '../vapi-sandbox/start-vapi-sandbox.ts'
import { advanceDueCarrierPurchases } from './advance-due-carrier-purchases.ts'

// A carrier or Vapi slower than dialtone waits: the request gives up, but the remote may finish the work anyway.
// The saga must find out what happened (asking, never assuming) and end with the number held once everywhere.

type Owner = Awaited<ReturnType<TestApp['signUp']>>

const heldSchema = z.array(
  z.looseObject({
    phoneNumber: z.string().optional(),
    phone_number: z.string().optional(),
    number: z.string().optional(),
    releasedAt: z.string().nullable().optional(),
  }),
)

describe.each(testDatabaseKinds)('carrier and Vapi timeouts on %s', (kind) => {
  let twilio: RunningTwilioSandbox
  let telnyx: RunningTelnyxSandbox
  let vapi: RunningVapiSandbox
  let harness: TestApp
  let owner: Owner

  beforeAll(async () => {
    twilio = await startTwilioSandbox({ port: 0 })
    telnyx = await startTelnyxSandbox({ port: 0, orderMinDelayMs: 200, orderMaxDelayMs: 400 })
    vapi = await startVapiSandbox({
      port: 0,
      minDelayMs: 60_000,
      maxDelayMs: 60_000,
      webhookSecret: testWebhookSecret,
      webhookAuth: 'hmac',
      carriers: { twilioBaseUrl: twilio.baseUrl, telnyxBaseUrl: telnyx.baseUrl },
    })
    harness = await startTestApp(kind, {
      env: { VAPI_BASE_URL: vapi.url },
      vapiTimeoutMs: 600,
      carriers: { twilioBaseUrl: twilio.baseUrl, telnyxBaseUrl: telnyx.baseUrl, telnyxPublicKey: telnyx.publicKey },
      carrierTimings: { purchaseLeaseMs: 2_000, orderCheckMs: 100, requestTimeoutMs: 600 },
    })
    owner = await harness.signUp('Patient Owner')
  })
  afterAll(async () => {
    await harness.close()
    await vapi.close()
    await telnyx.close()
    await twilio.close()
  })

  const setFaults = (url: string, faults: Record<string, unknown> | null) =>
    fetch(`${url}/_sandbox/faults`, {
      method: faults ? 'POST' : 'DELETE',
      headers: { 'content-type': 'application/json' },
      ...(faults ? { body: JSON.stringify(faults) } : {}),
    })

  const unreleasedAt = async (url: string, route: string, number: string) =>
    heldSchema
      .parse(await (await fetch(`${url}${route}`)).json())
      .filter((entry) => (entry.phoneNumber ?? entry.phone_number ?? entry.number) === number && !entry.releasedAt)

  async function chooseTwilioNumber(areaCode: string) {
    const response = await harness.request(`/api/available-numbers?carrier=twilio&country=US&areaCode=${areaCode}`, {
      cookie: owner.cookie,
    })
    const chosen = availableNumberListSchema.parse(await response.json()).items[0]?.number ?? ''
    expect(chosen).not.toBe('')
    return chosen
  }

  const buy = async (number: string) => {
    const response = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: owner.cookie,
      json: { carrier: 'twilio', number },
    })
    return { status: response.status, json: await response.json() }
  }

  /** Worker rounds until the number's one card is live; then every system holds it once. */
  async function expectLiveOnceEverywhere(number: string) {
    const cards = await eventually(
      async () => {
        await advanceDueCarrierPurchases(harness.server.carrierPurchases)
        return harness.db.selectFrom('phone_number').selectAll().where('number', '=', number).execute()
      },
      (rows) => rows.some((row) => row.status === 'active'),
      15_000,
    )
    expect(cards.map((card) => card.status)).toEqual(['active'])
    expect(await unreleasedAt(twilio.url, '/_sandbox/numbers', number)).toHaveLength(1)
    expect(await unreleasedAt(vapi.url, '/_sandbox/phone-numbers', number)).toHaveLength(1)
  }

  test('Twilio slower than the timeout at the buy: the owner is told, and the worker finds the number and carries it to live', async () => {
    const chosen = await chooseTwilioNumber('212')
    await setFaults(twilio.url, { latencyMs: 1_500 })
    let bought: Awaited<ReturnType<typeof buy>>
    try {
      bought = await buy(chosen)
    } finally {
      await setFaults(twilio.url, null)
    }
    // Told plainly that the outcome is not known yet, not that nothing was bought.
    expect(bought.status).toBe(503)
    expect(bought.json).toMatchObject({ error: { code: 'CARRIER_UNAVAILABLE' } })
    expect(JSON.stringify(bought.json)).toContain('cannot tell yet whether')
    // Twilio finishes the purchase after dialtone stopped waiting.
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    await expectLiveOnceEverywhere(chosen)
  })

  test('Vapi slower than the timeout at the import: the worker adopts what Vapi did instead of importing twice', async () => {
    const chosen = await chooseTwilioNumber('312')
    await setFaults(vapi.url, { latencyMs: 1_500 })
    let bought: Awaited<ReturnType<typeof buy>>
    try {
      bought = await buy(chosen)
    } finally {
      await setFaults(vapi.url, null)
    }
    // The card at once, pending: bought at Twilio, the import's outcome not known yet.
    expect(bought.status).toBe(201)
    expect(phoneNumberSchema.parse(bought.json)).toMatchObject({ status: 'pending', vapiPhoneNumberId: null })
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    await expectLiveOnceEverywhere(chosen)
  })
})
