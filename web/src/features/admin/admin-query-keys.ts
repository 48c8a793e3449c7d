import type { StatsRangeChoice } from './stats-range-choice.ts'

/** Every admin query hangs under `all`; a socket event invalidates `stats()` and every range refetches. */
export const adminQueryKeys = {
  all: ['admin'] as const,
  stats: () => [...adminQueryKeys.all, 'provisioning-stats'] as const,
  statsFor: (choice: StatsRangeChoice) => [...adminQueryKeys.stats(), choice] as const,
}
