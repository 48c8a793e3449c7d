import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { z } from 'zod'
import { startTwilioSandbox, type RunningTwilioSandbox } from '../carrier-sandbox/start-carrier-sandboxes.ts'
import { carrierRejection } from './test-support/carrier-rejection.ts'
import { createTwilioSandboxAccount, type TwilioSandboxAccount } from './create-carrier-sandbox-account.ts'
import { createTwilioClient, type TwilioClient } from './twilio-client.ts'

// The Twilio client against the Twilio sandbox on a real port: Twilio's paths, Basic auth, form bodies and errors.

let sandbox: RunningTwilioSandbox
beforeAll(async () => {
  sandbox = await startTwilioSandbox({ port: 0 })
})
afterAll(() => sandbox.close())
afterEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
})

async function freshAccount(): Promise<{ account: TwilioSandboxAccount; client: TwilioClient }> {
  const account = await createTwilioSandboxAccount(sandbox.baseUrl, `test ${Math.random()}`)
  const client = createTwilioClient({
    baseUrl: sandbox.baseUrl,
    credentials: { accountSid: account.accountSid, apiKeySid: account.apiKeySid, apiKeySecret: account.apiKeySecret },
  })
  return { account, client }
}

const heldShape = z.array(
  z.object({ sid: z.string(), accountSid: z.string(), phoneNumber: z.string(), releasedAt: z.string().nullable() }),
)
async function held(accountSid: string) {
  const response = await fetch(`${sandbox.url}/_sandbox/numbers?accountSid=${accountSid}`)
  return heldShape.parse(await response.json()).filter((number) => number.releasedAt === null)
}

const rejection = carrierRejection

test('credentials: an API key and the auth token both open the account; a wrong secret is unauthorized (20003)', async () => {
  const { account, client } = await freshAccount()
  await client.checkCredentials()
  await createTwilioClient({
    baseUrl: sandbox.baseUrl,
    credentials: { accountSid: account.accountSid, authToken: account.authToken },
  }).checkCredentials()

  const wrong = createTwilioClient({
    baseUrl: sandbox.baseUrl,
    credentials: { accountSid: account.accountSid, apiKeySid: account.apiKeySid, apiKeySecret: 'not-the-secret' },
  })
  const error = await rejection(wrong.checkCredentials())
  expect(error).toMatchObject({ carrier: 'twilio', kind: 'unauthorized', code: '20003', status: 401 })

  // A key of one account cannot reach another account's numbers.
  const other = await freshAccount()
  const crossed = createTwilioClient({
    baseUrl: sandbox.baseUrl,
    credentials: {
      accountSid: other.account.accountSid,
      apiKeySid: account.apiKeySid,
      apiKeySecret: account.apiKeySecret,
    },
  })
  expect((await rejection(crossed.listIncoming())).kind).toBe('unauthorized')
})

test('countries: US, CA and GB with the types each offers', async () => {
  const { client } = await freshAccount()
  const countries = await client.listCountries()
  expect(countries.map((country) => country.country).sort()).toEqual(['CA', 'GB', 'US'])
  expect(countries.find((country) => country.country === 'GB')?.types.sort()).toEqual(['local', 'mobile', 'toll-free'])
  expect(countries.find((country) => country.country === 'US')?.types.sort()).toEqual(['local', 'toll-free'])
})

test('search by contains: a word becomes keypad digits, every number has it, with locality, region and capabilities', async () => {
  const { client } = await freshAccount()
  const page = await client.searchAvailable({ country: 'US', type: 'local', contains: 'PIZZA', pageSize: 20 })
  expect(page.items.length).toBe(20)
  for (const item of page.items) {
    expect(item.number.slice(1)).toContain('74992')
    expect(item.country).toBe('US')
    expect(item.locality).toEqual(expect.any(String))
    expect(item.region).toMatch(/^[A-Z]{2}$/)
    expect(item.capabilities).toEqual({ voice: true, sms: true, mms: true })
    expect(item.addressRequired).toBe(false)
    expect(item.monthlyPrice).toEqual({ amount: '1.15', currency: 'USD' })
  }
  expect(new Set(page.items.map((item) => item.number)).size).toBe(20)

  const wildcard = await client.searchAvailable({ country: 'US', type: 'local', areaCode: '415', contains: '415***7' })
  expect(wildcard.items.length).toBeGreaterThan(0)
  for (const item of wildcard.items) expect(item.number).toMatch(/^\+1415\d{3}7|^\+1415.*415\d{3}7/)
})

test('search by locality, region, area code, near a number, in Canada and the UK; pages follow next_page_uri', async () => {
  const { client } = await freshAccount()
  const toronto = await client.searchAvailable({ country: 'CA', type: 'local', locality: 'Toronto', pageSize: 5 })
  expect(toronto.items.length).toBe(5)
  expect(toronto.items.every((item) => item.number.startsWith('+1416') && item.region === 'ON')).toBe(true)

  const london = await client.searchAvailable({ country: 'GB', type: 'local', locality: 'London', pageSize: 5 })
  expect(london.items.every((item) => item.number.startsWith('+4420') && item.addressRequired)).toBe(true)
  expect(london.items[0]?.capabilities).toEqual({ voice: true, sms: false, mms: false })

  const gbMobile = await client.searchAvailable({ country: 'GB', type: 'mobile', sms: true, pageSize: 3 })
  expect(gbMobile.items.every((item) => item.number.startsWith('+447') && item.capabilities.sms)).toBe(true)

  const texas = await client.searchAvailable({ country: 'US', type: 'local', region: 'TX', pageSize: 3 })
  expect(texas.items.every((item) => item.locality === 'Austin')).toBe(true)

  // Oakland and Palo Alto are within 40 miles of San Francisco; Los Angeles is not.
  const near = await client.searchAvailable({
    country: 'US',
    type: 'local',
    nearNumber: '+14155550123',
    distance: 40,
    pageSize: 60,
  })
  const localities = new Set(near.items.map((item) => item.locality))
  expect(localities).toEqual(new Set(['San Francisco', 'Oakland', 'Palo Alto']))

  const first = await client.searchAvailable({ country: 'US', type: 'toll-free', pageSize: 10 })
  expect(first.nextPage).toEqual(expect.any(String))
  const second = await client.searchAvailable({ country: 'US', type: 'toll-free', page: first.nextPage })
  expect(second.items.length).toBe(10)
  const both = new Set([...first.items, ...second.items].map((item) => item.number))
  expect(both.size).toBe(20)

  // A page token is Twilio's next_page_uri: one for another path is refused before anything is sent.
  const forged = Buffer.from('/2010-04-01/Accounts/ACother/IncomingPhoneNumbers.json').toString('base64url')
  expect((await rejection(client.searchAvailable({ country: 'US', type: 'local', page: forged }))).kind).toBe('invalid')

  // The US has no mobile numbers at Twilio: Twilio answers 404 (20404).
  const mobile = await rejection(client.searchAvailable({ country: 'US', type: 'mobile' }))
  expect(mobile).toMatchObject({ kind: 'not-found', code: '20404' })
})

test('buy a searched number, see it listed, release it; it is then for sale again and nothing is left behind', async () => {
  const { account, client } = await freshAccount()
  const [chosen] = (await client.searchAvailable({ country: 'US', type: 'local', areaCode: '512', pageSize: 1 })).items
  if (!chosen) throw new Error('no number found')
  const bought = await client.buyNumber({ phoneNumber: chosen.number, friendlyName: 'Front desk' })
  expect(bought).toMatchObject({ phoneNumber: chosen.number, friendlyName: 'Front desk', status: 'in-use' })
  expect(bought.sid).toMatch(/^PN[0-9a-f]{32}$/)
  expect(bought.capabilities).toEqual({ voice: true, sms: true, mms: true })
  expect(Date.parse(bought.dateCreated ?? '')).not.toBeNaN()

  expect((await client.listIncoming({ phoneNumber: chosen.number })).map((number) => number.sid)).toEqual([bought.sid])
  // Bought by one account, it is unavailable to the next.
  const other = await freshAccount()
  const taken = await rejection(other.client.buyNumber({ phoneNumber: chosen.number }))
  expect(taken).toMatchObject({ kind: 'unavailable', code: '21422', status: 400 })
  expect(taken.moreInfo).toBe('https://www.twilio.com/docs/errors/21422')

  await client.releaseNumber(bought.sid)
  expect(await client.listIncoming()).toEqual([])
  expect(await held(account.accountSid)).toEqual([])
  expect((await rejection(client.releaseNumber(bought.sid))).kind).toBe('not-found')
  const rebought = await other.client.buyNumber({ phoneNumber: chosen.number })
  await other.client.releaseNumber(rebought.sid)
})

test("Twilio's magic numbers: 0006 buys, 0000 is unavailable (21422), 0001 is invalid (21421); failures hold nothing", async () => {
  const { account, client } = await freshAccount()
  const unavailable = await rejection(client.buyNumber({ phoneNumber: '+15005550000' }))
  expect(unavailable).toMatchObject({ kind: 'unavailable', code: '21422' })
  const invalid = await rejection(client.buyNumber({ phoneNumber: '+15005550001' }))
  expect(invalid).toMatchObject({ kind: 'invalid', code: '21421' })
  expect((await rejection(client.buyNumber({ phoneNumber: 'not a number' }))).kind).toBe('invalid')
  expect(await held(account.accountSid)).toEqual([])

  const magic = await client.buyNumber({ phoneNumber: '+15005550006' })
  expect(magic.phoneNumber).toBe('+15005550006')
  // The test number is never really taken: another account can "buy" it too.
  const other = await freshAccount()
  const again = await other.client.buyNumber({ phoneNumber: '+15005550006' })
  await client.releaseNumber(magic.sid)
  await other.client.releaseNumber(again.sid)

  // The three show up under area code 500, so a person can try them from the search.
  const shown = await client.searchAvailable({ country: 'US', type: 'local', areaCode: '500' })
  expect(shown.items.map((item) => item.number)).toEqual(['+15005550006', '+15005550000', '+15005550001'])
})

test('faults: throttled is rate-limited with Retry-After, 500 is server, a lost answer still bought the number', async () => {
  const { account, client } = await freshAccount()
  const post = (body: unknown) =>
    fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  await post({ rateLimitRate: 1 })
  expect(await rejection(client.listIncoming())).toMatchObject({
    kind: 'rate-limited',
    code: '20429',
    retryAfterMs: 1000,
  })
  await post({ rateLimitRate: 0, errorRate: 1 })
  const failed = await rejection(client.listIncoming())
  expect(failed).toMatchObject({ kind: 'server', status: 500 })
  expect(failed.isRetryable).toBe(true)
  await post({ errorRate: 0, lostPurchaseAnswerRate: 1 })
  const [chosen] = (await client.searchAvailable({ country: 'US', type: 'local', areaCode: '303', pageSize: 1 })).items
  if (!chosen) throw new Error('no number found')
  expect((await rejection(client.buyNumber({ phoneNumber: chosen.number }))).kind).toBe('server')
  await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
  const found = await client.listIncoming({ phoneNumber: chosen.number })
  expect(found.map((number) => number.phoneNumber)).toEqual([chosen.number])
  await client.releaseNumber(found[0]?.sid ?? '')
  expect(await held(account.accountSid)).toEqual([])
})

test('a carrier that cannot be reached is a network error', async () => {
  const client = createTwilioClient({
    baseUrl: 'http://127.0.0.1:9',
    credentials: { accountSid: 'AC0', authToken: 'x' },
    timeoutMs: 2_000,
  })
  expect((await rejection(client.checkCredentials())).kind).toBe('network')
  expect(() => createTwilioClient({ credentials: { accountSid: 'AC0' } })).toThrow(
    /API key and secret, or the auth token/,
  )
})

test("prices come from Twilio's Pricing API; without it, numbers still come, without a price", async () => {
  const { account, client } = await freshAccount()
  expect(await client.monthlyPrice('US', 'toll-free')).toEqual({ amount: '2.15', currency: 'USD' })
  expect(await client.monthlyPrice('GB', 'mobile')).toEqual({ amount: '1.15', currency: 'USD' })
  expect(await client.monthlyPrice('US', 'mobile')).toBeNull()

  const noPricing = createTwilioClient({
    baseUrl: sandbox.baseUrl,
    pricingBaseUrl: 'http://127.0.0.1:9',
    timeoutMs: 2_000,
    credentials: { accountSid: account.accountSid, authToken: account.authToken },
  })
  const page = await noPricing.searchAvailable({ country: 'CA', type: 'local', pageSize: 2 })
  expect(page.items).toHaveLength(2)
  expect(page.items.every((item) => item.monthlyPrice === undefined)).toBe(true)
})
