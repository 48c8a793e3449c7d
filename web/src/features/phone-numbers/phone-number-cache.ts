import type { InfiniteData, QueryClient } from '@tanstack/react-query'
import type { PhoneNumber, PhoneNumberList } from '@dialtone/shared/phone-number'
import { phoneNumberQueryKeys } from './phone-number-query-keys.ts'

export type PhoneNumberPages = InfiniteData<PhoneNumberList, string | null>

export type UpsertOutcome = 'replaced' | 'inserted' | 'stale' | 'outside-loaded-pages'

/**
 * Puts one number into the loaded pages. Events can arrive twice or out of order (a replay after a reconnect,
 * an HTTP answer racing its own socket event), so a copy whose version is not newer than the cached one is
 * ignored. A number the pages do not hold yet goes where the newest-first order puts it, unless that is past
 * the last loaded page (it will come with "show older").
 */
export function upsertIntoPages(
  pages: PhoneNumberPages,
  incoming: PhoneNumber,
): { pages: PhoneNumberPages; outcome: UpsertOutcome } {
  for (const [pageIndex, page] of pages.pages.entries()) {
    const itemIndex = page.items.findIndex((item) => item.id === incoming.id)
    if (itemIndex === -1) continue
    const cached = page.items[itemIndex]
    if (cached && cached.version >= incoming.version) return { pages, outcome: 'stale' }
    const items = page.items.with(itemIndex, incoming)
    return { pages: { ...pages, pages: pages.pages.with(pageIndex, { ...page, items }) }, outcome: 'replaced' }
  }

  for (const [pageIndex, page] of pages.pages.entries()) {
    const isLastLoadedPage = pageIndex === pages.pages.length - 1
    const position = page.items.findIndex((item) => isNewerFirst(incoming, item))
    if (position === -1 && !(isLastLoadedPage && page.nextCursor === null)) continue
    const items = page.items.toSpliced(position === -1 ? page.items.length : position, 0, incoming)
    return { pages: { ...pages, pages: pages.pages.with(pageIndex, { ...page, items }) }, outcome: 'inserted' }
  }
  return { pages, outcome: 'outside-loaded-pages' }
}

function isNewerFirst(candidate: PhoneNumber, existing: PhoneNumber): boolean {
  if (candidate.createdAt !== existing.createdAt) return candidate.createdAt > existing.createdAt
  return candidate.id > existing.id
}

export function listLoadedPhoneNumbers(pages: { pages: PhoneNumberList[] } | undefined): PhoneNumber[] {
  return pages ? pages.pages.flatMap((page) => page.items) : []
}

/** The one way a fresh copy of a number (socket event or HTTP answer) enters the cache. */
export function applyPhoneNumberUpdate(queryClient: QueryClient, incoming: PhoneNumber): void {
  putNewerCopy(queryClient, incoming)
  // A new card, a release or a failure changes what the organisation pays a month; a cheap query, asked again.
  void queryClient.invalidateQueries({ queryKey: phoneNumberQueryKeys.monthlyCost() })
  if (incoming.status === 'active') {
    void queryClient.invalidateQueries({ queryKey: phoneNumberQueryKeys.timing() })
  }
}

/**
 * A number's call activity changed (`phone-number:activity`): the same versioned copy, which a busy line sends
 * often, so without the status change's side effects (the provisioning timing is not asked for again).
 */
export function applyPhoneNumberActivity(queryClient: QueryClient, incoming: PhoneNumber): void {
  putNewerCopy(queryClient, incoming)
}

function putNewerCopy(queryClient: QueryClient, incoming: PhoneNumber): void {
  const listKey = phoneNumberQueryKeys.list()
  const current = queryClient.getQueryData<PhoneNumberPages>(listKey)
  if (current) {
    const { pages } = upsertIntoPages(current, incoming)
    if (pages !== current) queryClient.setQueryData<PhoneNumberPages>(listKey, pages)
  }
  // A list request in flight was answered from the database before this change: its answer would overwrite
  // the patch with an older copy, so it is restarted.
  if (queryClient.isFetching({ queryKey: listKey }) > 0) {
    void queryClient.invalidateQueries({ queryKey: listKey })
  }
  const detailKey = phoneNumberQueryKeys.detail(incoming.id)
  const cachedDetail = queryClient.getQueryData<PhoneNumber>(detailKey)
  if (cachedDetail && cachedDetail.version < incoming.version) queryClient.setQueryData(detailKey, incoming)
}

function mapCachedPhoneNumber(
  queryClient: QueryClient,
  id: string,
  change: (cached: PhoneNumber) => PhoneNumber,
): PhoneNumber | undefined {
  let found: PhoneNumber | undefined
  const listKey = phoneNumberQueryKeys.list()
  const current = queryClient.getQueryData<PhoneNumberPages>(listKey)
  if (current) {
    for (const [pageIndex, page] of current.pages.entries()) {
      const itemIndex = page.items.findIndex((item) => item.id === id)
      const cached = page.items[itemIndex]
      if (cached === undefined) continue
      found = cached
      const next = change(cached)
      if (next !== cached) {
        const items = page.items.with(itemIndex, next)
        queryClient.setQueryData<PhoneNumberPages>(listKey, {
          ...current,
          pages: current.pages.with(pageIndex, { ...page, items }),
        })
      }
      break
    }
  }
  const detailKey = phoneNumberQueryKeys.detail(id)
  const cachedDetail = queryClient.getQueryData<PhoneNumber>(detailKey)
  if (cachedDetail) {
    found ??= cachedDetail
    queryClient.setQueryData(detailKey, change(cachedDetail))
  }
  return found
}

/**
 * Shows a change before the server confirmed it (an optimistic update). The copy keeps its version, so the
 * server's answer or socket event, one version newer, replaces it. Returns the copy it replaced, for a rollback.
 */
export function applyOptimisticChange(
  queryClient: QueryClient,
  id: string,
  change: (cached: PhoneNumber) => PhoneNumber,
): PhoneNumber | undefined {
  return mapCachedPhoneNumber(queryClient, id, change)
}

/** Puts back the copy from before an optimistic change, unless the server has sent a newer one since. */
export function rollBackOptimisticChange(queryClient: QueryClient, previous: PhoneNumber): void {
  mapCachedPhoneNumber(queryClient, previous.id, (cached) => (cached.version === previous.version ? previous : cached))
}
