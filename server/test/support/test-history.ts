import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { AttemptOutcome, Database } from '../../src/db/schema.ts'

/** One provisioning attempt of a synthetic history, with the number it bought (if any). */
export interface HistoryAttempt {
  organizationId: string
  areaCode: string
  requestedAt: Date
  outcome: AttemptOutcome
  failureCode?: string
  phoneNumber?: {
    status: 'pending' | 'active' | 'failed' | 'released'
    /** Set when the number went live. */
    millisecondsToLive?: number
    failureCode?: string
    detectedBy?: 'webhook' | 'poll' | 'manual'
  }
}

export async function insertOrganizations(
  db: Kysely<Database>,
  organizations: readonly { id: string; name: string }[],
): Promise<void> {
  await db
    .insertInto('organization')
    .values(organizations.map((organization) => ({ ...organization, slug: organization.id })))
    .execute()
}

/** Inserts the attempts and their numbers directly, as the provisioning code would have left them; returns the attempts' ids. */
export async function insertHistory(db: Kysely<Database>, attempts: readonly HistoryAttempt[]): Promise<string[]> {
  const rows = attempts.map((attempt, index) => ({
    attempt,
    index,
    phoneNumberId: attempt.phoneNumber ? randomUUID() : null,
  }))
  const numbers = rows.flatMap(({ attempt, index, phoneNumberId }) => {
    const number = attempt.phoneNumber
    if (!number || !phoneNumberId) return []
    const activatedAt =
      number.millisecondsToLive === undefined
        ? null
        : new Date(attempt.requestedAt.getTime() + number.millisecondsToLive)
    return [
      {
        id: phoneNumberId,
        organization_id: attempt.organizationId,
        vapi_phone_number_id: `vapi-${phoneNumberId}`,
        name: null,
        area_code: attempt.areaCode,
        number: activatedAt ? `+1${attempt.areaCode}555${String(index).padStart(4, '0')}` : null,
        status: number.status,
        failure_code: number.failureCode ?? null,
        failure_reason: null,
        detected_by: number.detectedBy ?? null,
        created_at: attempt.requestedAt,
        activated_at: activatedAt,
        released_at: null,
        updated_at: activatedAt ?? attempt.requestedAt,
        next_check_at: null,
      },
    ]
  })
  if (numbers.length > 0) await db.insertInto('phone_number').values(numbers).execute()
  const attemptIds = rows.map(() => randomUUID())
  await db
    .insertInto('provisioning_attempt')
    .values(
      rows.map(({ attempt, phoneNumberId }, index) => ({
        id: attemptIds[index],
        organization_id: attempt.organizationId,
        phone_number_id: phoneNumberId,
        vapi_phone_number_id: null,
        area_code: attempt.areaCode,
        outcome: attempt.outcome,
        failure_code: attempt.failureCode ?? null,
        failure_message: null,
        vapi_status_code: null,
        requested_at: attempt.requestedAt,
        responded_at: attempt.outcome === 'in_flight' ? null : attempt.requestedAt,
        duration_ms: null,
      })),
    )
    .execute()
  return attemptIds
}
