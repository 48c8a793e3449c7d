import { useEffect, useId, useState } from 'react'
import { toast } from '../../lib/toast.tsx'
import type { PhoneNumber, PhoneNumberStatus } from '@dialtone/shared/phone-number'
import { copyText } from '../../lib/copy-text.ts'
import { formatMonthlyPrice } from '../../lib/format-monthly-price.ts'
import { useNow } from '../../lib/use-now.ts'
import { formatPlaces } from '../area-codes/area-code-combobox.tsx'
import { useNearbyAreaCodes } from '../area-codes/use-area-code-search.ts'
import { describeCreateError, describeFailureReason } from './describe-create-error.ts'
import { formatElapsed, formatTypicalWait } from './format-duration.ts'
import { formatPhoneNumber, formatPlaceholderNumber } from './format-phone-number.ts'
import { useCreatePhoneNumber, useRefreshPhoneNumber } from './phone-number-mutations.ts'
import { reasonWithout, usePermissions } from '../teams/use-permissions.ts'
import { CardAssistant } from './card-assistant.tsx'
import { assistantOf } from './phone-number-assistant.ts'
import { CardCallActivity } from './card-call-activity.tsx'
import { TestCallButton } from './test-call-button.tsx'
import { useServerInfo } from '../server-info/use-server-info.ts'
import { navigate, routes, setSearchParam } from '../../lib/router.ts'
import { useFormattedNumber } from './use-formatted-number.ts'

export const statusLabels: Record<PhoneNumberStatus, string> = {
  pending: 'Provisioning…',
  active: 'Live',
  failed: 'Failed',
  released: 'Released',
}

/** What the number costs a month, on one short line: Vapi's own numbers are free; a carrier may not have said. */
function describeMonthlyPrice(phoneNumber: PhoneNumber): string {
  if (phoneNumber.provider === 'vapi') return 'Free Vapi number'
  return phoneNumber.monthlyPrice ? formatMonthlyPrice(phoneNumber.monthlyPrice) : 'price unknown'
}

const providerLabels: Record<PhoneNumber['provider'], string> = { vapi: 'Vapi', twilio: 'Twilio', telnyx: 'Telnyx' }

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
  /** How long dialtone waits for Vapi before giving a number up; null until the server said. */
  deadlineSeconds: number | null
  onRelease: (phoneNumber: PhoneNumber) => void
  /** Hides a failed or released card (remembered in this browser). */
  onDismiss: (phoneNumber: PhoneNumber) => void
  /** Whether the card is chosen for a bulk change; undefined when it cannot be (failed, released). */
  isSelected?: boolean
  onSelectedChange?: (phoneNumber: PhoneNumber, isSelected: boolean) => void
}

/**
 * One number. Every state fills the same rows (status line, number line, details, actions), so a card turning
 * live changes words, not the layout around it; a long name or failure reason wraps and is shown whole.
 */
export function PhoneNumberCard({
  phoneNumber,
  typicalSecondsToLive,
  deadlineSeconds,
  onRelease,
  onDismiss,
  isSelected,
  onSelectedChange,
}: PhoneNumberCardProps) {
  const ids = useId()
  const { status } = phoneNumber
  // A carrier number outside North America has no area code: its country names it.
  const displayName = phoneNumber.name ?? `${phoneNumber.areaCode || phoneNumber.country} number`
  const numberText = useFormattedNumber(phoneNumber.number) ?? formatPlaceholderNumber(phoneNumber.areaCode)

  return (
    <article
      className={`card card-${status}${isSelected ? ' card-selected' : ''}`}
      aria-labelledby={`${ids}-name`}
      aria-describedby={`${ids}-status ${ids}-number`}
      data-testid="phone-number-card"
      data-status={status}
      data-phone-number-id={phoneNumber.id}
      // Focus lands here after the number is released from its dialog, so the keyboard keeps its place.
      tabIndex={-1}
    >
      <header className="card-header">
        {isSelected !== undefined && onSelectedChange && (
          <input
            type="checkbox"
            className="card-select"
            checked={isSelected}
            onChange={(event) => onSelectedChange(phoneNumber, event.target.checked)}
            aria-label={`Select ${displayName}`}
          />
        )}
        <span id={`${ids}-status`} className={`status status-${status}`} data-testid="phone-number-status">
          {status === 'pending' ? (
            <span className="spinner" aria-hidden="true" />
          ) : (
            <span className="status-dot" aria-hidden="true" />
          )}
          {statusLabels[status]}
        </span>
        {phoneNumber.provider !== 'vapi' && (
          <span
            className={`card-provider card-provider-${phoneNumber.provider}`}
            data-testid="phone-number-provider"
            title={`Bought at ${providerLabels[phoneNumber.provider]}, imported into Vapi`}
          >
            {providerLabels[phoneNumber.provider]} · {phoneNumber.country}
          </span>
        )}
        <h3 id={`${ids}-name`} className="card-name">
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
      <CardDetails
        phoneNumber={phoneNumber}
        typicalSecondsToLive={typicalSecondsToLive}
        deadlineSeconds={deadlineSeconds}
      />
      {status === 'active' && <CardCallActivity phoneNumber={phoneNumber} />}
      <CardAssistant phoneNumber={phoneNumber} displayName={displayName} />
      <CardActions phoneNumber={phoneNumber} displayName={displayName} onRelease={onRelease} onDismiss={onDismiss} />
    </article>
  )
}

/** The warning shows once this share of the wait is left, and never later than the last minute. */
const deadlineWarningShare = 0.2

function CardDetails({
  phoneNumber,
  typicalSecondsToLive,
  deadlineSeconds,
}: Pick<PhoneNumberCardProps, 'phoneNumber' | 'typicalSecondsToLive' | 'deadlineSeconds'>) {
  const isPending = phoneNumber.status === 'pending'
  const now = useNow(1_000, isPending)
  switch (phoneNumber.status) {
    case 'pending': {
      const elapsedSeconds = (now - Date.parse(phoneNumber.createdAt)) / 1000
      const isSlow = typicalSecondsToLive !== null && elapsedSeconds > Math.max(60, typicalSecondsToLive * 3)
      const secondsLeft = deadlineSeconds === null ? null : deadlineSeconds - elapsedSeconds
      const isNearDeadline =
        deadlineSeconds !== null &&
        secondsLeft !== null &&
        secondsLeft <= Math.max(60, deadlineSeconds * deadlineWarningShare)
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
                : phoneNumber.provider !== 'vapi'
                  ? `Buying at ${providerLabels[phoneNumber.provider]}, then importing into Vapi.`
                  : 'Vapi is assigning a number.'}
          </p>
          {secondsLeft !== null && (
            <p
              className={isNearDeadline ? 'card-warning' : 'muted'}
              data-testid="time-left"
              role={isNearDeadline ? 'status' : undefined}
            >
              {secondsLeft <= 0
                ? 'Out of time: dialtone is giving this number up. Nothing is charged for it.'
                : isNearDeadline
                  ? `dialtone gives up in ${formatElapsed(secondsLeft)} unless Vapi assigns it. Nothing is charged for a number given up.`
                  : `dialtone gives up in ${formatElapsed(secondsLeft)}.`}
            </p>
          )}
        </div>
      )
    }
    case 'active':
      return (
        <div className="card-details">
          <p>Live since {formatMoment(phoneNumber.activatedAt ?? phoneNumber.updatedAt)}</p>
          <p className="muted">
            {phoneNumber.areaCode !== '' ? `Area code ${phoneNumber.areaCode}` : `Country ${phoneNumber.country}`}
            {' · '}
            <span data-testid="phone-number-price">{describeMonthlyPrice(phoneNumber)}</span>
          </p>
        </div>
      )
    case 'failed':
      return (
        <div className="card-details">
          <p className="card-reason" data-testid="failure-reason">
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
  onDismiss,
}: {
  phoneNumber: PhoneNumber
  displayName: string
  onRelease: (phoneNumber: PhoneNumber) => void
  onDismiss: (phoneNumber: PhoneNumber) => void
}) {
  const refresh = useRefreshPhoneNumber()
  const retry = useCreatePhoneNumber()
  const permissions = usePermissions()
  const mayRelease = permissions.can('numbers:write')
  const [isChoosingCode, setIsChoosingCode] = useState(false)
  const canPlaceTestCalls = useServerInfo().data?.canPlaceTestCalls === true

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

  /** A new request in `areaCode` with the same name; once it is made, the new card replaces this failed one. */
  function tryIn(areaCode: string) {
    const assistantId = assistantOf(phoneNumber)?.id
    const request = {
      areaCode,
      ...(phoneNumber.name ? { name: phoneNumber.name } : {}),
      ...(assistantId ? { assistantId } : {}),
    }
    retry.mutate(request, {
      onSuccess: () => onDismiss(phoneNumber),
      onError: (error) => {
        const explanation = describeCreateError(error)
        toast.error(`Could not get a ${areaCode} number`, {
          description: `${explanation.message} ${explanation.nextStep}`,
        })
      },
    })
  }

  const dismissButton = (
    <button
      type="button"
      className="button button-quiet button-small"
      onClick={() => onDismiss(phoneNumber)}
      aria-label={`Dismiss ${displayName}`}
    >
      Dismiss
    </button>
  )

  const releaseButton = (
    <button
      type="button"
      className="button button-quiet button-small"
      onClick={() => onRelease(phoneNumber)}
      aria-label={`Release ${displayName}`}
      disabled={!mayRelease}
      title={mayRelease ? undefined : reasonWithout['numbers:write']}
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
      {phoneNumber.status === 'active' && (
        <>
          {canPlaceTestCalls && mayRelease && <TestCallButton phoneNumber={phoneNumber} displayName={displayName} />}
          <a
            className="button button-small button-link"
            href={`${routes.webhookLog}?phoneNumberId=${phoneNumber.id}`}
            onClick={(event) => {
              if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return
              event.preventDefault()
              navigate(routes.webhookLog)
              setSearchParam('phoneNumberId', phoneNumber.id)
            }}
            aria-label={`Messages received about ${displayName}`}
          >
            Messages
          </a>
          {releaseButton}
        </>
      )}
      {/* Trying again by area code buys from Vapi: for a carrier number, a new search is the way (above). */}
      {phoneNumber.status === 'failed' && phoneNumber.provider !== 'vapi' && dismissButton}
      {phoneNumber.status === 'failed' && phoneNumber.provider === 'vapi' && (
        <>
          <button
            type="button"
            className="button button-small"
            onClick={() => setIsChoosingCode((isOpen) => !isOpen)}
            aria-expanded={isChoosingCode}
            disabled={retry.isPending}
          >
            Try another area code
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => tryIn(phoneNumber.areaCode)}
            disabled={retry.isPending}
            aria-label={`Try again: get another ${phoneNumber.areaCode} number`}
          >
            {retry.isPending && retry.variables?.areaCode === phoneNumber.areaCode && (
              <span className="spinner" aria-hidden="true" />
            )}
            Try {phoneNumber.areaCode} again
          </button>
          {dismissButton}
          {isChoosingCode && (
            <OtherAreaCodes
              areaCode={phoneNumber.areaCode}
              pendingAreaCode={retry.isPending ? (retry.variables?.areaCode ?? null) : null}
              onPick={tryIn}
            />
          )}
        </>
      )}
      {phoneNumber.status === 'released' && dismissButton}
    </div>
  )
}

/** The codes to try instead of a failed one, and a way to search for any other in the form above. */
function OtherAreaCodes({
  areaCode,
  pendingAreaCode,
  onPick,
}: {
  areaCode: string
  pendingAreaCode: string | null
  onPick: (areaCode: string) => void
}) {
  const nearby = useNearbyAreaCodes(areaCode, true)
  const items = nearby.data?.items ?? []
  return (
    <div className="card-other-codes" data-testid="other-area-codes">
      {nearby.isPending ? (
        <p className="muted">Finding codes near {areaCode}…</p>
      ) : items.length > 0 ? (
        <ul className="suggestions" aria-label={`Area codes to try instead of ${areaCode}`}>
          {items.map((item) => (
            <li key={item.areaCode}>
              <button
                type="button"
                className="button suggestion"
                disabled={pendingAreaCode !== null}
                onClick={() => onPick(item.areaCode)}
                data-testid="other-area-code"
                data-area-code={item.areaCode}
              >
                {pendingAreaCode === item.areaCode && <span className="spinner" aria-hidden="true" />}
                <span>
                  Try {item.areaCode} — {formatPlaces(item, 2)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">dialtone knows no codes near {areaCode}.</p>
      )}
      <button type="button" className="button button-quiet button-small" onClick={focusAreaCodeField}>
        Search for a code by city or state
      </button>
    </div>
  )
}

function focusAreaCodeField() {
  const field = document.querySelector<HTMLInputElement>('input[name="areaCode"]')
  field?.scrollIntoView({ block: 'center' })
  field?.focus()
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
