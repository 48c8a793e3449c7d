import { useMemo } from 'react'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { fetchMonthlyCost, fetchPhoneNumberPage, fetchProvisioningTiming } from './phone-numbers-api.ts'
import { listLoadedPhoneNumbers } from './phone-number-cache.ts'
import { phoneNumberQueryKeys } from './phone-number-query-keys.ts'

export function usePhoneNumbers() {
  const query = useInfiniteQuery({
    queryKey: phoneNumberQueryKeys.list(),
    queryFn: ({ pageParam, signal }) => fetchPhoneNumberPage(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    // The socket keeps the list fresh; refetches happen on reconnect (use-phone-number-events.ts).
    staleTime: 5 * 60_000,
  })
  const phoneNumbers = useMemo(() => listLoadedPhoneNumbers(query.data), [query.data])
  return { ...query, phoneNumbers }
}

export function useProvisioningTiming() {
  return useQuery({
    queryKey: phoneNumberQueryKeys.timing(),
    queryFn: fetchProvisioningTiming,
    staleTime: 60_000,
  })
}

/** The organisation's monthly total; a number bought, released or failed changes it (phone-number-cache.ts). */
export function useMonthlyCost() {
  return useQuery({ queryKey: phoneNumberQueryKeys.monthlyCost(), queryFn: fetchMonthlyCost, staleTime: 60_000 })
}
