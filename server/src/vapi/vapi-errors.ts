// Every way a Vapi call can fail, as one class per outcome the caller must handle differently.
// `kind` lets callers switch exhaustively without instanceof chains.

export type VapiErrorKind =
  | 'area_code_unavailable'
  | 'unauthorized'
  | 'rate_limited'
  | 'not_found'
  | 'unavailable'
  | 'invalid_response'
  | 'rejected'

interface VapiErrorDetails {
  /** The HTTP status Vapi answered with; null when no answer arrived (network error, timeout). */
  httpStatus?: number | null
  /** Vapi's own message, verbatim (validation lists joined with "; "); null when there was none. */
  vapiMessage?: string | null
  cause?: unknown
}

export class VapiError extends Error {
  override name = 'VapiError'
  readonly httpStatus: number | null
  readonly vapiMessage: string | null

  constructor(
    readonly kind: VapiErrorKind,
    message: string,
    details: VapiErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.httpStatus = details.httpStatus ?? null
    this.vapiMessage = details.vapiMessage ?? null
  }
}

export class VapiAreaCodeUnavailableError extends VapiError {
  override name = 'VapiAreaCodeUnavailableError'
  declare readonly kind: 'area_code_unavailable'
  /** The area codes Vapi suggested in its hint, in Vapi's order; empty when the message had no hint. */
  readonly hintAreaCodes: string[]

  constructor(details: VapiErrorDetails) {
    super('area_code_unavailable', details.vapiMessage ?? 'This area code is not available at Vapi.', details)
    this.hintAreaCodes = parseHintAreaCodes(details.vapiMessage ?? '')
  }
}

export class VapiUnauthorizedError extends VapiError {
  override name = 'VapiUnauthorizedError'
  declare readonly kind: 'unauthorized'
  constructor(details: VapiErrorDetails) {
    super('unauthorized', 'Vapi refused the API key.', details)
  }
}

export class VapiRateLimitedError extends VapiError {
  override name = 'VapiRateLimitedError'
  declare readonly kind: 'rate_limited'
  constructor(
    details: VapiErrorDetails,
    /** From Retry-After (seconds or an HTTP date); null when Vapi sent none. */
    readonly retryAfterMs: number | null,
  ) {
    super('rate_limited', 'Vapi is rate limiting this organisation.', details)
  }
}

export class VapiNotFoundError extends VapiError {
  override name = 'VapiNotFoundError'
  declare readonly kind: 'not_found'
  constructor(details: VapiErrorDetails) {
    super('not_found', 'Vapi has no such phone number.', details)
  }
}

export class VapiUnavailableError extends VapiError {
  override name = 'VapiUnavailableError'
  declare readonly kind: 'unavailable'
  constructor(message: string, details: VapiErrorDetails) {
    super('unavailable', message, details)
  }
}

export class VapiInvalidResponseError extends VapiError {
  override name = 'VapiInvalidResponseError'
  declare readonly kind: 'invalid_response'
  constructor(message: string, details: VapiErrorDetails) {
    super('invalid_response', message, details)
  }
}

export class VapiRejectedError extends VapiError {
  override name = 'VapiRejectedError'
  declare readonly kind: 'rejected'
  constructor(details: VapiErrorDetails) {
    super('rejected', details.vapiMessage ?? `Vapi refused the request (HTTP ${details.httpStatus ?? '?'}).`, details)
  }
}

/**
 * The three-digit codes after "Hint:" in Vapi's area-code message, e.g. "Hint: Try one of 562, 662, 716." or
 * "Hint: Try 385, 405, 573.". Only text after the hint counts, so the requested code itself is never suggested.
 */
export function parseHintAreaCodes(message: string): string[] {
  const hintStart = message.search(/hint\s*:/i)
  if (hintStart === -1) return []
  const codes = message.slice(hintStart).match(/\b\d{3}\b/g) ?? []
  return [...new Set(codes)]
}

/** Vapi's wording for "no numbers left in this area code" (400). */
export function isAreaCodeUnavailableMessage(message: string): boolean {
  return /area code/i.test(message) && /not available|unavailable/i.test(message)
}
