import { expect, test } from 'vitest'
import { ApiError } from '../../lib/api-error.ts'
import { describeCreateError, describeFailureReason, isFixedInSettings } from './describe-create-error.ts'

test('a refused Vapi key names the variable the operator must fix', () => {
  const error = new ApiError({ status: 502, code: 'VAPI_UNAUTHORIZED', message: 'Unauthorized' })
  expect(describeCreateError(error).nextStep).toContain('VAPI_API_KEY')
})

test('Vapi rate limiting says how many seconds to wait', () => {
  const error = new ApiError({ status: 503, code: 'VAPI_RATE_LIMITED', message: 'x', retryAfterSeconds: 7 })
  expect(describeCreateError(error).nextStep).toBe('Wait 7 seconds and try again.')
})

test('a Vapi rejection shows Vapi’s own reason', () => {
  const message = 'Vapi refused to create the number. Vapi said: “Free number limit reached.” Nothing was bought.'
  const error = new ApiError({ status: 502, code: 'VAPI_REJECTED', message })
  expect(describeCreateError(error)).toEqual({ message, nextStep: '' })
})

test('failure reasons are put in words, and unknown reasons are kept as given', () => {
  expect(describeFailureReason('blocked')).toBe('Vapi blocked this number.')
  expect(describeFailureReason('Number is not available.')).toBe('Number is not available.')
  expect(describeFailureReason(null)).toBe('Vapi did not give a reason.')
})

test('the free-number limit is shown whole in the server’s words, which say what to do, and points to Settings', () => {
  const message =
    'Vapi gives each account 5 free numbers, and this organisation’s Vapi account already holds 5. Nothing was bought. Release a number you no longer need, or import a number from a carrier (Twilio, Telnyx) into Vapi.'
  const error = new ApiError({ status: 409, code: 'FREE_NUMBER_LIMIT', message })
  expect(describeCreateError(error)).toEqual({ message, nextStep: '' })
  expect(isFixedInSettings(error)).toBe(true)
  expect(isFixedInSettings(new ApiError({ status: 409, code: 'AREA_CODE_UNAVAILABLE', message: 'x' }))).toBe(false)
})

test('a limit the page does not know yet is still shown with what to do', () => {
  const error = new ApiError({ status: 409, code: 'SOME_NEW_LIMIT', message: 'A limit was reached.' })
  expect(describeCreateError(error)).toEqual({
    message: 'A limit was reached.',
    nextStep:
      'Nothing was bought. Release a number you no longer use, or connect a Vapi account with billing set up in Settings.',
  })
})

test('a refusal for want of a permission shows the server’s reason and who can do it', () => {
  const message = 'Changing numbers needs the numbers:write permission.'
  const error = new ApiError({ status: 403, code: 'FORBIDDEN', message })
  expect(describeCreateError(error)).toEqual({ message, nextStep: 'Ask an owner of your organisation to do it.' })
})
