import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { CarrierError } from '../carriers/carrier-error.ts'
import { createTelnyxClient } from '../carriers/telnyx-client.ts'
import { createTwilioClient } from '../carriers/twilio-client.ts'

// What the Vapi sandbox does for numbers bought elsewhere, as Vapi does: `POST /credential { provider: "telnyx",
// apiKey }` keeps a Telnyx key (checked with Telnyx first), and `POST /phone-number` with provider "twilio" or
// "telnyx" checks the credentials with the carrier and that the number is in that carrier account before the
// number is imported, active at once. The carriers are whatever base URLs it is given (the carrier sandboxes in
// sandbox mode). Secrets are never answered back.

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'number must be a valid phone number in the E.164 format')

const importFields = {
  name: z.string().max(40).optional(),
  assistantId: z.string().optional(),
  workflowId: z.string().optional(),
  squadId: z.string().optional(),
  server: z.looseObject({ url: z.url().optional() }).optional(),
  fallbackDestination: z.looseObject({}).optional(),
  hooks: z.array(z.looseObject({})).optional(),
}

/** Vapi's CreateTwilioPhoneNumberDTO. */
export const createTwilioPhoneNumberBodySchema = z
  .strictObject({
    provider: z.literal('twilio'),
    number: e164,
    twilioAccountSid: z.string().min(1),
    twilioAuthToken: z.string().min(1).optional(),
    twilioApiKey: z.string().min(1).optional(),
    twilioApiSecret: z.string().min(1).optional(),
    smsEnabled: z.boolean().optional(),
    ...importFields,
  })
  .refine(
    (body) =>
      body.twilioAuthToken !== undefined || (body.twilioApiKey !== undefined && body.twilioApiSecret !== undefined),
    {
      message: 'twilioAuthToken or twilioApiKey and twilioApiSecret must be provided',
      path: [],
    },
  )

/** Vapi's CreateTelnyxPhoneNumberDTO. */
export const createTelnyxPhoneNumberBodySchema = z.strictObject({
  provider: z.literal('telnyx'),
  number: e164,
  credentialId: z.string().min(1),
  ...importFields,
})

/** Vapi's CreateTelnyxCredentialDTO (the sandbox keeps Telnyx credentials only). */
export const createCredentialBodySchema = z.strictObject({
  provider: z.literal('telnyx'),
  apiKey: z.string().min(1),
  name: z.string().max(40).optional(),
})

export const sandboxCredentialSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  accountId: z.string(),
  provider: z.literal('telnyx'),
  name: z.string().optional(),
  apiKey: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type SandboxCredential = z.infer<typeof sandboxCredentialSchema>

/** Vapi's TelnyxCredential: the key is never returned. */
export function credentialJson(credential: SandboxCredential) {
  const { apiKey: _apiKey, accountId: _accountId, ...shown } = credential
  return shown
}

export function newCredential(input: {
  orgId: string
  accountId: string
  apiKey: string
  name?: string | undefined
  now: string
}): SandboxCredential {
  return {
    id: randomUUID(),
    orgId: input.orgId,
    accountId: input.accountId,
    provider: 'telnyx',
    ...(input.name === undefined ? {} : { name: input.name }),
    apiKey: input.apiKey,
    createdAt: input.now,
    updatedAt: input.now,
  }
}

export interface CarrierImportOptions {
  /** Where the Twilio API is (the Twilio sandbox in sandbox mode); unset: Twilio imports are refused. */
  twilioBaseUrl?: string
  /** Where the Telnyx API is, with /v2 (the Telnyx sandbox in sandbox mode); unset: Telnyx imports are refused. */
  telnyxBaseUrl?: string
}

export type CarrierCheck = { ok: true } | { ok: false; status: 400 | 500; message: string }

function carrierFailure(carrier: 'Twilio' | 'Telnyx', error: unknown, what: string): CarrierCheck {
  if (error instanceof CarrierError && error.kind === 'unauthorized') {
    return {
      ok: false,
      status: 400,
      message: `${carrier} refused the ${what}: ${error.message}${error.code ? ` (${error.code})` : ''}`,
    }
  }
  if (error instanceof CarrierError && (error.kind === 'invalid' || error.kind === 'not-found')) {
    return { ok: false, status: 400, message: `${carrier} error: ${error.message}` }
  }
  // Vapi's answer when the carrier itself cannot be asked: its generic 500.
  return { ok: false, status: 500, message: 'Internal server error' }
}

/** Twilio: the credentials open the account and the number is one of its incoming numbers. */
export async function checkTwilioImport(
  options: CarrierImportOptions,
  body: z.infer<typeof createTwilioPhoneNumberBodySchema>,
): Promise<CarrierCheck> {
  if (!options.twilioBaseUrl)
    return { ok: false, status: 400, message: 'The Vapi sandbox was started without a Twilio to check imports with.' }
  const client = createTwilioClient({
    baseUrl: options.twilioBaseUrl,
    timeoutMs: 10_000,
    credentials: {
      accountSid: body.twilioAccountSid,
      ...(body.twilioApiKey !== undefined && body.twilioApiSecret !== undefined
        ? { apiKeySid: body.twilioApiKey, apiKeySecret: body.twilioApiSecret }
        : { authToken: body.twilioAuthToken ?? '' }),
    },
  })
  try {
    const owned = await client.listIncoming({ phoneNumber: body.number })
    if (!owned.some((number) => number.phoneNumber === body.number)) {
      return {
        ok: false,
        status: 400,
        message: `Number ${body.number} not found in Twilio account ${body.twilioAccountSid}.`,
      }
    }
    return { ok: true }
  } catch (error) {
    return carrierFailure('Twilio', error, 'credentials')
  }
}

/** Telnyx: the key works (at credential creation and again at import) and the number is active in its account. */
export async function checkTelnyxKey(options: CarrierImportOptions, apiKey: string): Promise<CarrierCheck> {
  if (!options.telnyxBaseUrl)
    return {
      ok: false,
      status: 400,
      message: 'The Vapi sandbox was started without a Telnyx to check credentials with.',
    }
  try {
    await createTelnyxClient({ baseUrl: options.telnyxBaseUrl, apiKey, timeoutMs: 10_000 }).checkCredentials()
    return { ok: true }
  } catch (error) {
    return carrierFailure('Telnyx', error, 'API key')
  }
}

export async function checkTelnyxImport(
  options: CarrierImportOptions,
  apiKey: string,
  number: string,
): Promise<CarrierCheck> {
  if (!options.telnyxBaseUrl)
    return { ok: false, status: 400, message: 'The Vapi sandbox was started without a Telnyx to check imports with.' }
  try {
    const client = createTelnyxClient({ baseUrl: options.telnyxBaseUrl, apiKey, timeoutMs: 10_000 })
    const owned = await client.listPhoneNumbers({ phoneNumber: number })
    if (!owned.some((held) => held.phoneNumber === number && held.status === 'active')) {
      return { ok: false, status: 400, message: `Number ${number} not found in the Telnyx account of this credential.` }
    }
    return { ok: true }
  } catch (error) {
    return carrierFailure('Telnyx', error, 'API key')
  }
}

/** What the sandbox keeps of an import: everything but the Twilio secrets (Vapi never answers them either). */
export function withoutSecrets(
  fields: z.infer<typeof createTwilioPhoneNumberBodySchema> | z.infer<typeof createTelnyxPhoneNumberBodySchema>,
) {
  if (fields.provider !== 'twilio') return fields
  const { twilioAuthToken: _token, twilioApiKey: _key, twilioApiSecret: _secret, ...kept } = fields
  return kept
}
