import type { AssistantList } from '@dialtone/shared/assistants'
import { AppError } from '../lib/app-error.ts'
import { VapiRateLimitedError, VapiUnauthorizedError } from '../vapi/vapi-errors.ts'
import type { VapiAccounts } from './vapi-accounts.ts'

const cacheMs = 15_000

/**
 * GET /api/assistants: the assistants of the organisation's Vapi account, cached a few seconds per account so a
 * dashboard opening several forms asks Vapi once.
 */
export function createAssistantLister(accounts: VapiAccounts, now: () => number = Date.now) {
  const cache = new Map<string, { at: number; list: AssistantList }>()
  return async function listAssistants(organizationId: string): Promise<AssistantList> {
    const account = await accounts.current(organizationId)
    const cached = cache.get(account.ref)
    if (cached && now() - cached.at < cacheMs) return cached.list
    try {
      const assistants = await account.client.listAssistants(
        { limit: 1000 },
        { organizationId, priority: 'interactive' },
      )
      const list = { items: assistants.map((assistant) => ({ id: assistant.id, name: assistant.name ?? null })) }
      cache.set(account.ref, { at: now(), list })
      return list
    } catch (error) {
      if (error instanceof VapiUnauthorizedError) {
        throw new AppError(
          'VAPI_UNAUTHORIZED',
          'Vapi refused the key this organisation uses, so its assistants could not be listed. Connect a valid private key in Settings → Vapi.',
        )
      }
      if (error instanceof VapiRateLimitedError) {
        const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 10_000) / 1000))
        throw new AppError('VAPI_RATE_LIMITED', `Vapi is busy; try again in ${seconds} seconds.`, undefined, seconds)
      }
      throw new AppError(
        'VAPI_UNAVAILABLE',
        'Vapi did not answer, so the assistants could not be listed. Try again in a minute.',
        undefined,
        30,
      )
    }
  }
}
