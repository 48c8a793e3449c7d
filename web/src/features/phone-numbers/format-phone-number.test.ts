import { expect, test } from 'vitest'
import { formatPhoneNumber, formatPlaceholderNumber } from './format-phone-number.ts'
import { formatElapsed, formatTypicalWait } from './format-duration.ts'

test('a North American number is shown the way people write it', () => {
  expect(formatPhoneNumber('+14155550123')).toBe('+1 (415) 555-0123')
})

test('anything else is shown unchanged rather than mangled', () => {
  expect(formatPhoneNumber('+442071838750')).toBe('+442071838750')
  expect(formatPhoneNumber('4155550123')).toBe('4155550123')
})

test('the placeholder keeps the area code and hides the rest', () => {
  expect(formatPlaceholderNumber('510')).toBe('+1 (510) ···-····')
})

test('elapsed time reads in seconds, then minutes, then hours', () => {
  expect(formatElapsed(-3)).toBe('0 s')
  expect(formatElapsed(8.9)).toBe('8 s')
  expect(formatElapsed(125)).toBe('2 min 05 s')
  expect(formatElapsed(3840)).toBe('1 h 04 min')
})

test('a typical wait is rounded as a person would say it', () => {
  expect(formatTypicalWait(3.2)).toBe('about 3 s')
  expect(formatTypicalWait(18.7)).toBe('about 20 s')
  expect(formatTypicalWait(200)).toBe('about 3 min')
})
