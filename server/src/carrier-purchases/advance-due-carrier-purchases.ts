import { advanceCarrierPurchase } from './advance-carrier-purchase.ts'
import { sagaClaimOf, type CarrierPurchaseDeps } from './carrier-purchase-deps.ts'
import { claimDueCarrierPurchases, releaseCarrierPurchaseLease } from './carrier-purchase-repository.ts'

/**
 * The worker's round over carrier sagas that are due: a pending Telnyx order to look up (its webhook may be lost),
 * a step to retry, or a saga whose holder died (its lease ran out: a crashed request or process). Run at start and
 * on every worker round, by any number of processes (the claim skips what another holds).
 */
export async function advanceDueCarrierPurchases(
  deps: CarrierPurchaseDeps,
  options: { limit: number } = { limit: 20 },
): Promise<{ claimed: number; settled: number }> {
  const due = await claimDueCarrierPurchases(deps.db, {
    ...sagaClaimOf(deps),
    limit: options.limit,
  })
  let settled = 0
  for (const purchase of due) {
    try {
      const result = await advanceCarrierPurchase(deps, purchase, { source: 'poll' })
      if (result.purchase.settled_at !== null) settled += 1
    } catch (error) {
      deps.logger.warn({ err: error, purchaseId: purchase.id }, 'carrier purchase round failed; tried again later')
      await releaseCarrierPurchaseLease(deps.db, purchase.id, new Date(deps.clock.now().getTime() + 30_000)).catch(
        () => {},
      )
    }
  }
  return { claimed: due.length, settled }
}
