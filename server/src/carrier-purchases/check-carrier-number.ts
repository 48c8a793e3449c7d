import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { AppError } from '../lib/app-error.ts'
import { toPhoneNumber } from '../provisioning/phone-number-mapper.ts'
import { findPhoneNumberOfOrganization } from '../provisioning/phone-number-repository.ts'
import { advanceCarrierPurchase } from './advance-carrier-purchase.ts'
import { sagaClaimOf, type CarrierPurchaseDeps } from './carrier-purchase-deps.ts'
import { claimCarrierPurchase, findCarrierPurchaseOfPhoneNumber } from './carrier-purchase-repository.ts'

/**
 * "Check now" on a carrier number that is not in Vapi yet: its saga is moved on at once (a pending Telnyx order is
 * asked for, a waiting import tried again) instead of waiting for the worker. If someone else is moving it right
 * now, the card is answered as it is.
 */
export async function checkCarrierNumber(
  deps: CarrierPurchaseDeps,
  input: { organizationId: string; phoneNumberId: string },
): Promise<PhoneNumber> {
  const row = await findPhoneNumberOfOrganization(deps.db, input.organizationId, input.phoneNumberId)
  if (!row) throw new AppError('NOT_FOUND', 'No such phone number.')
  const purchase = row.status === 'pending' ? await findCarrierPurchaseOfPhoneNumber(deps.db, row.id) : undefined
  if (purchase && purchase.settled_at === null) {
    const claimed = await claimCarrierPurchase(deps.db, purchase.id, sagaClaimOf(deps))
    if (claimed) await advanceCarrierPurchase(deps, claimed, { source: 'manual' })
  }
  const current = await findPhoneNumberOfOrganization(deps.db, input.organizationId, input.phoneNumberId)
  if (!current) throw new AppError('NOT_FOUND', 'No such phone number.')
  return toPhoneNumber(current)
}
