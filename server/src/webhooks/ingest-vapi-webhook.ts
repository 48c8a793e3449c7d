import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { PhoneNumberRow } from '../db/schema.ts'
import { publishTransition } from '../provisioning/apply-status-signal.ts'
import { checkPhoneNumberAtVapi } from '../provisioning/check-phone-number-at-vapi.ts'
import { findPhoneNumberByVapiId } from '../provisioning/phone-number-repository.ts'
import type { ProvisioningDeps } from '../provisioning/provisioning-deps.ts'
import { canTransition, signalFromVapi, targetStatusOf } from '../provisioning/status-machine.ts'
import { recordDeliveryAndTransition, type Transition } from '../provisioning/transition-phone-number.ts'

// Vapi's server-message envelope. Only what dialtone acts on is required; everything else is kept as sent.
const envelopeSchema = z.looseObject({
  message: z.looseObject({
    type: z.string().min(1).max(200),
    timestamp: z.union([z.number(), z.string()]).optional(),
    phoneNumber: z
      .looseObject({
        id: z.string().min(1).max(200),
        status: z.string().max(100).nullish(),
        number: z.string().max(40).nullish(),
      })
      .nullish(),
  }),
})

export class MalformedWebhookError extends Error {
  override name = 'MalformedWebhookError'
}

export type WebhookOutcome = 'transitioned' | 'unchanged' | 'checking' | 'not-ours' | 'ignored' | 'duplicate'

export function deliveryIdOf(messageIdHeader: string | null, rawBody: Uint8Array): string {
  const given = messageIdHeader?.trim()
  if (given && given.length <= 200) return `id:${given}`
  return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`
}

/** Longest a webhook about a number still being stored waits for the purchase to be recorded. */
export const purchaseWaitMs = 3_000

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

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
  if (!uuidPattern.test(attemptId)) return undefined
  const giveUpAt = performance.now() + purchaseWaitMs
  for (;;) {
    const attempt = await deps.db
      .selectFrom('provisioning_attempt')
      .select('outcome')
      .where('id', '=', attemptId)
      .executeTakeFirst()
    const ours = await findPhoneNumberByVapiId(deps.db, vapiPhoneNumberId)
    if (ours || attempt?.outcome !== 'in_flight' || performance.now() >= giveUpAt) return ours
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
  input: { rawBody: Uint8Array; messageId: string | null; attemptId?: string | null },
): Promise<{ outcome: WebhookOutcome; deliveryId: string }> {
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(input.rawBody))
  } catch {
    throw new MalformedWebhookError('The body is not JSON.')
  }
  const envelope = envelopeSchema.safeParse(parsed)
  if (!envelope.success) throw new MalformedWebhookError('Expected Vapi’s envelope: { "message": { "type": … } }.')

  const { message } = envelope.data
  const deliveryId = deliveryIdOf(input.messageId, input.rawBody)
  const vapiPhoneNumber = message.phoneNumber ?? null
  let ours = vapiPhoneNumber ? await findPhoneNumberByVapiId(deps.db, vapiPhoneNumber.id) : undefined
  if (vapiPhoneNumber && !ours && input.attemptId) {
    ours = await waitForPurchaseToBeStored(deps, input.attemptId, vapiPhoneNumber.id)
  }
  const signal = vapiPhoneNumber ? signalFromVapi(vapiPhoneNumber) : null

  // What this delivery is expected to do, recorded with it so the table says what each one did. A signal whose
  // target the number's status (read above) does not allow can never apply later either (statuses only move
  // forward), so it is 'unchanged' without trying; otherwise the transition is tried and, in the rare race where
  // something else got there first, the recorded outcome corrected.
  const target = signal ? targetStatusOf(signal) : null
  const expectedOutcome: WebhookOutcome = !vapiPhoneNumber
    ? 'ignored'
    : !ours
      ? 'not-ours'
      : target === null
        ? ours.status === 'pending'
          ? 'checking'
          : 'unchanged'
        : canTransition(ours.status, target)
          ? 'transitioned'
          : 'unchanged'

  const now = deps.clock.now()
  const delivery = {
    delivery_id: deliveryId,
    message_type: message.type,
    vapi_phone_number_id: vapiPhoneNumber?.id ?? null,
    phone_number_id: ours?.id ?? null,
    outcome: expectedOutcome,
    // Only what dialtone acts on. Vapi also posts call messages (transcripts, reports) to a number's server
    // URL; those are acknowledged, never kept.
    payload: JSON.stringify({
      message: { type: message.type, timestamp: message.timestamp, phoneNumber: message.phoneNumber },
    }),
    received_at: now,
  }

  // One statement either way, so the delivery row and the change it brings commit together or not at all.
  let result: { outcome: WebhookOutcome; transition: Transition | null }
  if (expectedOutcome === 'transitioned' && ours && signal) {
    const recorded = await recordDeliveryAndTransition(deps.db, {
      phoneNumberId: ours.id,
      signal,
      source: 'webhook',
      now,
      delivery,
    })
    if (!recorded.isNewDelivery) result = { outcome: 'duplicate', transition: null }
    else if (recorded.transition) result = { outcome: 'transitioned', transition: recorded.transition }
    else {
      // Something else changed the number between our read and this statement: say what this delivery did.
      await deps.db
        .updateTable('webhook_delivery')
        .set({ outcome: 'unchanged' })
        .where('delivery_id', '=', deliveryId)
        .execute()
      result = { outcome: 'unchanged', transition: null }
    }
  } else {
    const recorded = await deps.db
      .insertInto('webhook_delivery')
      .values(delivery)
      .onConflict((conflict) => conflict.column('delivery_id').doNothing())
      .returning('delivery_id')
      .executeTakeFirst()
    result = { outcome: recorded ? expectedOutcome : 'duplicate', transition: null }
  }

  if (result.transition) publishTransition(deps, result.transition)
  if (result.outcome === 'checking' && ours) {
    // The message names one of our pending numbers but not its number: ask Vapi now rather than wait for the poller.
    void checkPhoneNumberAtVapi(deps, ours, 'webhook').catch((error: unknown) =>
      deps.logger.warn({ err: error, phoneNumberId: ours.id }, 'check after webhook failed; the poller will retry'),
    )
  }
  return { outcome: result.outcome, deliveryId }
}
