import { isUuid } from '../lib/is-uuid.ts'
import { createHash, randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { z } from 'zod'
import { areaCodeSchema } from '@dialtone/shared/phone-number'
import { systemClock, type Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/logger.ts'
import { noFaults, sandboxFaultsPatchSchema, type SandboxFaults } from './sandbox-faults.ts'
import { generatePhoneNumber, pickHintAreaCodes } from './sandbox-numbers.ts'
import {
  createVapiPhoneNumberBodySchema,
  listPhoneNumbersQuerySchema,
  toValidationMessages,
  updateVapiPhoneNumberBodySchema,
  vapiProviders,
  type CreateVapiPhoneNumberBody,
  type ListPhoneNumbersQuery,
} from './sandbox-validation.ts'
import { buildWebhookHeaders, type SandboxWebhookAuth } from './sandbox-webhooks.ts'

export interface VapiSandboxOptions {
  /** How long an ordinary area code takes to get its number: uniform in [minDelayMs, maxDelayMs]. */
  minDelayMs: number
  maxDelayMs: number
  /** Numbers one API key may hold at once (released ones do not count). Default 1000. */
  freeNumberLimit?: number
  webhookSecret: string
  /** How webhooks prove they come from "Vapi". Default hmac. */
  webhookAuth?: SandboxWebhookAuth
  /** Decides delays, numbers, hints and faults; Math.random by default. */
  random?: () => number
  clock?: Clock
  logger?: Logger
  /** Vapi's default server timeout is 20 s. */
  webhookTimeoutMs?: number
}

export interface VapiSandbox {
  app: Hono<SandboxEnv>
  /** Cancels pending assignments, sleeps and webhook deliveries. */
  close(): void
}

type SandboxEnv = { Variables: { apiKey: string } }

type PhoneNumberStatus = 'activating' | 'active' | 'blocked'

/** What the sandbox answers for a number: Vapi's fields, plus whatever else the caller set (hooks, workflowId…). */
type SandboxPhoneNumber = Omit<CreateVapiPhoneNumberBody, 'provider'> & {
  id: string
  orgId: string
  provider: 'vapi'
  status: PhoneNumberStatus
  number?: string
  createdAt: string
  updatedAt: string
}

interface HeldNumber {
  phoneNumber: SandboxPhoneNumber
  apiKey: string
  releasedAt: string | null
  assignmentTimer: NodeJS.Timeout | null
}

interface RequestLogEntry {
  method: string
  path: string
  /** The path with ids replaced by ":id", for counting. */
  route: string
  status: number | null
  at: string
}

interface WebhookLogEntry {
  messageId: string
  phoneNumberId: string
  phoneNumberStatus: PhoneNumberStatus
  url: string
  copy: 'first' | 'duplicate'
  outcome: 'delivered' | 'failed' | 'dropped'
  httpStatus: number | null
  error: string | null
  at: string
}

const invalidKeyMessage =
  'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.'

const errorNames: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  429: 'Too Many Requests',
}

/** How many recent requests and webhook deliveries the control routes can show. */
const maxLogEntries = 5_000

/** Vapi's (NestJS's) error body. */
function vapiError(status: number, message: string | string[], headers?: Record<string, string>) {
  const body =
    status >= 500
      ? { statusCode: status, message: 'Internal server error' }
      : { message, error: errorNames[status] ?? 'Error', statusCode: status }
  return Response.json(body, { status, headers })
}

/** A stable, uuid-shaped organisation id per API key, so each key is its own Vapi org. */
function orgIdForKey(apiKey: string) {
  const hex = createHash('sha256').update(`dialtone-sandbox-org:${apiKey}`).digest('hex')
  const variant = '89ab'[Number.parseInt(hex.charAt(16), 16) % 4] ?? '8'
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

function isApiPath(path: string) {
  return path === '/phone-number' || path.startsWith('/phone-number/')
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') result[name] = value
  }
  return result
}

function parseJson(text: string): { ok: true; body: unknown } | { ok: false; message: string } {
  try {
    const body: unknown = JSON.parse(text)
    return { ok: true, body }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'Invalid JSON' }
  }
}

const listFilters: [
  keyof ListPhoneNumbersQuery,
  'createdAt' | 'updatedAt',
  (value: number, bound: number) => boolean,
][] = [
  ['createdAtGt', 'createdAt', (value, bound) => value > bound],
  ['createdAtLt', 'createdAt', (value, bound) => value < bound],
  ['createdAtGe', 'createdAt', (value, bound) => value >= bound],
  ['createdAtLe', 'createdAt', (value, bound) => value <= bound],
  ['updatedAtGt', 'updatedAt', (value, bound) => value > bound],
  ['updatedAtLt', 'updatedAt', (value, bound) => value < bound],
  ['updatedAtGe', 'updatedAt', (value, bound) => value >= bound],
  ['updatedAtLe', 'updatedAt', (value, bound) => value <= bound],
]

export function createVapiSandbox(options: VapiSandboxOptions): VapiSandbox {
  if (options.minDelayMs > options.maxDelayMs) throw new Error('minDelayMs must not exceed maxDelayMs')
  const random = options.random ?? Math.random
  const clock = options.clock ?? systemClock
  const logger = options.logger?.child({ component: 'vapi-sandbox' })
  const freeNumberLimit = options.freeNumberLimit ?? 1000
  const webhookAuth = options.webhookAuth ?? 'hmac'
  const webhookTimeoutMs = options.webhookTimeoutMs ?? 20_000

  const held = new Map<string, HeldNumber>()
  const assignedNumbers = new Set<string>()
  // The sandbox may run for days inside `pnpm start` with the poller calling it: logs keep the latest entries only,
  // while the counts cover everything since the last reset.
  const requestLog: RequestLogEntry[] = []
  const requestCounts = new Map<string, number>()
  let requestTotal = 0
  const webhookLog: WebhookLogEntry[] = []
  const remember = <T>(log: T[], entry: T) => {
    log.push(entry)
    if (log.length > maxLogEntries) log.splice(0, log.length - maxLogEntries)
  }
  const timers = new Set<NodeJS.Timeout>()
  const closing = new AbortController()
  let faults: SandboxFaults = { ...noFaults }

  const nowIso = () => clock.now().toISOString()

  function schedule(run: () => void, delayMs: number): NodeJS.Timeout | null {
    if (closing.signal.aborted) return null
    const timer = setTimeout(() => {
      timers.delete(timer)
      run()
    }, delayMs)
    timers.add(timer)
    return timer
  }

  /** Resolves after delayMs, or never once the sandbox is closed (its server drops the connection). */
  function pause(delayMs: number) {
    return new Promise<void>((resolve) => schedule(resolve, delayMs))
  }

  function holdingFor(apiKey: string, id: string) {
    const holding = held.get(id)
    if (!holding || holding.releasedAt !== null || holding.phoneNumber.orgId !== orgIdForKey(apiKey)) return null
    return holding
  }

  async function deliverOnce(
    entry: Omit<WebhookLogEntry, 'outcome' | 'httpStatus' | 'error' | 'at'>,
    init: RequestInit,
  ) {
    const at = nowIso()
    try {
      const response = await fetch(entry.url, {
        ...init,
        signal: AbortSignal.any([AbortSignal.timeout(webhookTimeoutMs), closing.signal]),
      })
      await response.arrayBuffer()
      remember(webhookLog, { ...entry, outcome: 'delivered', httpStatus: response.status, error: null, at })
      logger?.info({ ...entry, httpStatus: response.status }, 'sandbox webhook delivered')
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      remember(webhookLog, { ...entry, outcome: 'failed', httpStatus: null, error: message, at })
      logger?.warn({ ...entry, error: message }, 'sandbox webhook failed')
    }
  }

  /** Tells the number's server what changed, once, as Vapi does without a backoffPlan. */
  async function sendStatusWebhook(holding: HeldNumber) {
    const { phoneNumber } = holding
    const url = phoneNumber.server?.url
    if (!url) return
    const currentFaults = faults
    const base = {
      messageId: randomUUID(),
      phoneNumberId: phoneNumber.id,
      phoneNumberStatus: phoneNumber.status,
      url,
    }
    if (random() < currentFaults.webhookDropRate) {
      remember(webhookLog, { ...base, copy: 'first', outcome: 'dropped', httpStatus: null, error: null, at: nowIso() })
      logger?.info(base, 'sandbox webhook dropped (fault)')
      return
    }
    const isDuplicated = random() < currentFaults.webhookDuplicateRate
    // The body is the event as it happened; the signature is made when it leaves.
    const rawBody = JSON.stringify({
      message: { type: 'phone-number-status-update', timestamp: clock.now().getTime(), phoneNumber },
    })
    if (currentFaults.webhookDelayMs > 0) await pause(currentFaults.webhookDelayMs)
    if (closing.signal.aborted) return
    const headers = buildWebhookHeaders({
      auth: webhookAuth,
      secret: options.webhookSecret,
      rawBody,
      timestampMs: clock.now().getTime(),
      messageId: base.messageId,
      customHeaders: stringHeaders(phoneNumber.server?.headers),
    })
    const init = { method: 'POST', headers, body: rawBody }
    const copies: WebhookLogEntry['copy'][] = isDuplicated ? ['first', 'duplicate'] : ['first']
    await Promise.all(copies.map((copy) => deliverOnce({ ...base, copy }, init)))
  }

  function settle(holding: HeldNumber, outcome: 'assign' | 'block') {
    holding.assignmentTimer = null
    if (holding.releasedAt !== null) return
    const { phoneNumber } = holding
    if (outcome === 'assign') {
      const areaCode = phoneNumber.numberDesiredAreaCode
      let number: string
      try {
        number = generatePhoneNumber(areaCode, random, (candidate) => assignedNumbers.has(candidate))
      } catch (error) {
        // Like Vapi's inventory running dry: the record simply never gets a number.
        logger?.warn({ id: phoneNumber.id, err: error }, 'sandbox could not assign a number')
        return
      }
      assignedNumbers.add(number)
      phoneNumber.number = number
      phoneNumber.status = 'active'
    } else {
      phoneNumber.status = 'blocked'
    }
    phoneNumber.updatedAt = nowIso()
    logger?.info(
      { id: phoneNumber.id, status: phoneNumber.status, number: phoneNumber.number },
      'sandbox number settled',
    )
    void sendStatusWebhook(holding)
  }

  /** The magic area codes decide what happens next; every other code gets a number after the configured delay. */
  function scheduleSettlement(holding: HeldNumber) {
    const areaCode = holding.phoneNumber.numberDesiredAreaCode
    if (areaCode === '534') return
    const delayMs =
      areaCode === '537'
        ? 200 + random() * 600
        : options.minDelayMs + random() * (options.maxDelayMs - options.minDelayMs)
    holding.assignmentTimer = schedule(() => settle(holding, areaCode === '535' ? 'block' : 'assign'), delayMs)
  }

  const app = new Hono<SandboxEnv>()

  app.onError((error) => {
    logger?.error({ err: error }, 'sandbox handler failed')
    return vapiError(500, 'Internal server error')
  })
  app.notFound((c) => vapiError(404, `Cannot ${c.req.method} ${c.req.path}`))

  // API calls only (the control routes stay out of the log and free of faults and keys).
  app.use('*', async (c, next) => {
    if (!isApiPath(c.req.path)) return next()
    const entry: RequestLogEntry = {
      method: c.req.method,
      path: c.req.path,
      route: c.req.path.replace(/^\/phone-number\/.+$/, '/phone-number/:id'),
      status: null,
      at: nowIso(),
    }
    remember(requestLog, entry)
    const countKey = `${entry.method} ${entry.route}`
    requestCounts.set(countKey, (requestCounts.get(countKey) ?? 0) + 1)
    requestTotal += 1
    await next()
    entry.status = c.res.status
  })

  app.use('*', async (c, next) => {
    if (!isApiPath(c.req.path)) return next()
    const currentFaults = faults
    if (currentFaults.latencyMs > 0) await pause(currentFaults.latencyMs)
    if (random() < currentFaults.rateLimitRate) {
      return vapiError(429, 'ThrottlerException: Too Many Requests', { 'retry-after': '1' })
    }
    if (random() < currentFaults.errorRate) return vapiError(500, 'Internal server error')
    return next()
  })

  app.use('*', async (c, next) => {
    if (!isApiPath(c.req.path)) return next()
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')
    const apiKey = match?.[1]
    if (apiKey === undefined) return vapiError(401, 'Unauthorized')
    if (apiKey === 'invalid') return vapiError(401, invalidKeyMessage)
    c.set('apiKey', apiKey)
    return next()
  })

  app.use('/phone-number/:id', async (c, next) => {
    if (!isUuid(c.req.param('id'))) return vapiError(400, 'Validation failed (uuid is expected)')
    return next()
  })

  app.post('/phone-number', async (c) => {
    const apiKey = c.get('apiKey')
    const json = parseJson(await c.req.text())
    if (!json.ok) return vapiError(400, json.message)
    const provider: unknown = z.looseObject({ provider: z.unknown() }).safeParse(json.body).data?.provider
    if (!vapiProviders.some((known) => known === provider)) {
      return vapiError(400, [`provider must be one of the following values: ${vapiProviders.join(', ')}`])
    }
    if (provider !== 'vapi') {
      return vapiError(400, `The Vapi sandbox only sells free Vapi numbers; "${String(provider)}" is not simulated.`)
    }
    const parsed = createVapiPhoneNumberBodySchema.safeParse(json.body)
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    const { provider: _provider, ...fields } = parsed.data
    const areaCode = fields.numberDesiredAreaCode

    const orgId = orgIdForKey(apiKey)
    const heldByKey = [...held.values()].filter((h) => h.apiKey === apiKey && h.releasedAt === null).length
    if (heldByKey >= freeNumberLimit) {
      return vapiError(
        400,
        `You've reached your free number limit of ${freeNumberLimit} numbers. Delete a number or import one from Twilio, Vonage or Telnyx to add more.`,
      )
    }
    if (areaCode === '536') return vapiError(500, 'Internal server error')
    if (areaCode === '533') {
      const hint = pickHintAreaCodes(areaCode, random).join(', ')
      return vapiError(400, `This area code is currently not available. Hint: Try one of ${hint}.`)
    }
    if (!areaCodeSchema.safeParse(areaCode).success) {
      // Not a North American area code at all: Vapi has nothing there either (and words its hint the other way).
      const hint = pickHintAreaCodes(areaCode, random).join(', ')
      return vapiError(400, `This area code is currently not available. Hint: Try ${hint}.`)
    }

    const now = nowIso()
    const phoneNumber: SandboxPhoneNumber = {
      id: randomUUID(),
      orgId,
      provider: 'vapi',
      status: 'activating',
      ...fields,
      createdAt: now,
      updatedAt: now,
    }
    const holding: HeldNumber = { phoneNumber, apiKey, releasedAt: null, assignmentTimer: null }
    held.set(phoneNumber.id, holding)
    scheduleSettlement(holding)
    logger?.info({ id: phoneNumber.id, areaCode }, 'sandbox number ordered')
    // The number exists, but the caller never learns its id: the hardest failure a create can have.
    if (random() < faults.lostCreateAnswerRate) return vapiError(500, 'Internal server error')
    return c.json(phoneNumber, 201)
  })

  app.get('/phone-number', (c) => {
    const parsed = listPhoneNumbersQuerySchema.safeParse(c.req.query())
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    const query = parsed.data
    const orgId = orgIdForKey(c.get('apiKey'))
    const matches = [...held.values()]
      .filter((h) => h.releasedAt === null && h.phoneNumber.orgId === orgId)
      .map((h) => h.phoneNumber)
      .filter((phoneNumber) =>
        listFilters.every(([name, field, compare]) => {
          const bound = query[name]
          return typeof bound !== 'string' || compare(Date.parse(phoneNumber[field]), Date.parse(bound))
        }),
      )
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
    return c.json(matches.slice(0, Math.floor(query.limit)))
  })

  app.get('/phone-number/:id', (c) => {
    const holding = holdingFor(c.get('apiKey'), c.req.param('id'))
    if (!holding) return vapiError(404, 'Phone number not found')
    return c.json(holding.phoneNumber)
  })

  app.patch('/phone-number/:id', async (c) => {
    const holding = holdingFor(c.get('apiKey'), c.req.param('id'))
    if (!holding) return vapiError(404, 'Phone number not found')
    const json = parseJson(await c.req.text())
    if (!json.ok) return vapiError(400, json.message)
    const parsed = updateVapiPhoneNumberBodySchema.safeParse(json.body)
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    const { provider: _provider, ...fields } = parsed.data
    Object.assign(holding.phoneNumber, fields, { updatedAt: nowIso() })
    return c.json(holding.phoneNumber)
  })

  app.delete('/phone-number/:id', (c) => {
    const holding = holdingFor(c.get('apiKey'), c.req.param('id'))
    if (!holding) return vapiError(404, 'Phone number not found')
    holding.releasedAt = nowIso()
    if (holding.assignmentTimer) {
      clearTimeout(holding.assignmentTimer)
      timers.delete(holding.assignmentTimer)
      holding.assignmentTimer = null
    }
    logger?.info({ id: holding.phoneNumber.id }, 'sandbox number released')
    return c.json(holding.phoneNumber)
  })

  app.get('/_sandbox/phone-numbers', (c) =>
    c.json([...held.values()].map((h) => ({ ...h.phoneNumber, releasedAt: h.releasedAt }))),
  )

  app.get('/_sandbox/faults', (c) => c.json(faults))
  app.post('/_sandbox/faults', async (c) => {
    const json = parseJson(await c.req.text())
    if (!json.ok) return vapiError(400, json.message)
    const parsed = sandboxFaultsPatchSchema.safeParse(json.body)
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    faults = { ...faults, ...parsed.data }
    logger?.info({ faults }, 'sandbox faults changed')
    return c.json(faults)
  })
  app.delete('/_sandbox/faults', (c) => {
    faults = { ...noFaults }
    return c.json(faults)
  })

  app.get('/_sandbox/requests', (c) => {
    return c.json({ total: requestTotal, counts: Object.fromEntries(requestCounts), requests: requestLog })
  })
  app.delete('/_sandbox/requests', (c) => {
    requestLog.length = 0
    requestCounts.clear()
    requestTotal = 0
    return c.json({ total: 0, counts: {}, requests: [] })
  })

  app.get('/_sandbox/webhooks', (c) => c.json(webhookLog))

  return {
    app,
    close() {
      closing.abort()
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
  }
}
