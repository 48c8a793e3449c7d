import { useId, useState, type FormEvent } from 'react'
import {
  webhookEventTypes,
  type WebhookEndpointWithSecret,
  type WebhookEventType,
} from '@dialtone/shared/webhook-endpoints'
import { useCreateWebhookEndpoint } from './webhook-endpoint-mutations.ts'
import { eventLabels } from './event-labels.ts'

export function AddEndpointForm({ onCreated }: { onCreated: (endpoint: WebhookEndpointWithSecret) => void }) {
  const ids = useId()
  const [url, setUrl] = useState('')
  const [events, setEvents] = useState<WebhookEventType[]>([...webhookEventTypes])
  const create = useCreateWebhookEndpoint()

  function submit(event: FormEvent) {
    event.preventDefault()
    create.mutate(
      { url: url.trim(), events },
      {
        onSuccess: (created) => {
          setUrl('')
          setEvents([...webhookEventTypes])
          onCreated(created)
        },
      },
    )
  }

  function toggle(type: WebhookEventType, isChecked: boolean) {
    setEvents((current) => (isChecked ? [...current, type] : current.filter((each) => each !== type)))
  }

  return (
    <form className="panel webhook-add" onSubmit={submit} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Add an endpoint</h2>
      <div className="field">
        <label htmlFor={`${ids}-url`}>Endpoint URL</label>
        <input
          id={`${ids}-url`}
          type="url"
          required
          placeholder="https://example.com/webhooks/dialtone"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          aria-describedby={`${ids}-url-hint`}
        />
        <p id={`${ids}-url-hint`} className="field-hint">
          dialtone POSTs signed JSON here (Standard Webhooks) and retries for about a day when it fails.
        </p>
      </div>
      <fieldset className="webhook-events">
        <legend>Events</legend>
        {webhookEventTypes.map((type) => (
          <label key={type} className="webhook-event-choice">
            <input
              type="checkbox"
              checked={events.includes(type)}
              onChange={(event) => toggle(type, event.target.checked)}
            />
            <code>{type}</code> <span className="muted">{eventLabels[type]}</span>
          </label>
        ))}
      </fieldset>
      {create.isError && (
        <p className="form-error" role="alert">
          {create.error.message}
        </p>
      )}
      <button
        type="submit"
        className="button button-primary"
        disabled={create.isPending || events.length === 0 || url.trim() === ''}
      >
        {create.isPending ? 'Adding…' : 'Add endpoint'}
      </button>
    </form>
  )
}
