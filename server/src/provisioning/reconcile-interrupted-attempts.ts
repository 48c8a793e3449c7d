import { findPhoneNumberByVapiId } from './phone-number-repository.ts'
import { listUnreconciledAttempts, settleAttempt } from './provisioning-attempt-repository.ts'
import { recordOrphan } from './vapi-orphan-repository.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { vapiOfOwner } from './vapi-account-of.ts'
import type { VapiPhoneNumber } from '../vapi/vapi-schemas.ts'

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

  // Each Vapi account is asked about its own attempts, with its own key (the one that made the purchase).
  const byAccount = new Map<string, typeof attempts>()
  for (const attempt of attempts) {
    const group = `${attempt.organization_id} ${attempt.vapi_account ?? ''}`
    byAccount.set(group, [...(byAccount.get(group) ?? []), attempt])
  }
  let released = 0
  let checked = 0
  for (const group of byAccount.values()) {
    const first = group[0]
    if (!first) continue
    let vapi
    try {
      vapi = await vapiOfOwner(deps, first.organization_id, first.vapi_account)
    } catch (error) {
      // A disconnected account: its attempts wait until it is connected again (nothing is deleted blind).
      deps.logger.warn({ err: error, organizationId: first.organization_id }, 'cannot reconcile attempts of an account')
      continue
    }
    const atVapi = await vapi.listPhoneNumbers({
      limit: 1000,
      createdAtGt: new Date(first.requested_at.getTime() - 60_000).toISOString(),
    })
    released += await reconcileGroup(deps, group, atVapi, now)
    checked += group.length
  }
  deps.logger.info({ checked, released }, 'reconciled interrupted provisioning attempts')
  return { checked, released }
}

type UnreconciledAttempt = Awaited<ReturnType<typeof listUnreconciledAttempts>>[number]

/** How long after an attempt started a number created without an attempt tag may still be its purchase. */
const untaggedWindowMs = 60_000

/**
 * Finds each attempt's number among one account's numbers. A number bought in sandbox mode carries its attempt id
 * in server.url. Against real Vapi dialtone no longer sets server.url (decision 0010), so an attempt's number is
 * the one number of its area code created within a minute of it, with no server URL, that dialtone does not
 * hold; with two such candidates nothing is deleted (it could be one the business bought itself).
 */
async function reconcileGroup(
  deps: ProvisioningDeps,
  attempts: UnreconciledAttempt[],
  atVapi: VapiPhoneNumber[],
  now: Date,
): Promise<number> {
  const boughtByAttempt = new Map<string, string>()
  for (const phoneNumber of atVapi) {
    const attemptId = attemptIdOf(phoneNumber.server?.url)
    if (attemptId) boughtByAttempt.set(attemptId, phoneNumber.id)
  }
  const claimed = new Set(boughtByAttempt.values())
  for (const attempt of attempts) {
    if (boughtByAttempt.has(attempt.id)) continue
    const from = attempt.requested_at.getTime() - 5_000
    const candidates = atVapi.filter((phoneNumber) => {
      const createdAt = Date.parse(phoneNumber.createdAt)
      return (
        !claimed.has(phoneNumber.id) &&
        !phoneNumber.server?.url &&
        phoneNumber.numberDesiredAreaCode === attempt.area_code &&
        createdAt >= from &&
        createdAt <= from + untaggedWindowMs
      )
    })
    const candidate = candidates.length === 1 ? candidates[0] : undefined
    if (candidate && !(await findPhoneNumberByVapiId(deps.db, candidate.id))) {
      boughtByAttempt.set(attempt.id, candidate.id)
      claimed.add(candidate.id)
    }
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
        organizationId: attempt.organization_id,
        vapiAccount: attempt.vapi_account,
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
  return released
}
