import { webhookEventTypes, type WebhookEndpointWithSecret } from '@dialtone/shared/webhook-endpoints'
import { AppError } from '../lib/app-error.ts'
import { hostOf, resolveAllowedAddresses } from './address-policy.ts'
import type { OutboundWebhookDeps } from './outbound-webhook-deps.ts'
import { generateSigningSecret } from './sign-webhook.ts'
import { toWebhookEndpoint } from './webhook-endpoint-mapper.ts'
import { countWebhookEndpoints, insertWebhookEndpoint } from './webhook-endpoint-repository.ts'

/** Enough for every environment an organisation runs; a runaway script should not fan one event out a thousand times. */
export const maxEndpointsPerOrganization = 20

/** Refuses a URL dialtone may not send to: credentials in it, or a host that resolves to a non-public address. */
export async function checkEndpointUrl(deps: Pick<OutboundWebhookDeps, 'addressPolicy'>, raw: string): Promise<string> {
  const url = new URL(raw)
  if (url.username || url.password) {
    throw new AppError('VALIDATION_FAILED', 'url: leave credentials out of the URL; verify the signature instead.')
  }
  try {
    await resolveAllowedAddresses(hostOf(url), deps.addressPolicy)
  } catch (error) {
    const reason = error instanceof Error && error.name === 'AddressNotAllowedError' ? error.message : null
    throw new AppError('VALIDATION_FAILED', `url: ${reason ?? `dialtone could not resolve ${url.hostname}.`}`)
  }
  return url.toString()
}

/** A new endpoint with a fresh signing secret; the answer is the only time the secret is shown. */
export async function registerWebhookEndpoint(
  deps: OutboundWebhookDeps,
  input: { organizationId: string; url: string; events?: string[] | undefined },
): Promise<WebhookEndpointWithSecret> {
  const url = await checkEndpointUrl(deps, input.url)
  if ((await countWebhookEndpoints(deps.db, input.organizationId)) >= maxEndpointsPerOrganization) {
    throw new AppError('CONFLICT', `An organisation can have at most ${maxEndpointsPerOrganization} webhook endpoints.`)
  }
  const secret = generateSigningSecret()
  const now = deps.clock.now()
  const row = await insertWebhookEndpoint(deps.db, {
    organizationId: input.organizationId,
    url,
    events: input.events ?? [...webhookEventTypes],
    secretCiphertext: deps.secretBox.seal(secret),
    now,
  })
  return { ...toWebhookEndpoint(row, now), secret }
}
