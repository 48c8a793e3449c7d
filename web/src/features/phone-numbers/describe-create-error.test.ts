import { expect, test } from 'vitest'
import { ApiError } from '../../lib/api-error.ts'
import { describeCreateError, describeFailureReason } from './describe-create-error.ts'

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

test('the free-number limit is shown in the server’s words, with what to do about it', () => {
  const message = 'This Vapi account already has its 5 free numbers.'
  const error = new ApiError({ status: 409, code: 'FREE_NUMBER_LIMIT_REACHED', message })
  const explanation = describeCreateError(error)
  expect(explanation.message).toBe(message)
  expect(explanation.nextStep).toMatch(/^Nothing was bought\. Release a number you no longer use/)
})
