import type { BuyCarrierNumberRequest } from '@dialtone/shared/carriers'
import { phoneNumberSchema, type PhoneNumber } from '@dialtone/shared/phone-number'
import { isCarrierError } from '../carriers/carrier-error.ts'
import type { CarrierCapabilities } from '../carriers/carrier-types.ts'
import { AppError } from '../lib/app-error.ts'
import { claimIdempotencyKey, hashRequest, releaseIdempotencyKey } from '../provisioning/idempotency-repository.ts'
import { toPhoneNumber } from '../provisioning/phone-number-mapper.ts'
import { findPhoneNumberOfOrganization } from '../provisioning/phone-number-repository.ts'
import { vapiForNewWork } from '../provisioning/vapi-account-of.ts'
import { advanceCarrierPurchase, ensureCard, purchaseTag } from './advance-carrier-purchase.ts'
import { findHeldCarrierNumbers } from './carrier-card-repository.ts'
import { carrierErrorToAppError, carrierLabel } from './carrier-error-to-app-error.ts'
import { sagaClaimOf, defaultOrderCheckMs, type CarrierPurchaseDeps } from './carrier-purchase-deps.ts'
import {
  changeCarrierPurchase,
  findUnsettledPurchasesOf,
  releaseCarrierPurchaseLease,
  startCarrierPurchase,
} from './carrier-purchase-repository.ts'
import { countryOfNumber } from './country-of-number.ts'
import { lookUpMonthlyPrice, monthlyPriceColumns } from './look-up-monthly-price.ts'

export type BuyResult = { phoneNumber: PhoneNumber; isReplay: boolean }

/** Refuses a number the organisation already holds, or is buying or importing right now. */
export async function refuseNumbersHeld(
  deps: Pick<CarrierPurchaseDeps, 'db'>,
  organizationId: string,
  numbers: readonly string[],
): Promise<void> {
  const held = await findHeldCarrierNumbers(deps.db, organizationId, numbers)
  const first = held[0]
  if (first) {
    throw new AppError('CONFLICT', `${first.number ?? 'This number'} is already one of your numbers.`, {
      phoneNumberId: first.id,
    })
  }
  const running = await findUnsettledPurchasesOf(deps.db, organizationId, numbers)
  if (running[0]) {
    throw new AppError(
      'CONFLICT',
      `${running[0].number} is being bought or imported right now. Wait for its card to turn live or fail.`,
    )
  }
}

/**
 * POST /api/phone-numbers `{ carrier, number }`: the saga of decision 0014, as far as it goes while the owner waits.
 * Twilio sells at once, so the answer is usually the live number; a Telnyx order answers its pending card, which
 * turns live when the order completes (webhook or worker). Before anything is bought, both the carrier account and
 * the Vapi account must be usable, so a missing connection leaves nothing behind.
 */
export async function buyCarrierNumber(
  deps: CarrierPurchaseDeps,
  input: {
    organizationId: string
    request: BuyCarrierNumberRequest
    idempotencyKey?: string
    requestedByUserId?: string | null
  },
): Promise<BuyResult> {
  const { db, clock } = deps
  const { organizationId, request, idempotencyKey } = input
  const name = request.name && request.name.length > 0 ? request.name : null
  if (idempotencyKey) {
    const claim = await claimIdempotencyKey(db, {
      organizationId,
      key: idempotencyKey,
      requestHash: hashRequest({
        carrier: request.carrier,
        number: request.number,
        name,
        assistantId: request.assistantId,
        keepOnFailure: request.keepOnFailure ?? false,
      }),
      now: clock.now(),
    })
    if (claim.kind === 'replay')
      return { phoneNumber: await currentCard(deps, organizationId, claim.body), isReplay: true }
    if (claim.kind === 'in-progress') {
      throw new AppError(
        'CONFLICT',
        'A request with this Idempotency-Key is still being processed. Wait for it to finish.',
      )
    }
    if (claim.kind === 'mismatch') {
      throw new AppError('CONFLICT', 'This Idempotency-Key was already used for a different request. Use a new key.')
    }
  }
  let isCardShown = false
  try {
    const result = await startAndAdvance(deps, { ...input, name }, () => {
      isCardShown = true
    })
    return { phoneNumber: result, isReplay: false }
  } catch (error) {
    // Nothing was bought (no card): the key is given back so the owner can simply try again.
    if (idempotencyKey && !isCardShown) {
      await releaseIdempotencyKey(db, { organizationId, key: idempotencyKey }).catch((releaseError: unknown) =>
        deps.logger.warn({ err: releaseError }, 'could not release idempotency key'),
      )
    }
    throw error
  }
}

/** A replay answers the card as it is now (it may have turned live or failed since the first answer). */
async function currentCard(deps: CarrierPurchaseDeps, organizationId: string, body: unknown): Promise<PhoneNumber> {
  const first = phoneNumberSchema.parse(body)
  const row = await findPhoneNumberOfOrganization(deps.db, organizationId, first.id)
  return row ? toPhoneNumber(row) : first
}

async function startAndAdvance(
  deps: CarrierPurchaseDeps,
  input: {
    organizationId: string
    request: BuyCarrierNumberRequest
    name: string | null
    idempotencyKey?: string
    requestedByUserId?: string | null
  },
  onCardShown: () => void,
): Promise<PhoneNumber> {
  const { organizationId, request } = input
  await refuseNumbersHeld(deps, organizationId, [request.number])
  const account = await deps.carrierAccounts.current(organizationId, request.carrier)
  // The Vapi account it will be imported into must be usable before anything is bought.
  await vapiForNewWork(deps, organizationId)
  const country = await countryOfNumber(request.number)
  const price = await lookUpMonthlyPrice(account, request.number, country, deps.logger, { isOwned: false })
  const purchase = await startCarrierPurchase(
    deps.db,
    {
      organization_id: organizationId,
      kind: 'buy',
      carrier: request.carrier,
      carrier_account: account.ref,
      number: request.number,
      country,
      capabilities: JSON.stringify({ voice: true, sms: false, mms: false } satisfies CarrierCapabilities),
      name: input.name,
      assistant_id: request.assistantId ?? null,
      keep_on_failure: request.keepOnFailure ?? false,
      requested_by_user_id: input.requestedByUserId ?? null,
      idempotency_key: input.idempotencyKey ?? null,
      step: 'purchasing',
      ...monthlyPriceColumns(price),
    },
    sagaClaimOf(deps),
  )
  const outcome = {
    carrier: request.carrier,
    action: 'buy' as const,
    number: request.number,
    outcome: 'nothing was bought',
  }
  let bought
  try {
    if (account.carrier === 'twilio') {
      const number = await account.client.buyNumber({
        phoneNumber: request.number,
        friendlyName: purchaseTag(purchase.id),
      })
      bought = await changeCarrierPurchase(
        deps.db,
        purchase.id,
        { step: 'bought', carrier_number_id: number.sid, capabilities: JSON.stringify(number.capabilities) },
        { detail: `bought at Twilio as ${number.sid}`, at: deps.clock.now() },
      )
    } else {
      const order = await account.client.createNumberOrder({
        phoneNumbers: [request.number],
        customerReference: purchase.id,
      })
      const ordered = await changeCarrierPurchase(
        deps.db,
        purchase.id,
        { step: 'ordered', carrier_order_id: order.id },
        { detail: `number order ${order.id} is ${order.status}`, at: deps.clock.now() },
      )
      bought = await ensureCard(deps, ordered)
      onCardShown()
      const result = await advanceCarrierPurchase(deps, bought, { source: 'manual', order, isFresh: true })
      return answerOf(deps, result.purchase.phone_number_id, organizationId, result.failure)
    }
  } catch (error) {
    if (isCarrierError(error) && (error.kind === 'network' || error.kind === 'server')) {
      // No answer, or a 5xx: it may or may not have been bought (a carrier can fail after it sold the number, and
      // closing the saga as "nothing bought" then leaves a number paid for at the carrier that nobody knows). The
      // worker asks the carrier once the lease runs out, and either carries the purchase on (its card appears) or
      // closes it as nothing bought.
      await releaseCarrierPurchaseLease(
        deps.db,
        purchase.id,
        new Date(deps.clock.now().getTime() + defaultOrderCheckMs),
      )
      throw new AppError(
        'CARRIER_UNAVAILABLE',
        `${carrierLabel(request.carrier)} did not answer clearly, so dialtone cannot tell yet whether ${request.number} was bought. If it was, its card appears on your dashboard within a minute and turns live by itself; otherwise nothing was bought.`,
        undefined,
        30,
      )
    }
    const appError = carrierErrorToAppError(error, outcome)
    await changeCarrierPurchase(
      deps.db,
      purchase.id,
      {
        step: 'refused',
        failure_code: isCarrierError(error) ? `carrier_${error.kind}` : 'error',
        failure_message: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
        settled_at: deps.clock.now(),
        next_attempt_at: null,
        lease_until: null,
      },
      { detail: `refused: ${appError.code}`, at: deps.clock.now() },
    ).catch((recordError: unknown) => deps.logger.error({ err: recordError }, 'could not record a refused purchase'))
    throw appError
  }
  onCardShown()
  const result = await advanceCarrierPurchase(deps, bought, { source: 'manual', isFresh: true })
  return answerOf(deps, result.purchase.phone_number_id, organizationId, result.failure)
}

async function answerOf(
  deps: CarrierPurchaseDeps,
  phoneNumberId: string | null,
  organizationId: string,
  failure: AppError | undefined,
): Promise<PhoneNumber> {
  if (failure) throw failure
  const row = phoneNumberId ? await findPhoneNumberOfOrganization(deps.db, organizationId, phoneNumberId) : undefined
  if (!row) throw new AppError('INTERNAL', 'The number was bought but its card could not be read. Reload the page.')
  return toPhoneNumber(row)
}
