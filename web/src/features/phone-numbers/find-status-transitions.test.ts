import { expect, test } from 'vitest'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { samplePhoneNumber } from './phone-number-test-kit.ts'
import { findStatusTransitions, snapshotStatuses } from './find-status-transitions.ts'

function phoneNumber(id: string, status: PhoneNumber['status']): PhoneNumber {
  return samplePhoneNumber({ id, status, number: status === 'active' ? '+14155550123' : null })
}

test('the initial load announces nothing, even for numbers already live', () => {
  expect(findStatusTransitions(null, [phoneNumber('a', 'active'), phoneNumber('b', 'failed')])).toEqual([])
})

test('pending to live and pending to failed are announced', () => {
  const before = snapshotStatuses([
    phoneNumber('a', 'pending'),
    phoneNumber('b', 'pending'),
    phoneNumber('c', 'pending'),
  ])
  const after = [phoneNumber('a', 'active'), phoneNumber('b', 'failed'), phoneNumber('c', 'pending')]
  expect(findStatusTransitions(before, after).map((transition) => [transition.phoneNumber.id, transition.to])).toEqual([
    ['a', 'active'],
    ['b', 'failed'],
  ])
})

test('a release or an unchanged number is not announced', () => {
  const before = snapshotStatuses([phoneNumber('a', 'active'), phoneNumber('b', 'active')])
  expect(findStatusTransitions(before, [phoneNumber('a', 'released'), phoneNumber('b', 'active')])).toEqual([])
})

test('a number first seen already live is announced; one first seen pending is not', () => {
  const before = snapshotStatuses([])
  const after = [phoneNumber('new-live', 'active'), phoneNumber('new-pending', 'pending')]
  expect(findStatusTransitions(before, after).map((transition) => transition.phoneNumber.id)).toEqual(['new-live'])
})
