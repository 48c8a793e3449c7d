import { z } from 'zod'

// Vapi's shapes as dialtone reads them. Loose on purpose: Vapi adds fields over time and a new field must never
// turn a good answer into an error. Optional fields accept null too, because Vapi's API sometimes sends null for
// "not set" where its OpenAPI spec says "absent".

/** The statuses Vapi documents for its own numbers; any other string is passed through untouched. */
export const vapiPhoneNumberStatuses = ['active', 'activating', 'blocked'] as const
export type KnownVapiPhoneNumberStatus = (typeof vapiPhoneNumberStatuses)[number]

export function isKnownVapiPhoneNumberStatus(status: unknown): status is KnownVapiPhoneNumberStatus {
  return vapiPhoneNumberStatuses.some((known) => known === status)
}

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const e164Schema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number like +14155550123')

export const vapiServerSchema = z.looseObject({
  url: z.string().nullish(),
  headers: z.record(z.string(), z.unknown()).nullish(),
  timeoutSeconds: z.number().nullish(),
  credentialId: z.string().nullish(),
})
export type VapiServer = z.infer<typeof vapiServerSchema>

const vapiPhoneNumberFields = z.looseObject({
  id: z.string().min(1),
  orgId: z.string(),
  provider: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.union([z.enum(vapiPhoneNumberStatuses), z.string()]).nullish(),
  /** E.164 for Vapi's own numbers; "" or absent while not assigned. Other providers may hold SIP-style numbers. */
  number: z.string().nullish(),
  numberDesiredAreaCode: z.string().nullish(),
  name: z.string().nullish(),
  assistantId: z.string().nullish(),
  server: vapiServerSchema.nullish(),
})

export const vapiPhoneNumberSchema = vapiPhoneNumberFields.superRefine((phoneNumber, context) => {
  // A malformed number on a Vapi number must not be stored as if it were dialable.
  if (phoneNumber.provider === 'vapi' && phoneNumber.number && !e164Schema.safeParse(phoneNumber.number).success) {
    context.addIssue({ code: 'custom', path: ['number'], message: 'expected an E.164 number like +14155550123' })
  }
})
export type VapiPhoneNumber = z.infer<typeof vapiPhoneNumberSchema>

/**
 * Lists are read as Vapi sends them: some users report list answers with masked digits (`+165****8621`), which
 * must not make the whole page unreadable. A list item's number is therefore never taken as the number: the
 * poller's change feed confirms any number that is not plain E.164 with a GET (poll-change-feed.ts).
 */
export const vapiPhoneNumberListSchema = z.array(vapiPhoneNumberFields)

/** Vapi's (NestJS's) error body: `message` is a sentence, or a list of them for validation errors. */
export const vapiErrorBodySchema = z.looseObject({
  message: z.union([z.string(), z.array(z.string())]).optional(),
  error: z.string().optional(),
  statusCode: z.number().optional(),
})
export type VapiErrorBody = z.infer<typeof vapiErrorBodySchema>

/** An assistant as dialtone reads it: its id and name (Vapi sends many more fields). */
export const vapiAssistantSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
})
export type VapiAssistant = z.infer<typeof vapiAssistantSchema>

export const vapiAssistantListSchema = z.array(vapiAssistantSchema)

/** A credential Vapi keeps (POST /credential): dialtone reads only its id. */
export const vapiCredentialSchema = z.looseObject({ id: z.string().min(1) })
