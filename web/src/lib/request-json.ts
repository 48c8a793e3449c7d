import { z } from 'zod/mini'
import { errorBodySchema } from '@dialtone/shared/errors'
import { ApiError } from './api-error.ts'

const betterAuthErrorSchema = z.object({ code: z.optional(z.string()), message: z.string() })

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
}

/**
 * Calls the API on this origin with the session cookie and validates the answer with `schema`, so a change
 * in the server's shape fails loudly here instead of somewhere in a component. Any zod schema will do: the
 * numbers page's are `zod/mini` (the main page's weight), a few later pages' still zod's full API.
 */
export async function requestJson<Schema extends z.core.$ZodType>(
  path: string,
  schema: Schema,
  options: RequestOptions = {},
): Promise<z.output<Schema>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  const init: RequestInit = { method: options.method ?? 'GET', credentials: 'same-origin', headers }
  if (options.signal) init.signal = options.signal
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json'
    init.body = JSON.stringify(options.body)
  }

  let response: Response
  try {
    response = await fetch(path, init)
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError({
      status: 0,
      code: 'NETWORK',
      message: 'dialtone could not be reached. Check your connection and try again.',
    })
  }

  const text = await response.text()
  const payload = parseJson(text)
  if (!response.ok) throw toApiError(response, payload)

  const parsed = z.safeParse(schema, payload)
  if (!parsed.success) {
    throw new ApiError({
      status: response.status,
      code: 'UNEXPECTED_RESPONSE',
      message: 'dialtone answered in a way this page does not understand. Reload the page and try again.',
      details: parsed.error.issues,
    })
  }
  return parsed.data
}

function parseJson(text: string): unknown {
  if (text === '') return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function toApiError(response: Response, payload: unknown): ApiError {
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'))
  const dialtoneError = errorBodySchema.safeParse(payload)
  if (dialtoneError.success) {
    const { code, message, details } = dialtoneError.data.error
    return new ApiError({ status: response.status, code, message, details, retryAfterSeconds })
  }
  const authError = betterAuthErrorSchema.safeParse(payload)
  if (authError.success) {
    return new ApiError({
      status: response.status,
      code: authError.data.code ?? `HTTP_${response.status}`,
      message: authError.data.message,
      retryAfterSeconds,
    })
  }
  return new ApiError({
    status: response.status,
    code: `HTTP_${response.status}`,
    message:
      response.status >= 500
        ? 'dialtone is having trouble right now. Try again in a minute.'
        : `The request failed (HTTP ${response.status}).`,
    retryAfterSeconds,
  })
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds))
  const date = Date.parse(value)
  if (Number.isNaN(date)) return null
  return Math.max(0, Math.ceil((date - now) / 1000))
}
