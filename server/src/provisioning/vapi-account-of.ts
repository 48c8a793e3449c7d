import type { VapiClient } from '../vapi/vapi-client.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'

/** The Vapi account new work of this organisation uses, and how a number bought with it names it. */
export async function vapiForNewWork(
  deps: Pick<ProvisioningDeps, 'vapi' | 'vapiAccounts'>,
  organizationId: string,
): Promise<{ ref: string | null; client: VapiClient }> {
  if (!deps.vapiAccounts) return { ref: null, client: deps.vapi }
  const account = await deps.vapiAccounts.current(organizationId)
  return { ref: account.ref, client: account.client }
}

/** The account that bought a number (attempt, orphan): the one to check, change and release it with. */
export async function vapiOfOwner(
  deps: Pick<ProvisioningDeps, 'vapi' | 'vapiAccounts'>,
  organizationId: string | null,
  vapiAccount: string | null,
): Promise<VapiClient> {
  return deps.vapiAccounts ? deps.vapiAccounts.owning(organizationId, vapiAccount) : deps.vapi
}
