import { useId, useState, type FormEvent } from 'react'
import { useInfiniteQuery } from '@tanstack/react-query'
import type { AuditEvent } from '@dialtone/shared/audit-log'
import { reasonWithout, usePermissions } from '../teams/use-permissions.ts'
import { auditLogSearch, emptyAuditLogFilters, fetchAuditLog, type AuditLogFilters } from './audit-log-api.ts'
import '../teams/teams.css'
import { LoadMoreButton } from '../../lib/load-more-button.tsx'

const filterFields: { name: keyof AuditLogFilters; label: string; placeholder?: string; type: string }[] = [
  { name: 'action', label: 'Action', placeholder: 'phone-number.purchase', type: 'text' },
  { name: 'actor', label: 'Who', placeholder: 'email or key name', type: 'text' },
  { name: 'target', label: 'What', placeholder: '+1415…, email, id', type: 'text' },
  { name: 'since', label: 'From', type: 'date' },
  { name: 'until', label: 'To', type: 'date' },
]

function describeDetails(event: AuditEvent): string {
  const entries = Object.entries(event.details)
  return entries.length === 0 ? '' : entries.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ')
}

export function AuditLogPage() {
  const ids = useId()
  const permissions = usePermissions()
  const [draft, setDraft] = useState<AuditLogFilters>(emptyAuditLogFilters)
  const [filters, setFilters] = useState<AuditLogFilters>(emptyAuditLogFilters)
  const canRead = permissions.can('settings:write')
  const log = useInfiniteQuery({
    queryKey: ['audit-log', filters],
    queryFn: ({ pageParam }) => fetchAuditLog(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: canRead,
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    setFilters(draft)
  }

  const events = log.data?.pages.flatMap((page) => page.items) ?? []
  return (
    <main id="main" className="page audit-page">
      <h1>Audit log</h1>
      <p className="muted">
        Who did what in this organisation, from where: purchases, releases, checks, settings and team changes, kept for
        a year unless the server is set otherwise.
      </p>
      {permissions.isLoaded && !canRead && (
        <p className="panel" role="alert">
          {reasonWithout['settings:write']} The audit log is theirs to read.
        </p>
      )}
      {canRead && (
        <>
          <form className="panel audit-filters" onSubmit={submit} aria-label="Filter the audit log">
            {filterFields.map((field) => (
              <div className="field" key={field.name}>
                <label htmlFor={`${ids}-${field.name}`}>{field.label}</label>
                <input
                  id={`${ids}-${field.name}`}
                  type={field.type}
                  placeholder={field.placeholder}
                  value={draft[field.name]}
                  onChange={(event) => setDraft({ ...draft, [field.name]: event.target.value })}
                />
              </div>
            ))}
            <button type="submit" className="button button-primary">
              Filter
            </button>
            <a className="button" href={`/api/audit-log${auditLogSearch(filters, { format: 'csv' })}`} download>
              Download CSV
            </a>
          </form>
          <section className="panel" aria-label="Events">
            {log.isPending && <p className="muted">Loading events…</p>}
            {log.isError && <p role="alert">{log.error.message}</p>}
            {log.data && events.length === 0 && <p className="empty-state">No events match.</p>}
            {events.length > 0 && (
              <div className="audit-table-wrap">
                <table className="audit-table" data-testid="audit-table">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">Action</th>
                      <th scope="col">What</th>
                      <th scope="col">From</th>
                    </tr>
                  </thead>
                  <tbody>
                    {events.map((event) => (
                      <tr key={event.id} data-action={event.action}>
                        <td>
                          <time dateTime={event.at}>{new Date(event.at).toLocaleString()}</time>
                        </td>
                        <td>
                          {event.actor.label}
                          {event.actor.type === 'api-key' && <span className="muted"> (API key)</span>}
                        </td>
                        <td>{event.action}</td>
                        <td>
                          {event.target.label ?? event.target.id ?? event.target.type}
                          {describeDetails(event) && <div className="audit-details">{describeDetails(event)}</div>}
                        </td>
                        <td>{event.clientAddress ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <LoadMoreButton pages={log} label="Older events" />
          </section>
        </>
      )}
    </main>
  )
}
