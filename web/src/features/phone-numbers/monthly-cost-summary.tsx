import type { MonthlyCost } from '@dialtone/shared/phone-number'
import { formatMonthlyPrice } from '../../lib/format-monthly-price.ts'
import { plural } from './plural.ts'
import { useMonthlyCost } from './use-phone-numbers.ts'

/** "$3.45/mo for 3 numbers · 1 price unknown · 2 free Vapi numbers": each currency apart, unknown never as 0. */
export function describeMonthlyCost(cost: MonthlyCost): string[] {
  const parts = cost.totals.map(
    (total) => `${formatMonthlyPrice(total)} for ${plural(total.numbers, 'number', 'numbers')}`,
  )
  if (cost.priceUnknown > 0) parts.push(`${plural(cost.priceUnknown, 'number', 'numbers')} of unknown price`)
  if (cost.freeVapiNumbers > 0) parts.push(plural(cost.freeVapiNumbers, 'free Vapi number', 'free Vapi numbers'))
  return parts
}

/** The organisation's monthly total under the list's heading; nothing while there is no number to pay for. */
export function MonthlyCostSummary() {
  const cost = useMonthlyCost()
  if (!cost.data) return null
  const parts = describeMonthlyCost(cost.data)
  if (parts.length === 0) return null
  return (
    <p className="monthly-cost muted" data-testid="monthly-cost">
      Monthly cost: {parts.join(' · ')}
    </p>
  )
}
