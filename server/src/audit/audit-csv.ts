import type { AuditEvent } from '@dialtone/shared/audit-log'

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. A value a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) gets a leading apostrophe
 * (OWASP's advice for CSV injection), so an email or a number name chosen by anyone reads as text.
 */
export function csvField(value: string | null | undefined): string {
  let text = value ?? ''
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export const auditCsvHeader = [
  'at',
  'organization_id',
  'actor_type',
  'actor_id',
  'actor',
  'action',
  'target_type',
  'target_id',
  'target',
  'client_address',
  'details',
] as const

export function auditCsvRow(event: AuditEvent): string {
  return [
    event.at,
    event.organizationId,
    event.actor.type,
    event.actor.id,
    event.actor.label,
    event.action,
    event.target.type,
    event.target.id,
    event.target.label,
    event.clientAddress,
    JSON.stringify(event.details),
  ]
    .map(csvField)
    .join(',')
}

export function auditCsv(events: AuditEvent[]): string {
  return [auditCsvHeader.join(','), ...events.map(auditCsvRow)].join('\r\n') + '\r\n'
}
