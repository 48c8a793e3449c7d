import { z } from 'zod'

// Vapi validates bodies with NestJS's class-validator (whitelist + forbidNonWhitelisted): unknown properties are
// refused, and a 400 lists one sentence per problem. These schemas follow Vapi's DTOs; `toValidationMessages` turns
// zod's issues into class-validator's wording so callers see what Vapi would say.

export const vapiProviders = ['byo-phone-number', 'twilio', 'vonage', 'vapi', 'telnyx'] as const

const isoDateString = z
  .string()
  .refine(
    (value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)),
    'must be a valid ISO 8601 date string',
  )

const serverSchema = z.strictObject({
  url: z.url().optional(),
  headers: z.record(z.string(), z.unknown()).optional(),
  timeoutSeconds: z.number().min(1).max(300).optional(),
  credentialId: z.string().optional(),
  staticIpAddressesEnabled: z.boolean().optional(),
  encryptedPaths: z.array(z.string()).optional(),
  // Accepted as Vapi does; the sandbox delivers once either way (Vapi retries only with a backoffPlan).
  backoffPlan: z.looseObject({}).optional(),
})

const sharedFields = {
  name: z.string().max(40).optional(),
  assistantId: z.string().optional(),
  workflowId: z.string().optional(),
  squadId: z.string().optional(),
  server: serverSchema.optional(),
  fallbackDestination: z.looseObject({}).optional(),
  hooks: z.array(z.looseObject({})).optional(),
  sipUri: z.string().optional(),
  authentication: z.looseObject({}).optional(),
}

export const createVapiPhoneNumberBodySchema = z.strictObject({
  provider: z.literal('vapi'),
  // Vapi's DTO only says "three characters"; availability is decided after validation.
  numberDesiredAreaCode: z.string().min(3).max(3),
  ...sharedFields,
})
export type CreateVapiPhoneNumberBody = z.infer<typeof createVapiPhoneNumberBodySchema>

// On an update, `null` clears what a number is routed to (Vapi's docs: "null clears") and its server.
export const updateVapiPhoneNumberBodySchema = z.strictObject({
  provider: z.literal('vapi').optional(),
  ...sharedFields,
  assistantId: z.string().nullable().optional(),
  workflowId: z.string().nullable().optional(),
  squadId: z.string().nullable().optional(),
  server: serverSchema.nullable().optional(),
})
export type UpdateVapiPhoneNumberBody = z.infer<typeof updateVapiPhoneNumberBodySchema>

/** What the sandbox holds and answers for a number (also what its state file stores). */
export const sandboxPhoneNumberSchema = z.object({
  ...sharedFields,
  id: z.string(),
  orgId: z.string(),
  /** "twilio" and "telnyx" are imports (sandbox-carrier-imports.ts): active with their number from the start. */
  provider: z.enum(['vapi', 'twilio', 'telnyx']),
  status: z.enum(['activating', 'active', 'blocked']),
  number: z.string().optional(),
  /** Vapi's own numbers only. */
  numberDesiredAreaCode: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Twilio imports: the account the number is in (the secrets are never kept or answered). */
  twilioAccountSid: z.string().optional(),
  smsEnabled: z.boolean().optional(),
  /** Telnyx imports: the Vapi credential holding the Telnyx key. */
  credentialId: z.string().optional(),
})
export type SandboxPhoneNumber = z.infer<typeof sandboxPhoneNumberSchema>

/** The part of Vapi's CreateAssistantDTO the sandbox keeps; other properties are refused as Vapi refuses unknown ones. */
export const createAssistantBodySchema = z.strictObject({
  name: z.string().max(40).optional(),
  firstMessage: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
})

export const sandboxAssistantSchema = createAssistantBodySchema.extend({
  id: z.string(),
  orgId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type SandboxAssistant = z.infer<typeof sandboxAssistantSchema>

/** `POST /_sandbox/accounts`. */
export const createAccountBodySchema = z.strictObject({ name: z.string().trim().min(1).max(80).optional() })

export const listPhoneNumbersQuerySchema = z.strictObject({
  limit: z.coerce.number().min(0).max(1000).default(100),
  createdAtGt: isoDateString.optional(),
  createdAtLt: isoDateString.optional(),
  createdAtGe: isoDateString.optional(),
  createdAtLe: isoDateString.optional(),
  updatedAtGt: isoDateString.optional(),
  updatedAtLt: isoDateString.optional(),
  updatedAtGe: isoDateString.optional(),
  updatedAtLe: isoDateString.optional(),
})
export type ListPhoneNumbersQuery = z.infer<typeof listPhoneNumbersQuerySchema>

/** class-validator's sentences for zod's issues, e.g. "property foo should not exist", "name must be shorter than or equal to 40 characters". */
export function toValidationMessages(error: z.ZodError): string[] {
  return error.issues.flatMap((issue): string[] => {
    const path = issue.path.map(String).join('.')
    const subject = path === '' ? 'body' : path
    const prefix = path === '' ? '' : `${path}.`
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => `${prefix}property ${key} should not exist`)
      case 'invalid_type':
        if (issue.expected === 'number') return [`${subject} must be a number conforming to the specified constraints`]
        if (issue.expected === 'object') return [`${subject} must be an object`]
        if (issue.expected === 'array') return [`${subject} must be an array`]
        if (issue.expected === 'boolean') return [`${subject} must be a boolean value`]
        return [`${subject} must be a string`]
      case 'too_small':
        return issue.origin === 'string'
          ? [`${subject} must be longer than or equal to ${String(issue.minimum)} characters`]
          : [`${subject} must not be less than ${String(issue.minimum)}`]
      case 'too_big':
        return issue.origin === 'string'
          ? [`${subject} must be shorter than or equal to ${String(issue.maximum)} characters`]
          : [`${subject} must not be greater than ${String(issue.maximum)}`]
      case 'invalid_value':
        return [`${subject} must be one of the following values: ${issue.values.map(String).join(', ')}`]
      case 'invalid_format':
        return issue.format === 'url' ? [`${subject} must be a URL address`] : [`${subject} ${issue.message}`]
      default:
        return [`${subject} ${issue.message}`]
    }
  })
}
