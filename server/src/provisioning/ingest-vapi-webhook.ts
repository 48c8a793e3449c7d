import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database, PhoneNumberRow } from '../db/schema.ts'
import { createStatementGroup, groupPerKey } from '../lib/statement-group.ts'
import { isUuid } from '../lib/is-uuid.ts'
import { parseVapiWebhook, type VapiWebhookMessage } from '../vapi/vapi-webhook-envelope.ts'
import { publishTransition } from './apply-status-signal.ts'
import { checkPhoneNumberAtVapi } from './check-phone-number-at-vapi.ts'
import { findPhoneNumberByVapiId, findPhoneNumbersByVapiIds } from './phone-number-repository.ts'
import { findAttemptOutcome } from './provisioning-attempt-repository.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { signalFromVapi, targetStatusOf } from './status-machine.ts'
import { deliveryBatcherOf } from './webhook-delivery-batcher.ts'
import type { NewWebhookDelivery, WebhookOutcome } from './webhook-delivery-repository.ts'

export type { WebhookOutcome } from './webhook-delivery-repository.ts'

export function deliveryIdOf(messageIdHeader: string | null, rawBody: Uint8Array): string {
  const given = messageIdHeader?.trim()
  if (given && given.length <= 200) return `id:${given}`
  return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`
}

/** Webhooks arriving together look their numbers up in one statement (lib/statement-group.ts). */
const phoneNumberLookupsOf = groupPerKey((db: Kysely<Database>) =>
  createStatementGroup((vapiPhoneNumberIds: string[]) => findPhoneNumbersByVapiIds(db, vapiPhoneNumberIds)),
)

/** Longest a webhook about a number still being stored waits for the purchase to be recorded. */
export const purchaseWaitMs = 3_000

/**
 * Vapi may assign a number, and say so, before dialtone has stored it: its answer to the purchase and its webhook
 * race. The webhook URL names the purchase attempt (?attempt=…), so while that attempt is in flight the number is
 * about to be ours: wait for the purchase to be recorded instead of filing the news as someone else's and losing it.
 * The attempt's outcome and the number's row commit together, so once the attempt is settled the row is visible.
 */
async function waitForPurchaseToBeStored(
  deps: Pick<ProvisioningDeps, 'db'>,
  attemptId: string,
  vapiPhoneNumberId: string,
): Promise<PhoneNumberRow | undefined> {
  if (!isUuid(attemptId)) return undefined
  const giveUpAt = performance.now() + purchaseWaitMs
  for (;;) {
    const outcome = await findAttemptOutcome(deps.db, attemptId)
    const ours = await findPhoneNumberByVapiId(deps.db, vapiPhoneNumberId)
    if (ours || outcome !== 'in_flight' || performance.now() >= giveUpAt) return ours
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * Verify (done by the caller), parse, de-duplicate, then act. The delivery row and the transition commit
 * together under the delivery id's unique key, so a delivery repeated — at once, after a restart, or to
 * another process — changes nothing twice.
 */
export async function ingestVapiWebhook(
  deps: ProvisioningDeps,
  input: {
    rawBody: Uint8Array
    messageId: string | null
    attemptId?: string | null
    /** A message processed again from the inbound log keeps the delivery id it first had (its body is redacted). */
    deliveryId?: string | null
    /** The body already parsed by the caller (handle-vapi-message.ts), so it is not parsed twice. */
    message?: VapiWebhookMessage
  },
): Promise<{ outcome: WebhookOutcome; deliveryId: string }> {
  const message = input.message ?? parseVapiWebhook(input.rawBody)
  const deliveryId = input.deliveryId ?? deliveryIdOf(input.messageId, input.rawBody)
  const vapiPhoneNumber = message.phoneNumber ?? null
  let ours = vapiPhoneNumber ? await phoneNumberLookupsOf(deps.db).run(vapiPhoneNumber.id) : undefined
  if (vapiPhoneNumber && !ours && input.attemptId) {
    ours = await waitForPurchaseToBeStored(deps, input.attemptId, vapiPhoneNumber.id)
  }

  const now = deps.clock.now()
  const delivery: NewWebhookDelivery = {
    delivery_id: deliveryId,
    message_type: message.type,
    vapi_phone_number_id: vapiPhoneNumber?.id ?? null,
    phone_number_id: ours?.id ?? null,
    // Only what dialtone acts on. Vapi also posts call messages (transcripts, reports) to a number's server
    // URL; those are acknowledged, never kept.
    payload: JSON.stringify({
      message: { type: message.type, timestamp: message.timestamp, phoneNumber: message.phoneNumber },
    }),
    received_at: now,
  }

  // One statement either way, so the delivery row and the change it brings commit together or not at all. A
  // signal that moves a number is tried, and the statement that tries it records what it did; one that moves
  // nothing is recorded with what it is.
  const signal = vapiPhoneNumber ? signalFromVapi(vapiPhoneNumber) : null
  const to = signal ? targetStatusOf(signal) : null
  // Written by the group commit (webhook-delivery-batcher.ts): answered only after its own row has committed.
  const { outcome, transition } = await deliveryBatcherOf(deps.db).record(
    ours && signal && to
      ? { ...delivery, transition: { phoneNumberId: ours.id, signal, to, source: 'webhook', now } }
      : {
          ...delivery,
          outcome: !vapiPhoneNumber
            ? 'ignored'
            : !ours
              ? 'not-ours'
              : ours.status === 'pending'
                ? 'checking'
                : 'unchanged',
        },
  )
  if (transition) publishTransition(deps, transition)
  if (outcome === 'checking' && ours) {
    // The message names one of our pending numbers but not its number: ask Vapi now rather than wait for the poller.
    void checkPhoneNumberAtVapi(deps, ours, 'webhook').catch((error: unknown) =>
      deps.logger.warn({ err: error, phoneNumberId: ours.id }, 'check after webhook failed; the poller will retry'),
    )
  }
  return { outcome, deliveryId }
}
