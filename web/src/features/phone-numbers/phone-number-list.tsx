import { lazy, Suspense, useCallback, useId, useMemo, useRef, useState } from 'react'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { useServerInfo } from '../server-info/use-server-info.ts'
import { describeCreateError } from './describe-create-error.ts'
import { countByStatus, filterPhoneNumbers, hideSettledNumbers, type StatusFilter } from './filter-phone-numbers.ts'
import { isBoolean, isStringList, storageKeys, useStoredState } from './number-view-preferences.ts'
import { PhoneNumberCard } from './phone-number-card.tsx'
import { BulkAssignBar } from './bulk-assign-bar.tsx'
import { canHaveAssistant } from './phone-number-assistant.ts'
import { useRefreshAllPending } from './phone-number-mutations.ts'
import { useProvisioningTiming, usePhoneNumbers } from './use-phone-numbers.ts'
import { MonthlyCostSummary } from './monthly-cost-summary.tsx'
import { useStatusTransitionNotices } from './use-status-transition-notices.ts'
import { useLinkedPhoneNumber } from './use-linked-phone-number.ts'

// Loaded the first time someone releases a number, then kept (so closing works as it always did).
const ReleaseDialog = lazy(() => import('./release-dialog.tsx').then((module) => ({ default: module.ReleaseDialog })))

const filters: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Provisioning' },
  { value: 'active', label: 'Live' },
  { value: 'failed', label: 'Failed' },
  { value: 'released', label: 'Released' },
]

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}

const isStatusFilter = (value: unknown): value is StatusFilter => filters.some((filter) => filter.value === value)
/** Enough for years of dismissals; the oldest are forgotten first. */
const maxRememberedDismissals = 500

export function PhoneNumberList() {
  const ids = useId()
  const list = usePhoneNumbers()
  const timing = useProvisioningTiming()
  const refreshAll = useRefreshAllPending()
  const serverInfo = useServerInfo()
  const [statusFilter, setStatusFilter] = useStoredState<StatusFilter>(storageKeys.statusFilter, 'all', isStatusFilter)
  const [hideFailedAndReleased, setHideFailedAndReleased] = useStoredState(storageKeys.hideFinished, false, isBoolean)
  const [dismissedIds, setDismissedIds] = useStoredState<string[]>(storageKeys.dismissed, [], isStringList)
  const [search, setSearch] = useState('')
  const [numberToRelease, setNumberToRelease] = useState<PhoneNumber | null>(null)
  const [hasReleased, setHasReleased] = useState(false)
  if (numberToRelease !== null && !hasReleased) setHasReleased(true)
  const [selectedIds, setSelectedIds] = useState<string[]>([])
  // A summary is true only while the pending count it reported holds; after that it goes away.
  const [refreshSummary, setRefreshSummary] = useState<{ text: string; pendingAfter: number | null } | null>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)

  const { phoneNumbers } = list
  useStatusTransitionNotices(phoneNumbers, list.isSuccess)
  useLinkedPhoneNumber(list.isSuccess)
  const counts = useMemo(() => countByStatus(phoneNumbers), [phoneNumbers])
  const { shown, hidden } = useMemo(
    () =>
      hideSettledNumbers(filterPhoneNumbers(phoneNumbers, statusFilter, search), statusFilter, {
        hideFailedAndReleased,
        dismissedIds: new Set(dismissedIds),
      }),
    [phoneNumbers, statusFilter, search, hideFailedAndReleased, dismissedIds],
  )
  // Only what is on screen and can take an assistant counts as selected: a number filtered away or released
  // meanwhile is left out of a bulk change.
  const selectable = useMemo(() => shown.filter(canHaveAssistant), [shown])
  const selected = useMemo(() => {
    const chosen = new Set(selectedIds)
    return selectable.filter((phoneNumber) => chosen.has(phoneNumber.id))
  }, [selectable, selectedIds])
  const selectedIdSet = useMemo(() => new Set(selected.map((phoneNumber) => phoneNumber.id)), [selected])
  const changeSelection = useCallback(
    (phoneNumber: PhoneNumber, isSelected: boolean) =>
      setSelectedIds((ids) =>
        isSelected
          ? [...ids.filter((id) => id !== phoneNumber.id), phoneNumber.id]
          : ids.filter((id) => id !== phoneNumber.id),
      ),
    [],
  )
  const typicalSecondsToLive = timing.data?.typicalSecondsToLive ?? null
  const deadlineSeconds = serverInfo.data?.provisioningDeadlineSeconds ?? null
  const shownSummary =
    refreshSummary !== null && (refreshSummary.pendingAfter === null || refreshSummary.pendingAfter === counts.pending)
      ? refreshSummary.text
      : ''

  const dismiss = useCallback(
    (phoneNumber: PhoneNumber) =>
      setDismissedIds(
        [...dismissedIds.filter((id) => id !== phoneNumber.id), phoneNumber.id].slice(-maxRememberedDismissals),
      ),
    [dismissedIds, setDismissedIds],
  )

  function showHidden() {
    setHideFailedAndReleased(false)
    setDismissedIds([])
  }

  /** After a release the Release button is gone: focus goes to the card, or to the list when the card is hidden. */
  function focusAfterRelease(released: PhoneNumber) {
    // The released card is drawn and the dialog closes in renders and effects whose order is not fixed (the dialog
    // hands focus back to its opener, the Release button that is gone by then): for a short while, whenever focus
    // is lost (on the page body, or still in the dialog), put it on the card. Never taken from anything else.
    const startedAt = performance.now()
    const settle = () => {
      const target =
        document.querySelector<HTMLElement>(`[data-phone-number-id="${released.id}"]`) ?? headingRef.current
      const active = document.activeElement
      const isLost = active === null || active === document.body || active.closest('dialog') !== null
      if (target && isLost) target.focus()
      if (performance.now() - startedAt < 750) window.setTimeout(settle, 50)
    }
    window.setTimeout(settle, 0)
  }

  function checkAllPending() {
    setRefreshSummary(null)
    refreshAll.mutate(undefined, {
      onSuccess: (result) => {
        const parts = [`${result.activated} went live`, `${result.stillPending} still provisioning`]
        if (result.failed > 0) parts.push(`${result.failed} failed`)
        setRefreshSummary({
          text: `Checked ${plural(result.checked, 'number', 'numbers')}: ${parts.join(', ')}.`,
          pendingAfter: result.stillPending,
        })
      },
      onError: (error) => {
        const explanation = describeCreateError(error)
        setRefreshSummary({ text: `${explanation.message} ${explanation.nextStep}`, pendingAfter: null })
      },
    })
  }

  return (
    <section className="panel numbers-panel" aria-labelledby={`${ids}-title`}>
      <div className="numbers-heading">
        <h2 id={`${ids}-title`} ref={headingRef} tabIndex={-1}>
          Your numbers
        </h2>
        <a className="button button-small jump-to-form" href="#get-a-number">
          Get another number
        </a>
        <button
          type="button"
          className="button"
          onClick={checkAllPending}
          disabled={refreshAll.isPending || counts.pending === 0}
          title={
            counts.pending === 0 ? 'No number is provisioning.' : 'Ask Vapi now about every number still provisioning.'
          }
        >
          {refreshAll.isPending && <span className="spinner" aria-hidden="true" />}
          {refreshAll.isPending ? 'Checking…' : 'Check all pending'}
        </button>
      </div>
      <MonthlyCostSummary />
      <p className="refresh-summary" role="status" aria-live="polite">
        {shownSummary}
      </p>

      <div className="numbers-toolbar">
        <div className="filter-group" role="group" aria-label="Show numbers by status">
          {filters.map((filter) => (
            <button
              key={filter.value}
              type="button"
              className="filter-button"
              aria-pressed={statusFilter === filter.value}
              onClick={() => setStatusFilter(filter.value)}
            >
              {filter.label} <span className="filter-count">{counts[filter.value]}</span>
            </button>
          ))}
        </div>
        <div className="search-field">
          <label htmlFor={`${ids}-search`} className="visually-hidden">
            Search by number or name
          </label>
          <input
            id={`${ids}-search`}
            type="search"
            placeholder="Search by number or name"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <label className="hide-settled">
          <input
            type="checkbox"
            checked={hideFailedAndReleased}
            onChange={(event) => setHideFailedAndReleased(event.target.checked)}
          />
          Hide failed and released
        </label>
      </div>
      {hidden > 0 && (
        <p className="hidden-summary" data-testid="hidden-summary">
          {plural(hidden, 'failed or released number is', 'failed or released numbers are')} hidden.{' '}
          <button type="button" className="link-button" onClick={showHidden}>
            Show them
          </button>
        </p>
      )}

      {list.isPending ? (
        <p className="list-message" role="status">
          <span className="spinner" aria-hidden="true" /> Loading your numbers…
        </p>
      ) : list.isError && phoneNumbers.length === 0 ? (
        <div className="list-message" role="alert">
          <p>{describeCreateError(list.error).message} Your numbers could not be loaded.</p>
          <button type="button" className="button" onClick={() => void list.refetch()}>
            Try again
          </button>
        </div>
      ) : phoneNumbers.length === 0 ? (
        <div className="empty-state" data-testid="empty-state">
          <p className="empty-title">No numbers yet</p>
          <p>
            A number is the phone line your Vapi voice agent answers: people call it, and the assistant connected to it
            in Vapi picks up.
          </p>
          <p className="muted">
            Pick an area code above (type a city or state to find one). Its card appears here at once and turns live by
            itself, usually within minutes: no need to reload. Once live, copy the number and give it out; calls reach
            your agent from then on. Release it here when you no longer need it.
          </p>
        </div>
      ) : shown.length === 0 ? (
        <p className="list-message">
          {hidden > 0 ? 'Every number here is hidden.' : 'No numbers match. Clear the search or pick another status.'}
        </p>
      ) : (
        <>
          <BulkAssignBar selectable={selectable} selected={selected} onSelectionChange={setSelectedIds} />
          <ul className="card-grid" aria-label="Phone numbers">
            {shown.map((phoneNumber) => (
              <li key={phoneNumber.id}>
                <PhoneNumberCard
                  phoneNumber={phoneNumber}
                  typicalSecondsToLive={typicalSecondsToLive}
                  deadlineSeconds={deadlineSeconds}
                  onRelease={setNumberToRelease}
                  onDismiss={dismiss}
                  {...(canHaveAssistant(phoneNumber)
                    ? { isSelected: selectedIdSet.has(phoneNumber.id), onSelectedChange: changeSelection }
                    : {})}
                />
              </li>
            ))}
          </ul>
        </>
      )}

      {list.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="button"
            onClick={() => void list.fetchNextPage()}
            disabled={list.isFetchingNextPage}
          >
            {list.isFetchingNextPage && <span className="spinner" aria-hidden="true" />}
            Show older numbers
          </button>
        </div>
      )}

      {hasReleased && (
        <Suspense fallback={null}>
          <ReleaseDialog
            phoneNumber={numberToRelease}
            onClose={() => setNumberToRelease(null)}
            onReleased={focusAfterRelease}
          />
        </Suspense>
      )}
    </section>
  )
}
