import { phoneNumberSchema, type CreatePhoneNumberRequest, type PhoneNumber } from '@dialtone/shared/phone-number'
import type { AreaCodeDirectory } from '../area-codes/area-code-directory.ts'
import { AppError } from '../lib/app-error.ts'
import { isDatabaseUnavailable } from '../lib/is-database-unavailable.ts'
import type { VapiClient } from '../vapi/vapi-client.ts'
import type { VapiPhoneNumber } from '../vapi/vapi-schemas.ts'
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  hashRequest,
  releaseIdempotencyKey,
} from './idempotency-repository.ts'
import { toPhoneNumber } from './phone-number-mapper.ts'
import { insertPhoneNumber, recordStatusChange } from './phone-number-repository.ts'
import { settleAttempt, startAttempt } from './provisioning-attempt-repository.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { perNumberSchedule } from './poll-schedule.ts'
import { signalFromVapi } from './status-machine.ts'
import { recordOrphan } from './vapi-orphan-repository.ts'
import { vapiForNewWork } from './vapi-account-of.ts'
import { describeCreateFailure } from './vapi-error-to-app-error.ts'

export type ProvisionResult = { status: 201; phoneNumber: PhoneNumber; isReplay: boolean }

/** The server.url given to Vapi names the attempt, so a number bought during a crash can be traced to it later. */
export function webhookUrlForAttempt(webhookUrl: string, attemptId: string): string {
  const url = new URL(webhookUrl)
  url.searchParams.set('attempt', attemptId)
  return url.toString()
}

/**
 * Buys a number through Vapi and stores it. Every step that can fail after the purchase undoes the purchase,
 * so the owner is never charged for a number dialtone does not know about, and nothing is ever invented:
 * the stored number is exactly what Vapi returned.
 */
export async function provisionPhoneNumber(
  deps: ProvisioningDeps & { areaCodes: AreaCodeDirectory },
  input: {
    organizationId: string
    request: CreatePhoneNumberRequest
    idempotencyKey?: string
    /** Who asked, so purchases are limited per person across their organisations. */
    requestedByUserId?: string
  },
): Promise<ProvisionResult> {
  const { db, clock, logger } = deps
  const { organizationId, request, idempotencyKey } = input
  const name = request.name && request.name.length > 0 ? request.name : undefined
  // Before anything else: a code with no numbers (555, an unassigned code) is refused without asking Vapi.
  const notInService = deps.areaCodes.describeNotInService(request.areaCode)
  if (notInService !== undefined) throw new AppError('VALIDATION_FAILED', notInService)

  if (idempotencyKey) {
    const claim = await claimIdempotencyKey(db, {
      organizationId,
      key: idempotencyKey,
      requestHash: hashRequest({ areaCode: request.areaCode, name, assistantId: request.assistantId }),
      now: clock.now(),
    })
    if (claim.kind === 'replay') {
      return { status: 201, phoneNumber: toReplayedPhoneNumber(claim.body), isReplay: true }
    }
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

  try {
    return await purchaseAndStore(deps, {
      organizationId,
      request: { ...request, name },
      idempotencyKey,
      requestedByUserId: input.requestedByUserId ?? null,
    })
  } catch (error) {
    if (idempotencyKey) {
      await releaseIdempotencyKey(db, { organizationId, key: idempotencyKey }).catch((releaseError: unknown) =>
        logger.warn({ err: releaseError }, 'could not release idempotency key'),
      )
    }
    throw error
  }
}

function toReplayedPhoneNumber(body: unknown): PhoneNumber {
  return phoneNumberSchema.parse(body)
}

async function purchaseAndStore(
  deps: ProvisioningDeps & { areaCodes: AreaCodeDirectory },
  input: {
    organizationId: string
    request: CreatePhoneNumberRequest
    idempotencyKey: string | undefined
    requestedByUserId: string | null
  },
): Promise<ProvisionResult> {
  const { db, clock, logger } = deps
  const { organizationId, request } = input
  // Before the attempt row: an organisation that must connect its own Vapi account first leaves nothing behind.
  const account = await vapiForNewWork(deps, organizationId)
  const vapi = account.client
  const requestedAt = clock.now()

  // Written before Vapi is called: if the process dies mid-purchase, this row is how the purchase is found again.
  const attempt = await startAttempt(db, {
    organizationId,
    requestedByUserId: input.requestedByUserId,
    areaCode: request.areaCode,
    requestedAt,
    vapiAccount: account.ref,
  })

  let bought: VapiPhoneNumber
  try {
    bought = await vapi.createPhoneNumber(
      {
        numberDesiredAreaCode: request.areaCode,
        ...(request.name ? { name: request.name } : {}),
        ...(request.assistantId ? { assistantId: request.assistantId } : {}),
        // Sandbox mode only: against real Vapi a number's server.url would take over the business's call events.
        ...((deps.setsServerUrl ?? true) ? { server: { url: webhookUrlForAttempt(deps.webhookUrl, attempt.id) } } : {}),
      },
      { organizationId },
    )
  } catch (error) {
    const failure = describeCreateFailure(error, request.areaCode, deps.areaCodes)
    const respondedAt = clock.now()
    await settleAttempt(db, attempt.id, {
      outcome: failure.outcome,
      failure_code: failure.failureCode,
      failure_message: error instanceof Error ? error.message.slice(0, 500) : null,
      vapi_status_code:
        error instanceof Error && 'httpStatus' in error && typeof error.httpStatus === 'number'
          ? error.httpStatus
          : null,
      responded_at: respondedAt,
      duration_ms: respondedAt.getTime() - requestedAt.getTime(),
    }).catch((updateError: unknown) => logger.error({ err: updateError }, 'could not record a refused attempt'))
    throw failure.appError
  }

  const assistantName = await assistantNameOf(deps, vapi, bought.assistantId ?? null, organizationId)

  try {
    const respondedAt = clock.now()
    const signal = signalFromVapi(bought)
    const isAlreadyLive = signal.kind === 'assigned'
    const phoneNumber = await db.transaction().execute(async (trx) => {
      const row = await insertPhoneNumber(trx, {
        organization_id: organizationId,
        vapi_phone_number_id: bought.id,
        name: request.name ?? null,
        area_code: request.areaCode,
        number: isAlreadyLive ? signal.number : null,
        status: isAlreadyLive ? 'active' : 'pending',
        failure_code: null,
        failure_reason: null,
        detected_by: null,
        created_at: requestedAt,
        activated_at: isAlreadyLive ? respondedAt : null,
        updated_at: respondedAt,
        next_check_at: isAlreadyLive ? null : new Date(respondedAt.getTime() + perNumberSchedule().firstCheckDelayMs),
        vapi_account: account.ref,
        assistant_id: bought.assistantId ?? null,
        assistant_name: assistantName,
      })
      await recordStatusChange(trx, {
        phone_number_id: row.id,
        from_status: null,
        to_status: row.status,
        source: 'create',
        at: respondedAt,
      })
      await settleAttempt(trx, attempt.id, {
        outcome: 'purchased',
        phone_number_id: row.id,
        vapi_phone_number_id: bought.id,
        vapi_status_code: 201,
        responded_at: respondedAt,
        duration_ms: respondedAt.getTime() - requestedAt.getTime(),
      })
      const created = toPhoneNumber(row)
      if (input.idempotencyKey) {
        await completeIdempotencyKey(trx, { organizationId, key: input.idempotencyKey, status: 201, body: created })
      }
      return created
    })
    deps.publisher.phoneNumberUpdated(organizationId, phoneNumber)
    return { status: 201, phoneNumber, isReplay: false }
  } catch (storageError) {
    logger.error(
      { err: storageError, vapiPhoneNumberId: bought.id },
      'storing a bought number failed; rolling back at Vapi',
    )
    await rollBackPurchase(deps, vapi, {
      organizationId,
      vapiAccount: account.ref,
      vapiPhoneNumberId: bought.id,
      attemptId: attempt.id,
      cause: storageError,
    })
    if (isDatabaseUnavailable(storageError)) {
      throw new AppError(
        'DATABASE_UNAVAILABLE',
        'dialtone’s database is unavailable, so the number Vapi gave us was released again and nothing was bought. Try again shortly.',
        undefined,
        10,
      )
    }
    throw new AppError(
      'INTERNAL',
      'dialtone could not save the new number, so it was released at Vapi again and nothing was bought. Try again.',
    )
  }
}

/** The assistant's name as it is now, kept on the number; a lookup that fails leaves it unnamed, never unbought. */
export async function assistantNameOf(
  deps: Pick<ProvisioningDeps, 'logger'>,
  vapi: VapiClient,
  assistantId: string | null,
  organizationId: string,
): Promise<string | null> {
  if (assistantId === null) return null
  try {
    const assistant = await vapi.getAssistant(assistantId, { organizationId, priority: 'interactive' })
    return assistant.name ?? null
  } catch (error) {
    deps.logger.warn({ err: error, assistantId }, 'could not read the assistant’s name')
    return null
  }
}

async function rollBackPurchase(
  deps: ProvisioningDeps,
  vapi: VapiClient,
  input: {
    organizationId: string
    vapiAccount: string | null
    vapiPhoneNumberId: string
    attemptId: string
    cause: unknown
  },
): Promise<void> {
  const { db, logger, clock } = deps
  try {
    // Part of the purchase a person is waiting on.
    await vapi.deletePhoneNumber(input.vapiPhoneNumberId, {
      organizationId: input.organizationId,
      priority: 'purchase',
    })
  } catch (deleteError) {
    logger.error(
      { err: deleteError, vapiPhoneNumberId: input.vapiPhoneNumberId },
      'rollback delete failed; queued for retry',
    )
    await recordOrphan(db, {
      vapiPhoneNumberId: input.vapiPhoneNumberId,
      reason: `storage failed after purchase: ${String(input.cause).slice(0, 200)}`,
      lastError: String(deleteError).slice(0, 500),
      now: clock.now(),
      organizationId: input.organizationId,
      vapiAccount: input.vapiAccount,
    }).catch((orphanError: unknown) =>
      // The database is gone too: the attempt row stays in_flight and the reconciler finds this number by it.
      logger.error({ err: orphanError, vapiPhoneNumberId: input.vapiPhoneNumberId }, 'could not queue orphan'),
    )
  }
  const now = clock.now()
  await settleAttempt(db, input.attemptId, {
    outcome: 'rolled_back',
    failure_code: 'rolled_back',
    failure_message: String(input.cause).slice(0, 500),
    vapi_phone_number_id: input.vapiPhoneNumberId,
    responded_at: now,
  }).catch((error: unknown) => logger.error({ err: error }, 'could not record the rollback'))
}
