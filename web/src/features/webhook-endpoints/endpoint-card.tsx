import { useId, useState, type FormEvent } from 'react'
import { toast } from '../../lib/toast.tsx'
import type { WebhookEndpoint, WebhookEndpointWithSecret } from '@dialtone/shared/webhook-endpoints'
import { DeliveryLog } from './delivery-log.tsx'
import {
  useDeleteWebhookEndpoint,
  useRecoverWebhookDeliveries,
  useRotateWebhookEndpointSecret,
} from './webhook-endpoint-mutations.ts'

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** A datetime-local value (the browser's local time) a day ago. */
function dayAgoLocal(): string {
  const date = new Date(Date.now() - 24 * 60 * 60 * 1000)
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
}

function HealthLine({ endpoint }: { endpoint: WebhookEndpoint }) {
  if (endpoint.disabledAt) {
    return (
      <div className="webhook-health webhook-disabled" role="status">
        <strong>Disabled</strong> since {timeFormat.format(new Date(endpoint.disabledAt))}. {endpoint.disabledReason}
      </div>
    )
  }
  if (endpoint.failingSince) {
    return (
      <div className="webhook-health webhook-failing">
        <strong>Failing</strong> since {timeFormat.format(new Date(endpoint.failingSince))}: dialtone keeps retrying.
      </div>
    )
  }
  return (
    <div className="webhook-health webhook-enabled">
      <strong>Enabled</strong>
    </div>
  )
}

export function EndpointCard({
  endpoint,
  onSecret,
}: {
  endpoint: WebhookEndpoint
  onSecret: (endpoint: WebhookEndpointWithSecret) => void
}) {
  const ids = useId()
  const [since, setSince] = useState(dayAgoLocal)
  const remove = useDeleteWebhookEndpoint()
  const rotate = useRotateWebhookEndpointSecret()
  const recover = useRecoverWebhookDeliveries()

  function submitRecover(event: FormEvent) {
    event.preventDefault()
    recover.mutate(
      { endpointId: endpoint.id, since: new Date(since).toISOString() },
      { onSuccess: ({ recovered }) => toast.success(`${recovered} failed deliveries queued again`) },
    )
  }

  return (
    <article className="panel webhook-endpoint" aria-labelledby={`${ids}-url`} data-testid="webhook-endpoint">
      <header className="webhook-endpoint-header">
        <h3 id={`${ids}-url`} className="webhook-url">
          {endpoint.url}
        </h3>
        <div className="webhook-endpoint-actions">
          <button
            type="button"
            className="button button-small"
            disabled={rotate.isPending}
            onClick={() => rotate.mutate(endpoint.id, { onSuccess: onSecret })}
          >
            Rotate secret
          </button>
          <button
            type="button"
            className="button button-small button-danger"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Stop sending webhooks to ${endpoint.url}?`)) remove.mutate(endpoint.id)
            }}
          >
            Delete
          </button>
        </div>
      </header>
      <HealthLine endpoint={endpoint} />
      <p className="webhook-event-list">
        {endpoint.events.map((type) => (
          <code key={type}>{type}</code>
        ))}
      </p>
      {endpoint.previousSecretExpiresAt && (
        <p className="muted">
          Also signing with the previous secret until {timeFormat.format(new Date(endpoint.previousSecretExpiresAt))}.
        </p>
      )}
      <form className="webhook-recover" onSubmit={submitRecover}>
        <label htmlFor={`${ids}-since`}>Recover failed deliveries since</label>
        <input
          id={`${ids}-since`}
          type="datetime-local"
          required
          value={since}
          onChange={(event) => setSince(event.target.value)}
        />
        <button type="submit" className="button button-small" disabled={recover.isPending}>
          {endpoint.disabledAt ? 'Recover and enable' : 'Recover'}
        </button>
      </form>
      {(rotate.isError || remove.isError || recover.isError) && (
        <p className="form-error" role="alert">
          {(rotate.error ?? remove.error ?? recover.error)?.message}
        </p>
      )}
      <h4>Delivery log</h4>
      <DeliveryLog endpointId={endpoint.id} />
    </article>
  )
}
