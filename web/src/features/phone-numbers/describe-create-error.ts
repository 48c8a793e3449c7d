import { isApiError } from '../../lib/api-error.ts'

export interface ErrorExplanation {
  /** What happened, in the owner's words. */
  message: string
  /** What to do about it. */
  nextStep: string
}

function wait(seconds: number | null, fallback: string): string {
  if (seconds === null) return fallback
  return seconds === 1 ? '1 second' : `${seconds} seconds`
}

/** Errors the owner fixes in Settings (the Vapi account): the message gets a link there. */
export function isFixedInSettings(error: unknown): boolean {
  return (
    isApiError(error) &&
    ['CONNECTION_REQUIRED', 'VAPI_ACCOUNT_DISCONNECTED', 'VAPI_UNAUTHORIZED', 'FREE_NUMBER_LIMIT'].includes(error.code)
  )
}

/**
 * Every way getting a number can fail, except "area code unavailable", which the form answers with
 * suggestions instead of words.
 */
export function describeCreateError(error: unknown): ErrorExplanation {
  if (!isApiError(error)) {
    return { message: 'Something unexpected went wrong.', nextStep: 'Reload the page and try again.' }
  }
  switch (error.code) {
    case 'VALIDATION_FAILED':
      return { message: error.message, nextStep: 'Correct the form and try again.' }
    case 'VAPI_UNAUTHORIZED':
      return {
        message: 'Vapi refused the key dialtone used, so nothing was done.',
        nextStep:
          'If your organisation connected its own Vapi account, connect a valid private key in Settings; otherwise the operator must fix VAPI_API_KEY on the server.',
      }
    case 'VAPI_UNAVAILABLE':
      return {
        message: 'Vapi is having trouble right now; nothing was bought.',
        nextStep: 'Try again in a minute.',
      }
    case 'VAPI_RATE_LIMITED':
      return {
        message: 'Vapi is receiving too many requests; nothing was bought.',
        nextStep: `Wait ${wait(error.retryAfterSeconds, 'a few seconds')} and try again.`,
      }
    case 'VAPI_REJECTED':
      // The server's message already quotes Vapi's reason and what to do about it.
      return {
        message: error.message || 'Vapi refused to create the number. Nothing was bought.',
        nextStep: /limit|billing|credit/i.test(error.message)
          ? ''
          : 'If Vapi’s free-number limit is reached, release a number you no longer use or add credit at Vapi.',
      }
    case 'RATE_LIMITED':
      return {
        message: 'You are asking for numbers faster than dialtone allows.',
        nextStep: `Wait ${wait(error.retryAfterSeconds, 'a minute')} and try again.`,
      }
    case 'UNAUTHENTICATED':
      return { message: 'Your session has ended.', nextStep: 'Sign in again, then ask for the number again.' }
    case 'DATABASE_UNAVAILABLE':
      return {
        message: 'dialtone cannot reach its database right now; nothing was bought.',
        nextStep: 'Try again in a minute. If it keeps happening, tell the operator.',
      }
    // The server's words already say what happened and what to do (and that nothing was bought or changed).
    case 'FREE_NUMBER_LIMIT':
    case 'CONNECTION_REQUIRED':
    case 'VAPI_ACCOUNT_DISCONNECTED':
    case 'ASSISTANT_NOT_FOUND':
      return { message: error.message, nextStep: '' }
    case 'FORBIDDEN':
      // The server names the permission; only someone who has it can do this.
      return { message: error.message, nextStep: 'Ask an owner of your organisation to do it.' }
    case 'NETWORK':
      return { message: 'dialtone could not be reached.', nextStep: 'Check your connection and try again.' }
    case 'NOT_FOUND':
      return { message: 'That number no longer exists.', nextStep: 'Reload the page to see your current numbers.' }
  }
  // Any other limit the server names: its message says which.
  if (/LIMIT/.test(error.code)) {
    return {
      message: error.message,
      nextStep:
        'Nothing was bought. Release a number you no longer use, or connect a Vapi account with billing set up in Settings.',
    }
  }
  if (error.status >= 500) {
    return {
      message: 'Something went wrong on dialtone’s side.',
      nextStep: 'Try again in a minute. If it keeps happening, tell the operator.',
    }
  }
  return { message: error.message, nextStep: 'Try again.' }
}

const failureReasonWords: Record<string, string> = {
  area_code_unavailable: 'Vapi had no numbers left in this area code.',
  vapi_rejected: 'Vapi refused the request.',
  vapi_unauthorized: 'dialtone’s Vapi key was refused.',
  vapi_unavailable: 'Vapi was unavailable.',
  vapi_rate_limited: 'Vapi was receiving too many requests.',
  rolled_back: 'The request was rolled back; nothing was bought.',
  blocked: 'Vapi blocked this number.',
  deleted_at_vapi: 'The number was deleted in Vapi’s dashboard.',
  deadline_exceeded: 'Vapi did not assign a number in time.',
  free_number_limit:
    'The Vapi account already holds all the free numbers it may (5). Release a number you no longer need, then try again.',
}

/** A card's failure reason: known codes in words, anything else (Vapi's own text) as it came. */
export function describeFailureReason(reason: string | null): string {
  if (reason === null || reason.trim() === '') return 'Vapi did not give a reason.'
  return failureReasonWords[reason] ?? reason
}
