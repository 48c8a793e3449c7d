import { z } from 'zod'
import { CarrierError, type CarrierErrorKind } from './carrier-error.ts'
import { carrierExchange, failureDetails, readAnswer, tryJson, type CarrierAnswer } from './carrier-http.ts'
import {
  digitsContain,
  patternToDigits,
  type AvailableNumberPage,
  type CarrierCapabilities,
  type CarrierCountry,
  type CarrierNumberType,
  type CarrierSearchQuery,
  type MonthlyPrice,
} from './carrier-types.ts'

// Twilio's phone-number REST API (2010-04-01) over fetch: form-encoded bodies, HTTP Basic auth with the Account SID
// and auth token or an API key and secret, JSON answers, errors as CarrierError. Why not the `twilio` SDK:
// docs/decisions/0013-carrier-clients.md.

export const defaultTwilioBaseUrl = 'https://api.twilio.com'
/** Twilio's Pricing API lives on its own host. */
export const defaultTwilioPricingBaseUrl = 'https://pricing.twilio.com'

/** Either an API key and its secret (preferred) or the account's auth token. */
export interface TwilioCredentials {
  accountSid: string
  apiKeySid?: string
  apiKeySecret?: string
  authToken?: string
}

export interface TwilioClientOptions {
  credentials: TwilioCredentials
  /** Twilio's API, or a sandbox's: e.g. http://127.0.0.1:4011. Default https://api.twilio.com. */
  baseUrl?: string
  /**
   * Twilio's Pricing API (GET /v1/PhoneNumbers/Countries/{Country}). Default https://pricing.twilio.com with Twilio's
   * own baseUrl, else baseUrl itself (the sandbox serves both).
   */
  pricingBaseUrl?: string
  /** Per request, body included. Default 15 000. */
  timeoutMs?: number
  fetch?: typeof fetch
}

/** A number the account holds (Twilio's IncomingPhoneNumber, the fields dialtone uses). */
export interface TwilioIncomingNumber {
  /** "PN…" */
  sid: string
  /** E.164 */
  phoneNumber: string
  friendlyName: string
  capabilities: CarrierCapabilities
  /** Twilio's status, "in-use" for a held number. */
  status: string
  /** ISO 8601; null when Twilio gave none. */
  dateCreated: string | null
  addressRequirements: string
}

export interface TwilioClient {
  readonly carrier: 'twilio'
  readonly accountSid: string
  /** Resolves when Twilio accepts the credentials for this account (reads one incoming number); else 'unauthorized'. */
  checkCredentials(): Promise<void>
  /** Countries Twilio sells numbers in, with the types each offers. */
  listCountries(): Promise<CarrierCountry[]>
  /**
   * One page of available numbers. A type the country lacks is 'not-found' (Twilio's 20404). `monthlyPrice` comes
   * from Twilio's Pricing API (monthlyPrice below); when that cannot be read the numbers come without a price.
   */
  searchAvailable(query: CarrierSearchQuery): Promise<AvailableNumberPage>
  /** What a number of this type costs a month in this country (Pricing API, kept an hour); null when Twilio has no price. */
  monthlyPrice(country: string, type: CarrierNumberType): Promise<MonthlyPrice | null>
  /**
   * Buys one number (POST IncomingPhoneNumbers.json). Never retried: a lost answer may still have bought it (look
   * with listIncoming({ phoneNumber })). 21422 → 'unavailable', 21421 → 'invalid'.
   */
  buyNumber(input: { phoneNumber: string; friendlyName?: string }): Promise<TwilioIncomingNumber>
  /** The account's numbers (every page), or the one matching phoneNumber. */
  listIncoming(query?: { phoneNumber?: string }): Promise<TwilioIncomingNumber[]>
  /** Releases a number by sid; 'not-found' when it is no longer held (already released). */
  releaseNumber(sid: string): Promise<void>
}

const twilioErrorBodySchema = z.looseObject({
  code: z.number().nullish(),
  message: z.string().nullish(),
  more_info: z.string().nullish(),
  status: z.number().nullish(),
})

const capabilitiesSchema = z.looseObject({
  voice: z.boolean().nullish(),
  sms: z.boolean().nullish(),
  SMS: z.boolean().nullish(),
  mms: z.boolean().nullish(),
  MMS: z.boolean().nullish(),
})

const availableNumberSchema = z.looseObject({
  phone_number: z.string(),
  friendly_name: z.string().nullish(),
  locality: z.string().nullish(),
  region: z.string().nullish(),
  postal_code: z.string().nullish(),
  iso_country: z.string(),
  address_requirements: z.string().nullish(),
  capabilities: capabilitiesSchema.nullish(),
})

const availableNumbersAnswerSchema = z.looseObject({
  available_phone_numbers: z.array(availableNumberSchema),
  next_page_uri: z.string().nullish(),
})

const incomingNumberSchema = z.looseObject({
  sid: z.string(),
  phone_number: z.string(),
  friendly_name: z.string().nullish(),
  capabilities: capabilitiesSchema.nullish(),
  status: z.string().nullish(),
  date_created: z.string().nullish(),
  address_requirements: z.string().nullish(),
})

const incomingNumbersAnswerSchema = z.looseObject({
  incoming_phone_numbers: z.array(incomingNumberSchema),
  next_page_uri: z.string().nullish(),
})

const countriesAnswerSchema = z.looseObject({
  countries: z.array(
    z.looseObject({
      country_code: z.string(),
      country: z.string(),
      beta: z.boolean().nullish(),
      subresource_uris: z.record(z.string(), z.string()).nullish(),
    }),
  ),
  next_page_uri: z.string().nullish(),
})

const pricingAnswerSchema = z.looseObject({
  iso_country: z.string().nullish(),
  price_unit: z.string().nullish(),
  phone_number_prices: z.array(
    z.looseObject({ number_type: z.string(), base_price: z.string().nullish(), current_price: z.string().nullish() }),
  ),
})

/** The Pricing API's number_type per dialtone type. */
const pricingTypes: Record<CarrierNumberType, string> = { local: 'local', 'toll-free': 'toll free', mobile: 'mobile' }
const pricingCacheMs = 60 * 60_000

const typePaths: Record<CarrierNumberType, string> = { local: 'Local', 'toll-free': 'TollFree', mobile: 'Mobile' }
const subresourceTypes: Record<string, CarrierNumberType> = { local: 'local', toll_free: 'toll-free', mobile: 'mobile' }

/** Twilio's codes that mean something more precise than their HTTP status. */
const kindsByCode: Record<number, CarrierErrorKind> = {
  20003: 'unauthorized',
  20404: 'not-found',
  20429: 'rate-limited',
  21421: 'invalid',
  21422: 'unavailable',
  21452: 'unavailable',
}

function capabilitiesOf(value: z.infer<typeof capabilitiesSchema> | null | undefined): CarrierCapabilities {
  return {
    voice: value?.voice === true,
    sms: value?.sms === true || value?.SMS === true,
    mms: value?.mms === true || value?.MMS === true,
  }
}

function isoDate(value: string | null | undefined): string | null {
  if (!value) return null
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : new Date(at).toISOString()
}

function toIncoming(value: z.infer<typeof incomingNumberSchema>): TwilioIncomingNumber {
  return {
    sid: value.sid,
    phoneNumber: value.phone_number,
    friendlyName: value.friendly_name ?? value.phone_number,
    capabilities: capabilitiesOf(value.capabilities),
    status: value.status ?? 'in-use',
    dateCreated: isoDate(value.date_created),
    addressRequirements: value.address_requirements ?? 'none',
  }
}

/** The page token is Twilio's own next_page_uri, base64url'd; only a uri under this account's search is accepted. */
function encodePageToken(uri: string) {
  return Buffer.from(uri, 'utf8').toString('base64url')
}

export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  const { credentials } = options
  const baseUrl = (options.baseUrl ?? defaultTwilioBaseUrl).replace(/\/+$/, '')
  const pricingBaseUrl = (
    options.pricingBaseUrl ?? (baseUrl === defaultTwilioBaseUrl ? defaultTwilioPricingBaseUrl : baseUrl)
  ).replace(/\/+$/, '')
  const prices = new Map<string, { at: number; prices: Promise<Map<CarrierNumberType, MonthlyPrice>> }>()
  const http = { carrier: 'twilio' as const, fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 15_000 }
  const accountSid = credentials.accountSid
  const username = credentials.apiKeySid ?? accountSid
  const password = credentials.apiKeySid ? credentials.apiKeySecret : credentials.authToken
  if (password === undefined || password === '') {
    throw new Error('Twilio credentials need an API key and secret, or the auth token')
  }
  // Built once and never logged.
  const authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
  const accountPath = `/2010-04-01/Accounts/${encodeURIComponent(accountSid)}`

  function failure(answer: CarrierAnswer): CarrierError {
    const parsed = twilioErrorBodySchema.safeParse(tryJson(answer.text))
    const body = parsed.success ? parsed.data : null
    const code = body?.code ?? null
    const details = failureDetails(answer, code === null ? null : (kindsByCode[code] ?? null))
    const message = body?.message ?? `Twilio answered HTTP ${answer.status}.`
    return new CarrierError('twilio', details.kind, message, {
      code: code === null ? null : String(code),
      status: details.status,
      retryAfterMs: details.retryAfterMs,
      moreInfo: body?.more_info ?? null,
    })
  }

  async function call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    pathAndQuery: string,
    schema: z.ZodType<T> | null,
    form?: Record<string, string>,
    base = baseUrl,
  ): Promise<T | null> {
    const headers: Record<string, string> = { authorization, accept: 'application/json' }
    let body: string | undefined
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(form).toString()
    }
    const answer = await carrierExchange(http, `${base}${pathAndQuery}`, { method, headers, body })
    if (answer.status < 200 || answer.status >= 300) throw failure(answer)
    if (schema === null) return null
    return readAnswer('twilio', answer, schema, `${method} ${pathAndQuery.split('?')[0] ?? ''}`)
  }

  async function get<T>(pathAndQuery: string, schema: z.ZodType<T>, base = baseUrl): Promise<T> {
    const result = await call('GET', pathAndQuery, schema, undefined, base)
    if (result === null) throw new Error('unreachable: a schema was given')
    return result
  }

  function searchPath(query: CarrierSearchQuery): string {
    if (query.page !== undefined) {
      const uri = Buffer.from(query.page, 'base64url').toString('utf8')
      if (!uri.startsWith(`${accountPath}/AvailablePhoneNumbers/`)) {
        throw new CarrierError('twilio', 'invalid', 'The page token is not one this search gave.')
      }
      return uri
    }
    const params = new URLSearchParams()
    const set = (name: string, value: string | number | boolean | undefined) => {
      if (value !== undefined && value !== '') params.set(name, String(value))
    }
    set('AreaCode', query.areaCode)
    set('Contains', query.contains)
    set('InLocality', query.locality)
    set('InRegion', query.region)
    set('InPostalCode', query.postalCode)
    set('NearNumber', query.nearNumber)
    set('Distance', query.nearNumber === undefined ? undefined : query.distance)
    set('VoiceEnabled', query.voice === true ? true : undefined)
    set('SmsEnabled', query.sms === true ? true : undefined)
    set('MmsEnabled', query.mms === true ? true : undefined)
    set('PageSize', query.pageSize)
    const country = encodeURIComponent(query.country.toUpperCase())
    const search = params.toString()
    return `${accountPath}/AvailablePhoneNumbers/${country}/${typePaths[query.type]}.json${search ? `?${search}` : ''}`
  }

  /** A country's monthly prices per type, read once an hour; a failed read is forgotten at once. */
  function pricesOf(country: string): Promise<Map<CarrierNumberType, MonthlyPrice>> {
    const key = country.toUpperCase()
    const cached = prices.get(key)
    if (cached && Date.now() - cached.at < pricingCacheMs) return cached.prices
    const loading = get(
      `/v1/PhoneNumbers/Countries/${encodeURIComponent(key)}`,
      pricingAnswerSchema,
      pricingBaseUrl,
    ).then((answer) => {
      const byType = new Map<CarrierNumberType, MonthlyPrice>()
      for (const type of Object.keys(pricingTypes) as CarrierNumberType[]) {
        const price = answer.phone_number_prices.find((entry) => entry.number_type === pricingTypes[type])
        const amount = price?.current_price ?? price?.base_price
        if (amount) byType.set(type, { amount, currency: (answer.price_unit ?? 'USD').toUpperCase() })
      }
      return byType
    })
    prices.set(key, { at: Date.now(), prices: loading })
    loading.catch(() => prices.delete(key))
    return loading
  }

  async function allIncoming(firstPath: string): Promise<TwilioIncomingNumber[]> {
    const numbers: TwilioIncomingNumber[] = []
    let path: string | null = firstPath
    // Twilio pages by next_page_uri; a cap keeps a misbehaving answer from looping for ever.
    for (let pages = 0; path !== null && pages < 100; pages += 1) {
      const answer: z.infer<typeof incomingNumbersAnswerSchema> = await get(path, incomingNumbersAnswerSchema)
      numbers.push(...answer.incoming_phone_numbers.map(toIncoming))
      path = answer.next_page_uri ?? null
    }
    return numbers
  }

  return {
    carrier: 'twilio',
    accountSid,

    async checkCredentials() {
      await get(`${accountPath}/IncomingPhoneNumbers.json?PageSize=1`, incomingNumbersAnswerSchema)
    },

    async listCountries() {
      const countries: CarrierCountry[] = []
      let path: string | null = `${accountPath}/AvailablePhoneNumbers.json`
      for (let pages = 0; path !== null && pages < 20; pages += 1) {
        const answer: z.infer<typeof countriesAnswerSchema> = await get(path, countriesAnswerSchema)
        for (const country of answer.countries) {
          const types = Object.keys(country.subresource_uris ?? {})
            .map((name) => subresourceTypes[name])
            .filter((type): type is CarrierNumberType => type !== undefined)
          countries.push({ country: country.country_code, name: country.country, types, beta: country.beta === true })
        }
        path = answer.next_page_uri ?? null
      }
      return countries
    },

    async monthlyPrice(country, type) {
      return (await pricesOf(country)).get(type) ?? null
    },

    async searchAvailable(query) {
      const [answer, price] = await Promise.all([
        get(searchPath(query), availableNumbersAnswerSchema),
        // A price is a nicety: a key without pricing access still searches.
        pricesOf(query.country).then(
          (byType) => byType.get(query.type) ?? null,
          () => null,
        ),
      ])
      // Twilio applies Contains itself; the check here keeps a page honest if a pattern was widened.
      const pattern = query.contains === undefined ? '' : patternToDigits(query.contains)
      const items = answer.available_phone_numbers
        .filter((number) => digitsContain(number.phone_number.replace(/\D/g, ''), pattern))
        .map((number) => ({
          number: number.phone_number,
          country: number.iso_country.toUpperCase(),
          locality: number.locality ?? null,
          region: number.region ?? null,
          capabilities: capabilitiesOf(number.capabilities),
          addressRequired: (number.address_requirements ?? 'none') !== 'none',
          ...(price ? { monthlyPrice: price } : {}),
        }))
      const next = answer.next_page_uri
      return next ? { items, nextPage: encodePageToken(next) } : { items }
    },

    async buyNumber(input) {
      const form: Record<string, string> = { PhoneNumber: input.phoneNumber }
      if (input.friendlyName !== undefined) form.FriendlyName = input.friendlyName
      const answer = await call('POST', `${accountPath}/IncomingPhoneNumbers.json`, incomingNumberSchema, form)
      if (answer === null) throw new Error('unreachable: a schema was given')
      return toIncoming(answer)
    },

    async listIncoming(query = {}) {
      const params = new URLSearchParams({ PageSize: '100' })
      if (query.phoneNumber !== undefined) params.set('PhoneNumber', query.phoneNumber)
      return allIncoming(`${accountPath}/IncomingPhoneNumbers.json?${params.toString()}`)
    },

    async releaseNumber(sid) {
      await call('DELETE', `${accountPath}/IncomingPhoneNumbers/${encodeURIComponent(sid)}.json`, null)
    },
  }
}
