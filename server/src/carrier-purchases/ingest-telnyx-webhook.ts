import { z } from 'zod'
import {
  isTelnyxPublicKey,
  parseTelnyxWebhookEvent,
  verifyTelnyxWebhook,
  type TelnyxWebhookEvent,
} from '../carriers/verify-telnyx-webhook.ts'
import { advanceCarrierPurchase } from './advance-carrier-purchase.ts'
import { sagaClaimOf, type CarrierPurchaseDeps } from './carrier-purchase-deps.ts'
import {
  claimCarrierPurchase,
  findCarrierPurchase,
  findCarrierPurchaseByOrder,
  makeCarrierPurchaseDue,
  recordCarrierWebhookEvent,
} from './carrier-purchase-repository.ts'

export interface TelnyxWebhookDeps extends CarrierPurchaseDeps {
  /** TELNYX_PUBLIC_KEY (the sandbox's in sandbox mode): the deployment's Telnyx account. */
  telnyxPublicKey: string | null
}

export type TelnyxWebhookAnswer =
  | { status: 200; outcome: 'accepted' | 'duplicate' | 'ignored' | 'unknown-order'; purchaseId?: string }
  | { status: 400 | 401; reason: string }

/** Only to choose which organisation's public key to verify with; nothing unverified is acted on. */
const orderIdPeekSchema = z.looseObject({
  data: z.looseObject({ payload: z.looseObject({ id: z.string() }).nullish() }),
})

function peekOrderId(rawBody: string): string | null {
  try {
    const parsed = orderIdPeekSchema.safeParse(JSON.parse(rawBody))
    return parsed.success ? (parsed.data.data.payload?.id ?? null) : null
  } catch {
    return null
  }
}

/**
 * POST /webhooks/telnyx: Telnyx's signed `number_order.complete` (Ed25519 over "{timestamp}|{raw body}"). Verified
 * with the deployment's key, else with the public key of the organisation whose order it names; then recorded once
 * by its event id (a retry is a duplicate), the saga made due, and the answer given. The saga is advanced after the
 * answer: if this process dies first, the recorded event and the due saga are the worker's.
 */
export async function ingestTelnyxWebhook(
  deps: TelnyxWebhookDeps,
  input: { rawBody: string; signature: string | undefined; timestamp: string | undefined },
): Promise<{ answer: TelnyxWebhookAnswer; advance?: () => Promise<void> }> {
  const verdict = await verify(deps, input)
  if (verdict !== 'ok') return { answer: { status: 401, reason: verdict } }
  const event = parseTelnyxWebhookEvent(input.rawBody)
  if (!event) return { answer: { status: 400, reason: 'not a Telnyx event envelope' } }
  const at = deps.clock.now()
  const order = event.numberOrder
  const purchase = order ? await findCarrierPurchaseByOrder(deps.db, 'telnyx', order.id) : undefined
  const outcome = !order ? 'ignored' : purchase ? 'accepted' : 'unknown-order'
  const isNew = await recordCarrierWebhookEvent(deps.db, {
    eventId: event.id,
    carrier: 'telnyx',
    eventType: event.eventType,
    orderId: order?.id ?? null,
    outcome,
    payload: input.rawBody,
    at,
  })
  if (!isNew) return { answer: { status: 200, outcome: 'duplicate' } }
  if (!purchase || !order) return { answer: { status: 200, outcome } }
  await makeCarrierPurchaseDue(deps.db, purchase.id, at)
  return {
    answer: { status: 200, outcome: 'accepted', purchaseId: purchase.id },
    advance: () => advanceAfterWebhook(deps, purchase.id, event),
  }
}

/** 'ok', or why no key verified the delivery. */
async function verify(
  deps: TelnyxWebhookDeps,
  input: { rawBody: string; signature: string | undefined; timestamp: string | undefined },
): Promise<string> {
  const nowMs = deps.clock.now().getTime()
  const attempt = (publicKey: string) =>
    verifyTelnyxWebhook({
      rawBody: input.rawBody,
      signature: input.signature,
      timestamp: input.timestamp,
      publicKey,
      nowMs,
    })
  let reason = 'no public key is configured (TELNYX_PUBLIC_KEY, or one on the organisation’s Telnyx connection)'
  if (deps.telnyxPublicKey && isTelnyxPublicKey(deps.telnyxPublicKey)) {
    const verdict = attempt(deps.telnyxPublicKey)
    if (verdict.ok) return 'ok'
    reason = verdict.reason
    if (verdict.reason !== 'bad-signature') return reason
  }
  const orderId = peekOrderId(input.rawBody)
  const purchase = orderId ? await findCarrierPurchaseByOrder(deps.db, 'telnyx', orderId) : undefined
  if (!purchase) return reason
  for (const publicKey of await deps.carrierAccounts.telnyxPublicKeysOf(purchase.organization_id)) {
    if (!isTelnyxPublicKey(publicKey)) continue
    const verdict = attempt(publicKey)
    if (verdict.ok) return 'ok'
    reason = verdict.reason
  }
  return reason
}

/** After the answer: the saga goes on with the order as the webhook told it, unless someone else holds it now. */
async function advanceAfterWebhook(deps: TelnyxWebhookDeps, purchaseId: string, event: TelnyxWebhookEvent) {
  try {
    let claimed = await claimCarrierPurchase(deps.db, purchaseId, sagaClaimOf(deps))
    // The request that placed the order may still hold it for a moment (a fast webhook): wait for it briefly.
    for (let tries = 0; !claimed && tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      const current = await findCarrierPurchase(deps.db, purchaseId)
      if (!current || current.settled_at !== null || current.step !== 'ordered') break
      claimed = await claimCarrierPurchase(deps.db, purchaseId, sagaClaimOf(deps))
    }
    if (!claimed) {
      deps.onPurchaseDue?.()
      return
    }
    await advanceCarrierPurchase(deps, claimed, {
      source: 'webhook',
      ...(claimed.step === 'ordered' && event.numberOrder ? { order: event.numberOrder } : {}),
    })
  } catch (error) {
    deps.logger.warn({ err: error, purchaseId }, 'advancing a purchase after its webhook failed; the worker retries')
    deps.onPurchaseDue?.()
  }
}
