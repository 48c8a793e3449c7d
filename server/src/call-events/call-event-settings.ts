import type { CallEventSettings, PutCallEventSettingsRequest } from '@dialtone/shared/call-events'
import { keyHintOf } from '../credentials/credential-box.ts'
import type { CallEventSettingRow } from '../db/schema.ts'
import { checkEndpointUrl } from '../outbound-webhooks/register-webhook-endpoint.ts'
import { vapiOfOwner } from '../provisioning/vapi-account-of.ts'
import type { VapiServerInput } from '../vapi/vapi-client.ts'
import { vapiServerSchema } from '../vapi/vapi-schemas.ts'
import {
  VapiError,
  VapiNotFoundError,
  VapiRateLimitedError,
  VapiUnauthorizedError,
  VapiUnavailableError,
} from '../vapi/vapi-errors.ts'
import { AppError } from '../lib/app-error.ts'
import type { CallEventDeps } from './call-event-deps.ts'
import {
  countCallEventRoutes,
  deleteCallEventRoute,
  findCallEventSetting,
  insertCallEventRoute,
  listCallEventRoutes,
  listRoutableNumbers,
  listUnroutedNumbersOfEnabledOrganizations,
  saveCallEventSetting,
} from './call-event-repository.ts'

function toSettings(row: CallEventSettingRow | undefined, routedNumbers: number): CallEventSettings {
  return {
    enabled: row?.is_enabled ?? false,
    forwardUrl: row?.forward_url ?? null,
    forwardAuth:
      row?.forward_auth_type && row.forward_secret_hint
        ? { type: row.forward_auth_type, hint: `••••${row.forward_secret_hint}` }
        : null,
    fallbackAssistantId: row?.fallback_assistant_id ?? null,
    keepTranscripts: row?.keeps_transcripts ?? false,
    routedNumbers,
  }
}

export async function getCallEventSettings(deps: CallEventDeps, organizationId: string): Promise<CallEventSettings> {
  const row = await findCallEventSetting(deps.db, organizationId)
  return toSettings(row, await countCallEventRoutes(deps.db, organizationId))
}

/** What Vapi had for a number's server, in the form its PATCH takes again (url and string headers). */
function restorableServer(sealed: string | null, deps: CallEventDeps): VapiServerInput | 'clear' {
  if (sealed === null) return 'clear'
  const parsed = vapiServerSchema.safeParse(JSON.parse(deps.box.open(sealed)))
  if (!parsed.success || !parsed.data.url) return 'clear'
  const headers = Object.fromEntries(
    Object.entries(parsed.data.headers ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  )
  return { url: parsed.data.url, ...(Object.keys(headers).length > 0 ? { headers } : {}) }
}

const unfinished = 'Numbers already changed are remembered: save again to finish, or turn call events off to undo.'

/** Vapi's answer, or null when it no longer has the number; other failures become the API's errors. */
async function atVapiOrGone<T>(request: () => Promise<T>): Promise<T | null> {
  try {
    return await request()
  } catch (error) {
    if (error instanceof VapiNotFoundError) return null
    if (error instanceof VapiUnauthorizedError) {
      throw new AppError('VAPI_UNAUTHORIZED', `Vapi refused the organisation’s key. ${unfinished}`)
    }
    if (error instanceof VapiRateLimitedError) {
      throw new AppError('VAPI_RATE_LIMITED', `Vapi asked dialtone to slow down. ${unfinished}`)
    }
    if (error instanceof VapiUnavailableError) {
      throw new AppError('VAPI_UNAVAILABLE', `Vapi is not answering right now. ${unfinished}`)
    }
    if (error instanceof VapiError) throw new AppError('VAPI_REJECTED', `Vapi refused the change. ${unfinished}`)
    throw error
  }
}

/**
 * Points every number of the organisation that is not yet routed at dialtone's webhook, remembering (sealed) the
 * server it had. A number already routed keeps what was remembered the first time, so turning on twice and then
 * off gives back the organisation's own routing, not dialtone's.
 */
async function routeNumbers(deps: CallEventDeps, organizationId: string): Promise<void> {
  for (const number of await listRoutableNumbers(deps.db, organizationId)) {
    if (number.routed_id !== null) continue
    await routeNumber(deps, number)
  }
}

/** Points one number's server.url at dialtone, remembering (sealed) what it had, and records the route. */
async function routeNumber(
  deps: CallEventDeps,
  number: { id: string; organization_id: string; vapi_phone_number_id: string | null; vapi_account: string | null },
): Promise<boolean> {
  const vapiPhoneNumberId = number.vapi_phone_number_id
  if (vapiPhoneNumberId === null) return false
  const organizationId = number.organization_id
  const vapi = await vapiOfOwner(deps.provisioning, organizationId, number.vapi_account)
  const call = { organizationId }
  const atVapi = await atVapiOrGone(() => vapi.getPhoneNumber(vapiPhoneNumberId, call))
  if (!atVapi) return false
  const previous = atVapi.server?.url ? deps.box.seal(JSON.stringify(atVapi.server)) : null
  await atVapiOrGone(() =>
    vapi.updatePhoneNumber(vapiPhoneNumberId, { server: { url: deps.provisioning.webhookUrl } }, call),
  )
  await insertCallEventRoute(deps.db, {
    phoneNumberId: number.id,
    organizationId,
    previousServerCiphertext: previous,
    now: deps.clock.now(),
  })
  return true
}

/**
 * The worker's part: numbers bought or imported after an organisation turned call events on are routed too, a
 * few per round, so their calls reach dialtone without the owner saving the settings again. Returns how many.
 */
export async function routeNumbersBoughtSinceEnabled(deps: CallEventDeps, limit = 20): Promise<number> {
  let routed = 0
  for (const number of await listUnroutedNumbersOfEnabledOrganizations(deps.db, limit)) {
    try {
      if (await routeNumber(deps, number)) routed += 1
    } catch (error) {
      deps.logger.warn({ err: error, phoneNumberId: number.id }, 'routing a new number for call events failed')
    }
  }
  return routed
}

/** Gives every routed number back the server it had before (none: cleared), and forgets the route. */
async function restoreNumbers(deps: CallEventDeps, organizationId: string): Promise<void> {
  for (const route of await listCallEventRoutes(deps.db, organizationId)) {
    if (route.vapi_phone_number_id !== null && route.status !== 'released') {
      const vapiPhoneNumberId = route.vapi_phone_number_id
      const vapi = await vapiOfOwner(deps.provisioning, organizationId, route.vapi_account)
      // A number Vapi no longer has has no routing to give back.
      await atVapiOrGone(() =>
        vapi.updatePhoneNumber(
          vapiPhoneNumberId,
          { server: restorableServer(route.previous_server_ciphertext, deps) },
          { organizationId },
        ),
      )
    }
    await deleteCallEventRoute(deps.db, route.phone_number_id)
  }
}

/**
 * PUT /api/call-events. The forward URL is checked against the address guard before anything changes. Turning
 * on routes the organisation's numbers to dialtone (and any bought since, when saved again); turning off gives
 * them back their previous routing. A Vapi failure part-way leaves the setting as it was and the numbers already
 * changed remembered, so saving again finishes the work and turning off undoes it.
 */
export async function putCallEventSettings(
  deps: CallEventDeps,
  organizationId: string,
  input: PutCallEventSettingsRequest,
): Promise<CallEventSettings> {
  const current = await findCallEventSetting(deps.db, organizationId)
  const forwardUrl =
    input.forwardUrl === undefined
      ? (current?.forward_url ?? null)
      : input.forwardUrl === null
        ? null
        : await checkEndpointUrl(deps, input.forwardUrl)
  const auth =
    input.forwardAuth === undefined
      ? {
          type: current?.forward_auth_type ?? null,
          sealed: current?.forward_secret_ciphertext ?? null,
          hint: current?.forward_secret_hint ?? null,
        }
      : input.forwardAuth === null
        ? { type: null, sealed: null, hint: null }
        : (() => {
            const secret = input.forwardAuth.type === 'bearer' ? input.forwardAuth.token : input.forwardAuth.secret
            return { type: input.forwardAuth.type, sealed: deps.box.seal(secret), hint: keyHintOf(secret) }
          })()

  if (input.enabled) await routeNumbers(deps, organizationId)
  else await restoreNumbers(deps, organizationId)

  const row = await saveCallEventSetting(deps.db, {
    organization_id: organizationId,
    is_enabled: input.enabled,
    forward_url: forwardUrl,
    forward_auth_type: auth.type,
    forward_secret_ciphertext: auth.sealed,
    forward_secret_hint: auth.hint,
    fallback_assistant_id:
      input.fallbackAssistantId === undefined ? (current?.fallback_assistant_id ?? null) : input.fallbackAssistantId,
    keeps_transcripts: input.keepTranscripts ?? current?.keeps_transcripts ?? false,
    updated_at: deps.clock.now(),
  })
  return toSettings(row, await countCallEventRoutes(deps.db, organizationId))
}
