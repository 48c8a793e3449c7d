import { randomUUID } from 'node:crypto'
import {
  availableNumberListSchema,
  carrierNumberListSchema,
  importCarrierNumbersResultSchema,
} from '@dialtone/shared/carriers'
import { connectionSchema } from '@dialtone/shared/connections'
import { monthlyCostSchema, phoneNumberSchema, type PhoneNumber } from '@dialtone/shared/phone-number'
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
import { signTelnyxWebhook, generateTelnyxKeyPair } from '../carriers/verify-telnyx-webhook.ts'
import { createTelnyxSandboxAccount } from '../carriers/create-carrier-sandbox-account.ts'
import { startVapiSandbox, type RunningVapiSandbox } from '../vapi-sandbox/start-vapi-sandbox.ts'
import { advanceDueCarrierPurchases } from './advance-due-carrier-purchases.ts'
import { createCredentialBox } from '../credentials/credential-box.ts'
import { rotateCredentials } from '../credentials/rotate-credentials.ts'
import { purchaseTag } from './advance-carrier-purchase.ts'

// Carrier numbers end to end (decision 0014): dialtone's API over real HTTP semantics (app.request), the Twilio,
// Telnyx and Vapi sandboxes on real loopback ports, a real database. Each organisation gets its own sandbox carrier
// accounts. What the sandboxes hold is read from their control routes, never assumed.

type Owner = Awaited<ReturnType<TestApp['signUp']>>
type ErrorAnswer = { error: { code: string; message: string; details?: unknown } }

const sandboxNumberSchema = z.looseObject({
  phoneNumber: z.string().optional(),
  phone_number: z.string().optional(),
  releasedAt: z.string().nullable().optional(),
})

describe.each(testDatabaseKinds)('carrier numbers on %s', (kind) => {
  let twilio: RunningTwilioSandbox
  let telnyx: RunningTelnyxSandbox
  let vapi: RunningVapiSandbox
  let harness: TestApp
  let owner: Owner

  beforeAll(async () => {
    twilio = await startTwilioSandbox({ port: 0 })
    telnyx = await startTelnyxSandbox({
      port: 0,
      orderMinDelayMs: 200,
      orderMaxDelayMs: 400,
      webhookRetryDelaysMs: [100, 200, 300],
    })
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
      carriers: { twilioBaseUrl: twilio.baseUrl, telnyxBaseUrl: telnyx.baseUrl, telnyxPublicKey: telnyx.publicKey },
      carrierTimings: { purchaseLeaseMs: 2_000, orderCheckMs: 100 },
    })
    owner = await harness.signUp('Carrier Owner')
  })
  afterAll(async () => {
    await harness.close()
    await vapi.close()
    await telnyx.close()
    await twilio.close()
  })

  const api = (
    who: Owner,
    path: string,
    init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
  ) => harness.request(path, { ...init, cookie: who.cookie })

  async function buy(who: Owner, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await api(who, '/api/phone-numbers', { method: 'POST', json: body, headers })
    const json: unknown = await response.json()
    return { status: response.status, headers: response.headers, json }
  }

  const asPhoneNumber = (json: unknown) => phoneNumberSchema.parse(json)
  const asError = (json: unknown) => json as ErrorAnswer

  async function heldAt(sandbox: { url: string }, number: string) {
    const response = await fetch(`${sandbox.url}/_sandbox/numbers`)
    const all = z.array(sandboxNumberSchema).parse(await response.json())
    return all.filter((entry) => (entry.phoneNumber ?? entry.phone_number) === number)
  }

  async function vapiHolds(number: string) {
    const response = await fetch(`${vapi.url}/_sandbox/phone-numbers`)
    const all = z
      .array(z.looseObject({ number: z.string().optional(), releasedAt: z.string().nullable() }))
      .parse(await response.json())
    return all.filter((entry) => entry.number === number)
  }

  async function rowsWithNumber(number: string) {
    return harness.db.selectFrom('phone_number').selectAll().where('number', '=', number).execute()
  }

  async function stepsOf(phoneNumberId: string) {
    const purchase = await harness.db
      .selectFrom('carrier_purchase')
      .selectAll()
      .where('phone_number_id', '=', phoneNumberId)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    const steps = await harness.db
      .selectFrom('carrier_purchase_step')
      .select(['step', 'detail'])
      .where('purchase_id', '=', purchase.id)
      .orderBy('id')
      .execute()
    return { purchase, steps: steps.map((step) => step.step) }
  }

  async function search(who: Owner, query: string) {
    const response = await api(who, `/api/available-numbers?${query}`)
    return { status: response.status, json: await response.json() }
  }

  test('each organisation has its own sandbox carrier accounts; refused credentials store nothing', async () => {
    const twilioConnection = connectionSchema.parse(await (await api(owner, '/api/connections/twilio')).json())
    expect(twilioConnection).toMatchObject({ connected: true, source: 'sandbox' })
    const telnyxConnection = connectionSchema.parse(await (await api(owner, '/api/connections/telnyx')).json())
    expect(telnyxConnection).toMatchObject({ connected: true, source: 'sandbox' })

    const refused = await api(owner, '/api/connections/twilio', {
      method: 'PUT',
      json: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'not-a-real-token' },
    })
    expect(refused.status).toBe(422)
    expect(asError(await refused.json()).error.code).toBe('CONNECTION_INVALID')
    const refusedTelnyx = await api(owner, '/api/connections/telnyx', {
      method: 'PUT',
      json: { apiKey: 'KEY-not-a-real-key' },
    })
    expect(refusedTelnyx.status).toBe(422)
    const after = connectionSchema.parse(await (await api(owner, '/api/connections/twilio')).json())
    expect(after).toEqual(twilioConnection)
    const stored = await harness.db
      .selectFrom('provider_connection')
      .selectAll()
      .where('organization_id', '=', owner.organizationId)
      .execute()
    expect(stored.map((row) => row.provider)).toEqual(expect.arrayContaining(['telnyx', 'twilio']))
    for (const row of stored.filter((connection) => connection.provider !== 'vapi')) {
      expect(row.secret_ciphertext.startsWith('v2.')).toBe(true)
      // Sealed: the credentials themselves appear nowhere in what is stored.
      const secret = z
        .record(z.string(), z.unknown())
        .parse(JSON.parse(harness.server.credentialBox.open(row.secret_ciphertext)))
      for (const value of Object.values(secret)) {
        if (typeof value === 'string' && value.length >= 8) expect(row.secret_ciphertext).not.toContain(value)
      }
    }
  })

  test('search: contains, locality, paging, and clear refusals for filters that cannot apply', async () => {
    const vanity = await search(owner, 'carrier=twilio&country=US&contains=555')
    expect(vanity.status).toBe(200)
    const page = availableNumberListSchema.parse(vanity.json)
    expect(page.items.length).toBeGreaterThan(0)
    for (const item of page.items) expect(item.number.replace(/\D/g, '')).toContain('555')
    expect(page.nextPage).toBeDefined()
    const next = availableNumberListSchema.parse(
      (await search(owner, `carrier=twilio&country=US&contains=555&page=${encodeURIComponent(page.nextPage ?? '')}`))
        .json,
    )
    expect(next.items.length).toBeGreaterThan(0)
    expect(next.items.map((item) => item.number)).not.toEqual(page.items.map((item) => item.number))

    for (const country of ['CA', 'GB']) {
      const found = availableNumberListSchema.parse((await search(owner, `carrier=twilio&country=${country}`)).json)
      expect(found.items.length).toBeGreaterThan(0)
      for (const item of found.items) expect(item.country).toBe(country)
    }
    const telnyxFound = availableNumberListSchema.parse(
      (await search(owner, 'carrier=telnyx&country=US&areaCode=500')).json,
    )
    expect(telnyxFound.items.map((item) => item.number)).toContain('+15005550006')
    expect(telnyxFound.items[0]?.monthlyPrice).toBeDefined()

    const areaCodeInGb = await search(owner, 'carrier=twilio&country=GB&areaCode=415')
    expect(areaCodeInGb.status).toBe(400)
    expect(asError(areaCodeInGb.json).error.message).toMatch(/GB/)
    expect((await search(owner, 'carrier=twilio&country=ZZ')).status).toBe(400)
    expect((await search(owner, 'carrier=sprint&country=US')).status).toBe(400)
  })

  test('a carrier failing at search: a clear 503 in its words, and nothing stored or bought', async () => {
    const purchasesBefore = await harness.db.selectFrom('carrier_purchase').select('id').execute()
    const heldBefore = await (await fetch(`${twilio.url}/_sandbox/numbers`)).text()
    for (const sandbox of [twilio, telnyx]) {
      await fetch(`${sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ errorRate: 1 }),
      })
    }
    try {
      for (const carrier of ['twilio', 'telnyx']) {
        const failed = await search(owner, `carrier=${carrier}&country=US&areaCode=415`)
        expect(failed.status).toBe(503)
        expect(asError(failed.json).error.code).toBe('CARRIER_UNAVAILABLE')
        expect(asError(failed.json).error.message).toMatch(carrier === 'twilio' ? /Twilio/ : /Telnyx/)
      }
    } finally {
      for (const sandbox of [twilio, telnyx]) await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
    }
    expect(await harness.db.selectFrom('carrier_purchase').select('id').execute()).toEqual(purchasesBefore)
    expect(await (await fetch(`${twilio.url}/_sandbox/numbers`)).text()).toBe(heldBefore)
    expect((await search(owner, 'carrier=twilio&country=US&areaCode=415')).status).toBe(200)
  })

  test('a Twilio number is bought, imported into Vapi and live in one request; every step is recorded', async () => {
    const bought = await buy(owner, { carrier: 'twilio', number: '+15005550006', name: 'Front desk' })
    expect(bought.status).toBe(201)
    const number = asPhoneNumber(bought.json)
    expect(number).toMatchObject({ status: 'active', provider: 'twilio', number: '+15005550006', country: 'US' })
    expect(number.vapiPhoneNumberId).not.toBeNull()
    const { purchase, steps } = await stepsOf(number.id)
    expect(steps).toEqual(['purchasing', 'bought', 'bought', 'importing', 'live'])
    expect(purchase.carrier_number_id).toMatch(/^PN/)
    expect((await heldAt(twilio, '+15005550006')).some((entry) => !entry.releasedAt)).toBe(true)
    expect((await vapiHolds('+15005550006')).some((entry) => entry.releasedAt === null)).toBe(true)
    // The browsers were told pending first, then live.
    const told = harness.events.filter((event) => event.phoneNumber.id === number.id).map((e) => e.phoneNumber.status)
    expect(told).toEqual(['pending', 'active'])

    // Released: gone at Vapi, then at Twilio.
    const released = await api(owner, `/api/phone-numbers/${number.id}`, { method: 'DELETE' })
    expect(released.status).toBe(200)
    expect(asPhoneNumber(await released.json()).status).toBe('released')
    expect((await vapiHolds('+15005550006')).every((entry) => entry.releasedAt !== null)).toBe(true)
    expect((await heldAt(twilio, '+15005550006')).every((entry) => entry.releasedAt)).toBe(true)
  })

  test('the magic unavailable and invalid numbers are clear errors and leave nothing bought or shown', async () => {
    const unavailable = await buy(owner, { carrier: 'twilio', number: '+15005550000' })
    expect(unavailable.status).toBe(409)
    expect(asError(unavailable.json).error.code).toBe('NUMBER_UNAVAILABLE')
    const invalid = await buy(owner, { carrier: 'twilio', number: '+15005550001' })
    expect(invalid.status).toBe(422)
    expect(asError(invalid.json).error.code).toBe('NUMBER_INVALID')
    expect(await rowsWithNumber('+15005550000')).toEqual([])
    expect(await rowsWithNumber('+15005550001')).toEqual([])
    expect((await heldAt(twilio, '+15005550000')).filter((entry) => !entry.releasedAt)).toEqual([])
  })

  test('the same Idempotency-Key buys once and answers the card as it is now', async () => {
    const key = `carrier-${randomUUID()}`
    const numbers = availableNumberListSchema.parse((await search(owner, 'carrier=twilio&country=CA')).json)
    const chosen = numbers.items[0]?.number ?? ''
    const first = await buy(owner, { carrier: 'twilio', number: chosen }, { 'idempotency-key': key })
    expect(first.status).toBe(201)
    const again = await buy(owner, { carrier: 'twilio', number: chosen }, { 'idempotency-key': key })
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(asPhoneNumber(again.json).id).toBe(asPhoneNumber(first.json).id)
    expect(asPhoneNumber(first.json).country).toBe('CA')
    expect((await heldAt(twilio, chosen)).length).toBe(1)
    const purchases = await harness.db
      .selectFrom('carrier_purchase')
      .select('id')
      .where('number', '=', chosen)
      .execute()
    expect(purchases.length).toBe(1)
  })

  test('two purchases of one number at once: one card, and the other purchase is undone at Twilio', async () => {
    const racer = await harness.signUp('Racer')
    const [first, second] = await Promise.all([
      buy(racer, { carrier: 'twilio', number: '+15005550006' }),
      buy(racer, { carrier: 'twilio', number: '+15005550006' }),
    ])
    expect([first.status, second.status].sort()).toEqual([201, 409])
    const account = await harness.server.carrierAccounts.current(racer.organizationId, 'twilio')
    const held = z
      .array(z.looseObject({ phoneNumber: z.string(), releasedAt: z.string().nullable() }))
      .parse(await (await fetch(`${twilio.url}/_sandbox/numbers?accountSid=${account.credentials.accountSid}`)).json())
      .filter((entry) => entry.phoneNumber === '+15005550006' && entry.releasedAt === null)
    expect(held).toHaveLength(1)
    const cards = await harness.db
      .selectFrom('phone_number')
      .selectAll()
      .where('organization_id', '=', racer.organizationId)
      .where('status', 'in', ['pending', 'active'])
      .execute()
    expect(cards).toHaveLength(1)
  })

  test('a Vapi import refused after the purchase releases the number at Twilio and fails the card', async () => {
    const chosen = availableNumberListSchema.parse((await search(owner, 'carrier=twilio&country=US&areaCode=415')).json)
      .items[0]?.number
    expect(chosen).toBeDefined()
    // An assistant this Vapi account does not have: Vapi refuses the import.
    const refused = await buy(owner, { carrier: 'twilio', number: chosen, assistantId: randomUUID() })
    expect(refused.status).toBe(422)
    const body = asError(refused.json)
    expect(body.error.code).toBe('ASSISTANT_NOT_FOUND')
    expect(body.error.message).toMatch(/released at Twilio/)
    const [card] = await rowsWithNumber(chosen ?? '')
    expect(card?.status).toBe('failed')
    expect(card?.failure_code).toBe('import_rejected')
    expect((await heldAt(twilio, chosen ?? '')).every((entry) => entry.releasedAt)).toBe(true)
    expect((await vapiHolds(chosen ?? '')).filter((entry) => entry.releasedAt === null)).toEqual([])
    const { steps } = await stepsOf(card?.id ?? '')
    expect(steps.slice(-2)).toEqual(['releasing', 'released'])
  })

  test('keepOnFailure keeps the number at Twilio, and it can be imported later', async () => {
    const chosen =
      availableNumberListSchema.parse((await search(owner, 'carrier=twilio&country=US&areaCode=212')).json).items[0]
        ?.number ?? ''
    const refused = await buy(owner, {
      carrier: 'twilio',
      number: chosen,
      assistantId: randomUUID(),
      keepOnFailure: true,
    })
    expect(refused.status).toBe(422)
    expect((await heldAt(twilio, chosen)).some((entry) => !entry.releasedAt)).toBe(true)
    const listed = carrierNumberListSchema.parse(await (await api(owner, '/api/carrier-numbers?carrier=twilio')).json())
    expect(listed.items.find((item) => item.number === chosen)).toMatchObject({ heldByDialtone: false })
    const imported = await api(owner, '/api/phone-numbers/import', {
      method: 'POST',
      json: { carrier: 'twilio', numbers: [chosen, '+19999999999'] },
    })
    expect(imported.status).toBe(200)
    const result = importCarrierNumbersResultSchema.parse(await imported.json())
    expect(result.imported).toBe(1)
    expect(result.items[0]).toMatchObject({ number: chosen, outcome: 'imported', phoneNumber: { status: 'active' } })
    expect(result.items[1]).toMatchObject({ outcome: 'failed', error: { code: 'NOT_FOUND' } })
    const again = importCarrierNumbersResultSchema.parse(
      await (
        await api(owner, '/api/phone-numbers/import', {
          method: 'POST',
          json: { carrier: 'twilio', numbers: [chosen] },
        })
      ).json(),
    )
    expect(again.items[0]).toMatchObject({ outcome: 'failed', error: { code: 'CONFLICT' } })
    const listedAfter = carrierNumberListSchema.parse(
      await (await api(owner, '/api/carrier-numbers?carrier=twilio')).json(),
    )
    expect(listedAfter.items.find((item) => item.number === chosen)).toMatchObject({ heldByDialtone: true })
  })

  test('monthly prices: Twilio’s Pricing API, Telnyx’s search price, none for an imported Telnyx number; the total adds each currency and counts the unknown apart', async () => {
    const pricer = await harness.signUp('Price Owner')
    const monthlyCost = async () =>
      monthlyCostSchema.parse(await (await api(pricer, '/api/phone-numbers/monthly-cost')).json())
    expect(await monthlyCost()).toEqual({ totals: [], priceUnknown: 0, freeVapiNumbers: 0 })

    // Twilio: its Pricing API's price for a US local number, stored on the purchase and the card.
    const twilioChoice = availableNumberListSchema.parse(
      (await search(pricer, 'carrier=twilio&country=US&areaCode=312')).json,
    ).items[0]
    expect(twilioChoice?.monthlyPrice).toEqual({ amount: '1.15', currency: 'USD' })
    const twilioCard = asPhoneNumber((await buy(pricer, { carrier: 'twilio', number: twilioChoice?.number })).json)
    expect(twilioCard).toMatchObject({ status: 'active', monthlyPrice: { amount: '1.15', currency: 'USD' } })
    expect((await stepsOf(twilioCard.id)).purchase).toMatchObject({
      monthly_price_amount: '1.15',
      monthly_price_currency: 'USD',
    })

    // Telnyx: the price its search gives for that very number (toll-free costs more than local).
    const telnyxChoice = availableNumberListSchema.parse(
      (await search(pricer, 'carrier=telnyx&country=US&type=toll-free')).json,
    ).items[0]
    expect(telnyxChoice?.monthlyPrice).toEqual({ amount: '2.15', currency: 'USD' })
    const telnyxCard = asPhoneNumber((await buy(pricer, { carrier: 'telnyx', number: telnyxChoice?.number })).json)
    expect(telnyxCard).toMatchObject({ status: 'pending', monthlyPrice: { amount: '2.15', currency: 'USD' } })

    // A Telnyx number the owner already holds (kept after a refused import): Telnyx reports no price for it.
    const keptChoice = availableNumberListSchema.parse(
      (await search(pricer, 'carrier=telnyx&country=US&areaCode=212')).json,
    ).items[0]
    const kept = keptChoice?.number ?? ''
    const refused = asPhoneNumber(
      (await buy(pricer, { carrier: 'telnyx', number: kept, assistantId: randomUUID(), keepOnFailure: true })).json,
    )
    await eventually(
      async () => (await stepsOf(refused.id)).purchase.step,
      (step) => step === 'kept',
      10_000,
    )
    const imported = importCarrierNumbersResultSchema.parse(
      await (
        await api(pricer, '/api/phone-numbers/import', { method: 'POST', json: { carrier: 'telnyx', numbers: [kept] } })
      ).json(),
    )
    expect(imported.items[0]).toMatchObject({ outcome: 'imported', phoneNumber: { monthlyPrice: null } })

    // A Vapi number: free, never a price.
    const vapiCard = asPhoneNumber((await buy(pricer, { areaCode: '415' })).json)
    expect(vapiCard.monthlyPrice).toBeNull()

    await eventually(
      async () => (await rowsWithNumber(telnyxChoice?.number ?? '')).find((row) => row.id === telnyxCard.id),
      (row) => row?.status === 'active',
      10_000,
    )
    expect(await monthlyCost()).toEqual({
      totals: [{ currency: 'USD', amount: '3.30', numbers: 2 }],
      priceUnknown: 1,
      freeVapiNumbers: 1,
    })
    // A released number is no longer paid for.
    expect((await api(pricer, `/api/phone-numbers/${twilioCard.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await monthlyCost()).totals).toEqual([{ currency: 'USD', amount: '2.15', numbers: 1 }])
  })

  test('a Telnyx order is pending until its signed webhook says it completed, then live', async () => {
    expect(
      availableNumberListSchema.parse((await search(owner, 'carrier=telnyx&areaCode=500')).json).items.length,
    ).toBeGreaterThan(0)
    const ordered = await buy(owner, { carrier: 'telnyx', number: '+15005550006' })
    expect(ordered.status).toBe(201)
    const card = asPhoneNumber(ordered.json)
    expect(card).toMatchObject({ status: 'pending', provider: 'telnyx', vapiPhoneNumberId: null })
    const live = await eventually(
      async () => (await rowsWithNumber('+15005550006')).find((row) => row.id === card.id),
      (row) => row?.status === 'active',
      10_000,
    )
    expect(live?.status).toBe('active')
    expect(live?.detected_by).toBe('webhook')
    const events = await harness.db.selectFrom('carrier_webhook_event').selectAll().execute()
    expect(events.some((event) => event.event_type === 'number_order.complete' && event.outcome === 'accepted')).toBe(
      true,
    )
    // The webhook is in the inbound log, under the organisation whose number it names.
    const logged = await harness.db
      .selectFrom('inbound_message')
      .selectAll()
      .where('source', '=', 'telnyx')
      .where('outcome', '=', 'accepted')
      .execute()
    expect(logged.find((row) => row.phone_number_id === card.id)).toMatchObject({
      message_type: 'number_order.complete',
      verification: 'ok',
      organization_id: owner.organizationId,
      http_status: 200,
    })
  })

  test('a Telnyx order whose webhook is lost is completed by the worker asking for the order', async () => {
    const other = await harness.signUp('Lost Webhook Owner')
    await fetch(`${telnyx.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ webhookDropRate: 1 }),
    })
    try {
      expect((await search(other, 'carrier=telnyx&areaCode=500')).status).toBe(200)
      const ordered = await buy(other, { carrier: 'telnyx', number: '+15005550006' })
      expect(ordered.status).toBe(201)
      const card = asPhoneNumber(ordered.json)
      await new Promise((resolve) => setTimeout(resolve, 800))
      const stillPending = await harness.db
        .selectFrom('phone_number')
        .selectAll()
        .where('id', '=', card.id)
        .executeTakeFirstOrThrow()
      expect(stillPending.status).toBe('pending')
      const live = await eventually(
        async () => {
          await advanceDueCarrierPurchases(harness.server.carrierPurchases)
          return harness.db.selectFrom('phone_number').selectAll().where('id', '=', card.id).executeTakeFirstOrThrow()
        },
        (row) => row.status === 'active',
        10_000,
      )
      expect(live.status).toBe('active')
      expect(live.detected_by).toBe('poll')
    } finally {
      await fetch(`${telnyx.url}/_sandbox/faults`, { method: 'DELETE' })
    }
  })

  test("an organisation's own Telnyx webhook key verifies its orders; a repeated event is recorded once", async () => {
    const other = await harness.signUp('Own Telnyx Owner')
    const account = await createTelnyxSandboxAccount(telnyx.baseUrl, 'own telnyx')
    const keys = generateTelnyxKeyPair()
    const connected = await api(other, '/api/connections/telnyx', {
      method: 'PUT',
      json: { apiKey: account.apiKey, publicKey: keys.publicKey },
    })
    expect(connected.status).toBe(200)
    expect(connectionSchema.parse(await connected.json())).toMatchObject({ connected: true, source: 'organization' })
    const badKey = await api(other, '/api/connections/telnyx', {
      method: 'PUT',
      json: { apiKey: account.apiKey, publicKey: 'not-a-key' },
    })
    expect(badKey.status).toBe(400)

    expect((await search(other, 'carrier=telnyx&areaCode=500')).status).toBe(200)
    const ordered = await buy(other, { carrier: 'telnyx', number: '+15005550006' })
    expect(ordered.status).toBe(201)
    const card = asPhoneNumber(ordered.json)
    const purchase = await harness.db
      .selectFrom('carrier_purchase')
      .selectAll()
      .where('phone_number_id', '=', card.id)
      .executeTakeFirstOrThrow()
    // This account has no webhook URL at the sandbox: the event is the test's, signed with the account's own key.
    const client = (await harness.server.carrierAccounts.current(other.organizationId, 'telnyx')).client
    const order = await eventually(
      () => client.getNumberOrder(purchase.carrier_order_id ?? ''),
      (found) => found.status !== 'pending',
      5_000,
    )
    expect(order.status).toBe('success')
    const rawBody = JSON.stringify({
      data: {
        id: randomUUID(),
        event_type: 'number_order.complete',
        occurred_at: new Date().toISOString(),
        record_type: 'event',
        payload: {
          id: order.id,
          record_type: 'number_order',
          status: order.status,
          customer_reference: order.customerReference,
          phone_numbers: order.phoneNumbers.map((item) => ({
            id: item.id,
            phone_number: item.phoneNumber,
            status: item.status,
          })),
        },
      },
      meta: { attempt: 1 },
    })
    const deliver = () =>
      fetch(`${harness.baseUrl}/webhooks/telnyx`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signTelnyxWebhook({ rawBody, timestampSeconds: Date.now() / 1000, privateKey: keys.privateKey }),
        },
        body: rawBody,
      })
    const first = await deliver()
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ received: true, outcome: 'accepted' })
    const second = await deliver()
    expect(second.status).toBe(200)
    expect(await second.json()).toEqual({ received: true, outcome: 'duplicate' })
    const live = await eventually(
      async () => harness.db.selectFrom('phone_number').selectAll().where('id', '=', card.id).executeTakeFirstOrThrow(),
      (row) => row.status === 'active',
      5_000,
    )
    expect(live.status).toBe('active')
    expect(live.detected_by).toBe('webhook')
    const told = harness.events.filter((event) => event.phoneNumber.id === card.id).map((e) => e.phoneNumber.status)
    expect(told).toEqual(['pending', 'active'])
  })

  test('a failing Telnyx order fails the card; a webhook whose signature does not verify changes nothing', async () => {
    const ordered = await buy(owner, { carrier: 'telnyx', number: '+15005550000' })
    expect(ordered.status).toBe(201)
    const card = asPhoneNumber(ordered.json)
    const failed = await eventually(
      async () => harness.db.selectFrom('phone_number').selectAll().where('id', '=', card.id).executeTakeFirstOrThrow(),
      (row) => row.status !== 'pending',
      10_000,
    )
    expect(failed.status).toBe('failed')
    expect(failed.failure_code).toBe('carrier_order_failed')

    const forger = generateTelnyxKeyPair()
    const rawBody = JSON.stringify({
      data: {
        id: randomUUID(),
        event_type: 'number_order.complete',
        occurred_at: new Date().toISOString(),
        record_type: 'event',
        payload: { id: randomUUID(), record_type: 'number_order', status: 'success', phone_numbers: [] },
      },
      meta: { attempt: 1 },
    })
    const before = await harness.db.selectFrom('carrier_webhook_event').select('event_id').execute()
    const forged = await fetch(`${harness.baseUrl}/webhooks/telnyx`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signTelnyxWebhook({ rawBody, timestampSeconds: Date.now() / 1000, privateKey: forger.privateKey }),
      },
      body: rawBody,
    })
    expect(forged.status).toBe(401)
    const after = await harness.db.selectFrom('carrier_webhook_event').select('event_id').execute()
    expect(after.length).toBe(before.length)
    // Logged as refused, for platform admins only (no organisation).
    const refused = await harness.db
      .selectFrom('inbound_message')
      .selectAll()
      .where('source', '=', 'telnyx')
      .where('verification', '=', 'bad-signature')
      .execute()
    expect(refused.length).toBeGreaterThan(0)
    expect(refused.every((row) => row.organization_id === null && row.http_status === 401)).toBe(true)
  })

  test('a purchase cut short after Twilio sold the number is found at Twilio and carried on to live', async () => {
    const offered = availableNumberListSchema.parse((await search(owner, 'carrier=twilio&country=US&region=NY')).json)
    const chosen = offered.items[0]?.number ?? ''
    expect(chosen).not.toBe('')
    const account = await harness.server.carrierAccounts.current(owner.organizationId, 'twilio')
    // The process died right after Twilio answered: the saga row says "purchasing", its holder's lease has run out.
    const purchase = await harness.db
      .insertInto('carrier_purchase')
      .values({
        organization_id: owner.organizationId,
        kind: 'buy',
        carrier: 'twilio',
        carrier_account: account.ref,
        number: chosen,
        country: 'US',
        capabilities: JSON.stringify({ voice: true, sms: true, mms: false }),
        name: null,
        assistant_id: null,
        requested_by_user_id: owner.userId,
        idempotency_key: null,
        step: 'purchasing',
        created_at: new Date(),
        updated_at: new Date(),
        lease_until: new Date(Date.now() - 1_000),
        next_attempt_at: new Date(Date.now() - 1_000),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await account.client.buyNumber({ phoneNumber: chosen, friendlyName: purchaseTag(purchase.id) })
    const round = await advanceDueCarrierPurchases(harness.server.carrierPurchases)
    expect(round.claimed).toBeGreaterThanOrEqual(1)
    const [card] = await rowsWithNumber(chosen)
    expect(card?.status).toBe('active')
    expect(card?.detected_by).toBe('poll')

    // One that died before Twilio sold anything is closed as nothing bought.
    const unbought = offered.items[1]?.number ?? ''
    expect(unbought).not.toBe('')
    const nothing = await harness.db
      .insertInto('carrier_purchase')
      .values({
        ...purchase,
        id: randomUUID(),
        number: unbought,
        step: 'purchasing',
        phone_number_id: null,
        carrier_number_id: null,
        capabilities: JSON.stringify(purchase.capabilities),
        settled_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await advanceDueCarrierPurchases(harness.server.carrierPurchases)
    const closed = await harness.db
      .selectFrom('carrier_purchase')
      .selectAll()
      .where('id', '=', nothing.id)
      .executeTakeFirstOrThrow()
    expect(closed.step).toBe('refused')
    expect(await rowsWithNumber(unbought)).toEqual([])
  })

  test('Vapi failing (500) at the import: the number waits, bought, and the worker imports it once Vapi is back', async () => {
    const offered = availableNumberListSchema.parse(
      (await search(owner, 'carrier=twilio&country=US&areaCode=312')).json,
    )
    // A number this suite has not bought before (released numbers go back on sale at the sandbox).
    let chosen = ''
    for (const item of offered.items) {
      if ((await rowsWithNumber(item.number)).length === 0 && (await heldAt(twilio, item.number)).length === 0) {
        chosen = item.number
        break
      }
    }
    expect(chosen).not.toBe('')
    const setVapiFaults = (faults: Record<string, unknown> | null) =>
      fetch(`${vapi.url}/_sandbox/faults`, {
        method: faults ? 'POST' : 'DELETE',
        headers: { 'content-type': 'application/json' },
        ...(faults ? { body: JSON.stringify(faults) } : {}),
      })
    await setVapiFaults({ errorRate: 1 })
    let bought: Awaited<ReturnType<typeof buy>>
    try {
      bought = await buy(owner, { carrier: 'twilio', number: chosen })
      // Bought at Twilio and waiting for Vapi: not released, not in Vapi, the card pending through a worker round.
      expect((await heldAt(twilio, chosen)).filter((entry) => !entry.releasedAt)).toHaveLength(1)
      expect((await vapiHolds(chosen)).filter((entry) => entry.releasedAt === null)).toEqual([])
      await advanceDueCarrierPurchases(harness.server.carrierPurchases)
      expect((await rowsWithNumber(chosen)).map((row) => row.status)).toEqual(['pending'])
    } finally {
      await setVapiFaults(null)
    }
    // The owner gets the card at once, pending and not in Vapi yet: bought, waiting on the import.
    expect(bought.status).toBe(201)
    expect(asPhoneNumber(bought.json)).toMatchObject({ status: 'pending', vapiPhoneNumberId: null, provider: 'twilio' })
    const card = await eventually(
      async () => {
        await advanceDueCarrierPurchases(harness.server.carrierPurchases)
        return (await rowsWithNumber(chosen))[0]
      },
      (row) => row?.status === 'active',
      10_000,
    )
    expect(card?.status).toBe('active')
    expect((await rowsWithNumber(chosen)).length).toBe(1)
    expect((await heldAt(twilio, chosen)).filter((entry) => !entry.releasedAt)).toHaveLength(1)
    expect((await vapiHolds(chosen)).filter((entry) => entry.releasedAt === null)).toHaveLength(1)
  })

  test('"Check now" on a pending Telnyx card asks Telnyx for the order at once', async () => {
    const checker = await harness.signUp('Checker')
    await fetch(`${telnyx.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ webhookDropRate: 1 }),
    })
    try {
      expect((await search(checker, 'carrier=telnyx&areaCode=500')).status).toBe(200)
      const card = asPhoneNumber((await buy(checker, { carrier: 'telnyx', number: '+15005550006' })).json)
      expect(card.status).toBe('pending')
      const purchase = await harness.db
        .selectFrom('carrier_purchase')
        .selectAll()
        .where('phone_number_id', '=', card.id)
        .executeTakeFirstOrThrow()
      const client = (await harness.server.carrierAccounts.current(checker.organizationId, 'telnyx')).client
      await eventually(
        () => client.getNumberOrder(purchase.carrier_order_id ?? ''),
        (order) => order.status !== 'pending',
        5_000,
      )
      const checked = await api(checker, `/api/phone-numbers/${card.id}/refresh`, { method: 'POST' })
      expect(checked.status).toBe(200)
      expect(asPhoneNumber(await checked.json())).toMatchObject({ status: 'active', detectedBy: 'manual' })
    } finally {
      await fetch(`${telnyx.url}/_sandbox/faults`, { method: 'DELETE' })
    }
  })

  test('a Telnyx order whose answer was lost is found by its customer reference and followed to live', async () => {
    const other = await harness.signUp('Lost Answer Owner')
    expect((await search(other, 'carrier=telnyx&areaCode=500')).status).toBe(200)
    const account = await harness.server.carrierAccounts.current(other.organizationId, 'telnyx')
    const purchase = await harness.db
      .insertInto('carrier_purchase')
      .values({
        organization_id: other.organizationId,
        kind: 'buy',
        carrier: 'telnyx',
        carrier_account: account.ref,
        number: '+15005550006',
        country: 'US',
        capabilities: JSON.stringify({ voice: true, sms: false, mms: false }),
        name: null,
        assistant_id: null,
        requested_by_user_id: other.userId,
        idempotency_key: null,
        step: 'purchasing',
        created_at: new Date(),
        updated_at: new Date(),
        lease_until: new Date(Date.now() - 1_000),
        next_attempt_at: new Date(Date.now() - 1_000),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    // Telnyx took the order; the process died before it wrote the order's id down.
    await account.client.createNumberOrder({ phoneNumbers: ['+15005550006'], customerReference: purchase.id })
    const live = await eventually(
      async () => {
        await advanceDueCarrierPurchases(harness.server.carrierPurchases)
        return harness.db
          .selectFrom('carrier_purchase')
          .selectAll()
          .where('id', '=', purchase.id)
          .executeTakeFirstOrThrow()
      },
      (row) => row.step === 'live',
      10_000,
    )
    expect(live.step).toBe('live')
    expect(live.carrier_order_id).not.toBeNull()
    const card = await harness.db
      .selectFrom('phone_number')
      .selectAll()
      .where('id', '=', live.phone_number_id ?? '')
      .executeTakeFirstOrThrow()
    expect(card.status).toBe('active')
  })

  test("another organisation neither sees nor touches this organisation's carrier numbers", async () => {
    const stranger = await harness.signUp('Stranger')
    const mine = asPhoneNumber(
      (
        await buy(owner, {
          carrier: 'twilio',
          number:
            availableNumberListSchema.parse((await search(owner, 'carrier=twilio&country=GB')).json).items[0]?.number ??
            '',
        })
      ).json,
    )
    expect((await api(stranger, `/api/phone-numbers/${mine.id}`, { method: 'DELETE' })).status).toBe(404)
    const theirs = carrierNumberListSchema.parse(
      await (await api(stranger, '/api/carrier-numbers?carrier=twilio')).json(),
    )
    expect(theirs.items.map((item) => item.number)).not.toContain(mine.number)
    const stolen = await api(stranger, '/api/phone-numbers/import', {
      method: 'POST',
      json: { carrier: 'twilio', numbers: [mine.number] },
    })
    const result = importCarrierNumbersResultSchema.parse(await stolen.json())
    expect(result.items[0]).toMatchObject({ outcome: 'failed', error: { code: 'NOT_FOUND' } })
    const stillMine: PhoneNumber = asPhoneNumber(await (await api(owner, `/api/phone-numbers/${mine.id}`)).json())
    expect(stillMine.status).toBe('active')
  })
  test('API keys reach the carrier routes with the numbers scopes; a read-only key buys and imports nothing', async () => {
    const made = await api(owner, '/api/api-keys', {
      method: 'POST',
      json: { name: 'reader', scopes: ['numbers:read'] },
    })
    const { key } = z.object({ key: z.string() }).parse(await made.json())
    const asKey = (path: string, init: { method?: string; json?: unknown } = {}) =>
      harness.request(path, { ...init, headers: { authorization: `Bearer ${key}` } })
    expect((await asKey('/api/available-numbers?carrier=twilio&country=US')).status).toBe(200)
    expect((await asKey('/api/carrier-numbers?carrier=twilio')).status).toBe(200)
    const importing = await asKey('/api/phone-numbers/import', {
      method: 'POST',
      json: { carrier: 'twilio', numbers: ['+15005550006'] },
    })
    expect(importing.status).toBe(403)
    const buying = await asKey('/api/phone-numbers', {
      method: 'POST',
      json: { carrier: 'twilio', number: '+15005550006' },
    })
    expect(buying.status).toBe(403)
    expect((await asKey('/api/connections/twilio')).status).toBe(403)
  })

  // Last: the server's own box cannot open what is re-sealed under the new key.
  test('pnpm credentials:rotate re-seals the carrier credentials with the Vapi keys', async () => {
    const next = createCredentialBox({
      current: 'rotated-credentials-key-0123456789abcdef',
      previous: ['test-credentials-key-0123456789abcdef'],
    })
    const report = await rotateCredentials(harness.db, next)
    expect(report.connections.unreadable).toBe(0)
    expect(report.connections.resealed).toBeGreaterThan(0)
    const rows = await harness.db
      .selectFrom('provider_connection')
      .selectAll()
      .where('provider', 'in', ['twilio', 'telnyx'])
      .execute()
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(next.isCurrent(row.secret_ciphertext)).toBe(true)
      const opened: unknown = JSON.parse(next.open(row.secret_ciphertext))
      expect(opened).toHaveProperty(row.provider === 'twilio' ? 'accountSid' : 'apiKey')
    }
  })
})
