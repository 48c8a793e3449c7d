import type { WebhookEventType } from '@dialtone/shared/webhook-endpoints'

export const eventLabels: Record<WebhookEventType, string> = {
  'phone-number.live': 'a number is ready to take calls',
  'phone-number.failed': 'a number could not be provisioned',
  'phone-number.released': 'a number was released',
  'phone-number.updated': 'any other change (a purchase starting, …)',
}
