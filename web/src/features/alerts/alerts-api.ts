import { adminAlertListSchema, alertRuleListSchema, type AlertRulesUpdate } from '@dialtone/shared/admin-alerts'
import { requestJson } from '../../lib/request-json.ts'

export function fetchAlerts(status?: 'open' | 'closed') {
  return requestJson(`/api/admin/alerts${status ? `?status=${status}` : ''}`, adminAlertListSchema)
}

export function fetchAlertRules() {
  return requestJson('/api/admin/alert-rules', alertRuleListSchema)
}

export function updateAlertRules(update: AlertRulesUpdate) {
  return requestJson('/api/admin/alert-rules', alertRuleListSchema, { method: 'PUT', body: update })
}
