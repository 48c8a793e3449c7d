import type {
  CarrierName,
  CarrierNumber,
  CarrierNumberList,
  ImportCarrierNumbersRequest,
  ImportCarrierNumbersResult,
} from '@dialtone/shared/carriers'
import { isCarrierError } from '../carriers/carrier-error.ts'
import type { CarrierCapabilities } from '../carriers/carrier-types.ts'
import { AppError } from '../lib/app-error.ts'
import { toPhoneNumber } from '../provisioning/phone-number-mapper.ts'
import { findPhoneNumberOfOrganization } from '../provisioning/phone-number-repository.ts'
import { vapiForNewWork } from '../provisioning/vapi-account-of.ts'
import { advanceCarrierPurchase } from './advance-carrier-purchase.ts'
import { refuseNumbersHeld } from './buy-carrier-number.ts'
import { findHeldCarrierNumbers } from './carrier-card-repository.ts'
import { carrierErrorToAppError } from './carrier-error-to-app-error.ts'
import { sagaClaimOf, type CarrierPurchaseDeps } from './carrier-purchase-deps.ts'
import { startCarrierPurchase } from './carrier-purchase-repository.ts'
import { countryOfNumber } from './country-of-number.ts'
import { lookUpMonthlyPrice, monthlyPriceColumns } from './look-up-monthly-price.ts'

interface HeldAtCarrier {
  number: string
  carrierNumberId: string
  capabilities: CarrierCapabilities | null
  friendlyName: string | null
  createdAt: string | null
}

async function numbersAtCarrier(deps: CarrierPurchaseDeps, organizationId: string, carrier: CarrierName) {
  const account = await deps.carrierAccounts.current(organizationId, carrier)
  try {
    const held: HeldAtCarrier[] =
      account.carrier === 'twilio'
        ? (await account.client.listIncoming()).map((number) => ({
            number: number.phoneNumber,
            carrierNumberId: number.sid,
            capabilities: number.capabilities,
            friendlyName: number.friendlyName,
            createdAt: number.dateCreated,
          }))
        : (await account.client.listPhoneNumbers())
            .filter((number) => number.status === 'active')
            .map((number) => ({
              number: number.phoneNumber,
              carrierNumberId: number.id,
              capabilities: null,
              friendlyName: null,
              createdAt: number.createdAt,
            }))
    return { account, held }
  } catch (error) {
    throw carrierErrorToAppError(error, { carrier, action: 'list', outcome: 'its numbers could not be listed' })
  }
}

/**
 * GET /api/carrier-numbers: what the organisation's carrier account holds, each marked when dialtone already has it
 * (pending or live), so the owner sees which are left to import.
 */
export async function listCarrierNumbers(
  deps: CarrierPurchaseDeps,
  input: { organizationId: string; carrier: CarrierName },
): Promise<CarrierNumberList> {
  const { held } = await numbersAtCarrier(deps, input.organizationId, input.carrier)
  const ours = new Map(
    (
      await findHeldCarrierNumbers(
        deps.db,
        input.organizationId,
        held.map((number) => number.number),
      )
    ).map((row) => [row.number, row.id]),
  )
  const countries = await Promise.all(held.map((number) => countryOfNumber(number.number)))
  const items: CarrierNumber[] = held.map((number, index) => ({
    number: number.number,
    carrierNumberId: number.carrierNumberId,
    country: countries[index] ?? 'US',
    capabilities: number.capabilities,
    friendlyName: number.friendlyName,
    createdAt: number.createdAt,
    heldByDialtone: ours.has(number.number),
    phoneNumberId: ours.get(number.number) ?? null,
  }))
  return { items }
}

/**
 * POST /api/phone-numbers/import: numbers the organisation already holds at the carrier, into Vapi, one saga each
 * (kind 'import': nothing is bought, and a refusal leaves the number at the carrier as it was). Each number's
 * answer stands alone: one refused import does not undo another.
 */
export async function importCarrierNumbers(
  deps: CarrierPurchaseDeps,
  input: { organizationId: string; request: ImportCarrierNumbersRequest; requestedByUserId: string | null },
): Promise<ImportCarrierNumbersResult> {
  const { organizationId, request } = input
  // Checked once for all: both accounts usable, or nothing is started.
  const { account, held } = await numbersAtCarrier(deps, organizationId, request.carrier)
  await vapiForNewWork(deps, organizationId)
  const byNumber = new Map(held.map((number) => [number.number, number]))
  const items: ImportCarrierNumbersResult['items'] = []
  for (const number of request.numbers) {
    try {
      const atCarrier = byNumber.get(number)
      if (!atCarrier) {
        throw new AppError(
          'NOT_FOUND',
          `${number} is not in this organisation’s ${request.carrier === 'twilio' ? 'Twilio' : 'Telnyx'} account.`,
        )
      }
      await refuseNumbersHeld(deps, organizationId, [number])
      const country = await countryOfNumber(number)
      const price = await lookUpMonthlyPrice(account, number, country, deps.logger, { isOwned: true })
      const purchase = await startCarrierPurchase(
        deps.db,
        {
          organization_id: organizationId,
          kind: 'import',
          carrier: request.carrier,
          carrier_account: account.ref,
          number,
          country,
          capabilities: JSON.stringify(atCarrier.capabilities ?? { voice: true, sms: false, mms: false }),
          name: null,
          assistant_id: request.assistantId ?? null,
          requested_by_user_id: input.requestedByUserId,
          idempotency_key: null,
          carrier_number_id: atCarrier.carrierNumberId,
          step: 'bought',
          ...monthlyPriceColumns(price),
        },
        sagaClaimOf(deps),
      )
      const result = await advanceCarrierPurchase(deps, purchase, { source: 'manual', isFresh: true })
      const row = result.purchase.phone_number_id
        ? await findPhoneNumberOfOrganization(deps.db, organizationId, result.purchase.phone_number_id)
        : undefined
      if (result.failure) throw result.failure
      const phoneNumber = row ? toPhoneNumber(row) : null
      items.push({ number, outcome: 'imported', phoneNumber, error: null })
    } catch (error) {
      const appError =
        error instanceof AppError
          ? error
          : isCarrierError(error)
            ? carrierErrorToAppError(error, {
                carrier: request.carrier,
                action: 'list',
                number,
                outcome: 'it was not imported',
              })
            : new AppError('INTERNAL', `${number} could not be imported; nothing changed for it.`)
      if (!(error instanceof AppError)) deps.logger.warn({ err: error, number }, 'import failed')
      items.push({
        number,
        outcome: 'failed',
        phoneNumber: null,
        error: { code: appError.code, message: appError.message },
      })
    }
  }
  const imported = items.filter((item) => item.outcome === 'imported').length
  return { imported, failed: items.length - imported, items }
}
