// A stand-in for Telnyx's v2 number API on a real port: accounts with API keys (Bearer), JSON bodies, Telnyx's
// shapes and error codes, searches whose numbers alone can be ordered, asynchronous number orders that complete
// after a delay, and `number_order.complete` webhooks signed with the sandbox's Ed25519 key pair (retried on a
// non-2xx answer). Faults and a state file as the other sandboxes. How to use it: docs/carrier-sandboxes.md.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { carrierNumberTypes, type CarrierNumberType } from '../carriers/carrier-types.ts'
import { generateTelnyxKeyPair, signTelnyxWebhook } from '../carriers/verify-telnyx-webhook.ts'
import { countryInfo, createInventory, placeOf, type InventorySearch, type Place } from './carrier-inventory.ts'
import { readCarrierSandboxState } from './carrier-sandbox-state-file.ts'
import {
  addFaultAndRequestRoutes,
  apiGate,
  createSandboxKit,
  parseJsonBody,
  randomHex,
  type CarrierSandboxBaseOptions,
} from './carrier-sandbox-kit.ts'

export interface TelnyxSandboxOptions extends CarrierSandboxBaseOptions {
  /** How long an order stays pending: uniform in [min, max]. Default 1 000–3 000 ms. */
  orderMinDelayMs?: number
  orderMaxDelayMs?: number
  /** Where number-order webhooks go for accounts without a webhookUrl of their own; a function is asked each time. */
  webhookUrl?: string | (() => string | null)
  /** Waits before each retry of a webhook answered non-2xx (or not at all). Default [1 000, 5 000, 15 000]. */
  webhookRetryDelaysMs?: number[]
  /** How long a searched number may be ordered. Default 30 minutes. */
  recentSearchMs?: number
  /** An order that fell due while the sandbox was down settles this long after the start at the earliest. */
  restoredSettlementDelayMs?: number
  webhookTimeoutMs?: number
}

/** Telnyx's magic-free world gets two sandbox numbers, offered under US area code 500. */
export const telnyxMagicNumbers = { succeeds: '+15005550006', fails: '+15005550000' } as const

const orderStatus = z.enum(['pending', 'success', 'failure'])

const orderSchema = z.looseObject({
  id: z.string(),
  record_type: z.literal('number_order'),
  status: orderStatus,
  customer_reference: z.string().nullable(),
  connection_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  phone_numbers: z.array(
    z.looseObject({
      id: z.string(),
      record_type: z.literal('number_order_phone_number'),
      phone_number: z.string(),
      status: orderStatus,
      requirements_met: z.boolean(),
    }),
  ),
})
type TelnyxOrder = z.infer<typeof orderSchema>

const telnyxAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  apiKey: z.string(),
  webhookUrl: z.string().nullable(),
  createdAt: z.string(),
  /** Numbers its searches returned, and when: only these can be ordered. */
  recentSearches: z.record(z.string(), z.string()),
})
type TelnyxAccount = z.infer<typeof telnyxAccountSchema>

const telnyxNumberSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  phoneNumber: z.string(),
  country: z.string(),
  type: z.enum(['local', 'toll-free', 'mobile']),
  orderId: z.string(),
  customerReference: z.string().nullable(),
  connectionId: z.string().nullable(),
  createdAt: z.string(),
  releasedAt: z.string().nullable(),
})
type TelnyxNumber = z.infer<typeof telnyxNumberSchema>

export const telnyxSandboxStateSchema = z.object({
  version: z.literal(1),
  carrier: z.literal('telnyx'),
  keyPair: z.object({ publicKey: z.string(), privateKey: z.string() }),
  accounts: z.array(telnyxAccountSchema),
  orders: z.array(z.object({ accountId: z.string(), order: orderSchema, dueAt: z.string().nullable() })),
  numbers: z.array(telnyxNumberSchema),
})

interface HeldOrder {
  accountId: string
  order: TelnyxOrder
  /** When a pending order settles; null once settled. */
  dueAt: string | null
  timer: NodeJS.Timeout | null
}

interface WebhookLogEntry {
  eventId: string
  orderId: string
  url: string
  attempt: number
  outcome: 'delivered' | 'failed' | 'dropped'
  httpStatus: number | null
  error: string | null
  at: string
}

type Env = { Variables: { account: TelnyxAccount } }

const telnyxTypes: Record<string, CarrierNumberType> = { local: 'local', toll_free: 'toll-free', mobile: 'mobile' }
const telnyxTypeOf: Record<CarrierNumberType, string> = { local: 'local', 'toll-free': 'toll_free', mobile: 'mobile' }

/** Telnyx's error body. */
export function telnyxError(
  status: number,
  code: string,
  title: string,
  detail: string,
  extra: { pointer?: string; headers?: Record<string, string> } = {},
) {
  const error: Record<string, unknown> = {
    code,
    title,
    detail,
    meta: { url: `https://developers.telnyx.com/docs/overview/errors/${code}` },
  }
  if (extra.pointer) error.source = { pointer: extra.pointer }
  return Response.json({ errors: [error] }, { status, headers: extra.headers })
}

const unauthenticated = () =>
  telnyxError(401, '10009', 'Authentication failed', 'The API key provided is not valid or has been revoked.')
const notFound = () =>
  telnyxError(404, '10005', 'Resource not found', 'The requested resource or URL could not be found.')
const invalid = (detail: string, pointer?: string) =>
  telnyxError(422, '10015', 'Invalid parameter', detail, pointer === undefined ? {} : { pointer })

function sameSecret(given: string, expected: string) {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const createOrderBodySchema = z.looseObject({
  phone_numbers: z
    .array(z.looseObject({ phone_number: z.string().regex(/^\+[1-9]\d{6,14}$/) }))
    .min(1)
    .max(100),
  customer_reference: z.string().max(255).optional(),
  connection_id: z.string().optional(),
})

export function createTelnyxSandbox(options: TelnyxSandboxOptions = {}) {
  const kit = createSandboxKit('telnyx', options)
  const orderMinDelayMs = options.orderMinDelayMs ?? 1_000
  const orderMaxDelayMs = options.orderMaxDelayMs ?? 3_000
  if (orderMinDelayMs > orderMaxDelayMs) throw new Error('orderMinDelayMs must not exceed orderMaxDelayMs')
  const retryDelaysMs = options.webhookRetryDelaysMs ?? [1_000, 5_000, 15_000]
  const recentSearchMs = options.recentSearchMs ?? 30 * 60_000
  const webhookTimeoutMs = options.webhookTimeoutMs ?? 10_000

  const accounts = new Map<string, TelnyxAccount>()
  const orders = new Map<string, HeldOrder>()
  const numbers = new Map<string, TelnyxNumber>()
  const heldNumbers = new Set<string>()
  const webhookLog: WebhookLogEntry[] = []
  const inventory = createInventory('telnyx', (number) => heldNumbers.has(number))
  let keyPair = generateTelnyxKeyPair()

  const snapshot = () => ({
    version: 1 as const,
    carrier: 'telnyx' as const,
    keyPair,
    accounts: [...accounts.values()],
    orders: [...orders.values()].map(({ accountId, order, dueAt }) => ({ accountId, order, dueAt })),
    numbers: [...numbers.values()],
  })
  const persist = () => kit.persist(snapshot)

  function numberJson(number: TelnyxNumber, status = number.releasedAt === null ? 'active' : 'deleted') {
    return {
      id: number.id,
      record_type: 'phone_number',
      phone_number: number.phoneNumber,
      status,
      connection_id: number.connectionId,
      customer_reference: number.customerReference,
      country_iso_alpha2: number.country,
      phone_number_type: telnyxTypeOf[number.type],
      tags: [],
      billing_group_id: null,
      messaging_profile_id: null,
      purchased_at: number.createdAt,
      created_at: number.createdAt,
      updated_at: number.releasedAt ?? number.createdAt,
    }
  }

  function webhookUrlFor(account: TelnyxAccount): string | null {
    if (account.webhookUrl) return account.webhookUrl
    const fallback = options.webhookUrl
    return typeof fallback === 'function' ? fallback() : (fallback ?? null)
  }

  async function deliver(url: string, eventId: string, order: TelnyxOrder, attempt: number) {
    const rawBody = JSON.stringify({
      data: {
        event_type: 'number_order.complete',
        id: eventId,
        occurred_at: order.updated_at,
        record_type: 'event',
        payload: order,
      },
      meta: { attempt, delivered_to: url },
    })
    const headers = {
      'content-type': 'application/json',
      ...signTelnyxWebhook({ rawBody, timestampSeconds: kit.nowMs() / 1000, privateKey: keyPair.privateKey }),
    }
    const entry = { eventId, orderId: order.id, url, attempt, at: kit.nowIso() }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: rawBody,
        signal: AbortSignal.any([AbortSignal.timeout(webhookTimeoutMs), kit.closing.signal]),
      })
      await response.arrayBuffer()
      const isDelivered = response.ok
      webhookLog.push({
        ...entry,
        outcome: isDelivered ? 'delivered' : 'failed',
        httpStatus: response.status,
        error: null,
      })
      return isDelivered
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      webhookLog.push({ ...entry, outcome: 'failed', httpStatus: null, error: message })
      return false
    }
  }

  /** Sends `number_order.complete`, retrying a failed delivery after each of retryDelaysMs (same event id). */
  async function announce(held: HeldOrder) {
    const account = accounts.get(held.accountId)
    const url = account ? webhookUrlFor(account) : null
    if (!url) return
    const eventId = randomUUID()
    const faults = kit.faults()
    if (kit.random() < faults.webhookDropRate) {
      webhookLog.push({
        eventId,
        orderId: held.order.id,
        url,
        attempt: 1,
        outcome: 'dropped',
        httpStatus: null,
        error: null,
        at: kit.nowIso(),
      })
      kit.logger?.info({ orderId: held.order.id }, 'telnyx sandbox webhook dropped (fault)')
      return
    }
    if (faults.webhookDelayMs > 0) await kit.pause(faults.webhookDelayMs)
    const isDuplicated = kit.random() < faults.webhookDuplicateRate
    for (let attempt = 1; attempt <= retryDelaysMs.length + 1; attempt += 1) {
      if (kit.closing.signal.aborted) return
      const copies = isDuplicated && attempt === 1 ? [1, 1] : [attempt]
      const results = await Promise.all(copies.map((n) => deliver(url, eventId, held.order, n)))
      if (results.some(Boolean)) return
      const wait = retryDelaysMs[attempt - 1]
      if (wait === undefined) return
      await kit.pause(wait)
    }
  }

  function settle(held: HeldOrder) {
    held.timer = null
    held.dueAt = null
    const { order } = held
    const account = accounts.get(held.accountId)
    const now = kit.nowIso()
    for (const item of order.phone_numbers) {
      const number = item.phone_number
      const succeeds =
        number === telnyxMagicNumbers.succeeds ||
        (number !== telnyxMagicNumbers.fails &&
          inventory.isAvailable(number) &&
          kit.random() >= kit.faults().orderFailureRate)
      item.status = succeeds ? 'success' : 'failure'
      if (!succeeds || !account) continue
      const place = placeOf(number)
      const held: TelnyxNumber = {
        id: String(BigInt(`0x${randomBytes(8).toString('hex')}`) % 10n ** 19n),
        accountId: account.id,
        phoneNumber: number,
        country: place?.country ?? 'US',
        type: place?.type ?? 'local',
        orderId: order.id,
        customerReference: order.customer_reference,
        connectionId: order.connection_id,
        createdAt: now,
        releasedAt: null,
      }
      numbers.set(held.id, held)
      if (number !== telnyxMagicNumbers.succeeds) heldNumbers.add(number)
    }
    order.status = order.phone_numbers.every((item) => item.status === 'success') ? 'success' : 'failure'
    order.updated_at = now
    persist()
    kit.logger?.info({ orderId: order.id, status: order.status }, 'telnyx sandbox order completed')
    void announce(held)
  }

  function startTimer(held: HeldOrder, minimumDelayMs = 0) {
    if (held.dueAt === null) return
    const delayMs = Math.max(minimumDelayMs, Date.parse(held.dueAt) - kit.nowMs(), 0)
    held.timer = kit.schedule(() => settle(held), delayMs)
  }

  const restored =
    options.stateFile === undefined
      ? null
      : readCarrierSandboxState('Telnyx', options.stateFile, telnyxSandboxStateSchema)
  if (restored) {
    keyPair = restored.keyPair
    for (const account of restored.accounts) accounts.set(account.id, account)
    for (const number of restored.numbers) {
      numbers.set(number.id, number)
      if (number.releasedAt === null) heldNumbers.add(number.phoneNumber)
    }
    for (const { accountId, order, dueAt } of restored.orders) {
      const held: HeldOrder = { accountId, order, dueAt, timer: null }
      orders.set(order.id, held)
      startTimer(held, options.restoredSettlementDelayMs ?? 0)
    }
    kit.logger?.info(
      { accounts: accounts.size, orders: orders.size, numbers: numbers.size },
      'telnyx sandbox state restored',
    )
  } else {
    persist()
  }

  function accountForKey(header: string | undefined): TelnyxAccount | null {
    const key = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
    if (!key) return null
    for (const account of accounts.values()) if (sameSecret(key, account.apiKey)) return account
    return null
  }

  function availableJson(number: string, place: Place | null) {
    const country = place?.country ?? 'US'
    const type = place?.type ?? 'local'
    const info = countryInfo(country)
    const capabilities = info?.capabilities[type] ?? { voice: true, sms: true, mms: false }
    const regions: { region_type: string; region_name: string }[] = [
      { region_type: 'country_code', region_name: country },
    ]
    if (place?.locality) {
      regions.push({ region_type: 'location', region_name: place.locality })
      regions.push({ region_type: 'rate_center', region_name: place.locality.toUpperCase() })
    }
    if (place?.region) regions.push({ region_type: 'state', region_name: place.region })
    return {
      record_type: 'available_phone_number',
      phone_number: number,
      vanity_format: '',
      best_effort: false,
      quickship: true,
      reservable: true,
      region_information: regions,
      cost_information: { upfront_cost: '1.00', monthly_cost: info?.monthlyPrice[type] ?? '1.00', currency: 'USD' },
      features: (['voice', 'sms', 'mms'] as const).filter((name) => capabilities[name]).map((name) => ({ name })),
    }
  }

  const app = new Hono<Env>()
  app.onError((error) => {
    kit.logger?.error({ err: error }, 'telnyx sandbox handler failed')
    return telnyxError(500, '10007', 'Unexpected error', 'An unexpected error occurred.')
  })
  app.notFound(() => notFound())

  app.use(
    '/v2/*',
    apiGate<Env>(
      kit,
      {
        throttled: () =>
          telnyxError(429, '10011', 'Too many requests', 'You have exceeded the rate limit.', {
            headers: { 'retry-after': '1' },
          }),
        failed: () => telnyxError(500, '10007', 'Unexpected error', 'An unexpected error occurred.'),
        unauthenticated,
      },
      (c) => {
        const account = accountForKey(c.req.header('authorization'))
        if (account) c.set('account', account)
        return account?.id ?? null
      },
    ),
  )

  app.get('/v2/available_phone_numbers', (c) => {
    const account = c.get('account')
    const query = (name: string) => {
      const value = c.req.query(name)
      return value === undefined || value === '' ? undefined : value
    }
    const country = (query('filter[country_code]') ?? 'US').toUpperCase()
    const typeName = query('filter[phone_number_type]') ?? 'local'
    const type = telnyxTypes[typeName]
    if (!type) return invalid(`filter[phone_number_type] must be one of local, toll_free, mobile: ${typeName}`)
    const patterns: Record<string, string | undefined> = {
      contains: query('filter[phone_number][contains]'),
      starts_with: query('filter[phone_number][starts_with]'),
      ends_with: query('filter[phone_number][ends_with]'),
    }
    for (const [name, value] of Object.entries(patterns)) {
      if (value !== undefined && !/^[0-9a-zA-Z]+$/.test(value)) {
        return invalid(`filter[phone_number][${name}] takes digits and letters only: ${value}`)
      }
    }
    const limit = Math.min(Math.max(Number(query('filter[limit]') ?? '50') || 50, 1), 100)
    const features = [
      ...(c.req.queries('filter[features][]') ?? []),
      ...(query('filter[features]')?.split(',') ?? []),
    ].map((name) => name.trim())
    const areaCode = query('filter[national_destination_code]')
    const search: InventorySearch = {
      country,
      type,
      areaCode,
      contains: patterns.contains,
      startsWith: patterns.starts_with,
      endsWith: patterns.ends_with,
      locality: query('filter[locality]'),
      region: query('filter[administrative_area]'),
      capabilities: { voice: features.includes('voice'), sms: features.includes('sms'), mms: features.includes('mms') },
    }
    const magic =
      country === 'US' && type === 'local' && areaCode === '500'
        ? Object.values(telnyxMagicNumbers).map((number) => ({ number, place: null }))
        : []
    const found = [...magic, ...(carrierNumberTypes.includes(type) ? inventory.search(search, limit) : [])].slice(
      0,
      limit,
    )
    const now = kit.nowIso()
    for (const { number } of found) account.recentSearches[number] = now
    // Forget searches past the window, so the account's list stays small.
    const oldest = kit.nowMs() - recentSearchMs
    for (const [number, at] of Object.entries(account.recentSearches)) {
      if (Date.parse(at) < oldest) Reflect.deleteProperty(account.recentSearches, number)
    }
    persist()
    return c.json({
      data: found.map(({ number, place }) => availableJson(number, place)),
      metadata: { total_results: found.length, best_effort_results: 0 },
      url: '/v2/available_phone_numbers',
    })
  })

  app.post('/v2/number_orders', async (c) => {
    const account = c.get('account')
    const json = parseJsonBody(await c.req.text())
    if (!json.ok) return telnyxError(400, '10015', 'Bad Request', `The request body is not JSON: ${json.message}`)
    const parsed = createOrderBodySchema.safeParse(json.body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return invalid(
        `phone_numbers must list 1 to 100 numbers as { "phone_number": "+E.164" }${issue ? ` (${issue.path.join('.')}: ${issue.message})` : ''}`,
        `/${issue?.path.join('/') ?? 'phone_numbers'}`,
      )
    }
    const oldest = kit.nowMs() - recentSearchMs
    for (const [index, item] of parsed.data.phone_numbers.entries()) {
      const searchedAt = account.recentSearches[item.phone_number]
      if (searchedAt === undefined || Date.parse(searchedAt) < oldest) {
        return invalid(
          `${item.phone_number} was not returned by a recent search of this account; only numbers from a recent search can be ordered.`,
          `/phone_numbers/${index}/phone_number`,
        )
      }
    }
    const now = kit.nowIso()
    const order: TelnyxOrder = {
      id: randomUUID(),
      record_type: 'number_order',
      status: 'pending',
      phone_numbers_count: parsed.data.phone_numbers.length,
      customer_reference: parsed.data.customer_reference ?? null,
      connection_id: parsed.data.connection_id ?? null,
      requirements_met: true,
      sub_number_orders_ids: [randomUUID()],
      created_at: now,
      updated_at: now,
      phone_numbers: parsed.data.phone_numbers.map((item) => ({
        id: randomUUID(),
        record_type: 'number_order_phone_number',
        phone_number: item.phone_number,
        status: 'pending',
        requirements_met: true,
        regulatory_requirements: [],
      })),
    }
    const delayMs = orderMinDelayMs + kit.random() * (orderMaxDelayMs - orderMinDelayMs)
    const held: HeldOrder = {
      accountId: account.id,
      order,
      dueAt: new Date(kit.nowMs() + delayMs).toISOString(),
      timer: null,
    }
    orders.set(order.id, held)
    startTimer(held)
    persist()
    kit.logger?.info({ orderId: order.id, numbers: order.phone_numbers.length }, 'telnyx sandbox order created')
    if (kit.random() < kit.faults().lostPurchaseAnswerRate) {
      return telnyxError(500, '10007', 'Unexpected error', 'An unexpected error occurred.')
    }
    return c.json({ data: order })
  })

  const ordersOf = (account: TelnyxAccount) => [...orders.values()].filter((held) => held.accountId === account.id)

  app.get('/v2/number_orders', (c) => {
    const status = c.req.query('filter[status]')
    const reference = c.req.query('filter[customer_reference]')
    const list = ordersOf(c.get('account'))
      .map((held) => held.order)
      .filter(
        (order) =>
          (status === undefined || order.status === status) &&
          (reference === undefined || order.customer_reference === reference),
      )
    return c.json(paged(c, list))
  })

  app.get('/v2/number_orders/:id', (c) => {
    const held = orders.get(c.req.param('id'))
    if (!held || held.accountId !== c.get('account').id) return notFound()
    return c.json({ data: held.order })
  })

  function paged<T>(c: Context<Env>, items: T[]) {
    const size = Math.min(Math.max(Number(c.req.query('page[size]') ?? '20') || 20, 1), 250)
    const pageNumber = Math.max(Number(c.req.query('page[number]') ?? '1') || 1, 1)
    return {
      data: items.slice((pageNumber - 1) * size, pageNumber * size),
      meta: {
        total_pages: Math.max(Math.ceil(items.length / size), 1),
        total_results: items.length,
        page_number: pageNumber,
        page_size: size,
      },
    }
  }

  const heldOf = (c: Context<Env>) => {
    const number = numbers.get(c.req.param('id') ?? '')
    return number && number.accountId === c.get('account').id && number.releasedAt === null ? number : null
  }

  app.get('/v2/phone_numbers', (c) => {
    const wanted = c.req.query('filter[phone_number]')?.replace(/\D/g, '')
    const reference = c.req.query('filter[customer_reference]')
    const list = [...numbers.values()]
      .filter((number) => number.accountId === c.get('account').id && number.releasedAt === null)
      .filter((number) => !wanted || number.phoneNumber.replace(/\D/g, '').includes(wanted))
      .filter((number) => reference === undefined || number.customerReference === reference)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((number) => numberJson(number))
    return c.json(paged(c, list))
  })

  app.get('/v2/phone_numbers/:id', (c) => {
    const number = heldOf(c)
    return number ? c.json({ data: numberJson(number) }) : notFound()
  })

  app.delete('/v2/phone_numbers/:id', (c) => {
    const number = heldOf(c)
    if (!number) return notFound()
    number.releasedAt = kit.nowIso()
    const stillHeld = [...numbers.values()].some((n) => n.phoneNumber === number.phoneNumber && n.releasedAt === null)
    if (!stillHeld) heldNumbers.delete(number.phoneNumber)
    persist()
    kit.logger?.info({ id: number.id, phoneNumber: number.phoneNumber }, 'telnyx sandbox number released')
    return c.json({ data: numberJson(number, 'deleted') })
  })

  // Control routes (sandbox only).
  const accountBodySchema = z.object({
    name: z.string().min(1).max(200).optional(),
    webhookUrl: z.url().nullable().optional(),
  })

  app.post('/_sandbox/accounts', async (c) => {
    const json = parseJsonBody(await c.req.text())
    const parsed = json.ok ? accountBodySchema.safeParse(json.body) : null
    if (!parsed?.success) return c.json({ error: 'expected { name?: string, webhookUrl?: URL }' }, 400)
    const account: TelnyxAccount = {
      id: randomUUID(),
      name: parsed.data.name ?? `Sandbox account ${accounts.size + 1}`,
      apiKey: `KEY${randomHex(26).toUpperCase()}_${randomBytes(16).toString('base64url')}`,
      webhookUrl: parsed.data.webhookUrl ?? null,
      createdAt: kit.nowIso(),
      recentSearches: {},
    }
    accounts.set(account.id, account)
    persist()
    kit.logger?.info({ accountId: account.id }, 'telnyx sandbox account created')
    return c.json(
      {
        accountId: account.id,
        name: account.name,
        apiKey: account.apiKey,
        publicKey: keyPair.publicKey,
        webhookUrl: account.webhookUrl,
      },
      201,
    )
  })

  app.patch('/_sandbox/accounts/:id', async (c) => {
    const account = accounts.get(c.req.param('id'))
    if (!account) return c.json({ error: 'no such account' }, 404)
    const json = parseJsonBody(await c.req.text())
    const parsed = json.ok ? accountBodySchema.safeParse(json.body) : null
    if (!parsed?.success) return c.json({ error: 'expected { name?: string, webhookUrl?: URL | null }' }, 400)
    if (parsed.data.name !== undefined) account.name = parsed.data.name
    if (parsed.data.webhookUrl !== undefined) account.webhookUrl = parsed.data.webhookUrl
    persist()
    return c.json({ accountId: account.id, name: account.name, webhookUrl: account.webhookUrl })
  })

  app.get('/_sandbox/accounts', (c) =>
    c.json(
      [...accounts.values()].map((account) => {
        const owned = [...numbers.values()].filter((number) => number.accountId === account.id)
        return {
          accountId: account.id,
          name: account.name,
          keyHint: account.apiKey.slice(-4),
          webhookUrl: webhookUrlFor(account),
          createdAt: account.createdAt,
          numbers: owned.filter((number) => number.releasedAt === null).length,
          releasedNumbers: owned.filter((number) => number.releasedAt !== null).length,
          pendingOrders: ordersOf(account).filter((held) => held.order.status === 'pending').length,
        }
      }),
    ),
  )

  app.get('/_sandbox/public-key', (c) => c.json({ publicKey: keyPair.publicKey }))
  app.get('/_sandbox/numbers', (c) => {
    const accountId = c.req.query('accountId')
    return c.json([...numbers.values()].filter((number) => accountId === undefined || number.accountId === accountId))
  })
  app.get('/_sandbox/orders', (c) =>
    c.json([...orders.values()].map(({ accountId, order, dueAt }) => ({ accountId, dueAt, ...order }))),
  )
  app.get('/_sandbox/webhooks', (c) => c.json(webhookLog))
  addFaultAndRequestRoutes(app, kit)

  return {
    app,
    close: () => kit.close(),
    /** The key its webhooks are signed with: base64 of 32 bytes, as Telnyx's portal shows it. */
    publicKey: () => keyPair.publicKey,
  }
}

export type TelnyxSandbox = ReturnType<typeof createTelnyxSandbox>
