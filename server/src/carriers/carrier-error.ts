// Every way a carrier call (Twilio or Telnyx) can fail, as one class with a `kind` the caller switches on. The
// carrier's own code and words are kept verbatim for logs and for the owner; credentials never appear in them.

export type CarrierName = 'twilio' | 'telnyx'

export type CarrierErrorKind =
  /** The credentials were refused (Twilio 20003, Telnyx 10009 / HTTP 401 or 403). */
  | 'unauthorized'
  /** The number cannot be had: taken, not in inventory, or no longer held (Twilio 21422, Telnyx order failure). */
  | 'unavailable'
  /** The request itself is wrong: a malformed number, an unknown filter (Twilio 21421, HTTP 400/422). */
  | 'invalid'
  /** The thing asked for does not exist (HTTP 404: a released number, an unknown order). */
  | 'not-found'
  /** Too many requests (HTTP 429, Twilio 20429); `retryAfterMs` says how long to wait when the carrier said. */
  | 'rate-limited'
  /** The carrier failed (HTTP 5xx) or answered something unreadable. */
  | 'server'
  /** No answer arrived: the connection failed or timed out. The request may or may not have been done. */
  | 'network'

export interface CarrierErrorDetails {
  /** The carrier's own error code as a string ("21422", "10009"); null when it gave none. */
  code?: string | null
  /** The HTTP status; null when no answer arrived. */
  status?: number | null
  /** From Retry-After; null when the carrier sent none. */
  retryAfterMs?: number | null
  /** Twilio's `more_info` link (or Telnyx's `meta.url`), when given. */
  moreInfo?: string | null
  cause?: unknown
}

export class CarrierError extends Error {
  override name = 'CarrierError'
  readonly code: string | null
  readonly status: number | null
  readonly retryAfterMs: number | null
  readonly moreInfo: string | null

  constructor(
    readonly carrier: CarrierName,
    readonly kind: CarrierErrorKind,
    /** The carrier's message (Twilio's `message`, Telnyx's `detail` or `title`), or ours when it gave none. */
    message: string,
    details: CarrierErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = details.code ?? null
    this.status = details.status ?? null
    this.retryAfterMs = details.retryAfterMs ?? null
    this.moreInfo = details.moreInfo ?? null
  }

  /** Worth trying again later, unchanged: rate limits, carrier failures and lost answers. */
  get isRetryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server' || this.kind === 'network'
  }
}

export function isCarrierError(error: unknown): error is CarrierError {
  return error instanceof CarrierError
}

/** The kind an HTTP status means when the carrier's code says nothing more specific. */
export function kindOfStatus(status: number): CarrierErrorKind {
  if (status === 401 || status === 403) return 'unauthorized'
  if (status === 404) return 'not-found'
  if (status === 429) return 'rate-limited'
  if (status >= 500) return 'server'
  return 'invalid'
}
