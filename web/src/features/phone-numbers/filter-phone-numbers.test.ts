import { expect, test } from 'vitest'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { samplePhoneNumber } from './phone-number-test-kit.ts'
import { countByStatus, filterPhoneNumbers, hideSettledNumbers, matchesSearch } from './filter-phone-numbers.ts'

function phoneNumber(overrides: Partial<PhoneNumber>): PhoneNumber {
  return samplePhoneNumber({ vapiPhoneNumberId: 'vapi-1', ...overrides })
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

test('hideSettledNumbers hides failed and released numbers in "All", and dismissed ones one by one', () => {
  const live = phoneNumber({ id: 'a', status: 'active' })
  const failed = phoneNumber({ id: 'b', status: 'failed' })
  const released = phoneNumber({ id: 'c', status: 'released' })
  const pending = phoneNumber({ id: 'd', status: 'pending' })
  const all = [live, failed, released, pending]
  const none = { hideFailedAndReleased: false, dismissedIds: new Set<string>() }
  expect(hideSettledNumbers(all, 'all', none)).toEqual({ shown: all, hidden: 0 })
  expect(hideSettledNumbers(all, 'all', { ...none, hideFailedAndReleased: true })).toEqual({
    shown: [live, pending],
    hidden: 2,
  })
  // Dismissing only ever hides a settled card: a live number with a stale dismissal stays.
  expect(hideSettledNumbers(all, 'all', { ...none, dismissedIds: new Set(['b', 'a']) })).toEqual({
    shown: [live, released, pending],
    hidden: 1,
  })
  // Picking "Failed" shows every failed number, dismissed or not.
  expect(hideSettledNumbers([failed], 'failed', { hideFailedAndReleased: true, dismissedIds: new Set(['b']) })).toEqual(
    {
      shown: [failed],
      hidden: 0,
    },
  )
})
