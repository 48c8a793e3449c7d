import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { WebhookEndpointWithSecret } from '@dialtone/shared/webhook-endpoints'
import { AddEndpointForm } from './add-endpoint-form.tsx'
import { EndpointCard } from './endpoint-card.tsx'
import { SecretNotice } from './secret-notice.tsx'
import { fetchWebhookEndpoints } from './webhook-endpoints-api.ts'
import { webhookEndpointQueryKeys } from './webhook-endpoint-query-keys.ts'
import './webhook-endpoints.css'

export function WebhookEndpointsPage() {
  const endpoints = useQuery({
    queryKey: webhookEndpointQueryKeys.list(),
    queryFn: fetchWebhookEndpoints,
    refetchInterval: 10_000,
  })
  const [fresh, setFresh] = useState<WebhookEndpointWithSecret | null>(null)

  return (
    <main id="main" className="page webhooks-page">
      <h1>Webhooks</h1>
      <p className="muted">
        dialtone tells your systems when a number goes live, fails or is released: signed POSTs to your endpoints,
        retried with growing pauses, with every attempt logged below.
      </p>
      {fresh && <SecretNotice secret={fresh.secret} url={fresh.url} onDismiss={() => setFresh(null)} />}
      <AddEndpointForm onCreated={setFresh} />
      {endpoints.isPending && <p className="muted">Loading endpoints…</p>}
      {endpoints.isError && <p role="alert">{endpoints.error.message}</p>}
      {endpoints.data?.items.length === 0 && <p className="empty-state">No endpoints yet.</p>}
      {endpoints.data?.items.map((endpoint) => (
        <EndpointCard key={endpoint.id} endpoint={endpoint} onSecret={setFresh} />
      ))}
    </main>
  )
}
