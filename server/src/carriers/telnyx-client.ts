import { z } from 'zod'
import { CarrierError, type CarrierErrorKind } from './carrier-error.ts'
import { carrierExchange, failureDetails, readAnswer, tryJson, type CarrierAnswer } from './carrier-http.ts'
import {
  digitsContain,
  patternToDigits,
  type AvailableNumber,
  type AvailableNumberPage,
  type CarrierCapabilities,
  type CarrierSearchQuery,
} from './carrier-types.ts'

// Telnyx's v2 number API over fetch: Bearer API key, JSON both ways, errors `{ errors: [{ code, title, detail }] }`
// as CarrierError. A purchase is an asynchronous number order: pending, then success or failure per number, told by
// a signed `number_order.complete` webhook (verify-telnyx-webhook.ts) or seen with getNumberOrder.

export const defaultTelnyxBaseUrl = 'https://api.telnyx.com/v2'

export interface TelnyxClientOptions {
  apiKey: string
  /** Telnyx's API with its version, or a sandbox's: e.g. http://127.0.0.1:4012/v2. Default https://api.telnyx.com/v2. */
  baseUrl?: string
  /** Per request, body included. Default 15 000. */
  timeoutMs?: number
  fetch?: typeof fetch
}

export type TelnyxOrderStatus = 'pending' | 'success' | 'failure'

export interface TelnyxNumberOrder {
  id: string
  status: TelnyxOrderStatus
  customerReference: string | null
  createdAt: string | null
  updatedAt: string | null
  phoneNumbers: {
    /** The order item's id (not the phone number's: find that with listPhoneNumbers({ phoneNumber })). */
    id: string
    phoneNumber: string
    status: TelnyxOrderStatus
    requirementsMet: boolean
  }[]
}

/** A number the account holds (Telnyx's phone_number record, the fields dialtone uses). */
export interface TelnyxPhoneNumber {
  /** The id DELETE /phone_numbers/{id} takes. */
  id: string
  phoneNumber: string
  /** "active", "purchase-pending", … */
  status: string
  connectionId: string | null
  customerReference: string | null
  createdAt: string | null
}

export interface TelnyxClient {
  readonly carrier: 'telnyx'
  /** Resolves when Telnyx accepts the key (reads one of its numbers); else 'unauthorized'. */
  checkCredentials(): Promise<void>
  /**
   * Available numbers (one page: Telnyx's search has no pages, so nextPage is never set). `contains` letters become
   * keypad digits; a `*` pattern is searched by its longest digit run and filtered here. nearNumber stands for its
   * area code (North American numbers); postalCode is refused ('invalid'): Telnyx cannot search by it.
   */
  searchAvailable(query: CarrierSearchQuery): Promise<AvailableNumberPage>
  /** Orders numbers from a recent search. Never retried (a lost answer may still have ordered them). */
  createNumberOrder(input: {
    phoneNumbers: string[]
    customerReference?: string
    connectionId?: string
  }): Promise<TelnyxNumberOrder>
  getNumberOrder(id: string): Promise<TelnyxNumberOrder>
  /** Orders carrying this customer reference (first page): how an order whose answer was lost is found again. */
  listNumberOrders(query: { customerReference: string }): Promise<TelnyxNumberOrder[]>
  /** The account's numbers (every page), or the one matching phoneNumber. */
  listPhoneNumbers(query?: { phoneNumber?: string; customerReference?: string }): Promise<TelnyxPhoneNumber[]>
  /** Releases a number by its phone-number id; 'not-found' when it is no longer held. */
  releaseNumber(id: string): Promise<void>
}

const telnyxErrorBodySchema = z.looseObject({
  errors: z.array(
    z.looseObject({
      code: z.union([z.string(), z.number()]).nullish(),
      title: z.string().nullish(),
      detail: z.string().nullish(),
      meta: z.looseObject({ url: z.string().nullish() }).nullish(),
    }),
  ),
})

const orderStatusSchema = z.enum(['pending', 'success', 'failure'])

export const telnyxNumberOrderSchema = z.looseObject({
  id: z.string(),
  record_type: z.literal('number_order').optional(),
  status: orderStatusSchema,
  customer_reference: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  phone_numbers: z.array(
    z.looseObject({
      id: z.string(),
      phone_number: z.string(),
      status: orderStatusSchema,
      requirements_met: z.boolean().nullish(),
    }),
  ),
})

const availableSchema = z.looseObject({
  phone_number: z.string(),
  region_information: z.array(z.looseObject({ region_type: z.string(), region_name: z.string().nullish() })).nullish(),
  cost_information: z.looseObject({ monthly_cost: z.string().nullish(), currency: z.string().nullish() }).nullish(),
  features: z.array(z.looseObject({ name: z.string() })).nullish(),
})

const phoneNumberSchema = z.looseObject({
  id: z.string(),
  phone_number: z.string(),
  status: z.string().nullish(),
  connection_id: z.string().nullish(),
  customer_reference: z.string().nullish(),
  created_at: z.string().nullish(),
})

const kindsByCode: Record<string, CarrierErrorKind> = {
  '10009': 'unauthorized',
  '10005': 'not-found',
  '10011': 'rate-limited',
}

const telnyxTypes = { local: 'local', 'toll-free': 'toll_free', mobile: 'mobile' } as const

export function toTelnyxNumberOrder(order: z.infer<typeof telnyxNumberOrderSchema>): TelnyxNumberOrder {
  return {
    id: order.id,
    status: order.status,
    customerReference: order.customer_reference ?? null,
    createdAt: order.created_at ?? null,
    updatedAt: order.updated_at ?? null,
    phoneNumbers: order.phone_numbers.map((number) => ({
      id: number.id,
      phoneNumber: number.phone_number,
      status: number.status,
      requirementsMet: number.requirements_met !== false,
    })),
  }
}

function toAvailable(value: z.infer<typeof availableSchema>, fallbackCountry: string): AvailableNumber {
  const region = (type: string) =>
    value.region_information?.find((info) => info.region_type === type)?.region_name ?? null
  const features = new Set((value.features ?? []).map((feature) => feature.name))
  const capabilities: CarrierCapabilities = {
    voice: features.has('voice'),
    sms: features.has('sms'),
    mms: features.has('mms'),
  }
  const country = (region('country_code') ?? fallbackCountry).toUpperCase()
  const monthly = value.cost_information?.monthly_cost
  return {
    number: value.phone_number,
    country,
    locality: region('location') ?? region('rate_center'),
    region: region('state'),
    capabilities,
    // Telnyx's search does not say; its regulatory requirements ask for an address outside North America.
    addressRequired: country !== 'US' && country !== 'CA',
    ...(monthly ? { monthlyPrice: { amount: monthly, currency: value.cost_information?.currency ?? 'USD' } } : {}),
  }
}

export function createTelnyxClient(options: TelnyxClientOptions): TelnyxClient {
  const baseUrl = (options.baseUrl ?? defaultTelnyxBaseUrl).replace(/\/+$/, '')
  const http = { carrier: 'telnyx' as const, fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 15_000 }
  // Built once and never logged.
  const authorization = `Bearer ${options.apiKey}`

  function failure(answer: CarrierAnswer): CarrierError {
    const parsed = telnyxErrorBodySchema.safeParse(tryJson(answer.text))
    const first = parsed.success ? parsed.data.errors[0] : undefined
    const code = first?.code === undefined || first.code === null ? null : String(first.code)
    const details = failureDetails(answer, code === null ? null : (kindsByCode[code] ?? null))
    const message = first?.detail ?? first?.title ?? `Telnyx answered HTTP ${answer.status}.`
    return new CarrierError('telnyx', details.kind, message, {
      code,
      status: details.status,
      retryAfterMs: details.retryAfterMs,
      moreInfo: first?.meta?.url ?? null,
    })
  }

  async function call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    pathAndQuery: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ) {
    const headers: Record<string, string> = { authorization, accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const answer = await carrierExchange(http, `${baseUrl}${pathAndQuery}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    if (answer.status < 200 || answer.status >= 300) throw failure(answer)
    return readAnswer('telnyx', answer, schema, `${method} ${pathAndQuery.split('?')[0] ?? ''}`)
  }

  const orderAnswerSchema = z.looseObject({ data: telnyxNumberOrderSchema })
  const phoneNumbersAnswerSchema = z.looseObject({
    data: z.array(phoneNumberSchema),
    meta: z.looseObject({ total_pages: z.number().nullish(), page_number: z.number().nullish() }).nullish(),
  })

  return {
    carrier: 'telnyx',

    async checkCredentials() {
      await call('GET', '/phone_numbers?page[size]=1', phoneNumbersAnswerSchema)
    },

    async searchAvailable(query) {
      if (query.postalCode !== undefined) {
        throw new CarrierError('telnyx', 'invalid', 'Telnyx cannot search by postal code; search by locality instead.')
      }
      const params = new URLSearchParams()
      params.set('filter[country_code]', query.country.toUpperCase())
      params.set('filter[phone_number_type]', telnyxTypes[query.type])
      const areaCode = query.areaCode ?? (query.nearNumber?.startsWith('+1') ? query.nearNumber.slice(2, 5) : undefined)
      if (areaCode) params.set('filter[national_destination_code]', areaCode)
      const pattern = query.contains === undefined ? '' : patternToDigits(query.contains)
      // Telnyx's contains takes digits only: the longest run of digits is searched, the whole pattern checked here.
      const longestRun = pattern.split('*').reduce((longest, run) => (run.length > longest.length ? run : longest), '')
      if (longestRun) params.set('filter[phone_number][contains]', longestRun)
      if (query.locality) params.set('filter[locality]', query.locality)
      if (query.region) params.set('filter[administrative_area]', query.region)
      for (const feature of ['voice', 'sms', 'mms'] as const) {
        if (query[feature] === true) params.append('filter[features][]', feature)
      }
      if (query.pageSize !== undefined) params.set('filter[limit]', String(query.pageSize))
      const answer = await call(
        'GET',
        `/available_phone_numbers?${params.toString()}`,
        z.looseObject({ data: z.array(availableSchema) }),
      )
      const items = answer.data
        .filter((number) => digitsContain(number.phone_number.replace(/\D/g, ''), pattern))
        .map((number) => toAvailable(number, query.country))
      return { items }
    },

    async createNumberOrder(input) {
      const body: Record<string, unknown> = {
        phone_numbers: input.phoneNumbers.map((phoneNumber) => ({ phone_number: phoneNumber })),
      }
      if (input.customerReference !== undefined) body.customer_reference = input.customerReference
      if (input.connectionId !== undefined) body.connection_id = input.connectionId
      const answer = await call('POST', '/number_orders', orderAnswerSchema, body)
      return toTelnyxNumberOrder(answer.data)
    },

    async getNumberOrder(id) {
      const answer = await call('GET', `/number_orders/${encodeURIComponent(id)}`, orderAnswerSchema)
      return toTelnyxNumberOrder(answer.data)
    },

    async listNumberOrders(query) {
      const params = new URLSearchParams({ 'filter[customer_reference]': query.customerReference, 'page[size]': '50' })
      const answer = await call(
        'GET',
        `/number_orders?${params.toString()}`,
        z.looseObject({ data: z.array(telnyxNumberOrderSchema) }),
      )
      return answer.data.map(toTelnyxNumberOrder)
    },

    async listPhoneNumbers(query = {}) {
      const numbers: TelnyxPhoneNumber[] = []
      for (let page = 1; page <= 100; page += 1) {
        const params = new URLSearchParams({ 'page[number]': String(page), 'page[size]': '250' })
        if (query.phoneNumber !== undefined) params.set('filter[phone_number]', query.phoneNumber)
        if (query.customerReference !== undefined) params.set('filter[customer_reference]', query.customerReference)
        const answer = await call('GET', `/phone_numbers?${params.toString()}`, phoneNumbersAnswerSchema)
        numbers.push(
          ...answer.data.map((number) => ({
            id: number.id,
            phoneNumber: number.phone_number,
            status: number.status ?? 'active',
            connectionId: number.connection_id ?? null,
            customerReference: number.customer_reference ?? null,
            createdAt: number.created_at ?? null,
          })),
        )
        const totalPages = answer.meta?.total_pages ?? 1
        if (page >= totalPages || answer.data.length === 0) break
      }
      return numbers
    },

    async releaseNumber(id) {
      await call('DELETE', `/phone_numbers/${encodeURIComponent(id)}`, z.unknown())
    },
  }
}
