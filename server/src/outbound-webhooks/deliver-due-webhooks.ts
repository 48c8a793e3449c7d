import { webhookEventTypeSchema, type WebhookPayload } from '@dialtone/shared/webhook-endpoints'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { toPhoneNumber } from '../provisioning/phone-number-mapper.ts'
import type { OutboundWebhookDeps } from './outbound-webhook-deps.ts'
import { postWebhook, type PostWebhookOptions } from './post-webhook.ts'
import { signWebhook, webhookIdOf } from './sign-webhook.ts'
import { claimDueDeliveries, recordAttempt, type ClaimedDelivery } from './webhook-endpoint-repository.ts'

const second = 1_000
const minute = 60 * second
const hour = 60 * minute

/** Svix's schedule: the delay before each attempt, the first one immediate. Eight attempts over about 28 hours. */
export const standardRetryScheduleMs = [
  0,
  5 * second,
  5 * minute,
  30 * minute,
  2 * hour,
  5 * hour,
  10 * hour,
  10 * hour,
]

export interface DeliveryRoundOptions {
  batchSize: number
  /** A claim is nobody else's for this long; longer than a whole send can take (timeoutMs), so never shared. */
  leaseMs: number
  /** Sends in flight at once. */
  concurrency: number
  retryScheduleMs: number[]
  request: Omit<PostWebhookOptions, keyof OutboundWebhookDeps['addressPolicy']>
}

export const defaultDeliveryRoundOptions: DeliveryRoundOptions = {
  batchSize: 20,
  leaseMs: 60_000,
  concurrency: 5,
  retryScheduleMs: standardRetryScheduleMs,
  request: { timeoutMs: 10_000, maxResponseBytes: 64 * 1024, excerptChars: 500 },
}

export interface DeliveryRoundResult {
  claimed: number
  succeeded: number
  failed: number
}

/** The body every attempt of a delivery sends: the event as it happened, the number as the API shows it. */
export function payloadOf(claim: ClaimedDelivery): string {
  const payload: WebhookPayload<PhoneNumber> = {
    type: webhookEventTypeSchema.parse(claim.event_type),
    timestamp: claim.occurred_at.toISOString(),
    data: toPhoneNumber(claim),
  }
  return JSON.stringify(payload)
}

function signingSecrets(deps: OutboundWebhookDeps, claim: ClaimedDelivery, now: Date): string[] {
  const secrets = [deps.secretBox.open(claim.secret_ciphertext)]
  if (claim.previous_secret_ciphertext && claim.previous_secret_expires_at && claim.previous_secret_expires_at > now) {
    secrets.push(deps.secretBox.open(claim.previous_secret_ciphertext))
  }
  return secrets
}

async function attemptDelivery(deps: OutboundWebhookDeps, claim: ClaimedDelivery, options: DeliveryRoundOptions) {
  const attemptedAt = deps.clock.now()
  const body = payloadOf(claim)
  const headers = signWebhook({
    webhookId: webhookIdOf(claim.delivery_id),
    sentAt: attemptedAt,
    body,
    secrets: signingSecrets(deps, claim, attemptedAt),
  })
  const result = await postWebhook(claim.endpoint_url, headers, body, { ...options.request, ...deps.addressPolicy })
  const attemptNumber = claim.attempt_count + 1
  const attemptsAllowed = claim.attempts_allowed ?? options.retryScheduleMs.length
  const delayMs = options.retryScheduleMs[attemptNumber]
  const hasMore = !result.isSuccess && attemptNumber < attemptsAllowed && delayMs !== undefined
  await recordAttempt(deps.db, claim, {
    attemptedAt,
    responseStatus: result.status,
    latencyMs: result.latencyMs,
    responseExcerpt: result.excerpt,
    isSuccess: result.isSuccess,
    nextAttemptAt: hasMore ? new Date(deps.clock.now().getTime() + delayMs) : null,
    isScheduleExhausted: !result.isSuccess && !hasMore && claim.attempts_allowed === null,
  })
  return result.isSuccess
}

/** One round: claim what is due, send each (a few at a time), record every attempt and what follows from it. */
export async function deliverDueWebhooks(
  deps: OutboundWebhookDeps,
  options: DeliveryRoundOptions = defaultDeliveryRoundOptions,
): Promise<DeliveryRoundResult> {
  const claimed = await claimDueDeliveries(deps.db, {
    now: deps.clock.now(),
    batchSize: options.batchSize,
    leaseMs: options.leaseMs,
    ...(deps.processId ? { processId: deps.processId } : {}),
  })
  const result: DeliveryRoundResult = { claimed: claimed.length, succeeded: 0, failed: 0 }
  const queue = [...claimed]
  const work = async () => {
    for (let claim = queue.shift(); claim; claim = queue.shift()) {
      try {
        if (await attemptDelivery(deps, claim, options)) result.succeeded += 1
        else result.failed += 1
      } catch (error) {
        // The database went away mid-round: the claim's lease runs out and the delivery is tried again.
        result.failed += 1
        deps.logger.warn({ err: error, deliveryId: claim.delivery_id }, 'recording a webhook attempt failed')
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, work))
  return result
}
