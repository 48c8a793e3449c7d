export const areaCodeQueryKeys = {
  all: ['area-codes'] as const,
  search: (query: string) => [...areaCodeQueryKeys.all, 'search', query] as const,
}
