import { useId, useState, type FormEvent } from 'react'
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { toast } from '../../lib/toast.tsx'
import type { InboundMessage } from '@dialtone/shared/webhook-log'
import type { SessionUser } from '../auth/auth-api.ts'
import { isPlatformAdmin } from '../auth/auth-api.ts'
import { reasonWithout, usePermissions } from '../teams/use-permissions.ts'
import { setSearchParam, useSearchParam } from '../../lib/router.ts'
import { describeOutcome, knownMessageTypes, outcomeChoices } from './describe-inbound-message.ts'
import {
  emptyWebhookLogFilters,
  fetchWebhookLog,
  reprocessWebhookMessage,
  reprocessWebhookMessagesSince,
  type WebhookLogFilters,
} from './webhook-log-api.ts'
import { webhookLogQueryKeys } from './webhook-log-query-keys.ts'
import { WebhookLogRow } from './webhook-log-row.tsx'
import '../teams/teams.css'
import './webhook-log.css'
import { LoadMoreButton } from '../../lib/load-more-button.tsx'

/** `datetime-local`'s value for an hour ago, in local time: where "process again since" starts. */
function anHourAgo(): string {
  const date = new Date(Date.now() - 60 * 60_000)
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000)
  return local.toISOString().slice(0, 16)
}

function summarize(outcomes: Record<string, number>): string {
  return Object.entries(outcomes)
    .map(([outcome, count]) => `${count} ${describeOutcome(outcome).label.toLowerCase()}`)
    .join(', ')
}

export function WebhookLogPage({ user }: { user: SessionUser }) {
  const ids = useId()
  const queryClient = useQueryClient()
  const permissions = usePermissions()
  const phoneNumberId = useSearchParam('phoneNumberId') ?? ''
  const [draft, setDraft] = useState<WebhookLogFilters>(emptyWebhookLogFilters)
  const [applied, setApplied] = useState<WebhookLogFilters>(emptyWebhookLogFilters)
  const filters = { ...applied, phoneNumberId }
  const [since, setSince] = useState(anHourAgo)
  const canRead = permissions.can('numbers:read')
  const canReprocess = permissions.can('settings:write')
  const isAdmin = isPlatformAdmin(user)

  const log = useInfiniteQuery({
    queryKey: webhookLogQueryKeys.list(filters),
    queryFn: ({ pageParam }) => fetchWebhookLog(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: canRead,
  })
  const reprocessOne = useMutation({
    mutationFn: (message: InboundMessage) => reprocessWebhookMessage(message.id),
    onSuccess: (result) => {
      toast.success(`Processed again: ${describeOutcome(result.outcome).label.toLowerCase()}.`, {
        description:
          result.outcome === 'duplicate' ? 'dialtone had already acted on it; nothing changed twice.' : undefined,
      })
      void queryClient.invalidateQueries({ queryKey: webhookLogQueryKeys.all })
    },
    onError: (error) => toast.error(error.message),
  })
  const reprocessSince = useMutation({
    mutationFn: reprocessWebhookMessagesSince,
    onSuccess: (result) => {
      toast.success(
        result.reprocessed === 0
          ? 'No verified messages since then.'
          : `Processed ${result.reprocessed} message${result.reprocessed === 1 ? '' : 's'} again: ${summarize(result.outcomes)}.`,
        { description: result.continueFrom ? 'More remain: run it again to go on.' : undefined },
      )
      void queryClient.invalidateQueries({ queryKey: webhookLogQueryKeys.all })
    },
    onError: (error) => toast.error(error.message),
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    setApplied(draft)
  }

  function submitSince(event: FormEvent) {
    event.preventDefault()
    if (since === '') return
    reprocessSince.mutate({ since: new Date(since).toISOString(), isAll: applied.isAll })
  }

  const messages = log.data?.pages.flatMap((page) => page.items) ?? []
  const hasFilters =
    applied.type !== '' || applied.outcome !== '' || applied.from !== '' || applied.to !== '' || phoneNumberId !== ''
  return (
    <main id="main" className="page audit-page webhook-log-page">
      <h1>Webhook log</h1>
      <p className="muted">
        Every message dialtone received about your numbers — from Vapi (or the sandbox) and carriers — with how it was
        verified and what dialtone did. Transcripts, recordings and credentials are left out. Kept for 14 days unless
        the server is set otherwise.
      </p>
      {permissions.isLoaded && !canRead && (
        <p className="panel" role="alert">
          {reasonWithout['numbers:read']}
        </p>
      )}
      {canRead && (
        <>
          <form className="panel audit-filters" onSubmit={submit} aria-label="Filter the webhook log">
            <div className="field">
              <label htmlFor={`${ids}-type`}>Type</label>
              <input
                id={`${ids}-type`}
                list={`${ids}-types`}
                placeholder="status-update"
                value={draft.type}
                onChange={(event) => setDraft({ ...draft, type: event.target.value })}
              />
              <datalist id={`${ids}-types`}>
                {knownMessageTypes.map((type) => (
                  <option key={type} value={type} />
                ))}
              </datalist>
            </div>
            <div className="field">
              <label htmlFor={`${ids}-outcome`}>What dialtone did</label>
              <select
                id={`${ids}-outcome`}
                value={draft.outcome}
                onChange={(event) => setDraft({ ...draft, outcome: event.target.value })}
              >
                {outcomeChoices.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${ids}-from`}>From</label>
              <input
                id={`${ids}-from`}
                type="date"
                value={draft.from}
                onChange={(event) => setDraft({ ...draft, from: event.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor={`${ids}-to`}>To</label>
              <input
                id={`${ids}-to`}
                type="date"
                value={draft.to}
                onChange={(event) => setDraft({ ...draft, to: event.target.value })}
              />
            </div>
            {isAdmin && (
              <label className="checkbox-field">
                <input
                  type="checkbox"
                  checked={draft.isAll}
                  onChange={(event) => setDraft({ ...draft, isAll: event.target.checked })}
                />
                Every organisation and refused messages (platform admin)
              </label>
            )}
            <button type="submit" className="button button-primary">
              Filter
            </button>
          </form>
          {phoneNumberId !== '' && (
            <p className="webhook-log-scope">
              Showing one number’s messages.{' '}
              <button
                type="button"
                className="button button-quiet button-small"
                onClick={() => setSearchParam('phoneNumberId', null)}
              >
                Show every number
              </button>
            </p>
          )}
          {canReprocess && (
            <form className="panel webhook-log-reprocess" onSubmit={submitSince} aria-label="Process messages again">
              <div className="field">
                <label htmlFor={`${ids}-since`}>Process every verified message again since</label>
                <input
                  id={`${ids}-since`}
                  type="datetime-local"
                  value={since}
                  onChange={(event) => setSince(event.target.value)}
                  required
                />
              </div>
              <button type="submit" className="button" disabled={reprocessSince.isPending}>
                {reprocessSince.isPending && <span className="spinner" aria-hidden="true" />}
                {reprocessSince.isPending ? 'Processing…' : 'Process again'}
              </button>
              <p className="muted webhook-log-hint">
                Safe to repeat: a message dialtone already acted on changes nothing twice.
              </p>
            </form>
          )}
          <section className="panel" aria-label="Messages">
            {log.isPending && <p className="muted">Loading messages…</p>}
            {log.isError && <p role="alert">{log.error.message}</p>}
            {log.data && messages.length === 0 && (
              <div className="empty-state" data-testid="webhook-log-empty">
                {hasFilters ? (
                  <p>No messages match these filters.</p>
                ) : (
                  <>
                    <p>No messages yet.</p>
                    <p className="muted">
                      Vapi writes here when one of your numbers goes live, and — with call events on — for every call.
                      In the sandbox, “Place a test call” on a live number sends a call’s messages.
                    </p>
                  </>
                )}
              </div>
            )}
            {messages.length > 0 && (
              <div className="audit-table-wrap">
                <table className="audit-table webhook-log-table" data-testid="webhook-log-table">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Type</th>
                      <th scope="col">{applied.isAll ? 'Number, organisation' : 'Number'}</th>
                      <th scope="col">Call</th>
                      <th scope="col">What dialtone did</th>
                      <th scope="col">Relay</th>
                      <th scope="col">Took</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {messages.map((message) => (
                      <WebhookLogRow
                        key={message.id}
                        message={message}
                        canReprocess={canReprocess}
                        isReprocessing={reprocessOne.isPending && reprocessOne.variables.id === message.id}
                        onReprocess={(chosen) => reprocessOne.mutate(chosen)}
                        isAll={applied.isAll}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <LoadMoreButton pages={log} label="Older messages" />
          </section>
        </>
      )}
    </main>
  )
}
