import { useId, useState, type FormEvent } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { toast } from '../../lib/toast.tsx'
import type { CallEventSettings, ForwardAuthType, PutCallEventSettingsRequest } from '@dialtone/shared/call-events'
import { isApiError } from '../../lib/api-error.ts'
import { useAssistants } from '../assistants/use-assistants.ts'
import { formatKeyHint } from '../vapi-connection/vapi-connection-section.tsx'
import { callEventQueryKeys } from './call-event-query-keys.ts'
import { fetchCallEventSettings, saveCallEventSettings } from './call-events-api.ts'
import './call-events.css'

type AuthChoice = ForwardAuthType | 'none'

const authChoices: readonly AuthChoice[] = ['none', 'bearer', 'secret', 'hmac']

const authLabels: Record<AuthChoice, string> = {
  none: 'None',
  bearer: 'Bearer token (Authorization header)',
  secret: 'Secret (X-Vapi-Secret header)',
  hmac: 'HMAC signature (x-signature, x-timestamp)',
}

interface Draft {
  enabled: boolean
  forwardUrl: string
  authType: AuthChoice
  /** Typed now; empty keeps the saved one (when the type is unchanged). */
  credential: string
  fallbackAssistantId: string
  keepTranscripts: boolean
}

function draftOf(settings: CallEventSettings): Draft {
  return {
    enabled: settings.enabled,
    forwardUrl: settings.forwardUrl ?? '',
    authType: settings.forwardAuth?.type ?? 'none',
    credential: '',
    fallbackAssistantId: settings.fallbackAssistantId ?? '',
    keepTranscripts: settings.keepTranscripts,
  }
}

/** The PUT body, or the sentence that says what is missing. The credential is sent only when typed. */
export function requestOf(
  draft: Draft,
  saved: CallEventSettings,
): { request: PutCallEventSettingsRequest } | { error: string } {
  const forwardUrl = draft.forwardUrl.trim()
  const credential = draft.credential.trim()
  const request: PutCallEventSettingsRequest = {
    enabled: draft.enabled,
    forwardUrl: forwardUrl === '' ? null : forwardUrl,
    fallbackAssistantId: draft.fallbackAssistantId === '' ? null : draft.fallbackAssistantId,
    keepTranscripts: draft.keepTranscripts,
  }
  if (draft.authType === 'none') return { request: { ...request, forwardAuth: null } }
  if (credential === '') {
    if (saved.forwardAuth?.type === draft.authType) return { request }
    return { error: `Enter the ${draft.authType === 'bearer' ? 'token' : 'secret'} your server expects.` }
  }
  const forwardAuth =
    draft.authType === 'bearer'
      ? { type: 'bearer' as const, token: credential }
      : { type: draft.authType, secret: credential }
  return { request: { ...request, forwardAuth } }
}

/**
 * Call events in settings: whether dialtone receives Vapi's call messages for the organisation's numbers, the
 * organisation's own server they are relayed to (with the credential Vapi would have sent it, write-only), and
 * who answers when that server cannot (the fallback assistant).
 */
export function CallEventsSection() {
  const query = useQuery({
    queryKey: callEventQueryKeys.settings(),
    queryFn: ({ signal }) => fetchCallEventSettings(signal),
    retry: false,
  })
  return (
    <section className="panel call-events-section" aria-labelledby="call-events-heading" data-testid="call-events">
      <h2 id="call-events-heading">Call events</h2>
      <p className="muted">
        Vapi sends a message for every moment of a call on a number (ringing, answered, ended, who should answer). With
        call events on, dialtone receives them, shows each number’s calls live, and relays every message to your own
        server unchanged — answers and all — so nothing your server relies on is lost.
      </p>
      {query.isPending && (
        <p aria-busy="true">
          <span className="spinner" aria-hidden="true" /> Loading…
        </p>
      )}
      {query.isError && (
        <p
          role="alert"
          className={isApiError(query.error) && query.error.status === 403 ? 'connection-read-only' : 'form-error'}
        >
          {query.error.message}
        </p>
      )}
      {query.data && <CallEventsForm key={JSON.stringify(query.data)} saved={query.data} />}
    </section>
  )
}

function CallEventsForm({ saved }: { saved: CallEventSettings }) {
  const ids = useId()
  const queryClient = useQueryClient()
  const assistants = useAssistants()
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved))
  const [formError, setFormError] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: saveCallEventSettings,
    onSuccess: (settings) => {
      queryClient.setQueryData(callEventQueryKeys.settings(), settings)
      toast.success(settings.enabled ? 'Call events on' : 'Call events saved (off)')
    },
  })
  const hint = formatKeyHint(saved.forwardAuth?.hint ?? null)
  const isSameAuthType = saved.forwardAuth?.type === draft.authType
  const change = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next })
    setFormError(null)
    if (save.isError) save.reset()
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    const built = requestOf(draft, saved)
    if ('error' in built) {
      setFormError(built.error)
      return
    }
    save.mutate(built.request)
  }

  const error = formError ?? (save.isError ? save.error.message : null)
  return (
    <form className="call-events-form" onSubmit={submit} noValidate aria-label="Call events">
      <label className="call-events-toggle">
        <input
          type="checkbox"
          checked={draft.enabled}
          onChange={(event) => change({ enabled: event.target.checked })}
        />
        <span>
          <strong>Receive call events</strong>
          <span className="muted">
            {' '}
            — dialtone points its numbers’ server URL at itself
            {saved.routedNumbers > 0
              ? ` (now ${saved.routedNumbers} number${saved.routedNumbers === 1 ? '' : 's'})`
              : ''}
            , and puts the previous routing back when you turn this off.
          </span>
        </span>
      </label>
      <div className="field">
        <label htmlFor={`${ids}-url`}>
          Your server’s URL <span className="optional">(optional)</span>
        </label>
        <input
          id={`${ids}-url`}
          type="url"
          inputMode="url"
          placeholder="https://api.example.com/vapi/webhook"
          value={draft.forwardUrl}
          onChange={(event) => change({ forwardUrl: event.target.value })}
          aria-describedby={`${ids}-url-hint`}
        />
        <p id={`${ids}-url-hint`} className="field-hint">
          Where Vapi sent these messages before. Empty: dialtone keeps what it needs and answers what it must.
        </p>
      </div>
      <div className="call-events-row">
        <div className="field">
          <label htmlFor={`${ids}-auth`}>How your server checks it is Vapi</label>
          <select
            id={`${ids}-auth`}
            value={draft.authType}
            onChange={(event) =>
              change({
                authType: authChoices.find((choice) => choice === event.target.value) ?? 'none',
                credential: '',
              })
            }
          >
            {authChoices.map((choice) => (
              <option key={choice} value={choice}>
                {authLabels[choice]}
              </option>
            ))}
          </select>
        </div>
        {draft.authType !== 'none' && (
          <div className="field">
            <label htmlFor={`${ids}-credential`}>{draft.authType === 'bearer' ? 'Token' : 'Secret'}</label>
            <input
              id={`${ids}-credential`}
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={draft.credential}
              placeholder={isSameAuthType && hint ? `${hint} saved — type to replace` : ''}
              onChange={(event) => change({ credential: event.target.value })}
              aria-describedby={`${ids}-credential-hint`}
              data-testid="call-events-credential"
            />
            <p id={`${ids}-credential-hint`} className="field-hint">
              Stored encrypted, never shown again; dialtone signs what it relays with it.
            </p>
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-fallback`}>When your server fails or is slow to say who answers</label>
        <select
          id={`${ids}-fallback`}
          value={draft.fallbackAssistantId}
          onChange={(event) => change({ fallbackAssistantId: event.target.value })}
          aria-describedby={`${ids}-fallback-hint`}
        >
          <option value="">Tell the caller the line cannot take calls</option>
          {saved.fallbackAssistantId !== null &&
            !(assistants.data?.items ?? []).some((assistant) => assistant.id === saved.fallbackAssistantId) && (
              <option value={saved.fallbackAssistantId}>Assistant {saved.fallbackAssistantId.slice(0, 8)}…</option>
            )}
          {(assistants.data?.items ?? []).map((assistant) => (
            <option key={assistant.id} value={assistant.id}>
              Answer with {assistant.name}
            </option>
          ))}
        </select>
        <p id={`${ids}-fallback-hint`} className="field-hint">
          {assistants.isError
            ? `Your assistants could not be listed: ${assistants.error.message}`
            : 'Vapi waits at most 20 seconds for an answer; dialtone answers this in time if your server does not.'}
        </p>
      </div>
      <label className="call-events-toggle">
        <input
          type="checkbox"
          checked={draft.keepTranscripts}
          onChange={(event) => change({ keepTranscripts: event.target.checked })}
        />
        <span>
          Keep transcripts and recording links in what dialtone stores{' '}
          <span className="muted">(off: they are relayed to your server, never kept)</span>
        </span>
      </label>
      {error !== null && (
        <p className="form-error" role="alert" data-testid="call-events-error">
          {error} Nothing was saved.
        </p>
      )}
      <div className="connection-actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending && <span className="spinner" aria-hidden="true" />}
          {save.isPending ? 'Saving…' : 'Save call events'}
        </button>
      </div>
    </form>
  )
}
