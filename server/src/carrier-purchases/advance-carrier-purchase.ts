import type { SignalSource } from '@dialtone/shared/phone-number'
import { isCarrierError } from '../carriers/carrier-error.ts'
import type { TelnyxNumberOrder } from '../carriers/telnyx-client.ts'
import type { CarrierPurchaseRow } from '../db/schema.ts'
import { AppError } from '../lib/app-error.ts'
import { publishTransition } from '../provisioning/apply-status-signal.ts'
import { completeIdempotencyKey, releaseIdempotencyKey } from '../provisioning/idempotency-repository.ts'
import { toPhoneNumber } from '../provisioning/phone-number-mapper.ts'
import {
  findPhoneNumberByVapiId,
  insertPhoneNumber,
  recordStatusChange,
} from '../provisioning/phone-number-repository.ts'
import { transitionPhoneNumber, type Transition } from '../provisioning/phone-number-transition-repository.ts'
import { assistantNameOf } from '../provisioning/provision-phone-number.ts'
import type { StatusSignal } from '../provisioning/status-machine.ts'
import { vapiForNewWork, vapiOfOwner } from '../provisioning/vapi-account-of.ts'
import {
  isUnknownAssistantMessage,
  unauthorizedMessage,
  unknownAssistantMessage,
} from '../provisioning/vapi-error-to-app-error.ts'
import {
  VapiNotFoundError,
  VapiRateLimitedError,
  VapiRejectedError,
  VapiUnauthorizedError,
  VapiUnavailableError,
} from '../vapi/vapi-errors.ts'
import { setCarrierCardImported } from './carrier-card-repository.ts'
import { carrierLabel } from './carrier-error-to-app-error.ts'
import {
  changeCarrierPurchase,
  releaseCarrierPurchaseLease,
  storeVapiCarrierCredential,
  findVapiCarrierCredential,
  type PurchaseChange,
} from './carrier-purchase-repository.ts'
import {
  defaultOrderCheckMs,
  purchaseGiveUpMs,
  retryDelayMs,
  type CarrierPurchaseDeps,
} from './carrier-purchase-deps.ts'

/**
 * One carrier number's saga, moved forward as far as it can go now (decision 0014):
 *
 *   purchasing → (Telnyx: ordered →) bought → importing → live
 *                                         ↘ releasing → released   (a refusal after the purchase: nothing is kept)
 *                                         ↘ kept                   (the owner chose to keep it at the carrier)
 *   purchasing / ordered → refused                                 (the carrier sold nothing)
 *
 * The caller holds the saga's lease (claimCarrierPurchase); this gives it back, with the time the worker should
 * look again when the saga waits (a pending Telnyx order, a step to retry). Every step is written down.
 */

export interface AdvanceOptions {
  /** Who moved it: the request ('manual'), the Telnyx webhook or the worker ('poll'): the card's detectedBy. */
  source: SignalSource
  /** The order as a verified webhook told it, so it is not asked for again. */
  order?: TelnyxNumberOrder
  /** The saga was started by this call: 'purchasing' and 'importing' were not interrupted, so need no look first. */
  isFresh?: boolean
}

export interface AdvanceResult {
  purchase: CarrierPurchaseRow
  /** The reason it ended without a live number, for the request that is waiting on it. */
  failure?: AppError
}

type StepOutcome =
  | { kind: 'continue'; row: CarrierPurchaseRow }
  | { kind: 'wait'; row: CarrierPurchaseRow; until: Date }
  | { kind: 'settled'; row: CarrierPurchaseRow; failure?: AppError }

/** The mark a Twilio purchase carries (its FriendlyName), so an interrupted one is found again. */
export const purchaseTag = (purchaseId: string) => `dialtone-${purchaseId}`

/** The North American area code of a +1 number; other countries have none the card shows. */
export function areaCodeOfNumber(number: string): string {
  return number.startsWith('+1') && number.length === 12 ? number.slice(2, 5) : ''
}

export async function advanceCarrierPurchase(
  deps: CarrierPurchaseDeps,
  claimed: CarrierPurchaseRow,
  options: AdvanceOptions,
): Promise<AdvanceResult> {
  let row = claimed
  let isFresh = options.isFresh ?? false
  let order = options.order
  for (let steps = 0; steps < 12; steps += 1) {
    const outcome = await runStep(deps, row, { source: options.source, isFresh, order })
    // What this call was told holds only for its first step; anything after it is looked up afresh.
    order = undefined
    if (outcome.kind === 'continue') {
      row = outcome.row
      isFresh = true
      continue
    }
    if (outcome.kind === 'wait') {
      await releaseCarrierPurchaseLease(deps.db, outcome.row.id, outcome.until)
      return { purchase: { ...outcome.row, lease_until: null, next_attempt_at: outcome.until } }
    }
    return outcome.failure ? { purchase: outcome.row, failure: outcome.failure } : { purchase: outcome.row }
  }
  deps.logger.error({ purchaseId: row.id, step: row.step }, 'carrier purchase did not settle within its steps')
  await releaseCarrierPurchaseLease(deps.db, row.id, deps.clock.now())
  return { purchase: row }
}

async function runStep(
  deps: CarrierPurchaseDeps,
  row: CarrierPurchaseRow,
  context: { source: SignalSource; isFresh: boolean; order: TelnyxNumberOrder | undefined },
): Promise<StepOutcome> {
  switch (row.step) {
    case 'purchasing':
      return findInterruptedPurchase(deps, row)
    case 'ordered':
      return followOrder(deps, row, context.order, context.source)
    case 'bought':
      return startImport(deps, row)
    case 'importing':
      return importIntoVapi(deps, row, context)
    case 'releasing':
      return releaseEverywhere(deps, row)
    case 'live':
    case 'refused':
    case 'released':
    case 'kept':
      return { kind: 'settled', row }
  }
}

const now = (deps: CarrierPurchaseDeps) => deps.clock.now()

async function move(deps: CarrierPurchaseDeps, row: CarrierPurchaseRow, change: PurchaseChange, detail: string) {
  return changeCarrierPurchase(deps.db, row.id, change, { detail, at: now(deps) })
}

/** A settled saga: no lease, nothing due. */
function settledChange(deps: CarrierPurchaseDeps): PurchaseChange {
  return { settled_at: now(deps), next_attempt_at: null, lease_until: null }
}

async function settle(
  deps: CarrierPurchaseDeps,
  row: CarrierPurchaseRow,
  change: PurchaseChange,
  detail: string,
): Promise<CarrierPurchaseRow> {
  return move(deps, row, { ...change, ...settledChange(deps) }, detail)
}

/** A step that failed for a passing reason: tried again later, unless it has been failing for a day. */
async function retryLater(deps: CarrierPurchaseDeps, row: CarrierPurchaseRow, error: unknown): Promise<StepOutcome> {
  const moved = await move(deps, row, { attempts: row.attempts + 1 }, `will retry: ${describe(error)}`)
  return { kind: 'wait', row: moved, until: new Date(now(deps).getTime() + retryDelayMs(row.attempts)) }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505'
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error).slice(0, 500)
}

/**
 * The process died (or the carrier's answer was lost) between asking the carrier and recording its answer. The
 * carrier is asked whether it holds the number for this saga: Twilio by the friendly name the purchase carried,
 * Telnyx by the order's customer reference. Held: the saga goes on from there. Not held: nothing was bought.
 */
async function findInterruptedPurchase(deps: CarrierPurchaseDeps, row: CarrierPurchaseRow): Promise<StepOutcome> {
  let carrierNumberId: string | null
  try {
    if (row.carrier === 'twilio') {
      const account = await deps.carrierAccounts.owning(row.organization_id, 'twilio', row.carrier_account)
      const held = await account.client.listIncoming({ phoneNumber: row.number })
      carrierNumberId = held.find((number) => number.friendlyName === purchaseTag(row.id))?.sid ?? null
    } else {
      // The order carries the saga's id as its customer reference; pending or done, it is followed from there.
      const account = await deps.carrierAccounts.owning(row.organization_id, 'telnyx', row.carrier_account)
      const [order] = await account.client.listNumberOrders({ customerReference: row.id })
      if (order) {
        const ordered = await move(deps, row, { step: 'ordered', carrier_order_id: order.id }, 'order found at Telnyx')
        return { kind: 'continue', row: await ensureCard(deps, ordered) }
      }
      carrierNumberId = null
    }
  } catch (error) {
    return retryLater(deps, row, error)
  }
  if (carrierNumberId === null) {
    const settled = await settle(
      deps,
      row,
      {
        step: 'refused',
        failure_code: 'interrupted',
        failure_message: `interrupted before ${carrierLabel(row.carrier)} answered; ${carrierLabel(row.carrier)} holds no number for it`,
      },
      'nothing was bought',
    )
    await giveBackIdempotencyKey(deps, settled)
    return { kind: 'settled', row: settled }
  }
  return {
    kind: 'continue',
    row: await move(deps, row, { step: 'bought', carrier_number_id: carrierNumberId }, 'found at the carrier'),
  }
}

async function giveBackIdempotencyKey(deps: CarrierPurchaseDeps, row: CarrierPurchaseRow): Promise<void> {
  if (row.idempotency_key === null || row.phone_number_id !== null) return
  await releaseIdempotencyKey(deps.db, { organizationId: row.organization_id, key: row.idempotency_key }).catch(
    (error: unknown) => deps.logger.warn({ err: error }, 'could not release an idempotency key'),
  )
}

/** A Telnyx number order: pending until Telnyx says success or failure (webhook, or asked here). */
async function followOrder(
  deps: CarrierPurchaseDeps,
  row: CarrierPurchaseRow,
  told: TelnyxNumberOrder | undefined,
  source: SignalSource,
): Promise<StepOutcome> {
  const orderId = row.carrier_order_id
  if (orderId === null) throw new Error(`carrier purchase ${row.id} is ordered without an order id`)
  let order = told
  let account
  try {
    account = await deps.carrierAccounts.owning(row.organization_id, 'telnyx', row.carrier_account)
    order ??= await account.client.getNumberOrder(orderId)
  } catch (error) {
    return retryLater(deps, row, error)
  }
  const item = order.phoneNumbers.find((number) => number.phoneNumber === row.number)
  const status = item?.status ?? order.status
  if (status === 'pending') {
    return { kind: 'wait', row, until: new Date(now(deps).getTime() + (deps.orderCheckMs ?? defaultOrderCheckMs)) }
  }
  if (status === 'failure') {
    const failureReason = `Telnyx could not supply ${row.number} (the number order failed), so nothing was bought. Search again and pick another number.`
    await failCard(deps, row, { kind: 'failed', failureCode: 'carrier_order_failed', failureReason }, source)
    const settled = await settle(
      deps,
      row,
      { step: 'refused', failure_code: 'carrier_order_failed', failure_message: failureReason },
      'the order failed at Telnyx',
    )
    return { kind: 'settled', row: settled, failure: new AppError('NUMBER_UNAVAILABLE', failureReason) }
  }
  let phoneNumberId: string | undefined
  try {
    const held = await account.client.listPhoneNumbers({ phoneNumber: row.number })
    phoneNumberId = held[0]?.id
  } catch (error) {
    return retryLater(deps, row, error)
  }
  if (phoneNumberId === undefined) {
    return retryLater(deps, row, new Error('the order succeeded but Telnyx does not list the number yet'))
  }
  return {
    kind: 'continue',
    row: await move(
      deps,
      row,
      { step: 'bought', carrier_number_id: phoneNumberId, attempts: 0 },
      'the order completed',
    ),
  }
}

/**
 * The number's card, pending, from the moment the carrier holds (or is ordering) the number: stored with the
 * saga's change in one transaction, the Idempotency-Key completed with it, and announced after the commit.
 */
export async function ensureCard(deps: CarrierPurchaseDeps, row: CarrierPurchaseRow): Promise<CarrierPurchaseRow> {
  if (row.phone_number_id !== null) return row
  const at = now(deps)
  const { purchase, phoneNumber } = await deps.db.transaction().execute(async (trx) => {
    const card = await insertPhoneNumber(trx, {
      organization_id: row.organization_id,
      vapi_phone_number_id: null,
      name: row.name,
      area_code: areaCodeOfNumber(row.number),
      number: row.number,
      status: 'pending',
      failure_code: null,
      failure_reason: null,
      detected_by: null,
      created_at: row.created_at,
      activated_at: null,
      updated_at: at,
      // Never the poller's: the saga, not Vapi, says when a carrier number is live.
      next_check_at: null,
      provider: row.carrier,
      country: row.country,
      capabilities: JSON.stringify(row.capabilities),
      carrier_number_id: row.carrier_number_id,
      monthly_price_amount: row.monthly_price_amount,
      monthly_price_currency: row.monthly_price_currency,
    })
    await recordStatusChange(trx, {
      phone_number_id: card.id,
      from_status: null,
      to_status: 'pending',
      source: 'create',
      at,
    })
    const purchase = await changeCarrierPurchase(
      trx,
      row.id,
      { phone_number_id: card.id },
      { detail: 'card shown', at },
    )
    const phoneNumber = toPhoneNumber(card, at)
    if (row.idempotency_key !== null) {
      await completeIdempotencyKey(trx, {
        organizationId: row.organization_id,
        key: row.idempotency_key,
        status: 201,
        body: phoneNumber,
      })
    }
    return { purchase, phoneNumber }
  })
  deps.publisher.phoneNumberUpdated(row.organization_id, phoneNumber)
  return purchase
}

async function failCard(
  deps: CarrierPurchaseDeps,
  row: CarrierPurchaseRow,
  signal: StatusSignal,
  source: SignalSource,
): Promise<void> {
  if (row.phone_number_id === null) return
  const transition = await transitionPhoneNumber(deps.db, {
    phoneNumberId: row.phone_number_id,
    signal,
    source,
    now: now(deps),
  })
  if (transition) publishTransition(deps, transition)
}

/** The carrier holds the number: its card is shown, and the Vapi account that imports it is written down first. */
async function startImport(deps: CarrierPurchaseDeps, row: CarrierPurchaseRow): Promise<StepOutcome> {
  let withCard: CarrierPurchaseRow
  try {
    withCard = await ensureCard(deps, row)
  } catch (error) {
    // Two purchases of one number raced past the check: the organisation holds it already, so this one is undone.
    if (!isUniqueViolation(error)) throw error
    const conflict = new AppError('CONFLICT', `${row.number} is already one of your numbers.`)
    return rollBack(deps, row, conflict, 'import_rejected')
  }
  let vapiAccount: string | null
  try {
    vapiAccount = (await vapiForNewWork(deps, row.organization_id)).ref
  } catch (error) {
    if (error instanceof AppError) return rollBack(deps, withCard, error, 'import_rejected')
    return retryLater(deps, withCard, error)
  }
  return {
    kind: 'continue',
    row: await move(
      deps,
      withCard,
      { step: 'importing', vapi_account: vapiAccount, attempts: 0 },
      'importing into Vapi',
    ),
  }
}

/** The body of Vapi's import for this carrier: the Twilio credentials, or the Telnyx credential made once per key. */
async function importFields(
  deps: CarrierPurchaseDeps,
  row: CarrierPurchaseRow,
  vapi: Awaited<ReturnType<typeof vapiOfOwner>>,
) {
  if (row.carrier === 'twilio') {
    const { credentials } = await deps.carrierAccounts.owning(row.organization_id, 'twilio', row.carrier_account)
    return {
      provider: 'twilio' as const,
      twilioAccountSid: credentials.accountSid,
      ...(credentials.apiKeySid && credentials.apiKeySecret
        ? { twilioApiKey: credentials.apiKeySid, twilioApiSecret: credentials.apiKeySecret }
        : { twilioAuthToken: credentials.authToken ?? '' }),
    }
  }
  const account = await deps.carrierAccounts.owning(row.organization_id, 'telnyx', row.carrier_account)
  const key = {
    organizationId: row.organization_id,
    vapiAccount: row.vapi_account ?? 'platform',
    carrier: 'telnyx',
    carrierAccount: row.carrier_account,
  }
  let credentialId = await findVapiCarrierCredential(deps.db, key)
  if (credentialId === undefined) {
    const made = await vapi.createCredential(
      { provider: 'telnyx', apiKey: account.apiKey, name: 'dialtone Telnyx' },
      { organizationId: row.organization_id },
    )
    credentialId = await storeVapiCarrierCredential(deps.db, { ...key, credentialId: made.id })
  }
  return { provider: 'telnyx' as const, credentialId }
}

/** The server URL Vapi gets in sandbox mode names the saga, as a Vapi purchase names its attempt. */
function serverFor(deps: CarrierPurchaseDeps, row: CarrierPurchaseRow) {
  if (!(deps.setsServerUrl ?? true)) return {}
  const url = new URL(deps.webhookUrl)
  url.searchParams.set('purchase', row.id)
  return { server: { url: url.toString() } }
}

async function importIntoVapi(
  deps: CarrierPurchaseDeps,
  row: CarrierPurchaseRow,
  context: { source: SignalSource; isFresh: boolean },
): Promise<StepOutcome> {
  let vapi
  try {
    vapi = await vapiOfOwner(deps, row.organization_id, row.vapi_account)
  } catch (error) {
    if (error instanceof AppError) return rollBack(deps, row, error, 'import_rejected')
    return retryLater(deps, row, error)
  }
  const call = { organizationId: row.organization_id }
  try {
    if (!context.isFresh) {
      // Interrupted mid-import: Vapi may hold it already. Never import twice.
      const atVapi = await vapi.listPhoneNumbers({ limit: 1000 }, call)
      const found = atVapi.find((number) => number.number === row.number)
      if (found && !(await findPhoneNumberByVapiId(deps.db, found.id))) {
        return adopt(deps, row, found.id, found.assistantId ?? null, context.source)
      }
    }
    const imported = await vapi.importPhoneNumber(
      {
        ...(await importFields(deps, row, vapi)),
        number: row.number,
        ...(row.name ? { name: row.name } : {}),
        ...(row.assistant_id ? { assistantId: row.assistant_id } : {}),
        ...serverFor(deps, row),
      },
      call,
    )
    return adopt(deps, row, imported.id, imported.assistantId ?? null, context.source)
  } catch (error) {
    const isPassing =
      error instanceof VapiUnavailableError ||
      error instanceof VapiRateLimitedError ||
      (isCarrierError(error) && error.isRetryable)
    if (isPassing && now(deps).getTime() - row.created_at.getTime() < purchaseGiveUpMs) {
      return retryLater(deps, row, error)
    }
    if (error instanceof AppError) return rollBack(deps, row, error, 'import_rejected')
    return rollBack(deps, row, importRefusal(error, row), 'import_rejected')
  }
}

/** Vapi's refusal of an import, in the owner's words. */
function importRefusal(error: unknown, row: CarrierPurchaseRow): AppError {
  if (error instanceof VapiUnauthorizedError) {
    return new AppError('VAPI_UNAUTHORIZED', unauthorizedMessage(`${row.number} could not be imported`))
  }
  if (error instanceof VapiRejectedError && error.vapiMessage && isUnknownAssistantMessage(error.vapiMessage)) {
    return new AppError('ASSISTANT_NOT_FOUND', unknownAssistantMessage(`${row.number} was not imported`))
  }
  // A sentence of Vapi's already ends with its own stop: “… imports.” needs none after the quote.
  const said =
    error instanceof VapiRejectedError && error.vapiMessage
      ? ` Vapi said: “${error.vapiMessage}”${/[.!?]$/.test(error.vapiMessage) ? '' : '.'}`
      : ''
  return new AppError('VAPI_REJECTED', `Vapi refused to import ${row.number}.${said}`)
}

/** Vapi holds the number: the card gets its Vapi id and turns live, in the transaction that settles the saga. */
async function adopt(
  deps: CarrierPurchaseDeps,
  row: CarrierPurchaseRow,
  vapiPhoneNumberId: string,
  assistantId: string | null,
  source: SignalSource,
): Promise<StepOutcome> {
  const phoneNumberId = row.phone_number_id
  if (phoneNumberId === null) throw new Error(`carrier purchase ${row.id} imported without a card`)
  const vapi = await vapiOfOwner(deps, row.organization_id, row.vapi_account)
  const assistantName = await assistantNameOf(deps, vapi, assistantId, row.organization_id)
  const at = now(deps)
  const { transition, purchase } = await deps.db.transaction().execute(async (trx) => {
    await setCarrierCardImported(trx, {
      phoneNumberId,
      vapiPhoneNumberId,
      vapiAccount: row.vapi_account,
      assistantId,
      assistantName,
    })
    // An imported number is active at once: the one forward-only transition, so sockets, webhooks and mail follow.
    const transition: Transition | null = await transitionPhoneNumber(trx, {
      phoneNumberId,
      signal: { kind: 'assigned', number: row.number },
      source,
      now: at,
    })
    const purchase = await changeCarrierPurchase(
      trx,
      row.id,
      {
        step: 'live',
        vapi_phone_number_id: vapiPhoneNumberId,
        settled_at: at,
        next_attempt_at: null,
        lease_until: null,
      },
      { detail: `in Vapi as ${vapiPhoneNumberId}`, at },
    )
    return { transition, purchase }
  })
  if (transition) publishTransition(deps, transition)
  return { kind: 'settled', row: purchase }
}

/**
 * Vapi refused the number after the carrier sold it: the card fails at once (the owner sees why), and the number is
 * released at the carrier (and at Vapi, if it got there), or kept at the carrier when the owner asked for that.
 */
async function rollBack(
  deps: CarrierPurchaseDeps,
  row: CarrierPurchaseRow,
  cause: AppError,
  failureCode: 'import_rejected',
): Promise<StepOutcome> {
  const label = carrierLabel(row.carrier)
  const isKept = row.keep_on_failure || row.kind === 'import'
  const aftermath =
    row.kind === 'import'
      ? `It stays in your ${label} account as it was.`
      : isKept
        ? `The number stays in your ${label} account (as you asked); import it again from Carrier numbers.`
        : `It was released at ${label}, so nothing is charged for it.`
  const failureReason = `${cause.message} ${aftermath}`.slice(0, 1_000)
  await failCard(deps, row, { kind: 'failed', failureCode, failureReason }, 'manual')
  const failure = new AppError(cause.code, failureReason, {
    ...(typeof cause.details === 'object' && cause.details !== null ? cause.details : {}),
    phoneNumberId: row.phone_number_id,
    releasedAtCarrier: !isKept,
  })
  if (isKept) {
    const settled = await settle(
      deps,
      row,
      { step: 'kept', failure_code: failureCode, failure_message: cause.message },
      'kept at the carrier',
    )
    return { kind: 'settled', row: settled, failure }
  }
  const releasing = await move(
    deps,
    row,
    { step: 'releasing', failure_code: failureCode, failure_message: cause.message, attempts: 0 },
    `rolling back: ${cause.message}`,
  )
  const outcome = await releaseEverywhere(deps, releasing)
  return outcome.kind === 'settled' ? { ...outcome, failure } : outcome
}

/** Deletes the number at Vapi (if it got there), then releases it at the carrier; retried until both are done. */
export async function releaseEverywhere(deps: CarrierPurchaseDeps, row: CarrierPurchaseRow): Promise<StepOutcome> {
  let current = row
  try {
    if (current.vapi_phone_number_id !== null) {
      const vapi = await vapiOfOwner(deps, current.organization_id, current.vapi_account)
      try {
        await vapi.deletePhoneNumber(current.vapi_phone_number_id, { organizationId: current.organization_id })
      } catch (error) {
        if (!(error instanceof VapiNotFoundError)) throw error
      }
      current = await move(deps, current, { vapi_phone_number_id: null }, 'deleted at Vapi')
    }
    if (current.kind === 'buy' && current.carrier_number_id !== null) {
      await releaseAtCarrier(deps, current, current.carrier_number_id)
    }
  } catch (error) {
    if (error instanceof AppError)
      deps.logger.warn({ err: error, purchaseId: current.id }, 'release waits for an account')
    return retryLater(deps, current, error)
  }
  const settled = await settle(
    deps,
    current,
    { step: 'released' },
    current.kind === 'buy' ? `released at ${carrierLabel(current.carrier)}` : 'removed from Vapi',
  )
  return { kind: 'settled', row: settled }
}

async function releaseAtCarrier(deps: CarrierPurchaseDeps, row: CarrierPurchaseRow, carrierNumberId: string) {
  try {
    if (row.carrier === 'twilio') {
      const account = await deps.carrierAccounts.owning(row.organization_id, 'twilio', row.carrier_account)
      await account.client.releaseNumber(carrierNumberId)
    } else {
      const account = await deps.carrierAccounts.owning(row.organization_id, 'telnyx', row.carrier_account)
      await account.client.releaseNumber(carrierNumberId)
    }
  } catch (error) {
    // Already gone at the carrier: the release only catches up with the facts.
    if (isCarrierError(error) && error.kind === 'not-found') return
    throw error
  }
}
