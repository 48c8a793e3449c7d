import type { ErrorBody, ErrorCode } from '@dialtone/shared/errors'

const statusByCode = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  AREA_CODE_UNAVAILABLE: 409,
  ORGANIZATION_HAS_NUMBERS: 409,
  LAST_OWNER: 409,
  INVITATION_EXPIRED: 410,
  INVITATION_FOR_ANOTHER_EMAIL: 403,
  VAPI_REJECTED: 502,
  VAPI_UNAUTHORIZED: 502,
  VAPI_UNAVAILABLE: 503,
  VAPI_RATE_LIMITED: 503,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
  API_KEY_INVALID: 401,
  CONNECTION_INVALID: 422,
  CONNECTION_REQUIRED: 409,
  VAPI_ACCOUNT_DISCONNECTED: 409,
  FREE_NUMBER_LIMIT: 409,
  ASSISTANT_NOT_FOUND: 422,
  NUMBER_UNAVAILABLE: 409,
  NUMBER_INVALID: 422,
  CARRIER_REJECTED: 502,
  CARRIER_UNAUTHORIZED: 502,
  CARRIER_UNAVAILABLE: 503,
  CARRIER_RATE_LIMITED: 503,
} as const satisfies Record<ErrorCode, number>

export type AppErrorStatus = (typeof statusByCode)[ErrorCode]

/** The one error type the API answers with; its code decides the HTTP status. */
export class AppError extends Error {
  override name = 'AppError'
  readonly status: AppErrorStatus

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Seconds, for the Retry-After header of 429 and 503 answers. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
    this.status = statusByCode[code]
  }

  toBody() {
    return errorBody(this.code, this.message, this.details)
  }
}

/** The API's one error body, `{ error: { code, message, details? } }` (ErrorBody in shared/errors). */
export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return {
    error: { code, message, ...(details === undefined ? {} : { details }) },
  } satisfies ErrorBody
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant failed: ${message}`)
}
