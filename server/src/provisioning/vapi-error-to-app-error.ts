import type { FailureReason } from '@dialtone/shared/provisioning-stats'
import type { AreaCodeDirectory } from '../area-codes/area-code-directory.ts'
import { AppError } from '../lib/app-error.ts'
import {
  VapiAreaCodeUnavailableError,
  VapiError,
  VapiInvalidResponseError,
  VapiRateLimitedError,
  VapiUnauthorizedError,
  VapiUnavailableError,
} from '../vapi/vapi-errors.ts'

export interface CreateFailure {
  appError: AppError
  failureCode: FailureReason
  /** 'refused': Vapi answered no. 'error': no clear answer (5xx, timeout, garbage), so a purchase is not ruled out. */
  outcome: 'refused' | 'error'
}

/** What a failed create means for the owner, in words they can act on, and how analytics counts it. */
export function describeCreateFailure(error: unknown, areaCode: string, directory: AreaCodeDirectory): CreateFailure {
  if (error instanceof VapiAreaCodeUnavailableError) {
    const suggestedAreaCodes = directory.suggestAlternatives(areaCode, error.hintAreaCodes)
    const place = directory.find(areaCode)
    const where = place ? ` (${place.places.slice(0, 2).join(', ')}, ${place.state})` : ''
    return {
      outcome: 'refused',
      failureCode: 'area_code_unavailable',
      appError: new AppError(
        'AREA_CODE_UNAVAILABLE',
        `Vapi has no numbers left in area code ${areaCode}${where} right now. Nothing was bought. Pick one of the suggested area codes instead.`,
        { areaCode, suggestedAreaCodes },
      ),
    }
  }
  if (error instanceof VapiUnauthorizedError) {
    return {
      outcome: 'refused',
      failureCode: 'vapi_unauthorized',
      appError: new AppError(
        'VAPI_UNAUTHORIZED',
        'Vapi refused dialtone’s API key, so nothing was bought. The operator needs to set VAPI_API_KEY to a valid Vapi private key.',
      ),
    }
  }
  if (error instanceof VapiRateLimitedError) {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 10_000) / 1000))
    return {
      outcome: 'refused',
      failureCode: 'vapi_rate_limited',
      appError: new AppError(
        'VAPI_RATE_LIMITED',
        `Vapi is receiving too many requests. Nothing was bought; try again in ${seconds} seconds.`,
        { retryAfterSeconds: seconds },
        seconds,
      ),
    }
  }
  if (error instanceof VapiUnavailableError) {
    return {
      outcome: 'error',
      failureCode: 'vapi_unavailable',
      appError: new AppError(
        'VAPI_UNAVAILABLE',
        'Vapi is not answering properly right now, so no number was added. Try again in a minute; if Vapi did create one, dialtone finds it and releases it so you are not charged for it.',
        undefined,
        30,
      ),
    }
  }
  if (error instanceof VapiInvalidResponseError) {
    return {
      outcome: 'error',
      failureCode: 'vapi_rejected',
      appError: new AppError(
        'VAPI_REJECTED',
        'Vapi answered with something dialtone could not understand, so nothing was stored. Try again; if it keeps happening, the operator should check the Vapi status page.',
      ),
    }
  }
  if (error instanceof VapiError) {
    const reason = error.vapiMessage ? ` Vapi said: “${error.vapiMessage}”` : ''
    return {
      outcome: 'refused',
      failureCode: 'vapi_rejected',
      appError: new AppError(
        'VAPI_REJECTED',
        `Vapi refused to create the number.${reason} Nothing was bought. If it mentions a limit or billing, the account owner needs to add credit or free up a number at Vapi.`,
      ),
    }
  }
  throw error
}
