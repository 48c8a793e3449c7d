import type { WebhookEndpointWithSecret } from '@dialtone/shared/webhook-endpoints'
import { AppError } from '../lib/app-error.ts'
import type { OutboundWebhookDeps } from './outbound-webhook-deps.ts'
import { generateSigningSecret } from './sign-webhook.ts'
import { toWebhookEndpoint } from './webhook-endpoint-mapper.ts'
import { rotateWebhookEndpointSecret } from './webhook-endpoint-repository.ts'

/** How long deliveries stay signed with the old secret too, so receivers can switch without dropping any. */
export const previousSecretGraceMs = 24 * 60 * 60 * 1_000

export async function rotateSecretOfEndpoint(
  deps: OutboundWebhookDeps,
  input: { organizationId: string; endpointId: string },
): Promise<WebhookEndpointWithSecret> {
  const secret = generateSigningSecret()
  const now = deps.clock.now()
  const row = await rotateWebhookEndpointSecret(deps.db, {
    organizationId: input.organizationId,
    id: input.endpointId,
    secretCiphertext: deps.secretBox.seal(secret),
    previousExpiresAt: new Date(now.getTime() + previousSecretGraceMs),
  })
  if (!row) throw new AppError('NOT_FOUND', 'No such webhook endpoint.')
  return { ...toWebhookEndpoint(row, now), secret }
}
