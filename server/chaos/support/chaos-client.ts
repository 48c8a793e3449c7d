import { randomUUID } from 'node:crypto'
import { phoneNumberListSchema, phoneNumberSchema, type PhoneNumber } from '@dialtone/shared/phone-number'
import type { ClientToServerEvents, ServerToClientEvents } from '@dialtone/shared/socket-events'
import type { Kysely } from 'kysely'
import { io, type Socket } from 'socket.io-client'
import type { Database } from '../../src/db/schema.ts'
import { signVapiWebhook } from '../../src/vapi/verify-vapi-webhook.ts'
import { chaosWebhookSecret } from './server-process.ts'

export interface Owner {
  name: string
  email: string
  cookie: string
  /** Null when the scenario cannot read the database (the embedded one is open in the server process only). */
  organizationId: string | null
}

export interface Answer<T = unknown> {
  status: number
  body: T
  ms: number
  /** Set when no HTTP answer came at all (connection refused or reset, timeout). */
  networkError: string | null
}

/** One HTTP exchange that never throws: a crash or an outage is an answer the scenario counts. */
export async function call<T = unknown>(
  url: string,
  init: RequestInit & { cookie?: string; json?: unknown; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  const startedAt = performance.now()
  const headers = new Headers(init.headers)
  if (init.cookie) headers.set('cookie', init.cookie)
  let body = init.body
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(init.json)
  }
  try {
    const response = await fetch(url, {
      ...init,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, body: parsed as T, ms: performance.now() - startedAt, networkError: null }
  } catch (error) {
    return {
      status: 0,
      body: null as T,
      ms: performance.now() - startedAt,
      networkError: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    }
  }
}

/** A new owner through the sign-up form; the organisation's id is read from the database when one is given. */
export async function signUpOwner(baseUrl: string, db: Kysely<Database> | null, name: string): Promise<Owner> {
  const email = `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID().slice(0, 8)}@chaos.example`
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ name, email, password: 'chaos password 123' }),
  })
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`)
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  if (db === null) return { name, email, cookie, organizationId: null }
  const member = await db
    .selectFrom('member')
    .innerJoin('user', 'user.id', 'member.userId')
    .select('member.organizationId')
    .where('user.email', '=', email)
    .executeTakeFirstOrThrow()
  return { name, email, cookie, organizationId: member.organizationId }
}

/** The body Vapi sends when a number changes. */
export function statusUpdateBody(vapiPhoneNumber: { id: string; status?: string; number?: string }) {
  return JSON.stringify({
    message: { type: 'phone-number-status-update', timestamp: Date.now(), phoneNumber: vapiPhoneNumber },
  })
}

/** A webhook signed as Vapi would sign it (with the suite's secret, or the one a server generated for itself). */
export function postSignedWebhook(
  baseUrl: string,
  rawBody: string,
  messageId: string,
  timeoutMs = 15_000,
  secret = chaosWebhookSecret,
) {
  return call<{ received: boolean; outcome: string }>(`${baseUrl}/webhooks/vapi`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-message-id': messageId,
      ...signVapiWebhook({ mode: 'hmac', secret, rawBody, timestampMs: Date.now() }),
    },
    body: rawBody,
    timeoutMs,
  })
}

/**
 * `origin` is the page's origin (the server's PUBLIC_URL); it differs from `baseUrl` when the request goes through a
 * proxy in front of the server, which is a network hop, not another site.
 */
export function createNumber(baseUrl: string, owner: Owner, areaCode: string, timeoutMs = 30_000, origin = baseUrl) {
  return call<PhoneNumber & { error?: { code: string } }>(`${baseUrl}/api/phone-numbers`, {
    method: 'POST',
    cookie: owner.cookie,
    headers: { origin },
    json: { areaCode, name: `${owner.name} ${areaCode}` },
    timeoutMs,
  })
}

export type ChaosSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/**
 * What a dashboard tab does: a socket that reconnects by itself, a view of the organisation's numbers patched by
 * `phone-number:updated` (newer versions only), and a refetch of the whole list after every reconnect, since
 * events sent while it was away are gone.
 */
export class BrowserTab {
  readonly view = new Map<string, PhoneNumber>()
  readonly received: { id: string; version: number; status: PhoneNumber['status']; at: number }[] = []
  connects = 0
  disconnects = 0
  readonly disconnectReasons: string[] = []
  refetches = 0
  refetchFailures = 0
  readonly socket: ChaosSocket

  constructor(
    readonly baseUrl: string,
    readonly owner: Owner,
    options: { reconnect: boolean },
  ) {
    this.socket = io(baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: { cookie: owner.cookie },
      reconnection: options.reconnect,
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
      randomizationFactor: 0.3,
    })
    this.socket.on('phone-number:updated', (payload) => {
      const phoneNumber = phoneNumberSchema.parse(payload)
      this.received.push({
        id: phoneNumber.id,
        version: phoneNumber.version,
        status: phoneNumber.status,
        at: Date.now(),
      })
      this.apply(phoneNumber)
    })
    this.socket.on('connect', () => {
      this.connects += 1
      if (this.connects > 1) void this.refetch()
    })
    this.socket.on('disconnect', (reason) => {
      this.disconnects += 1
      this.disconnectReasons.push(reason)
    })
  }

  private apply(phoneNumber: PhoneNumber) {
    const known = this.view.get(phoneNumber.id)
    if (!known || known.version < phoneNumber.version) this.view.set(phoneNumber.id, phoneNumber)
  }

  /** The whole list, page by page, as the dashboard loads it. */
  async refetch(): Promise<boolean> {
    this.refetches += 1
    let cursor: string | null = null
    do {
      const query: string = cursor ? `?limit=200&cursor=${encodeURIComponent(cursor)}` : '?limit=200'
      const answer = await call(`${this.baseUrl}/api/phone-numbers${query}`, { cookie: this.owner.cookie })
      const page = phoneNumberListSchema.safeParse(answer.body)
      if (answer.status !== 200 || !page.success) {
        this.refetchFailures += 1
        return false
      }
      for (const phoneNumber of page.data.items) this.apply(phoneNumber)
      cursor = page.data.nextCursor
    } while (cursor)
    return true
  }

  waitConnected(timeoutMs = 20_000) {
    if (this.socket.connected) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket of ${this.owner.name} did not connect`)), timeoutMs)
      this.socket.once('connect', () => {
        clearTimeout(timer)
        resolve()
      })
      this.socket.once('connect_error', (error) => {
        if (!this.socket.io.opts.reconnection) {
          clearTimeout(timer)
          reject(error)
        }
      })
    })
  }

  close() {
    this.socket.disconnect()
  }
}
