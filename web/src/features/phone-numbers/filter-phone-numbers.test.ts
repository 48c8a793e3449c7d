import { expect, test } from 'vitest'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { countByStatus, filterPhoneNumbers, matchesSearch } from './filter-phone-numbers.ts'

function phoneNumber(overrides: Partial<PhoneNumber>): PhoneNumber {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    vapiPhoneNumberId: 'vapi-1',
    name: null,
    areaCode: '415',
    number: null,
    status: 'pending',
    failureReason: null,
    detectedBy: null,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    activatedAt: null,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  }
}

const frontDesk = phoneNumber({ name: 'Front Desk', number: '+14155550123', status: 'active' })

test('a number is found however its digits are typed', () => {
  for (const query of ['(415) 555-0123', '4155550123', '+1 415 555', '0123']) {
    expect(matchesSearch(frontDesk, query)).toBe(true)
  }
  expect(matchesSearch(frontDesk, '212')).toBe(false)
})

test('a name is found case-insensitively', () => {
  expect(matchesSearch(frontDesk, 'front')).toBe(true)
  expect(matchesSearch(frontDesk, 'sales')).toBe(false)
})

test('a pending number is found by its area code', () => {
  expect(matchesSearch(phoneNumber({ areaCode: '510' }), '510')).toBe(true)
})

test('status filter and counts agree', () => {
  const numbers = [frontDesk, phoneNumber({ status: 'pending' }), phoneNumber({ status: 'failed' })]
  expect(countByStatus(numbers)).toEqual({ all: 3, pending: 1, active: 1, failed: 1, released: 0 })
  expect(filterPhoneNumbers(numbers, 'active', '')).toEqual([frontDesk])
  expect(filterPhoneNumbers(numbers, 'all', 'front')).toEqual([frontDesk])
})
