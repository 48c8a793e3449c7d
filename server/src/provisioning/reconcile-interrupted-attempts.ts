import { findPhoneNumberByVapiId } from './phone-number-repository.ts'
import { listUnreconciledAttempts, settleAttempt } from './provisioning-attempt-repository.ts'
import { recordOrphan } from './vapi-orphan-repository.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'

/** Long enough that no live request can still be waiting on Vapi (the client's timeout is far shorter). */
export const settleDelayMs = 2 * 60_000
const lookbackMs = 24 * 60 * 60_000

function attemptIdOf(serverUrl: string | undefined | null): string | null {
  if (!serverUrl) return null
  try {
    return new URL(serverUrl).searchParams.get('attempt')
  } catch {
    return null
  }
}

/**
 * Finds numbers bought by attempts whose outcome was never known: the process died between Vapi's answer and
 * the commit, or Vapi timed out after creating the number. Each such number carries its attempt id in
 * server.url; one that dialtone never stored is deleted at Vapi (or queued for deletion), so nobody pays for a
 * number nobody knows about. Attempts that bought nothing are closed as errors.
 */
export async function reconcileInterruptedAttempts(
  deps: ProvisioningDeps,
  options: { settleMs: number } = { settleMs: settleDelayMs },
): Promise<{ checked: number; released: number }> {
  const now = deps.clock.now()
  const attempts = await listUnreconciledAttempts(deps.db, {
    requestedBefore: new Date(now.getTime() - options.settleMs),
    requestedAfter: new Date(now.getTime() - lookbackMs),
    limit: 100,
  })
  if (attempts.length === 0) return { checked: 0, released: 0 }

  const earliest = attempts[0]?.requested_at ?? now
  const atVapi = await deps.vapi.listPhoneNumbers({
    limit: 1000,
    createdAtGt: new Date(earliest.getTime() - 60_000).toISOString(),
  })
  const boughtByAttempt = new Map<string, string>()
  for (const phoneNumber of atVapi) {
    const attemptId = attemptIdOf(phoneNumber.server?.url)
    if (attemptId) boughtByAttempt.set(attemptId, phoneNumber.id)
  }

  let released = 0
  for (const attempt of attempts) {
    const vapiPhoneNumberId = boughtByAttempt.get(attempt.id)
    const stored = vapiPhoneNumberId ? await findPhoneNumberByVapiId(deps.db, vapiPhoneNumberId) : undefined
    if (vapiPhoneNumberId && !stored) {
      await recordOrphan(deps.db, {
        vapiPhoneNumberId,
        reason: `bought by attempt ${attempt.id} whose outcome was never recorded`,
        lastError: null,
        now,
      })
      released += 1
    }
    await settleAttempt(deps.db, attempt.id, {
      reconciled_at: now,
      ...(vapiPhoneNumberId && !stored
        ? { outcome: 'rolled_back', failure_code: 'rolled_back', vapi_phone_number_id: vapiPhoneNumberId }
        : attempt.outcome === 'in_flight'
          ? {
              outcome: 'error',
              failure_code: 'vapi_unavailable',
              failure_message: 'interrupted before Vapi answered',
            }
          : {}),
    })
  }
  deps.logger.info({ checked: attempts.length, released }, 'reconciled interrupted provisioning attempts')
  return { checked: attempts.length, released }
}
