import { auditLogResponseSchema } from '@dialtone/shared/audit-log'
import { requestJson } from '../../lib/request-json.ts'

export interface AuditLogFilters {
  action: string
  actor: string
  target: string
  /** yyyy-mm-dd from a date input, or '' */
  since: string
  until: string
}

export const emptyAuditLogFilters: AuditLogFilters = { action: '', actor: '', target: '', since: '', until: '' }

/** The query string the API takes: days become the start of `since` and the end of `until`, in local time. */
export function auditLogSearch(filters: AuditLogFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  if (filters.action.trim()) params.set('action', filters.action.trim())
  if (filters.actor.trim()) params.set('actor', filters.actor.trim())
  if (filters.target.trim()) params.set('target', filters.target.trim())
  if (filters.since) params.set('since', new Date(`${filters.since}T00:00:00`).toISOString())
  if (filters.until) params.set('until', new Date(`${filters.until}T23:59:59.999`).toISOString())
  for (const [name, value] of Object.entries(extra)) params.set(name, value)
  const search = params.toString()
  return search === '' ? '' : `?${search}`
}

export function fetchAuditLog(filters: AuditLogFilters, cursor: string | null) {
  return requestJson(
    `/api/audit-log${auditLogSearch(filters, { limit: '50', ...(cursor ? { cursor } : {}) })}`,
    auditLogResponseSchema,
  )
}
