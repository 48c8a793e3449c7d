import type { SignalSource } from '@dialtone/shared/phone-number'
import { toPhoneNumber } from './phone-number-mapper.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import type { StatusSignal } from './status-machine.ts'
import { transitionPhoneNumber, type Transition } from './phone-number-transition-repository.ts'

/** Applies one signal (one statement, so its own transaction) and tells browsers after the commit. */
export async function applyStatusSignal(
  deps: Pick<ProvisioningDeps, 'db' | 'publisher' | 'clock'>,
  input: { phoneNumberId: string; signal: StatusSignal; source: SignalSource | 'release' },
): Promise<Transition | null> {
  const transition = await transitionPhoneNumber(deps.db, { ...input, now: deps.clock.now() })
  if (transition) publishTransition(deps, transition)
  return transition
}

export function publishTransition(deps: Pick<ProvisioningDeps, 'publisher'>, transition: Transition): void {
  deps.publisher.phoneNumberUpdated(transition.row.organization_id, toPhoneNumber(transition.row))
}
