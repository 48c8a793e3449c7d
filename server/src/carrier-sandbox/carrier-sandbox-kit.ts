import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Context, Env, Hono, MiddlewareHandler } from 'hono'
import type { Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/logger.ts'
import { carrierFaultsPatchSchema, noCarrierFaults, type CarrierFaults } from './carrier-sandbox-faults.ts'
import { writeCarrierSandboxState } from './carrier-sandbox-state-file.ts'

// What the Twilio and Telnyx sandboxes share: timers that stop on close, the state file, the request log, faults,
// and serving an app on a real port.

export interface CarrierSandboxBaseOptions {
  /** Keep accounts, numbers (and orders) in this JSON file across restarts. */
  stateFile?: string
  /** Decides faults, delays and secrets' randomness where it matters; Math.random by default. */
  random?: () => number
  clock?: Clock
  logger?: Logger
}

export interface RequestLogEntry {
  method: string
  path: string
  status: number | null
  /** The account the credentials opened; null when missing or refused. */
  account: string | null
  at: string
}

const maxLogEntries = 5_000

export function createSandboxKit(carrier: string, options: CarrierSandboxBaseOptions) {
  const random = options.random ?? Math.random
  const now = () => (options.clock ? options.clock.now() : new Date())
  const logger = options.logger?.child({ component: `${carrier}-sandbox` })
  const timers = new Set<NodeJS.Timeout>()
  const closing = new AbortController()
  const requests: RequestLogEntry[] = []
  let faults: CarrierFaults = { ...noCarrierFaults }

  function schedule(run: () => void, delayMs: number): NodeJS.Timeout | null {
    if (closing.signal.aborted) return null
    const timer = setTimeout(
      () => {
        timers.delete(timer)
        run()
      },
      Math.max(0, delayMs),
    )
    timers.add(timer)
    return timer
  }

  function cancel(timer: NodeJS.Timeout | null) {
    if (!timer) return
    clearTimeout(timer)
    timers.delete(timer)
  }

  return {
    random,
    logger,
    closing,
    nowIso: () => now().toISOString(),
    nowMs: () => now().getTime(),
    schedule,
    cancel,
    /** Resolves after delayMs, or never once closed (the server drops the connection). */
    pause: (delayMs: number) => new Promise<void>((resolve) => schedule(resolve, delayMs)),
    persist(snapshot: () => unknown) {
      if (options.stateFile === undefined || closing.signal.aborted) return
      try {
        writeCarrierSandboxState(options.stateFile, snapshot())
      } catch (error) {
        logger?.error({ err: error, stateFile: options.stateFile }, 'sandbox state could not be written')
      }
    },
    faults: () => faults,
    setFaults(patch: unknown): { ok: true; faults: CarrierFaults } | { ok: false; message: string } {
      const parsed = carrierFaultsPatchSchema.safeParse(patch)
      if (!parsed.success)
        return {
          ok: false,
          message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
        }
      faults = { ...faults, ...parsed.data }
      logger?.info({ faults }, 'sandbox faults changed')
      return { ok: true, faults }
    },
    resetFaults() {
      faults = { ...noCarrierFaults }
      return faults
    },
    requests,
    logRequest(entry: RequestLogEntry) {
      requests.push(entry)
      if (requests.length > maxLogEntries) requests.splice(0, requests.length - maxLogEntries)
    },
    close() {
      closing.abort()
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
  }
}

export type SandboxKit = ReturnType<typeof createSandboxKit>

/**
 * What every API call of a carrier sandbox goes through: logged, held by the latency fault, answered 429 or 500 by
 * the rate-limit and error faults, then authenticated (`authenticate` sets the account and names it, or null).
 */
export function apiGate<E extends Env>(
  kit: SandboxKit,
  answers: { throttled: () => Response; failed: () => Response; unauthenticated: () => Response },
  authenticate: (c: Context<E>) => string | null,
): MiddlewareHandler<E> {
  return async (c, next) => {
    const entry: RequestLogEntry = {
      method: c.req.method,
      path: c.req.path,
      status: null,
      account: null,
      at: kit.nowIso(),
    }
    kit.logRequest(entry)
    const faults = kit.faults()
    if (faults.latencyMs > 0) await kit.pause(faults.latencyMs)
    const refusal =
      kit.random() < faults.rateLimitRate
        ? answers.throttled()
        : kit.random() < faults.errorRate
          ? answers.failed()
          : null
    entry.account = refusal ? null : authenticate(c)
    const answer = refusal ?? (entry.account === null ? answers.unauthenticated() : null)
    if (answer) {
      entry.status = answer.status
      return answer
    }
    await next()
    entry.status = c.res.status
    return undefined
  }
}

/** `GET/POST/DELETE /_sandbox/faults` and `GET/DELETE /_sandbox/requests`, the same on every carrier sandbox. */
export function addFaultAndRequestRoutes<E extends Env>(app: Hono<E>, kit: SandboxKit) {
  app.get('/_sandbox/faults', (c) => c.json(kit.faults()))
  app.post('/_sandbox/faults', async (c) => {
    const json = parseJsonBody(await c.req.text())
    const result = json.ok ? kit.setFaults(json.body) : { ok: false as const, message: json.message }
    return result.ok ? c.json(result.faults) : c.json({ error: result.message }, 400)
  })
  app.delete('/_sandbox/faults', (c) => c.json(kit.resetFaults()))
  app.get('/_sandbox/requests', (c) => c.json(kit.requests))
  app.delete('/_sandbox/requests', (c) => {
    kit.requests.length = 0
    return c.json([])
  })
}

/** n random hex characters. */
export function randomHex(length: number) {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length)
}

/** Parses a JSON body; an empty body is {}. */
export function parseJsonBody(text: string): { ok: true; body: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, body: {} }
  try {
    return { ok: true, body: JSON.parse(text) as unknown }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'Invalid JSON' }
  }
}

export interface RunningCarrierSandbox {
  /** The sandbox's origin, e.g. http://127.0.0.1:4011 (the Telnyx API is under /v2). */
  url: string
  port: number
  close(): Promise<void>
}

/** Serves a sandbox app on a real port (0 picks a free one), on 127.0.0.1 unless told otherwise. */
export async function serveSandbox(
  fetchHandler: (request: Request) => Response | Promise<Response>,
  close: () => void,
  port: number,
  host = '127.0.0.1',
): Promise<RunningCarrierSandbox> {
  const { server, boundPort } = await new Promise<{ server: ReturnType<typeof serve>; boundPort: number }>(
    (resolve, reject) => {
      const server = serve({ fetch: fetchHandler, port, hostname: host }, (info: AddressInfo) =>
        resolve({ server, boundPort: info.port }),
      )
      server.once('error', reject)
    },
  )
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${urlHost}:${boundPort}`,
    port: boundPort,
    close: async () => {
      close()
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
    },
  }
}
