import { useState } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { toast } from '../../lib/toast.tsx'
import type { CarrierName, ImportCarrierNumbersResult } from '@dialtone/shared/carriers'
import { applyPhoneNumberUpdate } from '../phone-numbers/phone-number-cache.ts'
import { carrierLabels, fetchCarrierNumbers, importCarrierNumbers } from './carriers-api.ts'
import { carrierQueryKeys } from './carrier-query-keys.ts'
import { CarrierError } from './describe-carrier-error.tsx'
import { countryName, formatCarrierNumber } from './format-carrier-number.ts'

/** The server takes at most this many numbers in one import. */
const maxPerImport = 20

/**
 * Numbers the organisation's carrier account already holds: those dialtone does not have yet can be chosen and
 * imported into Vapi together; each one's outcome is shown on its own line (one failure does not undo another).
 */
export function CarrierImportList({ carrier, assistantId }: { carrier: CarrierName; assistantId: string | null }) {
  const queryClient = useQueryClient()
  const label = carrierLabels[carrier]
  const owned = useQuery({
    queryKey: carrierQueryKeys.owned(carrier),
    queryFn: ({ signal }) => fetchCarrierNumbers(carrier, signal),
  })
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [result, setResult] = useState<ImportCarrierNumbersResult | null>(null)
  const importing = useMutation({
    mutationFn: (numbers: string[]) =>
      importCarrierNumbers({ carrier, numbers, ...(assistantId === null ? {} : { assistantId }) }),
    onSuccess: async (answer) => {
      for (const item of answer.items) if (item.phoneNumber) applyPhoneNumberUpdate(queryClient, item.phoneNumber)
      setResult(answer)
      setSelected(new Set())
      if (answer.imported > 0) toast.success(`${answer.imported} imported from ${label}`)
      await queryClient.invalidateQueries({ queryKey: carrierQueryKeys.owned(carrier) })
    },
  })

  if (owned.isPending) {
    return (
      <p aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Asking {label} for your numbers…
      </p>
    )
  }
  if (owned.isError) return <CarrierError error={owned.error} carrier={carrier} testId="carrier-import-error" />

  const importable = owned.data.items.filter((item) => !item.heldByDialtone)
  const toggle = (number: string, isOn: boolean) => {
    const next = new Set(selected)
    if (isOn) next.add(number)
    else next.delete(number)
    setSelected(next)
  }

  return (
    <div className="carrier-import">
      {owned.data.items.length === 0 ? (
        <p className="carrier-empty" data-testid="carrier-import-empty">
          Your {label} account holds no numbers yet. Search and buy one instead.
        </p>
      ) : (
        <>
          <p className="muted">
            {importable.length === 0
              ? `Every number in your ${label} account is already in dialtone.`
              : `${importable.length} of ${owned.data.items.length} numbers in your ${label} account are not in Vapi yet.`}
          </p>
          <ul
            className="carrier-results"
            aria-label={`Numbers in your ${label} account`}
            data-testid="carrier-owned-numbers"
          >
            {owned.data.items.map((item) => {
              const outcome = result?.items.find((line) => line.number === item.number)
              return (
                <li
                  key={item.carrierNumberId}
                  className="carrier-result carrier-owned"
                  data-testid="carrier-owned-number"
                  data-number={item.number}
                >
                  <label className="carrier-owned-choice">
                    <input
                      type="checkbox"
                      disabled={item.heldByDialtone || importing.isPending}
                      checked={selected.has(item.number)}
                      onChange={(event) => toggle(item.number, event.target.checked)}
                    />
                    <span className="carrier-result-number">{formatCarrierNumber(item.number)}</span>
                  </label>
                  <span className="muted">
                    {[item.friendlyName, item.country ? countryName(item.country) : null].filter(Boolean).join(' · ')}
                  </span>
                  {item.heldByDialtone && outcome?.outcome !== 'imported' && (
                    <span className="carrier-bought">Already in dialtone</span>
                  )}
                  {outcome && (
                    <span
                      className={outcome.outcome === 'imported' ? 'carrier-outcome-ok' : 'carrier-outcome-failed'}
                      data-testid="carrier-import-outcome"
                      data-outcome={outcome.outcome}
                      role="status"
                    >
                      {outcome.outcome === 'imported'
                        ? 'Imported into Vapi'
                        : `Not imported: ${outcome.error?.message ?? 'refused'} Nothing changed at ${label}.`}
                    </span>
                  )}
                </li>
              )
            })}
          </ul>
        </>
      )}
      <div className="carrier-search-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={selected.size === 0 || selected.size > maxPerImport || importing.isPending}
          onClick={() => importing.mutate([...selected])}
        >
          {importing.isPending && <span className="spinner" aria-hidden="true" />}
          {importing.isPending ? 'Importing…' : selected.size <= 1 ? 'Import' : `Import ${selected.size} numbers`}
        </button>
        {selected.size > maxPerImport && <span className="field-error">At most {maxPerImport} at a time.</span>}
        {result !== null && (
          <span className="muted" role="status" data-testid="carrier-import-summary">
            {result.imported} imported, {result.failed} not imported.
          </span>
        )}
      </div>
      {importing.isError && <CarrierError error={importing.error} carrier={carrier} testId="carrier-import-error" />}
    </div>
  )
}
