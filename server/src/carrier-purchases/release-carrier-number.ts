import type { PhoneNumber } from '@dialtone/shared/phone-number'
import type { PhoneNumberRow } from '../db/schema.ts'
import { AppError } from '../lib/app-error.ts'
import { applyStatusSignal } from '../provisioning/apply-status-signal.ts'
import { toPhoneNumber } from '../provisioning/phone-number-mapper.ts'
import { findPhoneNumberOfOrganization } from '../provisioning/phone-number-repository.ts'
import { unauthorizedMessage } from '../provisioning/vapi-error-to-app-error.ts'
import { vapiOfOwner } from '../provisioning/vapi-account-of.ts'
import { VapiNotFoundError, VapiUnauthorizedError } from '../vapi/vapi-errors.ts'
import { advanceCarrierPurchase } from './advance-carrier-purchase.ts'
import { carrierLabel } from './carrier-error-to-app-error.ts'
import { leaseMsOf, sagaClaimOf, type CarrierPurchaseDeps } from './carrier-purchase-deps.ts'
import {
  changeCarrierPurchase,
  claimCarrierPurchase,
  findCarrierPurchaseOfPhoneNumber,
  releaseCarrierPurchaseLease,
} from './carrier-purchase-repository.ts'

/**
 * DELETE /api/phone-numbers/:id for a carrier number: deleted at Vapi first (when Vapi has it), then released at the
 * carrier if dialtone bought it there (a number the owner imported stays in their carrier account). The carrier's
 * release is part of the saga: if the carrier does not answer now, the worker retries it until it is done.
 */
export async function releaseCarrierNumber(
  deps: CarrierPurchaseDeps,
  input: { organizationId: string; phoneNumberId: string },
): Promise<PhoneNumber> {
  const row = await findPhoneNumberOfOrganization(deps.db, input.organizationId, input.phoneNumberId)
  if (!row) throw new AppError('NOT_FOUND', 'No such phone number.')
  if (row.status === 'released') return toPhoneNumber(row)
  const purchase = await findCarrierPurchaseOfPhoneNumber(deps.db, row.id)
  if (purchase && purchase.settled_at === null) {
    // A saga still running: it is taken over, unless it is waiting on a Telnyx order.
    const claimed = await claimCarrierPurchase(deps.db, purchase.id, sagaClaimOf(deps))
    if (!claimed) {
      throw new AppError('CONFLICT', 'This number is being bought right now; try releasing it again in a minute.')
    }
    if (claimed.step === 'ordered' || claimed.step === 'purchasing') {
      await releaseCarrierPurchaseLease(deps.db, claimed.id, deps.clock.now())
      throw new AppError(
        'CONFLICT',
        `${carrierLabel(claimed.carrier)} has not finished selling this number yet, so it cannot be released. Try again when its order completes.`,
      )
    }
    await deleteAtVapi(deps, row)
    const releasing = await changeCarrierPurchase(
      deps.db,
      claimed.id,
      { step: 'releasing', vapi_phone_number_id: null },
      { detail: 'released by the owner', at: deps.clock.now() },
    )
    await advanceCarrierPurchase(deps, releasing, { source: 'manual', isFresh: true })
  } else {
    await deleteAtVapi(deps, row)
    if (purchase && purchase.kind === 'buy' && purchase.step !== 'released') {
      // Reopened: the release at the carrier is a step of its saga, retried by the worker until done.
      const reopened = await changeCarrierPurchase(
        deps.db,
        purchase.id,
        {
          step: 'releasing',
          vapi_phone_number_id: null,
          settled_at: null,
          attempts: 0,
          next_attempt_at: new Date(deps.clock.now().getTime() + leaseMsOf(deps)),
        },
        { detail: 'released by the owner', at: deps.clock.now() },
      )
      const claimed = await claimCarrierPurchase(deps.db, reopened.id, sagaClaimOf(deps))
      if (claimed) await advanceCarrierPurchase(deps, claimed, { source: 'manual', isFresh: true })
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

async function deleteAtVapi(deps: CarrierPurchaseDeps, row: PhoneNumberRow): Promise<void> {
  if (row.vapi_phone_number_id === null) return
  const vapi = await vapiOfOwner(deps, row.organization_id, row.vapi_account)
  try {
    await vapi.deletePhoneNumber(row.vapi_phone_number_id, { organizationId: row.organization_id })
  } catch (error) {
    if (error instanceof VapiUnauthorizedError) {
      throw new AppError('VAPI_UNAUTHORIZED', unauthorizedMessage('the number was not released'))
    }
    if (!(error instanceof VapiNotFoundError)) {
      throw new AppError(
        'VAPI_UNAVAILABLE',
        'Vapi did not answer, so the number was not released and is still yours. Try again in a minute.',
        undefined,
        30,
      )
    }
  }
}
