import type { CarrierAccounts } from '../connections/carrier-accounts.ts'
import type { ProvisioningDeps } from '../provisioning/provisioning-deps.ts'

/** What the carrier-number use cases receive: provisioning's deps and the organisations' carrier accounts. */
export interface CarrierPurchaseDeps extends ProvisioningDeps {
  carrierAccounts: CarrierAccounts
  /** How long whoever advances a saga holds it before another process may take it over. Default 60 s. */
  purchaseLeaseMs?: number
  /** How soon a pending Telnyx order is looked up when no webhook said it completed. Default 15 s. */
  orderCheckMs?: number
  /** Told when a saga became due (a webhook arrived): the worker looks sooner. */
  onPurchaseDue?: () => void
}

export const defaultPurchaseLeaseMs = 60_000
export const defaultOrderCheckMs = 15_000
/** How long the saga keeps retrying a step that fails for a passing reason before it gives up and rolls back. */
export const purchaseGiveUpMs = 24 * 60 * 60_000

export const leaseMsOf = (deps: CarrierPurchaseDeps) => deps.purchaseLeaseMs ?? defaultPurchaseLeaseMs

/** What a claim on a saga is made of: from now, for the lease, held by this process (when it has an id). */
export interface SagaClaim {
  now: Date
  leaseMs: number
  processId?: string
}

export const sagaClaimOf = (deps: CarrierPurchaseDeps): SagaClaim => ({
  now: deps.clock.now(),
  leaseMs: leaseMsOf(deps),
  ...(deps.processId === undefined ? {} : { processId: deps.processId }),
})

/** The wait before the next try of a step that failed for a passing reason: 2 s doubling, at most 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5 * 60_000, 2_000 * 2 ** Math.min(attempts, 10))
}
