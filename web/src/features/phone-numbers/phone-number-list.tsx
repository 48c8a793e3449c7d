import { useId, useMemo, useState } from 'react'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { describeCreateError } from './describe-create-error.ts'
import { countByStatus, filterPhoneNumbers, type StatusFilter } from './filter-phone-numbers.ts'
import { PhoneNumberCard } from './phone-number-card.tsx'
import { useRefreshAllPending } from './phone-number-mutations.ts'
import { ReleaseDialog } from './release-dialog.tsx'
import { useProvisioningTiming, usePhoneNumbers } from './use-phone-numbers.ts'
import { useStatusTransitionNotices } from './use-status-transition-notices.ts'
import { useLinkedPhoneNumber } from './use-linked-phone-number.ts'

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

export function PhoneNumberList() {
  const ids = useId()
  const list = usePhoneNumbers()
  const timing = useProvisioningTiming()
  const refreshAll = useRefreshAllPending()
  const [statusFilter, setStatusFilter] = useState<StatusFilter>('all')
  const [search, setSearch] = useState('')
  const [numberToRelease, setNumberToRelease] = useState<PhoneNumber | null>(null)
  const [refreshSummary, setRefreshSummary] = useState('')

  const { phoneNumbers } = list
  useStatusTransitionNotices(phoneNumbers, list.isSuccess)
  useLinkedPhoneNumber(list.isSuccess)
  const counts = useMemo(() => countByStatus(phoneNumbers), [phoneNumbers])
  const shown = useMemo(
    () => filterPhoneNumbers(phoneNumbers, statusFilter, search),
    [phoneNumbers, statusFilter, search],
  )
  const typicalSecondsToLive = timing.data?.typicalSecondsToLive ?? null

  function checkAllPending() {
    setRefreshSummary('')
    refreshAll.mutate(undefined, {
      onSuccess: (result) => {
        const parts = [`${result.activated} went live`, `${result.stillPending} still provisioning`]
        if (result.failed > 0) parts.push(`${result.failed} failed`)
        setRefreshSummary(`Checked ${plural(result.checked, 'number', 'numbers')}: ${parts.join(', ')}.`)
      },
      onError: (error) => {
        const explanation = describeCreateError(error)
        setRefreshSummary(`${explanation.message} ${explanation.nextStep}`)
      },
    })
  }

  return (
    <section className="panel numbers-panel" aria-labelledby={`${ids}-title`}>
      <div className="numbers-heading">
        <h2 id={`${ids}-title`}>Your numbers</h2>
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
      <p className="refresh-summary" role="status" aria-live="polite">
        {refreshSummary}
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
      </div>

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
          <p className="muted">
            Pick an area code above. Its card appears here at once and turns live by itself: no need to reload.
          </p>
        </div>
      ) : shown.length === 0 ? (
        <p className="list-message">No numbers match. Clear the search or pick another status.</p>
      ) : (
        <ul className="card-grid" aria-label="Phone numbers">
          {shown.map((phoneNumber) => (
            <li key={phoneNumber.id}>
              <PhoneNumberCard
                phoneNumber={phoneNumber}
                typicalSecondsToLive={typicalSecondsToLive}
                onRelease={setNumberToRelease}
              />
            </li>
          ))}
        </ul>
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

      <ReleaseDialog phoneNumber={numberToRelease} onClose={() => setNumberToRelease(null)} />
    </section>
  )
}
