import { Fragment, useId, useState } from 'react'
import type { InboundMessage } from '@dialtone/shared/webhook-log'
import { formatPhoneNumber } from '../phone-numbers/format-phone-number.ts'
import { describeOutcome, describeRelay, shortCallId, verificationLabels } from './describe-inbound-message.ts'

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' })
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
})

/** Today's messages by their time alone; older ones with their day. */
function formatReceived(iso: string): string {
  const date = new Date(iso)
  return date.toDateString() === new Date().toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date)
}

/** One received message; its payload opens below it. */
export function WebhookLogRow({
  message,
  canReprocess,
  isReprocessing,
  onReprocess,
  isAll,
}: {
  message: InboundMessage
  canReprocess: boolean
  isReprocessing: boolean
  onReprocess: (message: InboundMessage) => void
  /** Showing every organisation's: the organisation column is there. */
  isAll: boolean
}) {
  const ids = useId()
  const [isOpen, setIsOpen] = useState(false)
  const outcome = describeOutcome(message.outcome)
  const isVerified = message.verification === 'ok'
  return (
    <Fragment>
      <tr data-testid="webhook-log-row" data-type={message.type ?? ''} data-outcome={message.outcome}>
        <td>
          <time dateTime={message.receivedAt} title={dateTimeFormat.format(new Date(message.receivedAt))}>
            {formatReceived(message.receivedAt)}
          </time>
        </td>
        <td className="webhook-log-type">{message.type ?? <span className="muted">unreadable</span>}</td>
        <td>
          {message.number ? formatPhoneNumber(message.number) : <span className="muted">—</span>}
          {isAll && (
            <div className="muted webhook-log-organization" title={message.organizationId ?? undefined}>
              {message.organizationId === null ? 'no organisation' : `org ${shortCallId(message.organizationId)}`}
            </div>
          )}
        </td>
        <td className="webhook-log-call" title={message.callId ?? undefined}>
          {shortCallId(message.callId)}
        </td>
        <td>
          {isVerified ? (
            <span className={`pill pill-${outcome.tone}`} title={`${message.outcome} · HTTP ${message.httpStatus}`}>
              {outcome.label}
            </span>
          ) : (
            <span className="pill pill-bad" title={message.verificationDetail ?? undefined} data-testid="refused">
              Refused: {verificationLabels[message.verification].toLowerCase()}
            </span>
          )}
          {message.reprocessCount > 0 && (
            <div className="muted webhook-log-again" data-testid="reprocessed">
              processed again ×{message.reprocessCount}: {describeOutcome(message.lastReprocessOutcome ?? '').label}
            </div>
          )}
        </td>
        <td>{describeRelay(message.relay)}</td>
        <td className="webhook-log-took">
          {message.handlingMs === null ? '—' : `${Math.round(message.handlingMs)} ms`}
        </td>
        <td>
          <div className="webhook-log-actions">
            <button
              type="button"
              className="button button-quiet button-small"
              aria-expanded={isOpen}
              aria-controls={`${ids}-payload`}
              onClick={() => setIsOpen((open) => !open)}
            >
              {isOpen ? 'Hide' : 'Payload'}
            </button>
            {canReprocess && isVerified && message.payload !== null && (
              <button
                type="button"
                className="button button-small"
                disabled={isReprocessing}
                onClick={() => onReprocess(message)}
                aria-label={`Process the ${message.type ?? 'message'} of ${formatReceived(message.receivedAt)} again`}
              >
                {isReprocessing && <span className="spinner" aria-hidden="true" />}
                Process again
              </button>
            )}
          </div>
        </td>
      </tr>
      {isOpen && (
        <tr className="webhook-log-detail" id={`${ids}-payload`}>
          <td colSpan={8}>
            <PayloadView message={message} />
          </td>
        </tr>
      )}
    </Fragment>
  )
}

function PayloadView({ message }: { message: InboundMessage }) {
  return (
    <div className="webhook-log-payload" data-testid="webhook-log-payload">
      <dl className="webhook-log-facts">
        <dt>Verification</dt>
        <dd>{verificationLabels[message.verification]}</dd>
        <dt>Answered</dt>
        <dd>
          HTTP {message.httpStatus} · {message.outcome}
        </dd>
        {message.verificationDetail && (
          <>
            <dt>Why</dt>
            <dd>{message.verificationDetail}</dd>
          </>
        )}
        {message.callId && (
          <>
            <dt>Call</dt>
            <dd>{message.callId}</dd>
          </>
        )}
        <dt>Size</dt>
        <dd>{message.bodyBytes.toLocaleString()} bytes</dd>
        {message.redactions.length > 0 && (
          <>
            <dt>Left out</dt>
            <dd>{message.redactions.join(', ')}</dd>
          </>
        )}
      </dl>
      <div className="webhook-log-json">
        <h3>Headers</h3>
        <pre>{JSON.stringify(message.headers, null, 2)}</pre>
      </div>
      <div className="webhook-log-json">
        <h3>Body</h3>
        <pre>
          {message.payload === null
            ? 'Not read: the request was refused on its headers.'
            : JSON.stringify(message.payload, null, 2)}
        </pre>
      </div>
    </div>
  )
}
