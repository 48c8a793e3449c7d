import { expect, test } from 'vitest'
import { QueryClient } from '@tanstack/react-query'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { applyPhoneNumberUpdate, upsertIntoPages, type PhoneNumberPages } from './phone-number-cache.ts'
import { phoneNumberQueryKeys } from './phone-number-query-keys.ts'

function phoneNumber(overrides: Partial<PhoneNumber> & { id: string; createdAt: string }): PhoneNumber {
  return {
    vapiPhoneNumberId: `vapi-${overrides.id}`,
    name: null,
    areaCode: '415',
    number: null,
    status: 'pending',
    failureReason: null,
    detectedBy: null,
    version: 1,
    activatedAt: null,
    updatedAt: overrides.createdAt,
    assistant: null,
    ...overrides,
  }
}

const newest = phoneNumber({ id: '00000000-0000-4000-8000-000000000003', createdAt: '2026-01-03T00:00:00.000Z' })
const middle = phoneNumber({ id: '00000000-0000-4000-8000-000000000002', createdAt: '2026-01-02T00:00:00.000Z' })
const oldest = phoneNumber({ id: '00000000-0000-4000-8000-000000000001', createdAt: '2026-01-01T00:00:00.000Z' })

function pagesOf(...pages: { items: PhoneNumber[]; nextCursor: string | null }[]): PhoneNumberPages {
  return { pages, pageParams: pages.map((_, index) => (index === 0 ? null : `cursor-${index}`)) }
}

test('a newer version replaces the cached copy in place', () => {
  const pages = pagesOf({ items: [newest, middle], nextCursor: null })
  const live = { ...middle, status: 'active' as const, number: '+14155550123', version: 2 }
  const result = upsertIntoPages(pages, live)
  expect(result.outcome).toBe('replaced')
  expect(result.pages.pages[0]?.items).toEqual([newest, live])
})

test('an event whose version is not newer than the cache is ignored', () => {
  const live = { ...middle, status: 'active' as const, version: 3 }
  const pages = pagesOf({ items: [newest, live], nextCursor: null })
  for (const version of [1, 2, 3]) {
    const result = upsertIntoPages(pages, { ...middle, version })
    expect(result.outcome).toBe('stale')
    expect(result.pages).toBe(pages)
  }
})

test('a number the cache does not hold is inserted in newest-first order', () => {
  const pages = pagesOf({ items: [newest, oldest], nextCursor: null })
  const result = upsertIntoPages(pages, middle)
  expect(result.outcome).toBe('inserted')
  expect(result.pages.pages[0]?.items.map((item) => item.id)).toEqual([newest.id, middle.id, oldest.id])
})

test('a number older than every loaded page is left for "show older" when more pages exist', () => {
  const pages = pagesOf({ items: [newest, middle], nextCursor: 'more' })
  expect(upsertIntoPages(pages, oldest).outcome).toBe('outside-loaded-pages')
  const complete = pagesOf({ items: [newest, middle], nextCursor: null })
  expect(upsertIntoPages(complete, oldest).pages.pages[0]?.items.at(-1)?.id).toBe(oldest.id)
})

test('applyPhoneNumberUpdate patches the list query and ignores replays', () => {
  const queryClient = new QueryClient()
  queryClient.setQueryData(phoneNumberQueryKeys.list(), pagesOf({ items: [middle], nextCursor: null }))
  const live = { ...middle, status: 'active' as const, number: '+14155550123', version: 2 }
  applyPhoneNumberUpdate(queryClient, live)
  applyPhoneNumberUpdate(queryClient, middle)
  const cached = queryClient.getQueryData<PhoneNumberPages>(phoneNumberQueryKeys.list())
  expect(cached?.pages[0]?.items).toEqual([live])
})
