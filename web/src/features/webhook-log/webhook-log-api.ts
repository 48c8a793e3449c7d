import {
  reprocessResultSchema,
  reprocessSinceResultSchema,
  webhookLogResponseSchema,
} from '@dialtone/shared/webhook-log'
import { requestJson } from '../../lib/request-json.ts'

export interface WebhookLogFilters {
  type: string
  /** An outcome, `refused`, or '' for any. */
  outcome: string
  phoneNumberId: string
  /** yyyy-mm-dd from a date input, or '' */
  from: string
  to: string
  /** Platform admins: every organisation's and the refused ones. */
  isAll: boolean
}

export const emptyWebhookLogFilters: WebhookLogFilters = {
  type: '',
  outcome: '',
  phoneNumberId: '',
  from: '',
  to: '',
  isAll: false,
}

/** The query string the API takes: days become the start of `from` and the end of `to`, in local time. */
export function webhookLogSearch(filters: WebhookLogFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  if (filters.type.trim()) params.set('type', filters.type.trim())
  if (filters.outcome) params.set('outcome', filters.outcome)
  if (filters.phoneNumberId) params.set('phoneNumberId', filters.phoneNumberId)
  if (filters.from) params.set('from', new Date(`${filters.from}T00:00:00`).toISOString())
  if (filters.to) params.set('to', new Date(`${filters.to}T23:59:59.999`).toISOString())
  if (filters.isAll) params.set('all', 'true')
  for (const [name, value] of Object.entries(extra)) params.set(name, value)
  const search = params.toString()
  return search === '' ? '' : `?${search}`
}

export function fetchWebhookLog(filters: WebhookLogFilters, cursor: string | null) {
  return requestJson(
    `/api/webhook-log${webhookLogSearch(filters, { limit: '50', ...(cursor ? { cursor } : {}) })}`,
    webhookLogResponseSchema,
  )
}

export function reprocessWebhookMessage(id: string) {
  return requestJson(`/api/webhook-log/${encodeURIComponent(id)}/reprocess`, reprocessResultSchema, {
    method: 'POST',
  })
}

export function reprocessWebhookMessagesSince(input: { since: string; isAll: boolean }) {
  return requestJson('/api/webhook-log/reprocess', reprocessSinceResultSchema, {
    method: 'POST',
    body: { since: input.since, ...(input.isAll ? { all: true } : {}) },
  })
}
