import { expect, test } from 'vitest'
import {
  isAreaCodeUnavailableMessage,
  parseHintAreaCodes,
  VapiAreaCodeUnavailableError,
  VapiError,
} from './vapi-errors.ts'

test('hint codes are read from both of Vapi’s wordings, in order, without the requested code', () => {
  expect(parseHintAreaCodes('This area code is currently not available. Hint: Try one of 562, 662, 716.')).toEqual([
    '562',
    '662',
    '716',
  ])
  expect(parseHintAreaCodes('This area code (533) is currently not available. Hint: Try 385, 405, 573.')).toEqual([
    '385',
    '405',
    '573',
  ])
  expect(parseHintAreaCodes('This area code is currently not available.')).toEqual([])
  expect(parseHintAreaCodes('Hint: try 1234, 56, 789')).toEqual(['789'])
})

test('the area-code refusal is recognised by its wording', () => {
  expect(isAreaCodeUnavailableMessage('This area code is currently not available. Hint: Try 385, 405, 573.')).toBe(true)
  expect(isAreaCodeUnavailableMessage('Area code unavailable')).toBe(true)
  expect(isAreaCodeUnavailableMessage("You've reached your free number limit")).toBe(false)
})

test('errors carry kind, status and Vapi’s message, and are VapiErrors', () => {
  const error = new VapiAreaCodeUnavailableError({
    httpStatus: 400,
    vapiMessage: 'Not available. Hint: Try 212, 213, 214.',
  })
  expect(error).toBeInstanceOf(VapiError)
  expect(error).toBeInstanceOf(Error)
  expect(error).toMatchObject({ kind: 'area_code_unavailable', httpStatus: 400, hintAreaCodes: ['212', '213', '214'] })
  expect(error.name).toBe('VapiAreaCodeUnavailableError')
})
