import { useState, type FormEvent } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { AlertRule } from '@dialtone/shared/admin-alerts'
import { toast } from '../../lib/toast.tsx'
import { fetchAlertRules, fetchAlerts, updateAlertRules } from './alerts-api.ts'
import { alertQueryKeys } from './alert-query-keys.ts'

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' })

/** The admin page's alert rules (thresholds an admin can change) and the history of alerts. */
export function AdminAlertsSection() {
  const rules = useQuery({ queryKey: alertQueryKeys.rules(), queryFn: fetchAlertRules })
  const history = useQuery({ queryKey: alertQueryKeys.history(), queryFn: () => fetchAlerts() })
  return (
    <section className="panel alerts-section" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Alerts</h2>
      <p className="muted">
        The worker checks these rules regularly (every minute by default). An alert opens once, is mailed to admins, and
        closes by itself when the condition clears.
      </p>
      {rules.isError && <p role="alert">{rules.error.message}</p>}
      {rules.data && (
        <ul className="alert-rules" aria-label="Alert rules">
          {rules.data.items.map((rule) => (
            <AlertRuleRow key={`${rule.kind}-${rule.threshold}-${String(rule.enabled)}`} rule={rule} />
          ))}
        </ul>
      )}
      <h3>History</h3>
      {history.data && history.data.items.length === 0 && <p className="muted">No alert so far.</p>}
      {history.data && history.data.items.length > 0 && (
        <table className="alert-history">
          <thead>
            <tr>
              <th scope="col">Opened</th>
              <th scope="col">What</th>
              <th scope="col">Closed</th>
            </tr>
          </thead>
          <tbody>
            {history.data.items.map((alert) => (
              <tr key={alert.id} data-testid="alert-history-row" data-status={alert.status}>
                <td>{dateFormat.format(new Date(alert.openedAt))}</td>
                <td>{alert.summary}</td>
                <td>
                  {alert.closedAt
                    ? `${dateFormat.format(new Date(alert.closedAt))}: ${alert.closingSummary ?? ''}`
                    : 'Open'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function AlertRuleRow({ rule }: { rule: AlertRule }) {
  const queryClient = useQueryClient()
  const [enabled, setEnabled] = useState(rule.enabled)
  const [threshold, setThreshold] = useState(String(rule.threshold))
  const mutation = useMutation({
    mutationFn: updateAlertRules,
    onSuccess: (saved) => {
      queryClient.setQueryData(alertQueryKeys.rules(), saved)
      toast.success('Alert rule saved')
    },
    onError: (error) => toast.error(error.message),
  })
  const isChanged = enabled !== rule.enabled || Number(threshold) !== rule.threshold
  const submit = (event: FormEvent) => {
    event.preventDefault()
    mutation.mutate({ rules: [{ kind: rule.kind, enabled, threshold: Number(threshold) }] })
  }
  const inputId = `alert-rule-${rule.kind}`
  return (
    <li>
      <form className="alert-rule" onSubmit={submit} aria-label={rule.description}>
        <label className="preference">
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
          <span>{rule.description}</span>
        </label>
        <label htmlFor={inputId} className="visually-hidden">
          Threshold in {rule.unit}
        </label>
        <input
          id={inputId}
          className="alert-threshold"
          type="number"
          step="any"
          value={threshold}
          onChange={(event) => setThreshold(event.target.value)}
        />
        <span className="muted">{rule.unit}</span>
        <button type="submit" className="button button-small" disabled={!isChanged || mutation.isPending}>
          Save
        </button>
      </form>
    </li>
  )
}
