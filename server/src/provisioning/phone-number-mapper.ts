import type { PhoneNumber } from '@dialtone/shared/phone-number'
import type { PhoneNumberRow } from '../db/schema.ts'

function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString()
}

/** The UTC date of a moment, as calls_today_on stores it. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10)
}

/** A call that never said it ended stops showing as ringing or on a call after this long (call-events/). */
export const staleCallMs = 4 * 60 * 60 * 1000

export function toPhoneNumber(row: PhoneNumberRow, now: Date = new Date()): PhoneNumber {
  const isCallStale =
    row.call_state !== 'idle' &&
    row.call_started_at !== null &&
    now.getTime() - row.call_started_at.getTime() > staleCallMs
  return {
    id: row.id,
    vapiPhoneNumberId: row.vapi_phone_number_id,
    name: row.name,
    areaCode: row.area_code,
    number: row.number,
    status: row.status,
    failureReason: row.failure_reason,
    detectedBy: row.detected_by,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    activatedAt: iso(row.activated_at),
    updatedAt: row.updated_at.toISOString(),
    assistant: row.assistant_id === null ? null : { id: row.assistant_id, name: row.assistant_name },
    provider: row.provider,
    country: row.country,
    capabilities: row.capabilities,
    activity: {
      state: isCallStale ? 'idle' : row.call_state,
      callStartedAt: isCallStale ? null : iso(row.call_started_at),
      lastCallAt: iso(row.last_call_at),
      lastEndedReason: row.last_ended_reason,
      callsToday: row.calls_today_on === utcDay(now) ? row.calls_today : 0,
      answeredFirstCallAt: iso(row.answered_first_call_at),
      failing: row.call_failing,
    },
    monthlyPrice:
      row.monthly_price_amount === null || row.monthly_price_currency === null
        ? null
        : { amount: row.monthly_price_amount, currency: row.monthly_price_currency },
  }
}
