import type { FailureReason } from '@dialtone/shared/provisioning-stats'
import type { AreaCodeDirectory } from '../area-codes/area-code-directory.ts'
import { AppError } from '../lib/app-error.ts'
import {
  VapiAreaCodeUnavailableError,
  VapiError,
  VapiInvalidResponseError,
  VapiRateLimitedError,
  VapiRejectedError,
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
      appError: new AppError('VAPI_UNAUTHORIZED', unauthorizedMessage('nothing was bought')),
    }
  }
  if (error instanceof VapiRejectedError && error.vapiMessage !== null && isFreeNumberLimitMessage(error.vapiMessage)) {
    return {
      outcome: 'refused',
      failureCode: 'free_number_limit',
      appError: new AppError('FREE_NUMBER_LIMIT', freeNumberLimitMessage(error.vapiMessage), {
        vapiMessage: error.vapiMessage,
      }),
    }
  }
  if (
    error instanceof VapiRejectedError &&
    error.vapiMessage !== null &&
    isUnknownAssistantMessage(error.vapiMessage)
  ) {
    return {
      outcome: 'refused',
      failureCode: 'vapi_rejected',
      appError: new AppError('ASSISTANT_NOT_FOUND', unknownAssistantMessage('Nothing was bought'), {
        vapiMessage: error.vapiMessage,
      }),
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

/** Vapi's words when an account holds all the free numbers it may: "…reached your free number limit of 5…". */
export function isFreeNumberLimitMessage(message: string): boolean {
  return /free (phone )?numbers? limit|limit of \d+ free/i.test(message)
}

export function freeNumberLimitMessage(vapiMessage: string): string {
  const limit = /limit of (\d+)/i.exec(vapiMessage)?.[1] ?? '5'
  return `Vapi gives each account ${limit} free numbers, and this organisation’s Vapi account already holds ${limit}. Nothing was bought. Release a number you no longer need, or import a number from a carrier (Twilio, Telnyx) into Vapi.`
}

/** Vapi's words for an assistant id that is not in the account ("Couldn't Get Assistant…", "Assistant not found"). */
export function isUnknownAssistantMessage(message: string): boolean {
  return (
    /assistant/i.test(message) &&
    /not found|couldn'?t (get|find)|could not find|does not exist|no assistant|invalid/i.test(message)
  )
}

export function unknownAssistantMessage(outcome: string): string {
  return `Vapi has no such assistant in this organisation’s Vapi account. ${outcome}. Pick one of the assistants listed for your account.`
}

/** What a refused key means; the organisation's own key or the deployment's, the owner reads what to do. */
export function unauthorizedMessage(outcome: string): string {
  return `Vapi refused the Vapi key this organisation uses, so ${outcome}. If your organisation connected its own key, connect a valid private key in Settings → Vapi; otherwise the operator must set VAPI_API_KEY to a valid Vapi private key.`
}

/** A carrier number bought but not yet imported into Vapi: nothing at Vapi to check, release or change yet. */
export function notAtVapiYet(outcome: string): AppError {
  return new AppError(
    'CONFLICT',
    `This number is still being bought at its carrier and is not in Vapi yet, so it cannot be ${outcome}. Try again when it is live.`,
  )
}
