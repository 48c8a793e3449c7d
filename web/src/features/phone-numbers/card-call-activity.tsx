import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { useNow } from '../../lib/use-now.ts'
import { describeEndedReason, formatCallDuration } from './describe-call-activity.ts'
import './call-activity.css'

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

function formatWhen(iso: string): string {
  const date = new Date(iso)
  return date.toDateString() === new Date().toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date)
}

/**
 * What a live number's line is doing, from Vapi's call messages (pushed over phone-number:activity): ringing, on a
 * call with its running time, or the last call and how it ended; calls today; the first answered call as proof the
 * number works; a warning when the latest calls all ended broken.
 */
export function CardCallActivity({ phoneNumber }: { phoneNumber: PhoneNumber }) {
  const { activity } = phoneNumber
  const isInCall = activity.state === 'in-call'
  const now = useNow(1_000, isInCall)
  const lastReason = describeEndedReason(activity.lastEndedReason)
  return (
    <div className="card-call" data-testid="call-activity" data-call-state={activity.state}>
      <div className="card-call-line" role="status" aria-live="polite">
        {activity.state === 'ringing' && (
          <span className="call-state call-state-ringing" data-testid="call-state">
            <span className="call-bell" aria-hidden="true" />
            Ringing…
          </span>
        )}
        {isInCall && (
          <span className="call-state call-state-in-call" data-testid="call-state">
            <span className="call-dot" aria-hidden="true" />
            On a call
            {activity.callStartedAt !== null && (
              <span className="call-timer" data-testid="call-timer">
                {formatCallDuration((now - Date.parse(activity.callStartedAt)) / 1000)}
              </span>
            )}
          </span>
        )}
        {activity.state === 'idle' && (
          <span className="call-state" data-testid="call-state">
            {activity.lastCallAt === null ? (
              <span className="muted">No calls yet</span>
            ) : (
              <>Last call {formatWhen(activity.lastCallAt)}</>
            )}
          </span>
        )}
        <span className="calls-today" data-testid="calls-today">
          {activity.callsToday === 1 ? '1 call today' : `${activity.callsToday} calls today`}
        </span>
        {activity.state === 'idle' && lastReason !== null && (
          <span className="call-ended-reason muted" data-testid="last-ended-reason">
            Ended: {lastReason}
          </span>
        )}
      </div>
      {(activity.answeredFirstCallAt !== null || activity.failing) && (
        <div className="card-call-badges">
          {activity.answeredFirstCallAt !== null && (
            <span
              className="call-badge call-badge-answered"
              data-testid="answered-badge"
              title={`First call ${dateTimeFormat.format(new Date(activity.answeredFirstCallAt))}`}
            >
              ✓ Answered a call
            </span>
          )}
          {activity.failing && (
            <span className="call-badge call-badge-failing" data-testid="failing-badge" role="alert">
              Calls keep failing{lastReason !== null ? `: ${lastReason}` : ''}
            </span>
          )}
        </div>
      )}
    </div>
  )
}
