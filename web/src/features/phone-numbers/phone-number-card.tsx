import { useEffect, useId, useState } from 'react'
import { toast } from 'sonner'
import type { PhoneNumber, PhoneNumberStatus } from '@dialtone/shared/phone-number'
import { copyText } from '../../lib/copy-text.ts'
import { useNow } from '../../lib/use-now.ts'
import { describeCreateError, describeFailureReason } from './describe-create-error.ts'
import { formatElapsed, formatTypicalWait } from './format-duration.ts'
import { formatPhoneNumber, formatPlaceholderNumber } from './format-phone-number.ts'
import { useCreatePhoneNumber, useRefreshPhoneNumber } from './phone-number-mutations.ts'

export const statusLabels: Record<PhoneNumberStatus, string> = {
  pending: 'Provisioning…',
  active: 'Live',
  failed: 'Failed',
  released: 'Released',
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

function formatMoment(iso: string | null): string {
  if (iso === null) return ''
  const date = new Date(iso)
  const isToday = date.toDateString() === new Date().toDateString()
  return isToday ? timeFormat.format(date) : dateTimeFormat.format(date)
}

interface PhoneNumberCardProps {
  phoneNumber: PhoneNumber
  typicalSecondsToLive: number | null
  onRelease: (phoneNumber: PhoneNumber) => void
}

/**
 * One number. Every state fills the same fixed box (status line, number line, two detail lines, actions), so
 * a card turning live changes words, not the layout around it.
 */
export function PhoneNumberCard({ phoneNumber, typicalSecondsToLive, onRelease }: PhoneNumberCardProps) {
  const ids = useId()
  const { status } = phoneNumber
  const displayName = phoneNumber.name ?? `${phoneNumber.areaCode} number`
  const numberText =
    phoneNumber.number !== null ? formatPhoneNumber(phoneNumber.number) : formatPlaceholderNumber(phoneNumber.areaCode)

  return (
    <article
      className={`card card-${status}`}
      aria-labelledby={`${ids}-name`}
      aria-describedby={`${ids}-status ${ids}-number`}
      data-testid="phone-number-card"
      data-status={status}
      data-phone-number-id={phoneNumber.id}
    >
      <header className="card-header">
        <span id={`${ids}-status`} className={`status status-${status}`} data-testid="phone-number-status">
          {status === 'pending' ? (
            <span className="spinner" aria-hidden="true" />
          ) : (
            <span className="status-dot" aria-hidden="true" />
          )}
          {statusLabels[status]}
        </span>
        <h3 id={`${ids}-name`} className="card-name" title={displayName}>
          {displayName}
        </h3>
      </header>
      <div className="card-number-line">
        <span
          id={`${ids}-number`}
          className={phoneNumber.number !== null ? 'card-number' : 'card-number card-number-placeholder'}
          data-testid="phone-number-value"
          aria-label={
            phoneNumber.number === null ? `Area code ${phoneNumber.areaCode}, number not assigned yet` : undefined
          }
        >
          {numberText}
        </span>
        {status === 'active' && phoneNumber.number !== null && <CopyButton number={phoneNumber.number} />}
      </div>
      <CardDetails phoneNumber={phoneNumber} typicalSecondsToLive={typicalSecondsToLive} />
      <CardActions phoneNumber={phoneNumber} displayName={displayName} onRelease={onRelease} />
    </article>
  )
}

function CardDetails({ phoneNumber, typicalSecondsToLive }: Omit<PhoneNumberCardProps, 'onRelease'>) {
  const isPending = phoneNumber.status === 'pending'
  const now = useNow(1_000, isPending)
  switch (phoneNumber.status) {
    case 'pending': {
      const elapsedSeconds = (now - Date.parse(phoneNumber.createdAt)) / 1000
      const isSlow = typicalSecondsToLive !== null && elapsedSeconds > Math.max(60, typicalSecondsToLive * 3)
      return (
        <div className="card-details">
          <p>
            Requested <span data-testid="elapsed">{formatElapsed(elapsedSeconds)}</span> ago
          </p>
          <p className="muted">
            {isSlow
              ? 'Taking longer than usual. “Check now” asks Vapi directly.'
              : typicalSecondsToLive !== null
                ? `Usually live in ${formatTypicalWait(typicalSecondsToLive)}.`
                : 'Vapi is assigning a number.'}
          </p>
        </div>
      )
    }
    case 'active':
      return (
        <div className="card-details">
          <p>Live since {formatMoment(phoneNumber.activatedAt ?? phoneNumber.updatedAt)}</p>
          <p className="muted">Area code {phoneNumber.areaCode}</p>
        </div>
      )
    case 'failed':
      return (
        <div className="card-details">
          <p className="card-reason" title={describeFailureReason(phoneNumber.failureReason)}>
            {describeFailureReason(phoneNumber.failureReason)}
          </p>
        </div>
      )
    case 'released':
      return (
        <div className="card-details">
          <p>Released {formatMoment(phoneNumber.updatedAt)}</p>
          <p className="muted">No longer answers calls.</p>
        </div>
      )
  }
}

function CardActions({
  phoneNumber,
  displayName,
  onRelease,
}: {
  phoneNumber: PhoneNumber
  displayName: string
  onRelease: (phoneNumber: PhoneNumber) => void
}) {
  const refresh = useRefreshPhoneNumber()
  const retry = useCreatePhoneNumber()

  function checkNow() {
    refresh.mutate(phoneNumber.id, {
      onSuccess: (updated) => {
        if (updated.status === 'pending')
          toast.info(`Still provisioning: Vapi has not assigned the ${updated.areaCode} number yet.`)
      },
      onError: (error) => {
        const explanation = describeCreateError(error)
        toast.error(explanation.message, { description: explanation.nextStep })
      },
    })
  }

  function tryAgain() {
    const request = phoneNumber.name
      ? { areaCode: phoneNumber.areaCode, name: phoneNumber.name }
      : { areaCode: phoneNumber.areaCode }
    retry.mutate(request, {
      onError: (error) => {
        const explanation = describeCreateError(error)
        toast.error(`Could not get a ${phoneNumber.areaCode} number`, {
          description: `${explanation.message} ${explanation.nextStep}`,
        })
      },
    })
  }

  const releaseButton = (
    <button
      type="button"
      className="button button-quiet button-small"
      onClick={() => onRelease(phoneNumber)}
      aria-label={`Release ${displayName}`}
    >
      Release
    </button>
  )

  return (
    <div className="card-actions">
      {phoneNumber.status === 'pending' && (
        <>
          <button
            type="button"
            className="button button-small"
            onClick={checkNow}
            disabled={refresh.isPending}
            aria-label={`Check ${displayName} now`}
          >
            {refresh.isPending && <span className="spinner" aria-hidden="true" />}
            {refresh.isPending ? 'Checking…' : 'Check now'}
          </button>
          {releaseButton}
        </>
      )}
      {phoneNumber.status === 'active' && releaseButton}
      {phoneNumber.status === 'failed' && (
        <button
          type="button"
          className="button button-small"
          onClick={tryAgain}
          disabled={retry.isPending}
          aria-label={`Try again: get another ${phoneNumber.areaCode} number`}
        >
          {retry.isPending && <span className="spinner" aria-hidden="true" />}
          {retry.isPending ? 'Trying…' : 'Try again'}
        </button>
      )}
    </div>
  )
}

function CopyButton({ number }: { number: string }) {
  const [feedback, setFeedback] = useState<'idle' | 'copied' | 'failed'>('idle')

  useEffect(() => {
    if (feedback === 'idle') return
    const timer = setTimeout(() => setFeedback('idle'), 2_000)
    return () => clearTimeout(timer)
  }, [feedback])

  async function handleCopy() {
    try {
      await copyText(number)
      setFeedback('copied')
    } catch {
      setFeedback('failed')
    }
  }

  return (
    <button
      type="button"
      className="button button-small button-copy"
      onClick={handleCopy}
      aria-label={feedback === 'copied' ? 'Copied' : `Copy ${formatPhoneNumber(number)}`}
      data-feedback={feedback}
    >
      <span aria-live="polite">
        {feedback === 'copied' ? 'Copied ✓' : feedback === 'failed' ? 'Copy failed' : 'Copy'}
      </span>
    </button>
  )
}
