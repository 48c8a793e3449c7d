import type { z } from 'zod'
import { parseRetryAfter } from '../vapi/retry-after.ts'
import { CarrierError, kindOfStatus, type CarrierErrorKind, type CarrierName } from './carrier-error.ts'

// One HTTP exchange with a carrier: a timeout, network failures as CarrierError 'network', the answer's text.

export interface CarrierHttpOptions {
  carrier: CarrierName
  fetch: typeof fetch
  timeoutMs: number
}

export interface CarrierAnswer {
  status: number
  headers: Headers
  text: string
}

export async function carrierExchange(
  options: CarrierHttpOptions,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<CarrierAnswer> {
  let response: Response
  let text: string
  try {
    response = await options.fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) })
    text = await response.text()
  } catch (error) {
    const isTimeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    const what = `${init.method} ${new URL(url).pathname}`
    throw new CarrierError(
      options.carrier,
      'network',
      isTimeout
        ? `${label(options.carrier)} did not answer ${what} within ${options.timeoutMs} ms.`
        : `Could not reach ${label(options.carrier)} for ${what}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  }
  return { status: response.status, headers: response.headers, text }
}

export function label(carrier: CarrierName) {
  return carrier === 'twilio' ? 'Twilio' : 'Telnyx'
}

/** The JSON of a 2xx answer; an unreadable body is the carrier's fault ('server'). */
export function parseAnswerJson(carrier: CarrierName, answer: CarrierAnswer): unknown {
  try {
    return JSON.parse(answer.text) as unknown
  } catch (error) {
    throw new CarrierError(carrier, 'server', `${label(carrier)} answered with a body that is not JSON.`, {
      status: answer.status,
      cause: error,
    })
  }
}

/** Parses JSON or gives undefined, for error bodies that may be HTML or empty. */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

export function failureDetails(answer: CarrierAnswer, kind: CarrierErrorKind | null) {
  return {
    kind: kind ?? kindOfStatus(answer.status),
    status: answer.status,
    retryAfterMs: parseRetryAfter(answer.headers.get('retry-after')),
  }
}

/** A 2xx answer read with the carrier's documented shape; anything else is the carrier's fault ('server'). */
export function readAnswer<T>(carrier: CarrierName, answer: CarrierAnswer, schema: z.ZodType<T>, what: string): T {
  const parsed = schema.safeParse(parseAnswerJson(carrier, answer))
  if (!parsed.success) {
    throw new CarrierError(carrier, 'server', `${label(carrier)}'s answer to ${what} is not what its API documents.`, {
      status: answer.status,
      cause: parsed.error,
    })
  }
  return parsed.data
}
