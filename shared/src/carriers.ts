import { z } from 'zod/mini'
import {
  monthlyPriceSchema,
  numberCapabilitiesSchema,
  phoneNumberNameSchema,
  phoneNumberSchema,
} from './phone-number.ts'

/** Carriers dialtone buys numbers from and imports into Vapi. */
export const carrierNames = ['twilio', 'telnyx'] as const
export const carrierNameSchema = z.enum(carrierNames, { message: 'carrier is twilio or telnyx.' })
export type CarrierName = z.infer<typeof carrierNameSchema>

export const carrierNumberTypes = ['local', 'toll-free', 'mobile'] as const
export const carrierNumberTypeSchema = z.enum(carrierNumberTypes, { message: 'type is local, toll-free or mobile.' })
export type CarrierNumberType = z.infer<typeof carrierNumberTypeSchema>

export const e164NumberSchema = z
  .string()
  .check(
    z.trim(),
    z.regex(/^\+[1-9]\d{6,14}$/, 'A number is in E.164 form: + and the country code, like +14155550123.'),
  )

/** Left out, or empty: undefined. */
const emptyAsUndefined = (schema: z.ZodMiniOptional<z.ZodMiniString<string>>) =>
  z.pipe(
    schema,
    z.transform((value: string | undefined) => (value === '' ? undefined : value)),
  )

const optionalText = (max: number, what: string) =>
  emptyAsUndefined(z.optional(z.string().check(z.trim(), z.maxLength(max, `${what} is at most ${max} characters.`))))

/** GET /api/available-numbers: one page of numbers a carrier offers. */
export const availableNumbersQuerySchema = z.object({
  carrier: carrierNameSchema,
  /** ISO 3166-1 alpha-2, like US, CA or GB. */
  country: z._default(
    z.pipe(
      z.string().check(z.trim(), z.regex(/^[A-Za-z]{2}$/, 'country is a two-letter ISO code, like US, CA or GB.')),
      z.transform((country: string) => country.toUpperCase()),
    ),
    'US',
  ),
  type: z._default(carrierNumberTypeSchema, 'local'),
  areaCode: z.optional(z.string().check(z.trim(), z.regex(/^\d{1,5}$/, 'areaCode is digits, like 415.'))),
  /** Digits, letters (keypad: PIZZA is 74992) and * for any one digit. */
  contains: emptyAsUndefined(
    z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.maxLength(16, 'contains is at most 16 characters.'),
          z.regex(/^[0-9A-Za-z*]*$/, 'contains takes digits, letters and * (any digit).'),
        ),
    ),
  ),
  locality: optionalText(64, 'locality'),
  region: optionalText(64, 'region'),
  nearNumber: z.optional(e164NumberSchema),
  page: z.optional(z.string().check(z.maxLength(2_000))),
})
export type AvailableNumbersQuery = z.infer<typeof availableNumbersQuerySchema>

export const availableNumberSchema = z.object({
  number: z.string(),
  country: z.string(),
  locality: z.nullable(z.string()),
  region: z.nullable(z.string()),
  capabilities: numberCapabilitiesSchema,
  addressRequired: z.boolean(),
  monthlyPrice: z.optional(monthlyPriceSchema),
})
export type AvailableNumber = z.infer<typeof availableNumberSchema>

export const availableNumberListSchema = z.object({
  items: z.array(availableNumberSchema),
  /** Pass back as `page` (with the same filters) for the next page; absent on the last. */
  nextPage: z.optional(z.string()),
})
export type AvailableNumberList = z.infer<typeof availableNumberListSchema>

/** POST /api/phone-numbers with a chosen carrier number: bought at the carrier, then imported into Vapi. */
export const buyCarrierNumberRequestSchema = z.strictObject({
  carrier: carrierNameSchema,
  number: e164NumberSchema,
  name: z.optional(phoneNumberNameSchema),
  assistantId: z.optional(z.uuid('assistantId must be a Vapi assistant id (a UUID).')),
  /** If Vapi refuses the import after the carrier sold the number: keep it at the carrier (default: release it). */
  keepOnFailure: z.optional(z.boolean()),
})
export type BuyCarrierNumberRequest = z.infer<typeof buyCarrierNumberRequestSchema>

/** GET /api/carrier-numbers: numbers the organisation's carrier account holds. */
export const carrierNumbersQuerySchema = z.object({ carrier: carrierNameSchema })

export const carrierNumberSchema = z.object({
  number: z.string(),
  /** The carrier's id (Twilio PN…, Telnyx phone number id). */
  carrierNumberId: z.string(),
  country: z.nullable(z.string()),
  capabilities: z.nullable(numberCapabilitiesSchema),
  friendlyName: z.nullable(z.string()),
  createdAt: z.nullable(z.string()),
  /** dialtone already holds it (pending or live): importing it again is refused. */
  heldByDialtone: z.boolean(),
  /** dialtone's number, when it holds it. */
  phoneNumberId: z.nullable(z.string()),
})
export type CarrierNumber = z.infer<typeof carrierNumberSchema>

export const carrierNumberListSchema = z.object({ items: z.array(carrierNumberSchema) })
export type CarrierNumberList = z.infer<typeof carrierNumberListSchema>

/** POST /api/phone-numbers/import: numbers the organisation already has at the carrier, into Vapi. */
export const importCarrierNumbersRequestSchema = z.strictObject({
  carrier: carrierNameSchema,
  numbers: z.array(e164NumberSchema).check(
    z.minLength(1, 'numbers: name at least one number.'),
    z.maxLength(20, 'numbers: at most 20 at a time.'),
    z.refine((numbers) => new Set(numbers).size === numbers.length, 'numbers: each number once.'),
  ),
  assistantId: z.optional(z.uuid('assistantId must be a Vapi assistant id (a UUID).')),
})
export type ImportCarrierNumbersRequest = z.infer<typeof importCarrierNumbersRequestSchema>

export const importResultSchema = z.object({
  number: z.string(),
  /** imported: live in Vapi; failed: nothing changed for this number (see error). */
  outcome: z.enum(['imported', 'failed']),
  phoneNumber: z.nullable(phoneNumberSchema),
  error: z.nullable(z.object({ code: z.string(), message: z.string() })),
})
export const importCarrierNumbersResultSchema = z.object({
  imported: z.int(),
  failed: z.int(),
  items: z.array(importResultSchema),
})
export type ImportCarrierNumbersResult = z.infer<typeof importCarrierNumbersResultSchema>

const twilioAccountSidSchema = z
  .string()
  .check(
    z.trim(),
    z.regex(/^AC[0-9a-fA-F]{32}$/, 'accountSid is the Account SID from the Twilio console: AC and 32 hex digits.'),
  )

/** PUT /api/connections/twilio: an API key and secret (preferred) or the account's auth token. */
export const putTwilioConnectionRequestSchema = z.union([
  z.strictObject({
    accountSid: twilioAccountSidSchema,
    apiKeySid: z
      .string()
      .check(z.trim(), z.regex(/^SK[0-9a-fA-F]{32}$/, 'apiKeySid is an API key SID: SK and 32 hex digits.')),
    apiKeySecret: z.string().check(z.trim(), z.minLength(8, 'apiKeySecret is the API key’s secret.'), z.maxLength(200)),
  }),
  z.strictObject({
    accountSid: twilioAccountSidSchema,
    authToken: z.string().check(z.trim(), z.minLength(8, 'authToken is the account’s auth token.'), z.maxLength(200)),
  }),
])
export type PutTwilioConnectionRequest = z.infer<typeof putTwilioConnectionRequestSchema>

/** PUT /api/connections/telnyx: an API key; the public key (Telnyx portal) verifies this account's webhooks. */
export const putTelnyxConnectionRequestSchema = z.strictObject({
  apiKey: z
    .string()
    .check(z.trim(), z.minLength(8, 'Paste an API key from the Telnyx portal (API Keys).'), z.maxLength(300)),
  publicKey: z.optional(z.string().check(z.trim(), z.maxLength(500))),
})
export type PutTelnyxConnectionRequest = z.infer<typeof putTelnyxConnectionRequestSchema>
