import type { ErrorCode } from '@dialtone/shared/errors'
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { AppError } from '../lib/app-error.ts'
import { isDatabaseUnavailable } from '../lib/is-database-unavailable.ts'
import type { Logger } from '../lib/logger.ts'

function errorCodeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED'
  if (status === 403) return 'FORBIDDEN'
  if (status === 404) return 'NOT_FOUND'
  if (status === 413) return 'PAYLOAD_TOO_LARGE'
  if (status === 429) return 'RATE_LIMITED'
  if (status >= 400 && status < 500) return 'VALIDATION_FAILED'
  return 'INTERNAL'
}

/** SQLSTATE class 22: a value the database cannot represent (bad date, out-of-range number, bad uuid text). */
function isDataException(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    /^22[0-9A-Z]{3}$/.test(error.code)
  )
}

/** Whatever was thrown, as the AppError the client is answered with; logged when it is dialtone's fault. */
function toAppError(error: unknown, c: Context, logger: Logger): AppError {
  if (error instanceof AppError) {
    if (error.status >= 500) logger.warn({ code: error.code, path: c.req.path }, error.message)
    return error
  }
  if (error instanceof HTTPException) {
    // Hono's own refusals (a JSON body that does not parse, …) in the API's one error shape.
    const code = errorCodeForStatus(error.status)
    return new AppError(
      code,
      code === 'VALIDATION_FAILED' ? `The request is not valid: ${error.message}` : error.message,
    )
  }
  if (isDataException(error)) {
    // Postgres could not take a value the request carried (a date beyond its calendar, …): validation let
    // through something it should not have. Still the request's fault, so 400; logged so it gets fixed.
    logger.warn({ err: error, path: c.req.path }, 'request value refused by the database')
    return new AppError('VALIDATION_FAILED', 'A value in this request is out of range or malformed.')
  }
  if (isDatabaseUnavailable(error)) {
    logger.error({ err: error, path: c.req.path }, 'database unavailable')
    return new AppError(
      'DATABASE_UNAVAILABLE',
      'dialtone’s database is unavailable right now. Nothing was changed; try again shortly.',
      undefined,
      5,
    )
  }
  logger.error({ err: error, path: c.req.path }, 'unhandled error')
  return new AppError('INTERNAL', 'Something went wrong on dialtone’s side. Nothing was changed; try again.')
}

/** Every error answer of the app: `{ error: { code, message, details? } }` with the code's status. */
export function errorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    const appError = toAppError(error, c, logger)
    if (appError.retryAfterSeconds !== undefined) c.header('Retry-After', String(appError.retryAfterSeconds))
    return c.json(appError.toBody(), appError.status)
  }
}

export const notFoundHandler: NotFoundHandler = (c) => c.json(new AppError('NOT_FOUND', 'Not found.').toBody(), 404)
