import type { PhoneNumber, UpdatePhoneNumberRequest } from '@dialtone/shared/phone-number'
import { AppError } from '../lib/app-error.ts'
import {
  VapiError,
  VapiNotFoundError,
  VapiRateLimitedError,
  VapiRejectedError,
  VapiUnauthorizedError,
} from '../vapi/vapi-errors.ts'
import { toPhoneNumber } from './phone-number-mapper.ts'
import { findPhoneNumberOfOrganization, updatePhoneNumberDetails } from './phone-number-repository.ts'
import { assistantNameOf } from './provision-phone-number.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { vapiOfOwner } from './vapi-account-of.ts'
import {
  isUnknownAssistantMessage,
  notAtVapiYet,
  unauthorizedMessage,
  unknownAssistantMessage,
} from './vapi-error-to-app-error.ts'

/**
 * PATCH: a new name and/or assistant. Made at Vapi first (with the account that bought the number), then stored
 * with a new version, then announced to every open tab of the organisation; a change Vapi refused changes nothing.
 */
export async function updatePhoneNumber(
  deps: ProvisioningDeps,
  input: { organizationId: string; phoneNumberId: string; request: UpdatePhoneNumberRequest },
): Promise<PhoneNumber> {
  const { request } = input
  const row = await findPhoneNumberOfOrganization(deps.db, input.organizationId, input.phoneNumberId)
  if (!row) throw new AppError('NOT_FOUND', 'No such phone number.')
  if (row.status === 'released') {
    throw new AppError('CONFLICT', 'This number was released; a released number cannot be renamed or reassigned.')
  }
  const name = request.name === undefined ? undefined : request.name === '' ? null : request.name
  const isNameChange = name !== undefined && name !== row.name
  const isAssistantChange = request.assistantId !== undefined && request.assistantId !== row.assistant_id
  if (!isNameChange && !isAssistantChange) return toPhoneNumber(row)

  if (row.vapi_phone_number_id === null) throw notAtVapiYet('renamed or reassigned')
  const vapi = await vapiOfOwner(deps, row.organization_id, row.vapi_account)
  try {
    await vapi.updatePhoneNumber(
      row.vapi_phone_number_id,
      {
        // Vapi's name is at most 40 characters and has no "none": an emptied name is sent as an empty string.
        ...(isNameChange ? { name: name ?? '' } : {}),
        ...(isAssistantChange ? { assistantId: request.assistantId ?? null } : {}),
      },
      { organizationId: row.organization_id, priority: 'interactive' },
    )
  } catch (error) {
    throw describeUpdateFailure(error)
  }

  const assistantId = request.assistantId ?? null
  const assistant = !isAssistantChange
    ? undefined
    : assistantId === null
      ? null
      : { id: assistantId, name: await assistantNameOf(deps, vapi, assistantId, row.organization_id) }
  const updated = await deps.db.transaction().execute((trx) =>
    updatePhoneNumberDetails(trx, {
      phoneNumberId: row.id,
      ...(isNameChange ? { name } : {}),
      ...(assistant === undefined ? {} : { assistant }),
      now: deps.clock.now(),
    }),
  )
  if (!updated) throw new AppError('CONFLICT', 'This number was released meanwhile; nothing was changed here.')
  const phoneNumber = toPhoneNumber(updated)
  deps.publisher.phoneNumberUpdated(row.organization_id, phoneNumber)
  return phoneNumber
}

function describeUpdateFailure(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (error instanceof VapiUnauthorizedError)
    return new AppError('VAPI_UNAUTHORIZED', unauthorizedMessage('nothing was changed'))
  if (
    error instanceof VapiRejectedError &&
    error.vapiMessage !== null &&
    isUnknownAssistantMessage(error.vapiMessage)
  ) {
    return new AppError('ASSISTANT_NOT_FOUND', unknownAssistantMessage('Nothing was changed'), {
      vapiMessage: error.vapiMessage,
    })
  }
  if (error instanceof VapiNotFoundError) {
    return new AppError(
      'VAPI_REJECTED',
      'Vapi no longer has this number in the account that bought it, so nothing was changed. Check it now to see its state.',
    )
  }
  if (error instanceof VapiRateLimitedError) {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 10_000) / 1000))
    return new AppError(
      'VAPI_RATE_LIMITED',
      `Vapi is busy; nothing was changed. Try again in ${seconds} seconds.`,
      undefined,
      seconds,
    )
  }
  if (error instanceof VapiRejectedError) {
    const said = error.vapiMessage ? ` Vapi said: “${error.vapiMessage}”` : ''
    return new AppError('VAPI_REJECTED', `Vapi refused the change, so nothing was changed.${said}`)
  }
  if (error instanceof VapiError) {
    return new AppError(
      'VAPI_UNAVAILABLE',
      'Vapi did not answer, so nothing was changed. Try again in a minute.',
      undefined,
      30,
    )
  }
  throw error
}
