import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { AppError } from '../lib/app-error.ts'
import { VapiNotFoundError, VapiUnauthorizedError } from '../vapi/vapi-errors.ts'
import { applyStatusSignal } from './apply-status-signal.ts'
import { toPhoneNumber } from './phone-number-mapper.ts'
import { findPhoneNumberOfOrganization } from './phone-number-repository.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { notAtVapiYet, unauthorizedMessage } from './vapi-error-to-app-error.ts'
import { vapiOfOwner } from './vapi-account-of.ts'

/** Gives the number back to Vapi first, then records it released: dialtone never claims a release Vapi did not make. */
export async function releasePhoneNumber(
  deps: ProvisioningDeps,
  input: { organizationId: string; phoneNumberId: string },
): Promise<PhoneNumber> {
  const row = await findPhoneNumberOfOrganization(deps.db, input.organizationId, input.phoneNumberId)
  if (!row) throw new AppError('NOT_FOUND', 'No such phone number.')
  if (row.status === 'released') return toPhoneNumber(row)
  // The account that bought it, whatever the organisation's key is now; a disconnected one is a clear 409.
  if (row.vapi_phone_number_id === null) throw notAtVapiYet('released')
  const vapi = await vapiOfOwner(deps, row.organization_id, row.vapi_account)
  try {
    await vapi.deletePhoneNumber(row.vapi_phone_number_id, { organizationId: row.organization_id })
  } catch (error) {
    if (error instanceof VapiUnauthorizedError) {
      throw new AppError('VAPI_UNAUTHORIZED', unauthorizedMessage('the number was not released'))
    }
    // Already gone at Vapi: releasing it here only catches up with the facts.
    if (!(error instanceof VapiNotFoundError)) {
      throw new AppError(
        'VAPI_UNAVAILABLE',
        'Vapi did not answer, so the number was not released and is still yours. Try again in a minute.',
        undefined,
        30,
      )
    }
  }
  const transition = await applyStatusSignal(deps, {
    phoneNumberId: row.id,
    signal: { kind: 'released' },
    source: 'release',
  })
  if (transition) return toPhoneNumber(transition.row)
  const current = await findPhoneNumberOfOrganization(deps.db, input.organizationId, input.phoneNumberId)
  if (!current) throw new AppError('NOT_FOUND', 'No such phone number.')
  return toPhoneNumber(current)
}
