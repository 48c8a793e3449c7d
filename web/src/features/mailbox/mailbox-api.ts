import { mailboxSchema, mailDetailSchema } from '@dialtone/shared/notifications'
import { requestJson } from '../../lib/request-json.ts'

export function fetchMailbox() {
  return requestJson('/api/mailbox', mailboxSchema)
}

export function fetchMail(id: string) {
  return requestJson(`/api/mailbox/${encodeURIComponent(id)}`, mailDetailSchema)
}
