/** Every query about call events hangs under `all`, so one invalidation catches up the whole feature. */
export const callEventQueryKeys = {
  all: ['call-events'] as const,
  settings: () => [...callEventQueryKeys.all, 'settings'] as const,
}
