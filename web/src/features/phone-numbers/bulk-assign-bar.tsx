import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { AssistantCombobox, noAssistantLabel } from '../assistants/assistant-combobox.tsx'
import { useAssistants } from '../assistants/use-assistants.ts'
import { plural } from './plural.ts'
import { useBulkAssign } from './use-bulk-assign.ts'

// What an assignment did appears only after one: its code loads then.
const BulkOutcome = lazy(() => import('./bulk-outcome.tsx').then((module) => ({ default: module.BulkOutcome })))

/**
 * Above the cards: "select all", and once numbers are selected, one assistant for all of them. The outcome
 * stays on screen (how many changed, and each refusal with its number) until the owner closes it.
 */
export function BulkAssignBar({
  selectable,
  selected,
  onSelectionChange,
}: {
  /** The numbers shown that can take an assistant. */
  selectable: readonly PhoneNumber[]
  selected: readonly PhoneNumber[]
  onSelectionChange: (ids: string[]) => void
}) {
  const ids = useId()
  const assistants = useAssistants()
  const { assignment, assign, dismiss } = useBulkAssign()
  const [assistantId, setAssistantId] = useState<string | null>(null)
  const selectAllRef = useRef<HTMLInputElement>(null)
  const isAllSelected = selectable.length > 0 && selected.length === selectable.length
  const isSomeSelected = selected.length > 0 && !isAllSelected
  const isRunning = assignment?.isRunning ?? false

  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = isSomeSelected
  }, [isSomeSelected])

  if (selectable.length === 0 && assignment === null) return null

  async function handleAssign() {
    const assistant = assistants.data?.items.find((item) => item.id === assistantId) ?? null
    const targets = [...selected]
    await assign(targets, assistant)
    onSelectionChange([])
  }

  const pickerId = `${ids}-assistant`
  const warningId = `${ids}-warning`
  return (
    <div
      className="bulk-bar"
      role="region"
      aria-label="Change several numbers at once"
      data-testid="bulk-assign"
      data-active={selected.length > 0 || assignment !== null}
    >
      <div className="bulk-bar-row">
        <label className="bulk-select-all">
          <input
            ref={selectAllRef}
            type="checkbox"
            checked={isAllSelected}
            disabled={isRunning || selectable.length === 0}
            onChange={(event) => onSelectionChange(event.target.checked ? selectable.map((item) => item.id) : [])}
          />
          Select all
        </label>
        <span className="bulk-count" aria-live="polite">
          {selected.length > 0 ? `${plural(selected.length, 'number', 'numbers')} selected` : ''}
        </span>
        {selected.length > 0 && (
          <>
            <div className="bulk-picker">
              <label htmlFor={pickerId}>Assistant</label>
              <AssistantCombobox
                id={pickerId}
                value={assistantId}
                onValueChange={setAssistantId}
                assistants={assistants.data?.items ?? []}
                describedBy={assistantId === null ? warningId : undefined}
                isDisabled={isRunning}
              />
            </div>
            <button
              type="button"
              className="button button-primary"
              onClick={() => void handleAssign()}
              disabled={isRunning}
            >
              {isRunning && <span className="spinner" aria-hidden="true" />}
              Assign to {plural(selected.length, 'number', 'numbers')}
            </button>
            <button
              type="button"
              className="button button-quiet button-small"
              onClick={() => onSelectionChange([])}
              disabled={isRunning}
            >
              Clear selection
            </button>
          </>
        )}
      </div>
      {selected.length > 0 && assistantId === null && (
        <p id={warningId} className="assistant-warning">
          {noAssistantLabel}: calls to the selected numbers will go unanswered.
        </p>
      )}
      {assignment !== null && (
        <Suspense fallback={null}>
          <BulkOutcome assignment={assignment} onDismiss={dismiss} />
        </Suspense>
      )}
    </div>
  )
}
