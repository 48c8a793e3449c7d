/**
 * A failed request, in one shape for both kinds of error body the server sends: dialtone's
 * `{ error: { code, message, details } }` and Better Auth's `{ code, message }`. `status` 0 means the request
 * never reached the server (offline, server down).
 */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly status: number
  readonly code: string
  readonly details: unknown
  /** From Retry-After, when the server said how long to wait. */
  readonly retryAfterSeconds: number | null

  constructor(options: {
    status: number
    code: string
    message: string
    details?: unknown
    retryAfterSeconds?: number | null
  }) {
    super(options.message)
    this.status = options.status
    this.code = options.code
    this.details = options.details
    this.retryAfterSeconds = options.retryAfterSeconds ?? null
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError
}
