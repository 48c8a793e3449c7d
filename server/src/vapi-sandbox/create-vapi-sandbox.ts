// A stand-in for Vapi's API: accounts (one Vapi organisation each: key, numbers, assistants), Vapi's phone-number
// and assistant paths in Vapi's shapes, the sandbox's own control routes under /_sandbox, and an optional state file.
// What it answers and why: docs/vapi-sandbox.md.
import { isUuid } from '../lib/is-uuid.ts'
import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { z } from 'zod'
import { areaCodeSchema } from '@dialtone/shared/phone-number'
import { systemClock, type Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/logger.ts'
import { noFaults, sandboxFaultsPatchSchema, type SandboxFaults } from './sandbox-faults.ts'
import { keyHint, newAccount, newApiKey, newAssistant, orgIdForKey, type SandboxAccount } from './sandbox-accounts.ts'
import { generatePhoneNumber, pickHintAreaCodes } from './sandbox-numbers.ts'
import { readSandboxState, SandboxStateFileError, writeSandboxState, type SandboxState } from './sandbox-state-file.ts'
import {
  createAccountBodySchema,
  createAssistantBodySchema,
  createVapiPhoneNumberBodySchema,
  listPhoneNumbersQuerySchema,
  toValidationMessages,
  updateVapiPhoneNumberBodySchema,
  vapiProviders,
  type ListPhoneNumbersQuery,
  type SandboxPhoneNumber,
} from './sandbox-validation.ts'
import { buildWebhookHeaders, type SandboxWebhookAuth } from './sandbox-webhooks.ts'
import {
  checkTelnyxImport,
  checkTelnyxKey,
  checkTwilioImport,
  createCredentialBodySchema,
  createTelnyxPhoneNumberBodySchema,
  createTwilioPhoneNumberBodySchema,
  credentialJson,
  newCredential,
  withoutSecrets,
  type CarrierImportOptions,
  type SandboxCredential,
} from './sandbox-carrier-imports.ts'
import { registerSandboxCallRoutes } from './sandbox-calls.ts'

export interface VapiSandboxOptions {
  /** How long an ordinary area code takes to get its number: uniform in [minDelayMs, maxDelayMs]. */
  minDelayMs: number
  maxDelayMs: number
  /**
   * Free numbers one account may hold at once (released ones do not count). Vapi's real limit is 5 (the env's
   * default for `pnpm start` and `pnpm sandbox`); tests that buy many numbers on one key ask for more. Default 1000.
   */
  freeNumberLimit?: number
  /**
   * An unknown Bearer key becomes an account of its own on first use (true, the default, and how the sandbox always
   * behaved), or is refused with Vapi's invalid-key 401 (false: only keys of accounts made on purpose work).
   */
  acceptUnknownKeys?: boolean
  /** Accounts that exist from the start (e.g. the server-wide key dialtone is configured with). */
  accounts?: { apiKey: string; name: string }[]
  /** Keep accounts, numbers and pending assignments in this JSON file across restarts (written on every change). */
  stateFile?: string
  /**
   * After a restart, a number whose assignment fell due while the sandbox was down is settled this long after the
   * start at the earliest, so the server it tells (starting alongside) is listening. Default 0.
   */
  restoredSettlementDelayMs?: number
  webhookSecret: string
  /** How webhooks prove they come from "Vapi". Default hmac. */
  webhookAuth?: SandboxWebhookAuth
  /** Decides delays, numbers, hints and faults; Math.random by default. */
  random?: () => number
  clock?: Clock
  logger?: Logger
  /** Vapi's default server timeout is 20 s. */
  webhookTimeoutMs?: number
  /** Where Twilio and Telnyx imports are checked (the carrier sandboxes in sandbox mode); unset: refused. */
  carriers?: CarrierImportOptions
}

export interface VapiSandbox {
  app: Hono<SandboxEnv>
  /** Cancels pending assignments, sleeps and webhook deliveries. */
  close(): void
}

type SandboxEnv = { Variables: { account: SandboxAccount } }

type PhoneNumberStatus = SandboxPhoneNumber['status']

interface HeldNumber {
  phoneNumber: SandboxPhoneNumber
  accountId: string
  releasedAt: string | null
  /** What happens to a number still waiting, and when (kept across restarts). */
  settlement: { outcome: 'assign' | 'block'; dueAt: string } | null
  assignmentTimer: NodeJS.Timeout | null
}

interface RequestLogEntry {
  method: string
  path: string
  /** The path with ids replaced by ":id", for counting. */
  route: string
  status: number | null
  /** The account whose key made the request; null when the key was missing or refused. */
  accountId: string | null
  keyHint: string | null
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

function bearerKey(authorization: string | undefined) {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1]
}

/** Vapi's API (as opposed to the sandbox's own control routes under /_sandbox). */
function isApiPath(path: string) {
  return /^\/(phone-number|assistant|credential)(\/|$)/.test(path)
}

/**
 * What the sandbox answers for an assistantId that is not one of the account's assistants. Vapi's spec documents
 * no error for it; the sandbox answers a 400 in Vapi's (NestJS's) error shape, like its other refused bodies.
 */
function unknownAssistantMessage(assistantId: string) {
  return `Couldn't find assistant ${assistantId} in this organization. Use the id of one of your assistants (GET /assistant).`
}

/**
 * The sixth free number of an account (with the default limit) is refused with this 400; "free number limit" is
 * the marker a client can recognise. Exact text: "You've reached your free number limit of 5 numbers. Delete a
 * number or import one from Twilio, Vonage or Telnyx to add more."
 */
function freeNumberLimitMessage(limit: number) {
  return `You've reached your free number limit of ${limit} numbers. Delete a number or import one from Twilio, Vonage or Telnyx to add more.`
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

/**
 * Vapi's list answer: the items inside the query's created/updated bounds, newest first, at most `limit`. Reversed
 * before the (stable) sort, so items made in the same millisecond come latest first too.
 */
function listNewestFirst<T extends { createdAt: string; updatedAt: string }>(items: T[], query: ListPhoneNumbersQuery) {
  return [...items]
    .reverse()
    .filter((item) =>
      listFilters.every(([name, field, compare]) => {
        const bound = query[name]
        return typeof bound !== 'string' || compare(Date.parse(item[field]), Date.parse(bound))
      }),
    )
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .slice(0, Math.floor(query.limit))
}

/** A list item as the masked-digits fault shows it: all but the first four and last four characters hidden. */
function withMaskedNumber(phoneNumber: SandboxPhoneNumber): SandboxPhoneNumber {
  const { number } = phoneNumber
  if (number === undefined || number.length <= 8) return phoneNumber
  return { ...phoneNumber, number: `${number.slice(0, 4)}${'*'.repeat(number.length - 8)}${number.slice(-4)}` }
}

export function createVapiSandbox(options: VapiSandboxOptions): VapiSandbox {
  if (options.minDelayMs > options.maxDelayMs) throw new Error('minDelayMs must not exceed maxDelayMs')
  const random = options.random ?? Math.random
  const clock = options.clock ?? systemClock
  const logger = options.logger?.child({ component: 'vapi-sandbox' })
  const freeNumberLimit = options.freeNumberLimit ?? 1000
  const acceptUnknownKeys = options.acceptUnknownKeys ?? true
  const webhookAuth = options.webhookAuth ?? 'hmac'
  const webhookTimeoutMs = options.webhookTimeoutMs ?? 20_000
  const stateFile = options.stateFile

  const accountsByKey = new Map<string, SandboxAccount>()
  const held = new Map<string, HeldNumber>()
  const assignedNumbers = new Set<string>()
  const credentials = new Map<string, SandboxCredential>()
  // The sandbox may run for days inside `pnpm start` with the poller calling it: logs keep the latest entries only,
  // while the counts cover everything since the last reset.
  const requestLog: RequestLogEntry[] = []
  const requestCounts = new Map<string, number>()
  const requestCountsByAccount = new Map<string, Map<string, number>>()
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

  /** Another account's number is as unknown as one that never existed (Vapi answers 404 for both). */
  function holdingFor(account: SandboxAccount, id: string) {
    const holding = held.get(id)
    if (!holding || holding.releasedAt !== null || holding.accountId !== account.id) return null
    return holding
  }

  function snapshot(): SandboxState {
    return {
      version: 1,
      accounts: [...accountsByKey.values()],
      numbers: [...held.values()].map(({ phoneNumber, accountId, releasedAt, settlement }) => ({
        phoneNumber,
        accountId,
        releasedAt,
        settlement,
      })),
      credentials: [...credentials.values()],
    }
  }

  /** Called after every change; a failed write is logged loudly, and the sandbox keeps serving from memory. */
  function persist() {
    if (stateFile === undefined || closing.signal.aborted) return
    try {
      writeSandboxState(stateFile, snapshot())
    } catch (error) {
      logger?.error({ err: error, stateFile }, 'sandbox state could not be written')
    }
  }

  function addAccount(input: { name: string; apiKey: string; orgId: string; isImplicit: boolean }) {
    const account = newAccount({ ...input, now: nowIso() })
    accountsByKey.set(account.apiKey, account)
    return account
  }

  /** The account a Bearer key opens; an unknown key becomes one while the sandbox accepts unknown keys. */
  function accountForKey(apiKey: string): SandboxAccount | null {
    const known = accountsByKey.get(apiKey)
    if (known) return known
    if (!acceptUnknownKeys) return null
    const account = addAccount({
      name: `Key …${keyHint(apiKey)}`,
      apiKey,
      orgId: orgIdForKey(apiKey),
      isImplicit: true,
    })
    logger?.info({ accountId: account.id, keyHint: keyHint(apiKey) }, 'sandbox account made for a new key')
    persist()
    return account
  }

  function assistantOf(account: SandboxAccount, id: string) {
    return account.assistants.find((assistant) => assistant.id === id) ?? null
  }

  /**
   * Vapi refuses an assistantId that is not one of the organisation's assistants. Accounts made on purpose do too;
   * an implicit account (a key the sandbox had not seen) takes any id, as every key did before accounts existed,
   * because older callers and tests route numbers to assistants they made up.
   */
  function isUnknownAssistant(account: SandboxAccount, assistantId: string) {
    return !account.isImplicit && !assistantOf(account, assistantId)
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
    holding.settlement = null
    if (holding.releasedAt !== null) return
    const { phoneNumber } = holding
    if (outcome === 'assign') {
      const areaCode = phoneNumber.numberDesiredAreaCode ?? ''
      let number: string
      try {
        number = generatePhoneNumber(areaCode, random, (candidate) => assignedNumbers.has(candidate))
      } catch (error) {
        // Like Vapi's inventory running dry: the record simply never gets a number.
        logger?.warn({ id: phoneNumber.id, err: error }, 'sandbox could not assign a number')
        persist()
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
    persist()
    void sendStatusWebhook(holding)
  }

  function startSettlementTimer(holding: HeldNumber, minimumDelayMs = 0) {
    const { settlement } = holding
    if (!settlement) return
    const delayMs = Math.max(minimumDelayMs, Date.parse(settlement.dueAt) - clock.now().getTime(), 0)
    holding.assignmentTimer = schedule(() => settle(holding, settlement.outcome), delayMs)
  }

  /** The magic area codes decide what happens next; every other code gets a number after the configured delay. */
  function scheduleSettlement(holding: HeldNumber) {
    const areaCode = holding.phoneNumber.numberDesiredAreaCode
    if (areaCode === '534') return
    const delayMs =
      areaCode === '537'
        ? 200 + random() * 600
        : options.minDelayMs + random() * (options.maxDelayMs - options.minDelayMs)
    holding.settlement = {
      outcome: areaCode === '535' ? 'block' : 'assign',
      dueAt: new Date(clock.now().getTime() + delayMs).toISOString(),
    }
    startSettlementTimer(holding)
  }

  function restore(state: SandboxState) {
    for (const account of state.accounts) accountsByKey.set(account.apiKey, account)
    for (const credential of state.credentials ?? []) credentials.set(credential.id, credential)
    const knownAccounts = new Set(state.accounts.map((account) => account.id))
    let resumed = 0
    for (const { phoneNumber, accountId, releasedAt, settlement } of state.numbers) {
      if (!knownAccounts.has(accountId)) {
        throw new SandboxStateFileError(stateFile ?? '', `number ${phoneNumber.id} belongs to no account in the file`)
      }
      const holding: HeldNumber = { phoneNumber, accountId, releasedAt, settlement, assignmentTimer: null }
      held.set(phoneNumber.id, holding)
      if (phoneNumber.number !== undefined) assignedNumbers.add(phoneNumber.number)
      if (releasedAt === null && settlement !== null) {
        startSettlementTimer(holding, options.restoredSettlementDelayMs ?? 0)
        resumed += 1
      }
    }
    logger?.info(
      { stateFile, accounts: state.accounts.length, numbers: state.numbers.length, resumed },
      'sandbox state restored',
    )
  }

  const restored = stateFile === undefined ? null : readSandboxState(stateFile)
  if (restored) restore(restored)
  let isChanged = false
  for (const preset of options.accounts ?? []) {
    // "invalid" is Vapi's refused key in the sandbox; it never opens an account.
    if (preset.apiKey === 'invalid' || accountsByKey.has(preset.apiKey)) continue
    addAccount({ ...preset, orgId: orgIdForKey(preset.apiKey), isImplicit: false })
    isChanged = true
  }
  if (isChanged || (stateFile !== undefined && !restored)) persist()

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
      route: c.req.path.replace(/^\/(phone-number|assistant)\/.+$/, '/$1/:id'),
      status: null,
      accountId: null,
      keyHint: null,
      at: nowIso(),
    }
    remember(requestLog, entry)
    const countKey = `${entry.method} ${entry.route}`
    requestCounts.set(countKey, (requestCounts.get(countKey) ?? 0) + 1)
    requestTotal += 1
    await next()
    entry.status = c.res.status
    // Answers a fault made before the key was checked still name the account whose key asked (429s per account).
    const account = accountsByKey.get(bearerKey(c.req.header('authorization')) ?? '')
    if (account) {
      entry.accountId = account.id
      entry.keyHint = keyHint(account.apiKey)
      const counts = requestCountsByAccount.get(account.id) ?? new Map<string, number>()
      counts.set(countKey, (counts.get(countKey) ?? 0) + 1)
      requestCountsByAccount.set(account.id, counts)
    }
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
    const apiKey = bearerKey(c.req.header('authorization'))
    if (apiKey === undefined) return vapiError(401, 'Unauthorized')
    if (apiKey === 'invalid') return vapiError(401, invalidKeyMessage)
    const account = accountForKey(apiKey)
    if (!account) return vapiError(401, invalidKeyMessage)
    c.set('account', account)
    return next()
  })

  for (const path of ['/phone-number/:id', '/assistant/:id', '/credential/:id']) {
    app.use(path, async (c, next) => {
      if (!isUuid(c.req.param('id') ?? '')) return vapiError(400, 'Validation failed (uuid is expected)')
      return next()
    })
  }

  app.post('/phone-number', async (c) => {
    const account = c.get('account')
    const json = parseJson(await c.req.text())
    if (!json.ok) return vapiError(400, json.message)
    const provider: unknown = z.looseObject({ provider: z.unknown() }).safeParse(json.body).data?.provider
    if (!vapiProviders.some((known) => known === provider)) {
      return vapiError(400, [`provider must be one of the following values: ${vapiProviders.join(', ')}`])
    }
    if (provider === 'twilio' || provider === 'telnyx') return importCarrierNumber(account, provider, json.body)
    if (provider !== 'vapi') {
      return vapiError(400, `The Vapi sandbox only sells free Vapi numbers; "${String(provider)}" is not simulated.`)
    }
    const parsed = createVapiPhoneNumberBodySchema.safeParse(json.body)
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    const { provider: _provider, ...fields } = parsed.data
    const areaCode = fields.numberDesiredAreaCode

    const heldByAccount = [...held.values()].filter((h) => h.accountId === account.id && h.releasedAt === null)
    if (heldByAccount.length >= freeNumberLimit) return vapiError(400, freeNumberLimitMessage(freeNumberLimit))
    if (fields.assistantId !== undefined && isUnknownAssistant(account, fields.assistantId)) {
      return vapiError(400, unknownAssistantMessage(fields.assistantId))
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
      orgId: account.orgId,
      provider: 'vapi',
      status: 'activating',
      ...fields,
      createdAt: now,
      updatedAt: now,
    }
    const holding: HeldNumber = {
      phoneNumber,
      accountId: account.id,
      releasedAt: null,
      settlement: null,
      assignmentTimer: null,
    }
    held.set(phoneNumber.id, holding)
    scheduleSettlement(holding)
    persist()
    logger?.info({ id: phoneNumber.id, areaCode }, 'sandbox number ordered')
    // The number exists, but the caller never learns its id: the hardest failure a create can have.
    if (random() < faults.lostCreateAnswerRate) return vapiError(500, 'Internal server error')
    return c.json(phoneNumber, 201)
  })

  app.get('/phone-number', (c) => {
    const parsed = listPhoneNumbersQuerySchema.safeParse(c.req.query())
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    const accountId = c.get('account').id
    const holdings = [...held.values()].filter((h) => h.releasedAt === null && h.accountId === accountId)
    const listed = listNewestFirst(
      holdings.map((h) => h.phoneNumber),
      parsed.data,
    )
    return c.json(faults.listMasksNumbers ? listed.map(withMaskedNumber) : listed)
  })

  app.get('/phone-number/:id', (c) => {
    const holding = holdingFor(c.get('account'), c.req.param('id'))
    if (!holding) return vapiError(404, 'Phone number not found')
    return c.json(holding.phoneNumber)
  })

  app.patch('/phone-number/:id', async (c) => {
    const holding = holdingFor(c.get('account'), c.req.param('id'))
    if (!holding) return vapiError(404, 'Phone number not found')
    const json = parseJson(await c.req.text())
    if (!json.ok) return vapiError(400, json.message)
    const parsed = updateVapiPhoneNumberBodySchema.safeParse(json.body)
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    const { provider: _provider, ...fields } = parsed.data
    const { assistantId } = fields
    if (typeof assistantId === 'string' && isUnknownAssistant(c.get('account'), assistantId)) {
      return vapiError(400, unknownAssistantMessage(assistantId))
    }
    const { phoneNumber } = holding
    for (const [field, value] of Object.entries(fields)) {
      // null clears: Vapi answers the number without the field, as if it had never been set.
      if (value === null) Reflect.deleteProperty(phoneNumber, field)
      else if (value !== undefined) Reflect.set(phoneNumber, field, value)
    }
    phoneNumber.updatedAt = nowIso()
    persist()
    return c.json(phoneNumber)
  })

  app.delete('/phone-number/:id', (c) => {
    const holding = holdingFor(c.get('account'), c.req.param('id'))
    if (!holding) return vapiError(404, 'Phone number not found')
    holding.releasedAt = nowIso()
    if (holding.assignmentTimer) {
      clearTimeout(holding.assignmentTimer)
      timers.delete(holding.assignmentTimer)
      holding.assignmentTimer = null
    }
    holding.settlement = null
    persist()
    logger?.info({ id: holding.phoneNumber.id }, 'sandbox number released')
    return c.json(holding.phoneNumber)
  })

  /**
   * A Twilio or Telnyx number bought elsewhere: the carrier is asked first (credentials, and that the number is in
   * that account), then the number is held active at once, as Vapi imports do. Nothing is kept when a check fails.
   */
  async function importCarrierNumber(account: SandboxAccount, provider: 'twilio' | 'telnyx', body: unknown) {
    const parsed =
      provider === 'twilio'
        ? createTwilioPhoneNumberBodySchema.safeParse(body)
        : createTelnyxPhoneNumberBodySchema.safeParse(body)
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    const fields = parsed.data
    if (fields.assistantId !== undefined && isUnknownAssistant(account, fields.assistantId)) {
      return vapiError(400, unknownAssistantMessage(fields.assistantId))
    }
    if (random() < faults.importRefusalRate) {
      return vapiError(
        400,
        `Couldn't import ${fields.number}: the sandbox is set to refuse imports (importRefusalRate).`,
      )
    }
    const alreadyHeld = [...held.values()].some(
      (h) => h.accountId === account.id && h.releasedAt === null && h.phoneNumber.number === fields.number,
    )
    if (alreadyHeld) return vapiError(400, `Number ${fields.number} already exists in this organization.`)
    let check
    if (fields.provider === 'twilio') {
      check = await checkTwilioImport(options.carriers ?? {}, fields)
    } else {
      const credential = credentials.get(fields.credentialId)
      if (!credential || credential.accountId !== account.id) {
        return vapiError(400, `Couldn't find credential ${fields.credentialId} in this organization.`)
      }
      check = await checkTelnyxImport(options.carriers ?? {}, credential.apiKey, fields.number)
    }
    if (!check.ok) return vapiError(check.status, check.message)
    const kept = withoutSecrets(fields)
    const now = nowIso()
    const phoneNumber: SandboxPhoneNumber = {
      id: randomUUID(),
      orgId: account.orgId,
      ...kept,
      status: 'active',
      createdAt: now,
      updatedAt: now,
    }
    held.set(phoneNumber.id, {
      phoneNumber,
      accountId: account.id,
      releasedAt: null,
      settlement: null,
      assignmentTimer: null,
    })
    persist()
    logger?.info({ id: phoneNumber.id, provider }, 'sandbox number imported')
    return Response.json(phoneNumber, { status: 201 })
  }

  app.post('/credential', async (c) => {
    const account = c.get('account')
    const json = parseJson(await c.req.text())
    if (!json.ok) return vapiError(400, json.message)
    const parsed = createCredentialBodySchema.safeParse(json.body)
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    const check = await checkTelnyxKey(options.carriers ?? {}, parsed.data.apiKey)
    if (!check.ok) return vapiError(check.status, check.message)
    const credential = newCredential({
      orgId: account.orgId,
      accountId: account.id,
      apiKey: parsed.data.apiKey,
      name: parsed.data.name,
      now: nowIso(),
    })
    credentials.set(credential.id, credential)
    persist()
    return c.json(credentialJson(credential), 201)
  })

  const credentialOf = (account: SandboxAccount, id: string) => {
    const credential = credentials.get(id)
    return credential && credential.accountId === account.id ? credential : null
  }

  app.get('/credential', (c) => {
    const accountId = c.get('account').id
    return c.json(
      [...credentials.values()].filter((credential) => credential.accountId === accountId).map(credentialJson),
    )
  })

  app.get('/credential/:id', (c) => {
    const credential = credentialOf(c.get('account'), c.req.param('id'))
    return credential ? c.json(credentialJson(credential)) : vapiError(404, 'Credential not found')
  })

  app.delete('/credential/:id', (c) => {
    const credential = credentialOf(c.get('account'), c.req.param('id'))
    if (!credential) return vapiError(404, 'Credential not found')
    credentials.delete(credential.id)
    persist()
    return c.json(credentialJson(credential))
  })

  app.get('/assistant', (c) => {
    const parsed = listPhoneNumbersQuerySchema.safeParse(c.req.query())
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    return c.json(listNewestFirst(c.get('account').assistants, parsed.data))
  })

  app.get('/assistant/:id', (c) => {
    const assistant = assistantOf(c.get('account'), c.req.param('id'))
    if (!assistant) return vapiError(404, 'Assistant not found')
    return c.json(assistant)
  })

  app.post('/assistant', async (c) => {
    const json = parseJson(await c.req.text())
    if (!json.ok) return vapiError(400, json.message)
    const parsed = createAssistantBodySchema.safeParse(json.body)
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    const account = c.get('account')
    const assistant = newAssistant(account.orgId, parsed.data, nowIso())
    account.assistants.push(assistant)
    persist()
    return c.json(assistant, 201)
  })

  app.get('/_sandbox/phone-numbers', (c) =>
    c.json([...held.values()].map((h) => ({ ...h.phoneNumber, accountId: h.accountId, releasedAt: h.releasedAt }))),
  )

  // Development accounts: each is its own Vapi organisation with its own key, numbers and assistants.
  app.post('/_sandbox/accounts', async (c) => {
    const text = await c.req.text()
    const json = text.trim() === '' ? { ok: true as const, body: {} } : parseJson(text)
    if (!json.ok) return vapiError(400, json.message)
    const parsed = createAccountBodySchema.safeParse(json.body)
    if (!parsed.success) return vapiError(400, toValidationMessages(parsed.error))
    const apiKey = newApiKey()
    const account = addAccount({
      name: parsed.data.name ?? `Sandbox account ${accountsByKey.size + 1}`,
      apiKey,
      orgId: randomUUID(),
      isImplicit: false,
    })
    persist()
    logger?.info({ accountId: account.id, keyHint: keyHint(apiKey) }, 'sandbox account created')
    return c.json(
      {
        accountId: account.id,
        orgId: account.orgId,
        name: account.name,
        apiKey,
        assistants: account.assistants.map(({ id, name }) => ({ id, name })),
      },
      201,
    )
  })

  // Never the whole key: the last four characters are enough to tell accounts apart.
  app.get('/_sandbox/accounts', (c) =>
    c.json(
      [...accountsByKey.values()].map((account) => {
        const numbers = [...held.values()].filter((h) => h.accountId === account.id)
        return {
          accountId: account.id,
          orgId: account.orgId,
          name: account.name,
          keyHint: keyHint(account.apiKey),
          isImplicit: account.isImplicit,
          createdAt: account.createdAt,
          numbers: numbers.filter((h) => h.releasedAt === null).length,
          releasedNumbers: numbers.filter((h) => h.releasedAt !== null).length,
          assistants: account.assistants.length,
          freeNumberLimit,
        }
      }),
    ),
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
    const countsByAccount = Object.fromEntries(
      [...requestCountsByAccount].map(([accountId, counts]) => [accountId, Object.fromEntries(counts)]),
    )
    return c.json({
      total: requestTotal,
      counts: Object.fromEntries(requestCounts),
      countsByAccount,
      requests: requestLog,
    })
  })
  app.delete('/_sandbox/requests', (c) => {
    requestLog.length = 0
    requestCounts.clear()
    requestCountsByAccount.clear()
    requestTotal = 0
    return c.json({ total: 0, counts: {}, countsByAccount: {}, requests: [] })
  })

  app.get('/_sandbox/webhooks', (c) => c.json(webhookLog))

  // Calls on sandbox numbers, with Vapi's server messages (issue 17): sandbox-calls.ts.
  registerSandboxCallRoutes(app, {
    findNumber: (id) => {
      const holding = held.get(id)
      if (!holding || holding.releasedAt !== null) return null
      const account = [...accountsByKey.values()].find((candidate) => candidate.id === holding.accountId)
      return account ? { phoneNumber: holding.phoneNumber, account } : null
    },
    findAccount: (accountId) => [...accountsByKey.values()].find((account) => account.id === accountId) ?? null,
    persist,
    webhookSecret: options.webhookSecret,
    webhookAuth,
    webhookTimeoutMs,
    pause,
    closing: closing.signal,
    now: () => clock.now(),
  })

  return {
    app,
    close() {
      closing.abort()
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
  }
}
