export const serverInfoQueryKeys = {
  all: ['server-info'] as const,
}
