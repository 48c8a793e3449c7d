import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { areaCodeSearchResultSchema } from '@dialtone/shared/area-codes'
import { requestJson } from '../../lib/request-json.ts'
import { areaCodeQueryKeys } from './area-code-query-keys.ts'

export const areaCodeSuggestionLimit = 8

export function useAreaCodeSearch(query: string) {
  const trimmed = query.trim()
  return useQuery({
    queryKey: areaCodeQueryKeys.search(trimmed),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ q: trimmed, limit: String(areaCodeSuggestionLimit) })
      return requestJson(`/api/area-codes?${params.toString()}`, areaCodeSearchResultSchema, { signal })
    },
    enabled: trimmed !== '',
    // The list of area codes does not change while the page is open.
    staleTime: Infinity,
    // While the owner types, the previous suggestions stay instead of flashing empty.
    placeholderData: keepPreviousData,
  })
}

/** Codes to try instead of one that failed: the same state first, then the nearest (GET /api/area-codes?near=). */
export function useNearbyAreaCodes(areaCode: string, isEnabled: boolean) {
  return useQuery({
    queryKey: areaCodeQueryKeys.near(areaCode),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ near: areaCode, limit: '4' })
      return requestJson(`/api/area-codes?${params.toString()}`, areaCodeSearchResultSchema, { signal })
    },
    enabled: isEnabled,
    staleTime: Infinity,
  })
}
