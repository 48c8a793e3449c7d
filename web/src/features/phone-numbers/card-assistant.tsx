import { usePermissions } from '../teams/use-permissions.ts'
import { useId, useState } from 'react'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { AssistantCombobox } from '../assistants/assistant-combobox.tsx'
import { assistantLabel } from '../assistants/filter-assistants.ts'
import { useAssistants } from '../assistants/use-assistants.ts'
import { describeCreateError } from './describe-create-error.ts'
import { assistantOf, canHaveAssistant } from './phone-number-assistant.ts'
import { useAssignAssistant } from './phone-number-mutations.ts'

/**
 * The card's line about who answers the number, and the small picker that changes it in place. A number with
 * nobody to answer it says so plainly: its calls ring out.
 */
export function CardAssistant({ phoneNumber, displayName }: { phoneNumber: PhoneNumber; displayName: string }) {
  const ids = useId()
  const [isEditing, setIsEditing] = useState(false)
  const assign = useAssignAssistant()
  const assistants = useAssistants()
  const assistant = assistantOf(phoneNumber)
  // Members watch numbers; admins and owners choose who answers them (the server refuses the rest anyway).
  const mayAssign = usePermissions().can('numbers:write')
  if (!canHaveAssistant(phoneNumber)) return null

  const failure =
    assign.isError && assign.variables.phoneNumber.id === phoneNumber.id ? describeCreateError(assign.error) : null

  if (isEditing) {
    const pickerId = `${ids}-picker`
    const hintId = `${ids}-hint`
    return (
      <div className="card-assistant card-assistant-editing" data-testid="card-assistant">
        <label htmlFor={pickerId} className="card-assistant-label">
          Who answers {displayName}
        </label>
        <div className="card-assistant-picker">
          <AssistantCombobox
            id={pickerId}
            value={assistant?.id ?? null}
            {...(assistant ? { fallbackLabel: assistantLabel(assistant) } : {})}
            assistants={assistants.data?.items ?? []}
            describedBy={hintId}
            autoFocus
            onDismiss={() => setIsEditing(false)}
            onValueChange={(assistantId) => {
              setIsEditing(false)
              const chosen = assistants.data?.items.find((item) => item.id === assistantId) ?? null
              assign.mutate({ phoneNumber, assistant: chosen })
            }}
          />
          <button type="button" className="button button-small" onClick={() => setIsEditing(false)}>
            Cancel
          </button>
        </div>
        <p id={hintId} className="field-hint">
          {assistants.isPending
            ? 'Loading your assistants…'
            : assistants.isError
              ? `${assistants.error.message} Only “No assistant” can be chosen now.`
              : 'Pick one to save it; Escape cancels.'}
        </p>
      </div>
    )
  }

  return (
    <div className="card-assistant" data-testid="card-assistant" data-assistant-id={assistant?.id ?? ''}>
      {assistant !== null ? (
        <p className="card-assistant-name">
          Answered by <strong>{assistantLabel(assistant)}</strong>
        </p>
      ) : (
        <p className="card-assistant-none" data-testid="no-assistant">
          <span aria-hidden="true">⚠ </span>No assistant — calls go unanswered
        </p>
      )}
      {!mayAssign ? null : assign.isPending ? (
        <span className="card-assistant-saving" role="status">
          <span className="spinner" aria-hidden="true" /> Saving…
        </span>
      ) : (
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            assign.reset()
            setIsEditing(true)
          }}
          aria-label={`${assistant === null ? 'Choose an assistant' : 'Change the assistant'} for ${displayName}`}
        >
          {assistant === null ? 'Choose' : 'Change'}
        </button>
      )}
      {failure !== null && (
        <p className="card-assistant-error" role="alert">
          The assistant was not changed: {failure.message} {failure.nextStep}
        </p>
      )}
    </div>
  )
}
