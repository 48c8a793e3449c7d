import type { PhoneNumber } from '@dialtone/shared/phone-number'
import type { PhoneNumberRow } from '../db/schema.ts'

function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString()
}

export function toPhoneNumber(row: PhoneNumberRow): PhoneNumber {
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
  }
}
