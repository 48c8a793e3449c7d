/** Every query about phone numbers hangs under `all`, so one invalidation catches up the whole feature. */
export const phoneNumberQueryKeys = {
  all: ['phone-numbers'] as const,
  lists: () => [...phoneNumberQueryKeys.all, 'list'] as const,
  // The dashboard loads every status and filters in the browser: counts per status come for free and a
  // socket event never has to decide which filtered list a number moved into.
  list: () => [...phoneNumberQueryKeys.lists(), { status: 'all' }] as const,
  detail: (id: string) => [...phoneNumberQueryKeys.all, 'detail', id] as const,
  timing: () => [...phoneNumberQueryKeys.all, 'timing'] as const,
  monthlyCost: () => [...phoneNumberQueryKeys.all, 'monthly-cost'] as const,
}
