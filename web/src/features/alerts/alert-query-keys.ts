export const alertQueryKeys = {
  all: ['admin-alerts'] as const,
  open: () => [...alertQueryKeys.all, 'open'] as const,
  history: () => [...alertQueryKeys.all, 'history'] as const,
  rules: () => [...alertQueryKeys.all, 'rules'] as const,
}
