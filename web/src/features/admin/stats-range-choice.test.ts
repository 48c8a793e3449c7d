import { expect, test } from 'vitest'
import { isoToUtcInput, toStatsSearchParams, utcInputToIso } from './stats-range-choice.ts'

const now = new Date('2025-03-10T12:00:00.000Z')

test('presets roll with the clock: from and to are taken from now at fetch time', () => {
  expect(Object.fromEntries(toStatsSearchParams({ kind: 'preset', preset: '24h' }, now))).toEqual({
    from: '2025-03-09T12:00:00.000Z',
    to: '2025-03-10T12:00:00.000Z',
    bucket: 'hour',
  })
  expect(
    Object.fromEntries(toStatsSearchParams({ kind: 'preset', preset: '30d', organizationId: 'org-1' }, now)),
  ).toEqual({
    from: '2025-02-08T12:00:00.000Z',
    to: '2025-03-10T12:00:00.000Z',
    bucket: 'day',
    organizationId: 'org-1',
  })
})

test('custom ranges pass through as chosen', () => {
  const choice = {
    kind: 'custom',
    from: '2025-03-01T00:00:00.000Z',
    to: '2025-03-02T06:30:00.000Z',
    bucket: 'hour',
  } as const
  expect(toStatsSearchParams(choice, now).toString()).toBe(
    'from=2025-03-01T00%3A00%3A00.000Z&to=2025-03-02T06%3A30%3A00.000Z&bucket=hour',
  )
})

test('datetime-local text is read and written as UTC', () => {
  expect(utcInputToIso('2025-03-10T14:05')).toBe('2025-03-10T14:05:00.000Z')
  expect(utcInputToIso('2025-03-10T14:05:30')).toBe('2025-03-10T14:05:30.000Z')
  expect(utcInputToIso('')).toBeNull()
  expect(utcInputToIso('2025-13-40T99:99')).toBeNull()
  expect(isoToUtcInput('2025-03-10T14:05:00.000Z')).toBe('2025-03-10T14:05')
})
