export const vapiConnectionQueryKeys = {
  all: ['connections', 'vapi'] as const,
  current: () => [...vapiConnectionQueryKeys.all, 'current'] as const,
}
