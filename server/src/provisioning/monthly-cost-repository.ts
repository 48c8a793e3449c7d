import type { MonthlyCost } from '@dialtone/shared/phone-number'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

/**
 * What the organisation's numbers (pending or live) cost a month: summed per currency in numeric arithmetic over the
 * prices the carriers gave, with numbers of unknown price counted apart (never added as 0) and Vapi's own numbers
 * counted as free.
 */
export async function monthlyCostOf(executor: Executor, organizationId: string): Promise<MonthlyCost> {
  const rows = await executor
    .selectFrom('phone_number')
    .select([
      'provider',
      'monthly_price_currency as currency',
      sql<string | null>`sum(monthly_price_amount::numeric)::text`.as('amount'),
      sql<string>`count(*)::int`.as('numbers'),
    ])
    .where('organization_id', '=', organizationId)
    .where('status', 'in', ['pending', 'active'])
    .groupBy(['provider', 'monthly_price_currency'])
    .execute()
  const totals = new Map<string, { amount: number; numbers: number; text: string[] }>()
  let priceUnknown = 0
  let freeVapiNumbers = 0
  for (const row of rows) {
    const numbers = Number(row.numbers)
    if (row.provider === 'vapi') freeVapiNumbers += numbers
    else if (row.currency === null || row.amount === null) priceUnknown += numbers
    else {
      const entry = totals.get(row.currency) ?? { amount: 0, numbers: 0, text: [] }
      entry.numbers += numbers
      entry.text.push(row.amount)
      totals.set(row.currency, entry)
    }
  }
  return {
    totals: [...totals.entries()]
      .map(([currency, entry]) => ({ currency, amount: addDecimals(entry.text), numbers: entry.numbers }))
      .sort((left, right) => left.currency.localeCompare(right.currency)),
    priceUnknown,
    freeVapiNumbers,
  }
}

/** Sums decimal strings exactly (Twilio and Telnyx give at most a few decimal places), without floats. */
export function addDecimals(values: readonly string[]): string {
  const scale = Math.max(0, ...values.map((value) => value.split('.')[1]?.length ?? 0))
  let sum = 0n
  for (const value of values) {
    const [whole = '0', fraction = ''] = value.replace(/^-/, '').split('.')
    const units = BigInt(whole + fraction.padEnd(scale, '0'))
    sum += value.startsWith('-') ? -units : units
  }
  const sign = sum < 0n ? '-' : ''
  const digits = (sum < 0n ? -sum : sum).toString().padStart(scale + 1, '0')
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`
}
