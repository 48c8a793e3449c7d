import {
  notificationPreferencesResponseSchema,
  type NotificationPreferencesUpdate,
} from '@dialtone/shared/notifications'
import { requestJson } from '../../lib/request-json.ts'

export function fetchNotificationPreferences() {
  return requestJson('/api/notification-preferences', notificationPreferencesResponseSchema)
}

export function updateNotificationPreferences(update: NotificationPreferencesUpdate) {
  return requestJson('/api/notification-preferences', notificationPreferencesResponseSchema, {
    method: 'PUT',
    body: update,
  })
}
