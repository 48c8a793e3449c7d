import { expect, test } from 'vitest'
import { QueryClient } from '@tanstack/react-query'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import {
  applyOptimisticChange,
  applyPhoneNumberUpdate,
  rollBackOptimisticChange,
  upsertIntoPages,
  type PhoneNumberPages,
} from './phone-number-cache.ts'
import { samplePhoneNumber } from './phone-number-test-kit.ts'
import { assistantOf, withAssistant } from './phone-number-assistant.ts'
import { phoneNumberQueryKeys } from './phone-number-query-keys.ts'

function phoneNumber(overrides: Partial<PhoneNumber> & { id: string; createdAt: string }): PhoneNumber {
  return samplePhoneNumber(overrides)
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

const frontDesk = { id: '6f1c0a52-0000-4000-8000-00000000000a', name: 'Front desk' }
const sales = { id: 'c3d5e7f9-0000-4000-8000-00000000000b', name: 'Sales' }

function cachedAssistants(queryClient: QueryClient) {
  const cached = queryClient.getQueryData<PhoneNumberPages>(phoneNumberQueryKeys.list())
  return cached?.pages.flatMap((page) => page.items.map((item) => [item.id, assistantOf(item)?.name ?? null]))
}

function cacheHolding(...items: PhoneNumber[]): QueryClient {
  const queryClient = new QueryClient()
  queryClient.setQueryData(phoneNumberQueryKeys.list(), pagesOf({ items, nextCursor: null }))
  return queryClient
}

test('an assistant change pushed by the server (one version newer) reaches the card; a replay of the old copy does not undo it', () => {
  const before = withAssistant(middle, frontDesk)
  const queryClient = cacheHolding(newest, before)
  const changed = withAssistant({ ...middle, version: 2 }, sales)
  applyPhoneNumberUpdate(queryClient, changed)
  expect(cachedAssistants(queryClient)).toEqual([
    [newest.id, null],
    [middle.id, 'Sales'],
  ])
  applyPhoneNumberUpdate(queryClient, before)
  expect(cachedAssistants(queryClient)).toEqual([
    [newest.id, null],
    [middle.id, 'Sales'],
  ])
  // Clearing the assistant is a change like any other.
  applyPhoneNumberUpdate(queryClient, withAssistant({ ...middle, version: 3 }, null))
  expect(cachedAssistants(queryClient)).toEqual([
    [newest.id, null],
    [middle.id, null],
  ])
})

test('an optimistic assistant change shows at once and the server answer replaces it', () => {
  const before = withAssistant(middle, null)
  const queryClient = cacheHolding(before)
  const previous = applyOptimisticChange(queryClient, middle.id, (cached) => withAssistant(cached, frontDesk))
  expect(previous).toBe(before)
  expect(cachedAssistants(queryClient)).toEqual([[middle.id, 'Front desk']])
  applyPhoneNumberUpdate(queryClient, withAssistant({ ...middle, version: 2 }, frontDesk))
  const cached = queryClient.getQueryData<PhoneNumberPages>(phoneNumberQueryKeys.list())
  expect(cached?.pages[0]?.items[0]?.version).toBe(2)
})

test('a refused change rolls back to the copy from before, but never over a newer copy from the server', () => {
  const before = withAssistant(middle, frontDesk)
  const queryClient = cacheHolding(before)
  const previous = applyOptimisticChange(queryClient, middle.id, (cached) => withAssistant(cached, sales))
  expect(previous).toBeDefined()
  if (previous) rollBackOptimisticChange(queryClient, previous)
  expect(cachedAssistants(queryClient)).toEqual([[middle.id, 'Front desk']])

  // Another tab changed it meanwhile: its event (version 2) stays after this tab's refusal.
  const again = applyOptimisticChange(queryClient, middle.id, (cached) => withAssistant(cached, sales))
  applyPhoneNumberUpdate(queryClient, withAssistant({ ...middle, version: 2 }, null))
  if (again) rollBackOptimisticChange(queryClient, again)
  expect(cachedAssistants(queryClient)).toEqual([[middle.id, null]])
})

test('an optimistic change to a number the cache does not hold changes nothing', () => {
  const queryClient = cacheHolding(newest)
  const before = queryClient.getQueryData(phoneNumberQueryKeys.list())
  expect(applyOptimisticChange(queryClient, middle.id, (cached) => withAssistant(cached, sales))).toBeUndefined()
  expect(queryClient.getQueryData(phoneNumberQueryKeys.list())).toBe(before)
})
