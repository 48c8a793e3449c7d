import type { z } from 'zod'
import type { Logger } from '../lib/logger.ts'
import { parseRetryAfter } from './retry-after.ts'
import type { VapiPauseStore } from './vapi-pause-store.ts'
import {
  createVapiRateLimiter,
  type VapiCallPriority,
  type VapiCallTicket,
  type VapiRateLimiter,
} from './vapi-rate-limiter.ts'
import {
  isAreaCodeUnavailableMessage,
  VapiAreaCodeUnavailableError,
  VapiInvalidResponseError,
  VapiNotFoundError,
  VapiRateLimitedError,
  VapiRejectedError,
  VapiUnauthorizedError,
  VapiUnavailableError,
  type VapiError,
} from './vapi-errors.ts'
import {
  vapiAssistantListSchema,
  vapiAssistantSchema,
  vapiErrorBodySchema,
  vapiPhoneNumberListSchema,
  vapiPhoneNumberSchema,
  vapiCredentialSchema,
  type VapiAssistant,
  type VapiPhoneNumber,
} from './vapi-schemas.ts'

export interface VapiServerInput {
  url: string
  headers?: Record<string, string>
}

export interface CreateVapiPhoneNumberInput {
  numberDesiredAreaCode: string
  name?: string
  assistantId?: string
  server?: VapiServerInput
}

/** A carrier's number brought into Vapi: Vapi's CreateTwilioPhoneNumberDTO / CreateTelnyxPhoneNumberDTO. */
export type ImportVapiPhoneNumberInput = {
  number: string
  name?: string
  assistantId?: string
  server?: VapiServerInput
} & (
  | {
      provider: 'twilio'
      twilioAccountSid: string
      twilioApiKey?: string
      twilioApiSecret?: string
      twilioAuthToken?: string
    }
  | { provider: 'telnyx'; credentialId: string }
)

export interface UpdateVapiPhoneNumberInput {
  name?: string
  /** null clears it: the number's calls then go to the server URL's `assistant-request`. */
  assistantId?: string | null
  /** 'clear' sends an empty server object, so the number has no server URL of its own. */
  server?: VapiServerInput | 'clear'
}

export interface ListVapiPhoneNumbersQuery {
  /** 0–1000; Vapi's default is 100. */
  limit?: number
  /** ISO 8601; only numbers created strictly after it. */
  createdAtGt?: string
  /** ISO 8601; only numbers changed (updatedAt) strictly after it: the poller's change feed. */
  updatedAtGt?: string
  /** ISO 8601; only numbers changed at or before it (the feed's upper bound when it splits a full page). */
  updatedAtLe?: string
}

/**
 * Whose call this is and how urgent, for the rate limiter's fair shares. Each method has a default priority:
 * purchase for creates, interactive for updates and deletes, background for reads.
 */
export interface VapiCallContext {
  organizationId?: string | null
  priority?: VapiCallPriority
}

export interface VapiClient {
  /** Buys a number. Never retried: a create whose answer was lost may still have bought one. */
  createPhoneNumber(input: CreateVapiPhoneNumberInput, call?: VapiCallContext): Promise<VapiPhoneNumber>
  /** Retried with backoff when Vapi is unavailable or rate limiting. */
  getPhoneNumber(id: string, call?: VapiCallContext): Promise<VapiPhoneNumber>
  /** Retried like getPhoneNumber. */
  listPhoneNumbers(query?: ListVapiPhoneNumbersQuery, call?: VapiCallContext): Promise<VapiPhoneNumber[]>
  /** Not retried. */
  updatePhoneNumber(id: string, patch: UpdateVapiPhoneNumberInput, call?: VapiCallContext): Promise<VapiPhoneNumber>
  /**
   * Releases a number; answers the deleted record. Retried like getPhoneNumber, so a VapiNotFoundError after a
   * lost answer can mean the first attempt already deleted it.
   */
  deletePhoneNumber(id: string, call?: VapiCallContext): Promise<VapiPhoneNumber>
  /** The account's assistants (Vapi's default page: the 100 newest). Retried like getPhoneNumber. */
  listAssistants(query?: { limit?: number }, call?: VapiCallContext): Promise<VapiAssistant[]>
  /** Retried like getPhoneNumber. */
  getAssistant(id: string, call?: VapiCallContext): Promise<VapiAssistant>
  /** Imports a carrier's number (Twilio, Telnyx). Never retried: a lost answer may still have imported it. */
  importPhoneNumber(input: ImportVapiPhoneNumberInput, call?: VapiCallContext): Promise<VapiPhoneNumber>
  /** Makes a credential Vapi keeps (a Telnyx API key for imports); answers its id. Not retried. */
  createCredential(
    input: { provider: 'telnyx'; apiKey: string; name?: string },
    call?: VapiCallContext,
  ): Promise<{ id: string }>
}

export interface VapiClientOptions {
  baseUrl: string
  apiKey: string
  /** Per HTTP request, including reading the body. Default 10 000. */
  timeoutMs?: number
  /** Extra attempts for GET and DELETE after the first. Default 3. */
  maxRetries?: number
  /** Backoff ceiling of the first retry; doubles per retry ("full jitter": the wait is random below it). Default 250. */
  retryBaseDelayMs?: number
  /** No single wait is longer; a Retry-After beyond it is handed to the caller instead of waited for. Default 5 000. */
  maxRetryDelayMs?: number
  /** The rate of this client's own limiter when none is given. Default 5. */
  maxRequestsPerSecond?: number
  /** Shared by the clients of every Vapi account, so each account's rate and pauses are kept in one place. */
  limiter?: VapiRateLimiter
  /** Which Vapi account this client's key belongs to, for the limiter. Default 'default'. */
  accountKey?: string
  /** Retry-After pauses written down for every process (vapi-pause-repository.ts); this process's only if absent. */
  sharedPauses?: VapiPauseStore
  fetch?: typeof fetch
  logger?: Logger
  /** For the jitter; Math.random by default. */
  random?: () => number
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function createVapiClient(options: VapiClientOptions): VapiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 10_000
  const maxRetries = options.maxRetries ?? 3
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 250
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000
  const fetchImplementation = options.fetch ?? fetch
  const random = options.random ?? Math.random
  const logger = options.logger?.child({ component: 'vapi-client' })
  const limiter = options.limiter ?? createVapiRateLimiter({ ratePerSecond: options.maxRequestsPerSecond ?? 5 })
  const accountKey = options.accountKey ?? 'default'
  // Built once and never logged.
  const authorization = `Bearer ${options.apiKey}`

  /** One HTTP exchange: the parsed JSON of a 2xx answer, or the VapiError that describes the failure. */
  async function send(method: Method, path: string, ticket: VapiCallTicket, body?: unknown): Promise<unknown> {
    await waitForTurn(ticket, method, path)
    const startedAt = performance.now()
    let response: Response
    let text: string
    try {
      response = await fetchImplementation(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      })
      text = await response.text()
    } catch (error) {
      const isTimeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      const message = isTimeout
        ? `Vapi did not answer ${method} ${path} within ${timeoutMs} ms.`
        : `Could not reach Vapi for ${method} ${path}: ${error instanceof Error ? error.message : String(error)}`
      logger?.warn({ method, path, durationMs: Math.round(performance.now() - startedAt), isTimeout }, message)
      throw new VapiUnavailableError(message, { cause: error })
    }
    const durationMs = Math.round(performance.now() - startedAt)
    logger?.debug({ method, path, status: response.status, durationMs }, 'vapi request')

    if (response.ok) {
      try {
        const json: unknown = JSON.parse(text)
        return json
      } catch (error) {
        throw new VapiInvalidResponseError(`Vapi answered ${method} ${path} with a body that is not JSON.`, {
          httpStatus: response.status,
          cause: error,
        })
      }
    }
    const failure = describeFailure(response, text)
    if (failure instanceof VapiRateLimitedError && failure.retryAfterMs !== null) {
      limiter.pause(accountKey, failure.retryAfterMs)
      await options.sharedPauses
        ?.record(accountKey, failure.retryAfterMs)
        .catch((error: unknown) => logger?.warn({ err: error }, 'could not share a Vapi Retry-After pause'))
    }
    logger?.info(
      { method, path, status: response.status, durationMs, kind: failure.kind, vapiMessage: failure.vapiMessage },
      'vapi refused',
    )
    throw failure
  }

  /**
   * The limiter's turn for this call. While Vapi's Retry-After pause is longer than a retry would wait, the call
   * fails at once as Vapi would have answered it, instead of holding a person's request for minutes.
   */
  async function waitForTurn(ticket: VapiCallTicket, method: Method, path: string) {
    if (options.sharedPauses) {
      // Another process may have been told to wait: its pause holds here too.
      const sharedMs = await options.sharedPauses.pausedForMs(accountKey).catch((error: unknown) => {
        logger?.warn({ err: error }, 'could not read shared Vapi pauses')
        return 0
      })
      if (sharedMs > 0) limiter.pause(accountKey, sharedMs)
    }
    const pausedForMs = limiter.pausedForMs(accountKey)
    if (pausedForMs > maxRetryDelayMs) {
      logger?.info({ method, path, pausedForMs }, 'vapi paused by Retry-After; not sent')
      throw new VapiRateLimitedError({ httpStatus: 429, vapiMessage: null }, Math.ceil(pausedForMs))
    }
    await limiter.take(ticket)
  }

  const ticketFor = (call: VapiCallContext | undefined, defaultPriority: VapiCallPriority): VapiCallTicket => ({
    accountKey,
    organizationId: call?.organizationId ?? null,
    priority: call?.priority ?? defaultPriority,
  })

  async function sendAndParse<Schema extends z.ZodType>(
    schema: Schema,
    method: Method,
    path: string,
    ticket: VapiCallTicket,
    body?: unknown,
  ): Promise<z.infer<Schema>> {
    const json = await send(method, path, ticket, body)
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      const problems = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
        .join('; ')
      throw new VapiInvalidResponseError(`Vapi's answer to ${method} ${path} is not what Vapi documents: ${problems}`, {
        cause: parsed.error,
      })
    }
    return parsed.data
  }

  /** Repeats a safe call while Vapi is down or rate limiting: exponential backoff, full jitter, Retry-After first. */
  async function withRetries<T>(operation: string, attempt: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt()
      } catch (error) {
        const isRetryable = error instanceof VapiUnavailableError || error instanceof VapiRateLimitedError
        if (!isRetryable || retry >= maxRetries) throw error
        const retryAfterMs = error instanceof VapiRateLimitedError ? error.retryAfterMs : null
        if (retryAfterMs !== null && retryAfterMs > maxRetryDelayMs) throw error
        const backoffMs = random() * Math.min(maxRetryDelayMs, retryBaseDelayMs * 2 ** retry)
        const delayMs = Math.round(Math.max(retryAfterMs ?? 0, backoffMs))
        logger?.warn({ operation, retry: retry + 1, delayMs, kind: error.kind }, 'retrying vapi call')
        await sleep(delayMs)
      }
    }
  }

  return {
    async createPhoneNumber(input, call) {
      // Exactly Vapi's CreateVapiPhoneNumberDTO fields: Vapi rejects any property it does not know.
      const body = {
        provider: 'vapi',
        numberDesiredAreaCode: input.numberDesiredAreaCode,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.assistantId === undefined ? {} : { assistantId: input.assistantId }),
        ...(input.server === undefined ? {} : { server: serverBody(input.server) }),
      }
      return sendAndParse(vapiPhoneNumberSchema, 'POST', '/phone-number', ticketFor(call, 'purchase'), body)
    },

    async getPhoneNumber(id, call) {
      const path = phoneNumberPath(id)
      const ticket = ticketFor(call, 'background')
      return withRetries('getPhoneNumber', () => sendAndParse(vapiPhoneNumberSchema, 'GET', path, ticket))
    },

    async listPhoneNumbers(query = {}, call) {
      const search = new URLSearchParams()
      if (query.limit !== undefined) search.set('limit', String(query.limit))
      if (query.createdAtGt !== undefined) search.set('createdAtGt', query.createdAtGt)
      if (query.updatedAtGt !== undefined) search.set('updatedAtGt', query.updatedAtGt)
      if (query.updatedAtLe !== undefined) search.set('updatedAtLe', query.updatedAtLe)
      const path = search.size === 0 ? '/phone-number' : `/phone-number?${search.toString()}`
      const ticket = ticketFor(call, 'background')
      return withRetries('listPhoneNumbers', () => sendAndParse(vapiPhoneNumberListSchema, 'GET', path, ticket))
    },

    async updatePhoneNumber(id, patch, call) {
      const body = {
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.assistantId === undefined ? {} : { assistantId: patch.assistantId }),
        ...(patch.server === undefined ? {} : { server: patch.server === 'clear' ? {} : serverBody(patch.server) }),
      }
      const ticket = ticketFor(call, 'interactive')
      return sendAndParse(vapiPhoneNumberSchema, 'PATCH', phoneNumberPath(id), ticket, body)
    },

    async deletePhoneNumber(id, call) {
      const path = phoneNumberPath(id)
      const ticket = ticketFor(call, 'interactive')
      return withRetries('deletePhoneNumber', () => sendAndParse(vapiPhoneNumberSchema, 'DELETE', path, ticket))
    },

    async listAssistants(query = {}, call) {
      const path = query.limit === undefined ? '/assistant' : `/assistant?limit=${query.limit}`
      const ticket = ticketFor(call, 'interactive')
      return withRetries('listAssistants', () => sendAndParse(vapiAssistantListSchema, 'GET', path, ticket))
    },

    async importPhoneNumber(input, call) {
      // Only the DTO's own fields: Vapi rejects any property it does not know.
      const carrierFields =
        input.provider === 'twilio'
          ? {
              twilioAccountSid: input.twilioAccountSid,
              ...(input.twilioApiKey === undefined ? {} : { twilioApiKey: input.twilioApiKey }),
              ...(input.twilioApiSecret === undefined ? {} : { twilioApiSecret: input.twilioApiSecret }),
              ...(input.twilioAuthToken === undefined ? {} : { twilioAuthToken: input.twilioAuthToken }),
            }
          : { credentialId: input.credentialId }
      const body = {
        provider: input.provider,
        number: input.number,
        ...carrierFields,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.assistantId === undefined ? {} : { assistantId: input.assistantId }),
        ...(input.server === undefined ? {} : { server: serverBody(input.server) }),
      }
      return sendAndParse(vapiPhoneNumberSchema, 'POST', '/phone-number', ticketFor(call, 'purchase'), body)
    },

    async createCredential(input, call) {
      const body = { provider: input.provider, apiKey: input.apiKey, ...(input.name ? { name: input.name } : {}) }
      return sendAndParse(vapiCredentialSchema, 'POST', '/credential', ticketFor(call, 'purchase'), body)
    },

    async getAssistant(id, call) {
      if (id === '') throw new TypeError('A Vapi assistant id is required.')
      const path = `/assistant/${encodeURIComponent(id)}`
      const ticket = ticketFor(call, 'interactive')
      return withRetries('getAssistant', () => sendAndParse(vapiAssistantSchema, 'GET', path, ticket))
    },
  }
}

function phoneNumberPath(id: string) {
  if (id === '') throw new TypeError('A Vapi phone number id is required.')
  return `/phone-number/${encodeURIComponent(id)}`
}

/** Copies only url and headers, so an object with extra properties cannot leak them into Vapi's request. */
function serverBody(server: VapiServerInput) {
  return { url: server.url, ...(server.headers === undefined ? {} : { headers: { ...server.headers } }) }
}

function readVapiMessage(text: string): string | null {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return text.trim() === '' ? null : text.trim().slice(0, 500)
  }
  const parsed = vapiErrorBodySchema.safeParse(json)
  if (!parsed.success || parsed.data.message === undefined) return null
  const { message } = parsed.data
  return Array.isArray(message) ? message.join('; ') : message
}

function describeFailure(response: Response, text: string): VapiError {
  const httpStatus = response.status
  const vapiMessage = readVapiMessage(text)
  const details = { httpStatus, vapiMessage }
  if (httpStatus === 401 || httpStatus === 403) return new VapiUnauthorizedError(details)
  if (httpStatus === 404) return new VapiNotFoundError(details)
  if (httpStatus === 429) return new VapiRateLimitedError(details, parseRetryAfter(response.headers.get('retry-after')))
  if (httpStatus === 408 || httpStatus >= 500) {
    return new VapiUnavailableError(`Vapi answered HTTP ${httpStatus}${vapiMessage ? `: ${vapiMessage}` : ''}`, details)
  }
  if (httpStatus === 400 && vapiMessage !== null && isAreaCodeUnavailableMessage(vapiMessage)) {
    return new VapiAreaCodeUnavailableError(details)
  }
  if (httpStatus >= 400) return new VapiRejectedError(details)
  return new VapiInvalidResponseError(`Vapi answered with unexpected HTTP ${httpStatus}.`, details)
}
