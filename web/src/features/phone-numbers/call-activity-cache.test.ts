import { expect, test } from 'vitest'
import { QueryClient } from '@tanstack/react-query'
import { applyPhoneNumberActivity, listLoadedPhoneNumbers, type PhoneNumberPages } from './phone-number-cache.ts'
import { describeEndedReason, formatCallDuration } from './describe-call-activity.ts'
import { samplePhoneNumber } from './phone-number-test-kit.ts'
import { phoneNumberQueryKeys } from './phone-number-query-keys.ts'

const live = samplePhoneNumber({ status: 'active', number: '+14155550123', version: 2 })

function clientWith(pages: PhoneNumberPages): QueryClient {
  const queryClient = new QueryClient()
  queryClient.setQueryData(phoneNumberQueryKeys.list(), pages)
  return queryClient
}

test('an activity event puts the newer copy on the card; an older one arriving late changes nothing', () => {
  const queryClient = clientWith({ pages: [{ items: [live], nextCursor: null }], pageParams: [null] })
  const ringing = { ...live, version: 3, activity: { ...live.activity, state: 'ringing' as const, callsToday: 1 } }
  const inCall = {
    ...live,
    version: 4,
    activity: { ...ringing.activity, state: 'in-call' as const, callStartedAt: '2026-12-01T10:00:00.000Z' },
  }
  applyPhoneNumberActivity(queryClient, ringing)
  applyPhoneNumberActivity(queryClient, inCall)
  applyPhoneNumberActivity(queryClient, ringing)
  const [shown] = listLoadedPhoneNumbers(queryClient.getQueryData<PhoneNumberPages>(phoneNumberQueryKeys.list()))
  expect(shown?.activity).toEqual(inCall.activity)
  expect(shown?.version).toBe(4)
})

test('activity does not ask for the provisioning timing again (a busy line sends many)', () => {
  const queryClient = clientWith({ pages: [{ items: [live], nextCursor: null }], pageParams: [null] })
  queryClient.setQueryData(phoneNumberQueryKeys.timing(), { medianSecondsToLive: 12 })
  applyPhoneNumberActivity(queryClient, { ...live, version: 3 })
  expect(queryClient.getQueryState(phoneNumberQueryKeys.timing())?.isInvalidated).toBe(false)
})

test('ended reasons read as words; a call runs as a clock', () => {
  expect(describeEndedReason('customer-ended-call')).toBe('the caller hung up')
  expect(describeEndedReason('pipeline-error-openai-llm-failed')).toBe('the assistant failed (pipeline error)')
  expect(describeEndedReason('some-new-reason')).toBe('some new reason')
  expect(describeEndedReason(null)).toBeNull()
  expect(formatCallDuration(7)).toBe('0:07')
  expect(formatCallDuration(161)).toBe('2:41')
  expect(formatCallDuration(3729)).toBe('1:02:09')
})
