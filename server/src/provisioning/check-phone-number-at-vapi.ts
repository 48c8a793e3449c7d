import type { SignalSource } from '@dialtone/shared/phone-number'
import type { PhoneNumberRow } from '../db/schema.ts'
import { VapiNotFoundError } from '../vapi/vapi-errors.ts'
import type { VapiCallPriority } from '../vapi/vapi-rate-limiter.ts'
import { applyStatusSignal } from './apply-status-signal.ts'
import { vapiOfOwner } from './vapi-account-of.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { deadlineExceededSignal, deletedAtVapiSignal, signalFromVapi, type StatusSignal } from './status-machine.ts'
import type { Transition } from './phone-number-transition-repository.ts'
import { notAtVapiYet } from './vapi-error-to-app-error.ts'

export interface CheckResult {
  signal: StatusSignal
  transition: Transition | null
}

/**
 * Asks Vapi about one pending number and applies what it says. Shared by the poller, "check now" and webhooks
 * whose payload lacks the number, so all three reach the same conclusion from the same facts.
 * Vapi errors other than 404 propagate: the caller decides whether to retry later or report.
 */
export async function checkPhoneNumberAtVapi(
  deps: ProvisioningDeps,
  row: Pick<PhoneNumberRow, 'id' | 'organization_id' | 'vapi_phone_number_id' | 'created_at' | 'vapi_account'>,
  source: SignalSource,
  /** A person waiting on one card is 'interactive'; the poller and bulk checks wait behind them. */
  priority: VapiCallPriority = 'background',
): Promise<CheckResult> {
  let signal: StatusSignal
  const vapiPhoneNumberId = row.vapi_phone_number_id
  if (vapiPhoneNumberId === null) throw notAtVapiYet('checked at Vapi')
  // Outside the try: a disconnected account is the caller's error to report, never "deleted at Vapi".
  const vapi = await vapiOfOwner(deps, row.organization_id, row.vapi_account)
  try {
    const call = { organizationId: row.organization_id, priority }
    signal = signalFromVapi(await vapi.getPhoneNumber(vapiPhoneNumberId, call))
  } catch (error) {
    if (!(error instanceof VapiNotFoundError)) throw error
    signal = deletedAtVapiSignal
  }
  if (signal.kind === 'still-pending' && deps.clock.now().getTime() - row.created_at.getTime() >= deps.deadlineMs) {
    signal = deadlineExceededSignal(deps.deadlineMs)
  }
  const transition = await applyStatusSignal(deps, { phoneNumberId: row.id, signal, source })
  return { signal, transition }
}
