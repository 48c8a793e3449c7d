import type { CarrierName } from '../carriers/carrier-error.ts'
import { isCarrierError } from '../carriers/carrier-error.ts'
import { AppError } from '../lib/app-error.ts'

export const carrierLabel = (carrier: CarrierName) => (carrier === 'twilio' ? 'Twilio' : 'Telnyx')

const quoted = (message: string) => `“${message.replace(/\s+/g, ' ').trim().slice(0, 300)}”`

/**
 * What a carrier's refusal means for the owner, in words they can act on. `outcome` finishes the sentence about
 * what happened to their request ("nothing was bought", "the search was not run").
 */
export function carrierErrorToAppError(
  error: unknown,
  context: { carrier: CarrierName; action: 'search' | 'buy' | 'list' | 'release'; number?: string; outcome: string },
): AppError {
  if (error instanceof AppError) return error
  const label = carrierLabel(context.carrier)
  if (!isCarrierError(error)) {
    return new AppError('INTERNAL', `Something went wrong talking to ${label}; ${context.outcome}. Try again.`)
  }
  const details = { carrier: context.carrier, carrierCode: error.code, carrierMessage: error.message }
  switch (error.kind) {
    case 'unauthorized':
      return new AppError(
        'CARRIER_UNAUTHORIZED',
        `${label} refused the credentials connected for this organisation, so ${context.outcome}. Connect valid ones in Settings → ${label}.`,
        details,
      )
    case 'unavailable':
      return new AppError(
        'NUMBER_UNAVAILABLE',
        `${context.number ?? 'This number'} is no longer available at ${label} (${label} said ${quoted(error.message)}), so ${context.outcome}. Search again and pick another number.`,
        details,
      )
    case 'invalid':
      if (context.action === 'search') {
        return new AppError('VALIDATION_FAILED', `${label} cannot run this search: ${quoted(error.message)}.`, details)
      }
      return new AppError(
        'NUMBER_INVALID',
        `${label} cannot sell ${context.number ?? 'this number'}: ${quoted(error.message)}. ${capitalised(context.outcome)}.`,
        details,
      )
    case 'not-found':
      if (context.action === 'search') {
        return new AppError(
          'VALIDATION_FAILED',
          `${label} has no numbers of this type in this country (${quoted(error.message)}). Try another type or country.`,
          details,
        )
      }
      return new AppError(
        'NUMBER_UNAVAILABLE',
        `${label} does not have ${context.number ?? 'this number'} (${quoted(error.message)}), so ${context.outcome}.`,
        details,
      )
    case 'rate-limited': {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 10_000) / 1000))
      return new AppError(
        'CARRIER_RATE_LIMITED',
        `${label} is receiving too many requests, so ${context.outcome}. Try again in ${seconds} seconds.`,
        { ...details, retryAfterSeconds: seconds },
        seconds,
      )
    }
    case 'server':
    case 'network':
      return new AppError(
        'CARRIER_UNAVAILABLE',
        `${label} is not answering properly right now, so ${context.outcome}. Try again in a minute.`,
        details,
        30,
      )
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
