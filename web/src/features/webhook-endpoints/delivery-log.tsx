import { useQuery } from '@tanstack/react-query'
import type { WebhookDelivery } from '@dialtone/shared/webhook-endpoints'
import { fetchWebhookDeliveries } from './webhook-endpoints-api.ts'
import { webhookEndpointQueryKeys } from './webhook-endpoint-query-keys.ts'
import { useRetryWebhookDelivery } from './webhook-endpoint-mutations.ts'

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' })

function statusText(delivery: WebhookDelivery): string {
  if (delivery.status === 'succeeded') return 'Delivered'
  if (delivery.status === 'failed') return 'Failed'
  return delivery.attempts.length === 0 ? 'Sending' : 'Retrying'
}

/** Each delivery with every attempt: when, what the receiver answered, how long it took, what it said. */
export function DeliveryLog({ endpointId }: { endpointId: string }) {
  // Deliveries change in the worker, not through this page: look again every few seconds while it is open.
  const deliveries = useQuery({
    queryKey: webhookEndpointQueryKeys.deliveries(endpointId),
    queryFn: () => fetchWebhookDeliveries(endpointId),
    refetchInterval: 3_000,
  })
  const retry = useRetryWebhookDelivery()

  if (deliveries.isPending) return <p className="muted">Loading deliveries…</p>
  if (deliveries.isError) return <p role="alert">{deliveries.error.message}</p>
  if (deliveries.data.items.length === 0) {
    return <p className="muted">No deliveries yet. They appear here as soon as one of your numbers changes.</p>
  }
  return (
    <table className="delivery-log">
      <caption className="visually-hidden">Delivery log</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts (time, answer, latency)</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {deliveries.data.items.map((delivery) => (
          <tr key={delivery.id} data-testid="webhook-delivery">
            <td>
              <code>{delivery.eventType}</code>
              <div className="muted delivery-id" title="webhook-id header">
                {delivery.webhookId}
              </div>
            </td>
            <td>
              <span className={`delivery-status delivery-${delivery.status}`}>{statusText(delivery)}</span>
              {delivery.nextAttemptAt && delivery.attempts.length > 0 && (
                <div className="muted">next try {timeFormat.format(new Date(delivery.nextAttemptAt))}</div>
              )}
            </td>
            <td>
              <ol className="delivery-attempts">
                {delivery.attempts.map((attempt) => (
                  <li key={attempt.id} className={attempt.isSuccess ? 'attempt-ok' : 'attempt-failed'}>
                    <span>{timeFormat.format(new Date(attempt.at))}</span>{' '}
                    <strong>{attempt.responseStatus ?? 'no answer'}</strong>{' '}
                    <span className="muted">{attempt.latencyMs} ms</span>
                    {attempt.responseExcerpt && <code className="attempt-excerpt">{attempt.responseExcerpt}</code>}
                  </li>
                ))}
              </ol>
            </td>
            <td>
              <button
                type="button"
                className="button button-small"
                disabled={retry.isPending && retry.variables === delivery.id}
                onClick={() => retry.mutate(delivery.id)}
              >
                Send again
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
