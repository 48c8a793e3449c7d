// A stand-in for Twilio's phone-number API (2010-04-01) on a real port: accounts with an auth token and API keys,
// HTTP Basic auth, form-encoded bodies, Twilio's JSON shapes and error codes, the documented magic test numbers, a
// virtual inventory in the US, Canada and the UK, faults, and a state file. How to use it: docs/carrier-sandboxes.md.
import { timingSafeEqual } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { carrierNumberTypes, type CarrierNumberType } from '../carriers/carrier-types.ts'
import {
  countryInfo,
  createInventory,
  friendlyName,
  inventoryCountries,
  locationOf,
  magicNumbers,
  placeOf,
  type InventorySearch,
  type Place,
} from './carrier-inventory.ts'
import { readCarrierSandboxState } from './carrier-sandbox-state-file.ts'
import {
  addFaultAndRequestRoutes,
  apiGate,
  createSandboxKit,
  parseJsonBody,
  randomHex,
  type CarrierSandboxBaseOptions,
} from './carrier-sandbox-kit.ts'

export type TwilioSandboxOptions = CarrierSandboxBaseOptions

const capabilitiesSchema = z.object({ voice: z.boolean(), sms: z.boolean(), mms: z.boolean() })

const twilioAccountSchema = z.object({
  sid: z.string(),
  name: z.string(),
  authToken: z.string(),
  createdAt: z.string(),
  keys: z.array(z.object({ sid: z.string(), secret: z.string(), friendlyName: z.string(), createdAt: z.string() })),
})
type TwilioAccount = z.infer<typeof twilioAccountSchema>

const twilioNumberSchema = z.object({
  sid: z.string(),
  accountSid: z.string(),
  phoneNumber: z.string(),
  friendlyName: z.string(),
  country: z.string(),
  type: z.enum(['local', 'toll-free', 'mobile']),
  capabilities: capabilitiesSchema,
  addressRequirements: z.string(),
  createdAt: z.string(),
  releasedAt: z.string().nullable(),
})
type TwilioNumber = z.infer<typeof twilioNumberSchema>

export const twilioSandboxStateSchema = z.object({
  version: z.literal(1),
  carrier: z.literal('twilio'),
  accounts: z.array(twilioAccountSchema),
  numbers: z.array(twilioNumberSchema),
})

type Env = { Variables: { account: TwilioAccount } }

const typeFiles: Record<string, CarrierNumberType> = {
  'Local.json': 'local',
  'TollFree.json': 'toll-free',
  'Mobile.json': 'mobile',
}
const typeSubresources: Record<CarrierNumberType, string> = {
  local: 'local',
  'toll-free': 'toll_free',
  mobile: 'mobile',
}
const typeFileOf: Record<CarrierNumberType, string> = { local: 'Local', 'toll-free': 'TollFree', mobile: 'Mobile' }

/** Twilio's error body. */
export function twilioError(status: number, code: number, message: string, headers?: Record<string, string>) {
  return Response.json(
    { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    { status, headers },
  )
}

const notFound = (path: string) => twilioError(404, 20404, `The requested resource ${path} was not found`)
const unauthenticated = () => twilioError(401, 20003, 'Authenticate')

/** Twilio's dates: RFC 2822 with +0000. */
function rfc2822(iso: string) {
  return new Date(iso).toUTCString().replace('GMT', '+0000')
}

function sameSecret(given: string, expected: string) {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const encoded = /^Basic\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
  if (!encoded) return null
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

function truthy(value: string | undefined) {
  return value === undefined ? undefined : value.toLowerCase() === 'true'
}

export function createTwilioSandbox(options: TwilioSandboxOptions = {}) {
  const kit = createSandboxKit('twilio', options)
  const accounts = new Map<string, TwilioAccount>()
  const numbers = new Map<string, TwilioNumber>()
  const heldNumbers = new Set<string>()
  const inventory = createInventory('twilio', (number) => heldNumbers.has(number))

  const snapshot = () => ({
    version: 1 as const,
    carrier: 'twilio' as const,
    accounts: [...accounts.values()],
    numbers: [...numbers.values()],
  })
  const persist = () => kit.persist(snapshot)

  const restored =
    options.stateFile === undefined
      ? null
      : readCarrierSandboxState('Twilio', options.stateFile, twilioSandboxStateSchema)
  if (restored) {
    for (const account of restored.accounts) accounts.set(account.sid, account)
    for (const number of restored.numbers) {
      numbers.set(number.sid, number)
      if (number.releasedAt === null) heldNumbers.add(number.phoneNumber)
    }
    kit.logger?.info({ accounts: accounts.size, numbers: numbers.size }, 'twilio sandbox state restored')
  } else {
    persist()
  }

  function newKey(friendly: string) {
    return { sid: `SK${randomHex(32)}`, secret: randomHex(32), friendlyName: friendly, createdAt: kit.nowIso() }
  }

  function accountForCredentials(header: string | undefined): TwilioAccount | null {
    const credentials = basicCredentials(header)
    if (!credentials) return null
    const { username, password } = credentials
    if (username.startsWith('AC')) {
      const account = accounts.get(username)
      return account && sameSecret(password, account.authToken) ? account : null
    }
    for (const account of accounts.values()) {
      const key = account.keys.find((candidate) => candidate.sid === username)
      if (key) return sameSecret(password, key.secret) ? account : null
    }
    return null
  }

  function incomingJson(number: TwilioNumber) {
    const base = `/2010-04-01/Accounts/${number.accountSid}/IncomingPhoneNumbers/${number.sid}`
    return {
      sid: number.sid,
      account_sid: number.accountSid,
      friendly_name: number.friendlyName,
      phone_number: number.phoneNumber,
      capabilities: { ...number.capabilities, fax: false },
      status: 'in-use',
      address_requirements: number.addressRequirements,
      beta: false,
      origin: 'twilio',
      api_version: '2010-04-01',
      voice_url: null,
      sms_url: null,
      date_created: rfc2822(number.createdAt),
      date_updated: rfc2822(number.createdAt),
      uri: `${base}.json`,
    }
  }

  function availableJson(number: string, place: Place | null) {
    const info = place ? countryInfo(place.country) : countryInfo('US')
    const type = place?.type ?? 'local'
    const capabilities = info?.capabilities[type] ?? { voice: true, sms: true, mms: true }
    return {
      friendly_name: friendlyName(number),
      phone_number: number,
      lata: null,
      rate_center: place?.rateCenter ?? null,
      latitude: place?.latitude?.toFixed(6) ?? null,
      longitude: place?.longitude?.toFixed(6) ?? null,
      locality: place?.locality ?? null,
      region: place?.region ?? null,
      postal_code: place?.postalCode ?? null,
      iso_country: place?.country ?? 'US',
      address_requirements: info?.addressRequirements[type] ?? 'none',
      beta: false,
      capabilities: { voice: capabilities.voice, SMS: capabilities.sms, MMS: capabilities.mms, fax: false },
    }
  }

  function page<T>(c: Context, items: T[], listName: string, basePath: string) {
    const pageSize = Math.min(Math.max(Number(c.req.query('PageSize') ?? '50') || 50, 1), 1000)
    const pageNumber = Math.max(Number(c.req.query('Page') ?? '0') || 0, 0)
    const start = pageNumber * pageSize
    const slice = items.slice(start, start + pageSize)
    const params = new URL(c.req.url).searchParams
    const uriFor = (n: number) => {
      const next = new URLSearchParams(params)
      next.set('PageSize', String(pageSize))
      next.set('Page', String(n))
      return `${basePath}?${next.toString()}`
    }
    return {
      [listName]: slice,
      page: pageNumber,
      page_size: pageSize,
      start,
      end: start + Math.max(slice.length - 1, 0),
      uri: uriFor(pageNumber),
      first_page_uri: uriFor(0),
      next_page_uri: start + pageSize < items.length ? uriFor(pageNumber + 1) : null,
      previous_page_uri: pageNumber > 0 ? uriFor(pageNumber - 1) : null,
    }
  }

  function hold(account: TwilioAccount, phoneNumber: string, place: Place | null, friendly: string | undefined) {
    const type = place?.type ?? 'local'
    const info = countryInfo(place?.country ?? 'US')
    const number: TwilioNumber = {
      sid: `PN${randomHex(32)}`,
      accountSid: account.sid,
      phoneNumber,
      friendlyName: friendly ?? friendlyName(phoneNumber),
      country: place?.country ?? 'US',
      type,
      capabilities: info?.capabilities[type] ?? { voice: true, sms: true, mms: true },
      addressRequirements: info?.addressRequirements[type] ?? 'none',
      createdAt: kit.nowIso(),
      releasedAt: null,
    }
    numbers.set(number.sid, number)
    // Test credentials' magic number is never really bought, so any number of accounts may "buy" it.
    if (phoneNumber !== magicNumbers.buys) heldNumbers.add(phoneNumber)
    persist()
    kit.logger?.info({ sid: number.sid, accountSid: account.sid, phoneNumber }, 'twilio sandbox number bought')
    return number
  }

  const app = new Hono<Env>()
  app.onError((error) => {
    kit.logger?.error({ err: error }, 'twilio sandbox handler failed')
    return twilioError(500, 20500, 'Internal Server Error')
  })
  app.notFound((c) => notFound(c.req.path))

  // The API: logged, faulted, authenticated. The control routes under /_sandbox are none of these.
  const gate = apiGate<Env>(
    kit,
    {
      throttled: () => twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '1' }),
      failed: () => twilioError(500, 20500, 'Internal Server Error'),
      unauthenticated,
    },
    (c) => {
      const account = accountForCredentials(c.req.header('authorization'))
      const pathSid = /^\/2010-04-01\/Accounts\/([^/]+?)(?:\.json)?(?:\/|$)/.exec(c.req.path)?.[1]
      if (!account || (pathSid !== undefined && pathSid !== account.sid)) return null
      c.set('account', account)
      return account.sid
    },
  )
  app.use('/2010-04-01/*', gate)
  // Twilio's Pricing API (pricing.twilio.com), served here too so one base URL reaches both.
  app.use('/v1/*', gate)

  app.get('/2010-04-01/Accounts/:file', (c) => {
    const account = c.get('account')
    if (c.req.param('file') !== `${account.sid}.json`) return notFound(c.req.path)
    return c.json({
      sid: account.sid,
      friendly_name: account.name,
      status: 'active',
      type: 'Full',
      date_created: rfc2822(account.createdAt),
      uri: `/2010-04-01/Accounts/${account.sid}.json`,
    })
  })

  app.get('/2010-04-01/Accounts/:sid/AvailablePhoneNumbers.json', (c) => {
    const base = `/2010-04-01/Accounts/${c.get('account').sid}/AvailablePhoneNumbers`
    return c.json({
      uri: `${base}.json`,
      countries: inventoryCountries.map((info) => ({
        country_code: info.country,
        country: info.name,
        beta: false,
        uri: `${base}/${info.country}.json`,
        subresource_uris: Object.fromEntries(
          carrierNumberTypes
            .filter((type) => info.capabilities[type] !== undefined)
            .map((type) => [typeSubresources[type], `${base}/${info.country}/${typeFileOf[type]}.json`]),
        ),
      })),
    })
  })

  app.get('/2010-04-01/Accounts/:sid/AvailablePhoneNumbers/:country/:typeFile', (c) => {
    const country = c.req.param('country').toUpperCase()
    const type = typeFiles[c.req.param('typeFile')]
    const info = countryInfo(country)
    if (!type || !info || info.capabilities[type] === undefined || c.req.param('country') !== country) {
      return notFound(c.req.path)
    }
    const query = (name: string) => {
      const value = c.req.query(name)
      return value === undefined || value === '' ? undefined : value
    }
    const contains = query('Contains')
    if (contains !== undefined && !/^[0-9a-zA-Z*]{2,}$/.test(contains)) {
      return twilioError(400, 21421, `Contains must be at least two characters of 0-9, a-z, A-Z or *: ${contains}`)
    }
    const areaCode = query('AreaCode')
    const pageSize = Math.min(Math.max(Number(query('PageSize') ?? '50') || 50, 1), 1000)
    const pageNumber = Math.max(Number(query('Page') ?? '0') || 0, 0)
    const search: InventorySearch = {
      country,
      type,
      areaCode,
      contains,
      locality: query('InLocality'),
      region: query('InRegion'),
      postalCode: query('InPostalCode'),
      capabilities: {
        voice: truthy(query('VoiceEnabled')),
        sms: truthy(query('SmsEnabled')),
        mms: truthy(query('MmsEnabled')),
      },
    }
    const nearNumber = query('NearNumber')
    const nearLatLong = query('NearLatLong')
    const miles = Math.min(Number(query('Distance') ?? '25') || 25, 500)
    if (nearNumber !== undefined) {
      const location = locationOf(nearNumber.startsWith('+') ? nearNumber : `+${nearNumber}`)
      search.near = location ? { ...location, miles } : { latitude: 0, longitude: 0, miles: -1 }
    } else if (nearLatLong !== undefined) {
      const [latitude, longitude] = nearLatLong.split(',').map(Number)
      if (latitude === undefined || longitude === undefined || Number.isNaN(latitude) || Number.isNaN(longitude)) {
        return twilioError(400, 21421, `NearLatLong must be "latitude,longitude": ${nearLatLong}`)
      }
      search.near = { latitude, longitude, miles }
    }
    const excludeAll = truthy(query('ExcludeAllAddressRequired')) === true
    const excludeLocal = truthy(query('ExcludeLocalAddressRequired')) === true
    const requirement = info.addressRequirements[type] ?? 'none'
    const excluded = (excludeAll && requirement === 'any') || (excludeLocal && requirement === 'local')
    const magic =
      country === 'US' && type === 'local' && areaCode === '500'
        ? Object.values(magicNumbers).map((number) => availableJson(number, null))
        : []
    const found = excluded ? [] : inventory.search(search, (pageNumber + 1) * pageSize + 1)
    const items = [...magic, ...found.map(({ number, place }) => availableJson(number, place))]
    const base = `/2010-04-01/Accounts/${c.get('account').sid}/AvailablePhoneNumbers/${country}/${c.req.param('typeFile')}`
    return c.json(page(c, items, 'available_phone_numbers', base))
  })

  app.get('/v1/PhoneNumbers/Countries/:country', (c) => {
    const info = countryInfo(c.req.param('country'))
    if (!info || info.country !== c.req.param('country')) return notFound(c.req.path)
    const pricingTypes: Record<CarrierNumberType, string> = {
      local: 'local',
      'toll-free': 'toll free',
      mobile: 'mobile',
    }
    return c.json({
      country: info.name,
      iso_country: info.country,
      price_unit: 'USD',
      phone_number_prices: carrierNumberTypes
        .filter((type) => info.monthlyPrice[type] !== undefined)
        .map((type) => ({
          number_type: pricingTypes[type],
          base_price: info.monthlyPrice[type],
          current_price: info.monthlyPrice[type],
        })),
      url: `https://pricing.twilio.com/v1/PhoneNumbers/Countries/${info.country}`,
    })
  })

  app.post('/2010-04-01/Accounts/:sid/IncomingPhoneNumbers.json', async (c) => {
    const account = c.get('account')
    const isForm = (c.req.header('content-type') ?? '').includes('application/x-www-form-urlencoded')
    const form = isForm ? await c.req.parseBody() : {}
    const field = (name: string) => (typeof form[name] === 'string' && form[name] !== '' ? form[name] : undefined)
    const phoneNumber = field('PhoneNumber')
    const areaCode = field('AreaCode')
    const friendly = field('FriendlyName')
    if (friendly !== undefined && friendly.length > 64) {
      return twilioError(400, 21421, 'FriendlyName must be 64 characters or fewer')
    }
    let chosen: { number: string; place: Place | null }
    if (phoneNumber !== undefined) {
      if (phoneNumber === magicNumbers.invalid || !/^\+[1-9]\d{6,14}$/.test(phoneNumber)) {
        return twilioError(400, 21421, `PhoneNumber ${phoneNumber} is invalid`)
      }
      if (phoneNumber === magicNumbers.unavailable) {
        return twilioError(400, 21422, `PhoneNumber ${phoneNumber} is not available`)
      }
      if (phoneNumber !== magicNumbers.buys && !inventory.isAvailable(phoneNumber)) {
        return twilioError(400, 21422, `PhoneNumber ${phoneNumber} is not available`)
      }
      chosen = { number: phoneNumber, place: placeOf(phoneNumber) }
    } else if (areaCode !== undefined) {
      const first =
        areaCode === '500'
          ? { number: magicNumbers.buys, place: null }
          : ['US', 'CA']
              .map((country) => inventory.search({ country, type: 'local', areaCode }, 1)[0])
              .find((found) => found !== undefined)
      if (!first) return twilioError(400, 21452, `No phone numbers found in area code ${areaCode}`)
      chosen = first
    } else {
      return twilioError(400, 21421, 'A PhoneNumber or an AreaCode is required')
    }
    const number = hold(account, chosen.number, chosen.place, friendly)
    if (kit.random() < kit.faults().lostPurchaseAnswerRate) return twilioError(500, 20500, 'Internal Server Error')
    return c.json(incomingJson(number), 201)
  })

  app.get('/2010-04-01/Accounts/:sid/IncomingPhoneNumbers.json', (c) => {
    const account = c.get('account')
    const wanted = c.req.query('PhoneNumber')?.replace(/[^\d*]/g, '')
    const friendly = c.req.query('FriendlyName')
    const held = [...numbers.values()]
      .filter((number) => number.accountSid === account.sid && number.releasedAt === null)
      .filter((number) => !wanted || number.phoneNumber.replace(/\D/g, '').includes(wanted))
      .filter((number) => friendly === undefined || number.friendlyName === friendly)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    return c.json(
      page(
        c,
        held.map(incomingJson),
        'incoming_phone_numbers',
        `/2010-04-01/Accounts/${account.sid}/IncomingPhoneNumbers.json`,
      ),
    )
  })

  const heldBy = (c: Context<Env>) => {
    const sid = c.req.param('file')?.replace(/\.json$/, '') ?? ''
    const number = numbers.get(sid)
    if (!c.req.param('file')?.endsWith('.json') || !number) return null
    return number.accountSid === c.get('account').sid && number.releasedAt === null ? number : null
  }

  app.get('/2010-04-01/Accounts/:sid/IncomingPhoneNumbers/:file', (c) => {
    const number = heldBy(c)
    return number ? c.json(incomingJson(number)) : notFound(c.req.path)
  })

  app.delete('/2010-04-01/Accounts/:sid/IncomingPhoneNumbers/:file', (c) => {
    const number = heldBy(c)
    if (!number) return notFound(c.req.path)
    number.releasedAt = kit.nowIso()
    const stillHeld = [...numbers.values()].some((n) => n.phoneNumber === number.phoneNumber && n.releasedAt === null)
    if (!stillHeld) heldNumbers.delete(number.phoneNumber)
    persist()
    kit.logger?.info({ sid: number.sid, phoneNumber: number.phoneNumber }, 'twilio sandbox number released')
    return c.body(null, 204)
  })

  app.post('/2010-04-01/Accounts/:sid/Keys.json', async (c) => {
    const account = c.get('account')
    const form = (c.req.header('content-type') ?? '').includes('application/x-www-form-urlencoded')
      ? await c.req.parseBody()
      : {}
    const name = typeof form.FriendlyName === 'string' ? form.FriendlyName : 'dialtone'
    const key = newKey(name)
    account.keys.push(key)
    persist()
    return c.json(
      {
        sid: key.sid,
        friendly_name: key.friendlyName,
        secret: key.secret,
        date_created: rfc2822(key.createdAt),
        date_updated: rfc2822(key.createdAt),
      },
      201,
    )
  })

  // Control routes (sandbox only).
  app.post('/_sandbox/accounts', async (c) => {
    const json = parseJsonBody(await c.req.text())
    const parsed = json.ok ? z.object({ name: z.string().min(1).max(200).optional() }).safeParse(json.body) : null
    if (!parsed?.success) return c.json({ error: 'expected { name?: string }' }, 400)
    const key = newKey('dialtone')
    const account: TwilioAccount = {
      sid: `AC${randomHex(32)}`,
      name: parsed.data.name ?? `Sandbox account ${accounts.size + 1}`,
      authToken: randomHex(32),
      createdAt: kit.nowIso(),
      keys: [key],
    }
    accounts.set(account.sid, account)
    persist()
    kit.logger?.info({ accountSid: account.sid }, 'twilio sandbox account created')
    return c.json(
      {
        accountSid: account.sid,
        authToken: account.authToken,
        apiKeySid: key.sid,
        apiKeySecret: key.secret,
        name: account.name,
      },
      201,
    )
  })

  // Never a secret: enough to tell accounts apart and count what each holds.
  app.get('/_sandbox/accounts', (c) =>
    c.json(
      [...accounts.values()].map((account) => {
        const owned = [...numbers.values()].filter((number) => number.accountSid === account.sid)
        return {
          accountSid: account.sid,
          name: account.name,
          createdAt: account.createdAt,
          apiKeySids: account.keys.map((key) => key.sid),
          numbers: owned.filter((number) => number.releasedAt === null).length,
          releasedNumbers: owned.filter((number) => number.releasedAt !== null).length,
        }
      }),
    ),
  )

  app.get('/_sandbox/numbers', (c) => {
    const accountSid = c.req.query('accountSid')
    return c.json(
      [...numbers.values()].filter((number) => accountSid === undefined || number.accountSid === accountSid),
    )
  })

  addFaultAndRequestRoutes(app, kit)

  return {
    app,
    close: () => kit.close(),
    /** Whether the sandbox's inventory has this number for sale now (tests). */
    isAvailable: (number: string) => inventory.isAvailable(number),
  }
}

export type TwilioSandbox = ReturnType<typeof createTwilioSandbox>
