export const areaCodeQueryKeys = {
  all: ['area-codes'] as const,
  search: (query: string) => [...areaCodeQueryKeys.all, 'search', query] as const,
  near: (areaCode: string) => [...areaCodeQueryKeys.all, 'near', areaCode] as const,
}
