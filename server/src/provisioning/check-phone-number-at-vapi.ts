import type { SignalSource } from '@dialtone/shared/phone-number'
import type { PhoneNumberRow } from '../db/schema.ts'
import { VapiNotFoundError } from '../vapi/vapi-errors.ts'
import { applyStatusSignal } from './apply-status-signal.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { deadlineExceededSignal, deletedAtVapiSignal, signalFromVapi, type StatusSignal } from './status-machine.ts'
import type { Transition } from './phone-number-transition-repository.ts'

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
  row: Pick<PhoneNumberRow, 'id' | 'vapi_phone_number_id' | 'created_at'>,
  source: SignalSource,
): Promise<CheckResult> {
  let signal: StatusSignal
  try {
    signal = signalFromVapi(await deps.vapi.getPhoneNumber(row.vapi_phone_number_id))
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
