import type { PhoneNumber, RefreshAllResult } from '@dialtone/shared/phone-number'
import type { PhoneNumberRow } from '../db/schema.ts'
import { AppError } from '../lib/app-error.ts'
import { VapiRateLimitedError, VapiUnauthorizedError } from '../vapi/vapi-errors.ts'
import { checkPhoneNumberAtVapi } from './check-phone-number-at-vapi.ts'
import { toPhoneNumber } from './phone-number-mapper.ts'
import { findPhoneNumberOfOrganization, listPendingPhoneNumbersOfOrganization } from './phone-number-repository.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { unauthorizedMessage } from './vapi-error-to-app-error.ts'

const refreshAllConcurrency = 4

function vapiTroubleToAppError(error: unknown): never {
  if (error instanceof AppError) throw error
  if (error instanceof VapiRateLimitedError) {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 10_000) / 1000))
    throw new AppError('VAPI_RATE_LIMITED', `Vapi is busy; check again in ${seconds} seconds.`, undefined, seconds)
  }
  if (error instanceof VapiUnauthorizedError) {
    throw new AppError('VAPI_UNAUTHORIZED', unauthorizedMessage('the number could not be checked'))
  }
  throw new AppError(
    'VAPI_UNAVAILABLE',
    'Vapi did not answer, so the number could not be checked. dialtone keeps checking on its own.',
    undefined,
    30,
  )
}

/** "Check now": ask Vapi about one number at once. Numbers that are not pending are answered as they are. */
export async function refreshPhoneNumber(
  deps: ProvisioningDeps,
  input: { organizationId: string; phoneNumberId: string },
): Promise<PhoneNumber> {
  const row = await findPhoneNumberOfOrganization(deps.db, input.organizationId, input.phoneNumberId)
  if (!row) throw new AppError('NOT_FOUND', 'No such phone number.')
  if (row.status !== 'pending') return toPhoneNumber(row)
  try {
    const { transition } = await checkPhoneNumberAtVapi(deps, row, 'manual', 'interactive')
    if (transition) return toPhoneNumber(transition.row)
  } catch (error) {
    vapiTroubleToAppError(error)
  }
  const current = await findPhoneNumberOfOrganization(deps.db, input.organizationId, input.phoneNumberId)
  if (!current) throw new AppError('NOT_FOUND', 'No such phone number.')
  return toPhoneNumber(current)
}

/** "Check all pending": every pending number of the organisation, a few at a time so Vapi is not flooded. */
export async function refreshPendingPhoneNumbers(
  deps: ProvisioningDeps,
  input: { organizationId: string },
): Promise<RefreshAllResult> {
  const pending = await listPendingPhoneNumbersOfOrganization(deps.db, input.organizationId)
  const result: RefreshAllResult = { checked: 0, activated: 0, stillPending: 0, failed: 0 }
  let firstError: unknown = null
  // A carrier number not in Vapi yet is its saga's to move (decision 0014), not Vapi's to check: still pending.
  const queue: PhoneNumberRow[] = pending.filter((row) => row.vapi_phone_number_id !== null)
  result.stillPending += pending.length - queue.length
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      try {
        const { signal, transition } = await checkPhoneNumberAtVapi(deps, row, 'manual')
        result.checked += 1
        const status = transition?.row.status ?? (signal.kind === 'still-pending' ? 'pending' : null)
        if (status === 'active') result.activated += 1
        else if (status === 'failed') result.failed += 1
        else result.stillPending += 1
      } catch (error) {
        firstError ??= error
        result.stillPending += 1
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(refreshAllConcurrency, queue.length) }, worker))
  if (result.checked === 0 && firstError !== null) vapiTroubleToAppError(firstError)
  return result
}
