import { VapiNotFoundError } from '../vapi/vapi-errors.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { vapiOfOwner } from './vapi-account-of.ts'
import { claimDueOrphans, markOrphanAttemptFailed, markOrphanDeleted } from './vapi-orphan-repository.ts'

const maxBackoffMs = 10 * 60_000

/** Deletes, at Vapi, numbers whose rollback failed, until each is gone: nobody pays for a number nobody has. */
export async function retryVapiOrphans(deps: ProvisioningDeps): Promise<{ deleted: number; failed: number }> {
  const now = deps.clock.now()
  const due = await claimDueOrphans(deps.db, now, 20, 60_000)
  let deleted = 0
  let failed = 0
  for (const orphan of due) {
    try {
      const vapi = await vapiOfOwner(deps, orphan.organization_id, orphan.vapi_account)
      await vapi.deletePhoneNumber(orphan.vapi_phone_number_id)
      await markOrphanDeleted(deps.db, orphan.vapi_phone_number_id, deps.clock.now())
      deleted += 1
    } catch (error) {
      if (error instanceof VapiNotFoundError) {
        await markOrphanDeleted(deps.db, orphan.vapi_phone_number_id, deps.clock.now())
        deleted += 1
        continue
      }
      failed += 1
      const backoff = Math.min(maxBackoffMs, 5_000 * 2 ** orphan.attempts)
      await markOrphanAttemptFailed(deps.db, {
        vapiPhoneNumberId: orphan.vapi_phone_number_id,
        error: String(error).slice(0, 500),
        nextAttemptAt: new Date(deps.clock.now().getTime() + backoff),
      })
    }
  }
  return { deleted, failed }
}
