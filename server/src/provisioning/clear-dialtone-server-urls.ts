import type { ProvisioningDeps } from './provisioning-deps.ts'
import { listNumbersHeldAtVapi } from './phone-number-repository.ts'
import { vapiOfOwner } from './vapi-account-of.ts'

export interface ServerUrlChange {
  phoneNumberId: string
  vapiPhoneNumberId: string
  organizationId: string
  number: string | null
  serverUrl: string | null
  action: 'cleared' | 'would-clear' | 'kept' | 'error'
  detail?: string
}

/** True when `url` is dialtone's webhook, with or without the `?attempt=` tag purchases added. */
export function isDialtoneWebhookUrl(url: string | null | undefined, webhookUrl: string): boolean {
  if (!url) return false
  try {
    const parsed = new URL(url)
    const ours = new URL(webhookUrl)
    return parsed.origin === ours.origin && parsed.pathname === ours.pathname
  } catch {
    return false
  }
}

/**
 * `pnpm vapi:clear-server-urls`: numbers dialtone bought while it still set their server.url to its own webhook
 * keep sending the business's call events (and `assistant-request`) to dialtone. For each number dialtone holds,
 * with the account that bought it, this reads the number at Vapi and, where server.url is dialtone's webhook and
 * only then, clears it (`apply`), so Vapi falls back to the assistant's or the organisation's server URL.
 * Without `apply` it only says what it would change.
 */
export async function clearDialtoneServerUrls(
  deps: Pick<ProvisioningDeps, 'db' | 'vapi' | 'vapiAccounts' | 'webhookUrl' | 'logger'>,
  options: { apply: boolean },
): Promise<ServerUrlChange[]> {
  const changes: ServerUrlChange[] = []
  for (const row of await listNumbersHeldAtVapi(deps.db)) {
    const vapiPhoneNumberId = row.vapi_phone_number_id
    if (vapiPhoneNumberId === null) continue // still at its carrier: Vapi has no routing of ours for it
    const base = {
      phoneNumberId: row.id,
      vapiPhoneNumberId,
      organizationId: row.organization_id,
      number: row.number,
    }
    try {
      const vapi = await vapiOfOwner(deps, row.organization_id, row.vapi_account)
      const atVapi = await vapi.getPhoneNumber(vapiPhoneNumberId, { organizationId: row.organization_id })
      const serverUrl = atVapi.server?.url ?? null
      if (!isDialtoneWebhookUrl(serverUrl, deps.webhookUrl)) {
        changes.push({ ...base, serverUrl, action: 'kept' })
        continue
      }
      if (!options.apply) {
        changes.push({ ...base, serverUrl, action: 'would-clear' })
        continue
      }
      const after = await vapi.updatePhoneNumber(
        vapiPhoneNumberId,
        { server: 'clear' },
        { organizationId: row.organization_id, priority: 'background' },
      )
      const isCleared = !isDialtoneWebhookUrl(after.server?.url, deps.webhookUrl)
      changes.push({
        ...base,
        serverUrl,
        action: isCleared ? 'cleared' : 'error',
        ...(isCleared ? {} : { detail: 'Vapi still answers the old server.url' }),
      })
    } catch (error) {
      changes.push({
        ...base,
        serverUrl: null,
        action: 'error',
        detail: error instanceof Error ? error.message : String(error),
      })
    }
  }
  return changes
}
