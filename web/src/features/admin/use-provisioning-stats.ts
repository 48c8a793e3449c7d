import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { adminQueryKeys } from './admin-query-keys.ts'
import { fetchProvisioningStats } from './provisioning-stats-api.ts'
import type { StatsRangeChoice } from './stats-range-choice.ts'

export function useProvisioningStats(choice: StatsRangeChoice) {
  return useQuery({
    queryKey: adminQueryKeys.statsFor(choice),
    queryFn: ({ signal }) => fetchProvisioningStats(choice, signal),
    // Switching ranges keeps the old charts on screen (dimmed) until the new figures arrive.
    placeholderData: keepPreviousData,
    // Numbers going live arrive as socket events; refusals by Vapi do not, so a slow poll catches those too.
    refetchInterval: 60_000,
  })
}
