export const assistantQueryKeys = {
  all: ['assistants'] as const,
  list: () => [...assistantQueryKeys.all, 'list'] as const,
}
