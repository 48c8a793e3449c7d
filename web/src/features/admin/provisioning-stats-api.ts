import { provisioningStatsSchema, type ProvisioningStats } from '@dialtone/shared/provisioning-stats'
import { requestJson } from '../../lib/request-json.ts'
import { toStatsSearchParams, type StatsRangeChoice } from './stats-range-choice.ts'

export function fetchProvisioningStats(choice: StatsRangeChoice, signal?: AbortSignal): Promise<ProvisioningStats> {
  const query = toStatsSearchParams(choice, new Date()).toString()
  return requestJson(`/api/admin/provisioning-stats?${query}`, provisioningStatsSchema, signal ? { signal } : {})
}
