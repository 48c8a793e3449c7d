export const notificationPreferencesQueryKeys = {
  all: ['notification-preferences'] as const,
  mine: () => [...notificationPreferencesQueryKeys.all, 'mine'] as const,
}
