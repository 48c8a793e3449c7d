import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { noAssistantLabel } from '../assistants/assistant-combobox.tsx'
import { assistantLabel } from '../assistants/filter-assistants.ts'
import { formatPhoneNumber } from './format-phone-number.ts'
import { plural } from './plural.ts'
import type { BulkAssignment } from './use-bulk-assign.ts'

function nameOf(phoneNumber: PhoneNumber): string {
  if (phoneNumber.name) return phoneNumber.name
  return phoneNumber.number ? formatPhoneNumber(phoneNumber.number) : `${phoneNumber.areaCode} number`
}

/** Under the bulk bar: an assignment in progress, then how many changed and each refusal with its number. */
export function BulkOutcome({ assignment, onDismiss }: { assignment: BulkAssignment; onDismiss: () => void }) {
  const who = assignment.assistant ? assistantLabel(assignment.assistant) : noAssistantLabel
  const succeeded = assignment.done - assignment.failures.length
  if (assignment.isRunning) {
    return (
      <div className="bulk-outcome" role="status" data-testid="bulk-progress">
        <p>
          Assigning {who}: {assignment.done} of {assignment.total} done…
        </p>
        <progress max={assignment.total} value={assignment.done} aria-label="Numbers changed so far" />
      </div>
    )
  }
  const summary =
    assignment.assistant === null
      ? `${plural(succeeded, 'number has', 'numbers have')} no assistant now${succeeded > 0 ? ': their calls go unanswered' : ''}.`
      : `${who} now answers ${succeeded === assignment.total ? '' : `${succeeded} of `}${plural(assignment.total, 'number', 'numbers')}.`
  return (
    <div
      className={assignment.failures.length > 0 ? 'bulk-outcome bulk-outcome-failed' : 'bulk-outcome'}
      role={assignment.failures.length > 0 ? 'alert' : 'status'}
      data-testid="bulk-outcome"
    >
      <p>{summary}</p>
      {assignment.failures.length > 0 && (
        <>
          <p>{plural(assignment.failures.length, 'number was', 'numbers were')} not changed:</p>
          <ul className="bulk-failures">
            {assignment.failures.map(({ phoneNumber, explanation }) => (
              <li key={phoneNumber.id}>
                <strong>{nameOf(phoneNumber)}</strong>: {explanation.message} {explanation.nextStep}
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="button button-quiet button-small" onClick={onDismiss}>
        Close
      </button>
    </div>
  )
}
