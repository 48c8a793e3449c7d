import { z } from 'zod'
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
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, 'A number is in E.164 form: + and the country code, like +14155550123.')

const optionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} is at most ${max} characters.`)
    .optional()
    .transform((value) => (value === '' ? undefined : value))

/** GET /api/available-numbers: one page of numbers a carrier offers. */
export const availableNumbersQuerySchema = z.object({
  carrier: carrierNameSchema,
  /** ISO 3166-1 alpha-2, like US, CA or GB. */
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'country is a two-letter ISO code, like US, CA or GB.')
    .transform((country) => country.toUpperCase())
    .default('US'),
  type: carrierNumberTypeSchema.default('local'),
  areaCode: z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, 'areaCode is digits, like 415.')
    .optional(),
  /** Digits, letters (keypad: PIZZA is 74992) and * for any one digit. */
  contains: z
    .string()
    .trim()
    .max(16, 'contains is at most 16 characters.')
    .regex(/^[0-9A-Za-z*]*$/, 'contains takes digits, letters and * (any digit).')
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  locality: optionalText(64, 'locality'),
  region: optionalText(64, 'region'),
  nearNumber: e164NumberSchema.optional(),
  page: z.string().max(2_000).optional(),
})
export type AvailableNumbersQuery = z.infer<typeof availableNumbersQuerySchema>

export const availableNumberSchema = z.object({
  number: z.string(),
  country: z.string(),
  locality: z.string().nullable(),
  region: z.string().nullable(),
  capabilities: numberCapabilitiesSchema,
  addressRequired: z.boolean(),
  monthlyPrice: monthlyPriceSchema.optional(),
})
export type AvailableNumber = z.infer<typeof availableNumberSchema>

export const availableNumberListSchema = z.object({
  items: z.array(availableNumberSchema),
  /** Pass back as `page` (with the same filters) for the next page; absent on the last. */
  nextPage: z.string().optional(),
})
export type AvailableNumberList = z.infer<typeof availableNumberListSchema>

/** POST /api/phone-numbers with a chosen carrier number: bought at the carrier, then imported into Vapi. */
export const buyCarrierNumberRequestSchema = z.strictObject({
  carrier: carrierNameSchema,
  number: e164NumberSchema,
  name: phoneNumberNameSchema.optional(),
  assistantId: z.string().uuid('assistantId must be a Vapi assistant id (a UUID).').optional(),
  /** If Vapi refuses the import after the carrier sold the number: keep it at the carrier (default: release it). */
  keepOnFailure: z.boolean().optional(),
})
export type BuyCarrierNumberRequest = z.infer<typeof buyCarrierNumberRequestSchema>

/** GET /api/carrier-numbers: numbers the organisation's carrier account holds. */
export const carrierNumbersQuerySchema = z.object({ carrier: carrierNameSchema })

export const carrierNumberSchema = z.object({
  number: z.string(),
  /** The carrier's id (Twilio PN…, Telnyx phone number id). */
  carrierNumberId: z.string(),
  country: z.string().nullable(),
  capabilities: numberCapabilitiesSchema.nullable(),
  friendlyName: z.string().nullable(),
  createdAt: z.string().nullable(),
  /** dialtone already holds it (pending or live): importing it again is refused. */
  heldByDialtone: z.boolean(),
  /** dialtone's number, when it holds it. */
  phoneNumberId: z.string().nullable(),
})
export type CarrierNumber = z.infer<typeof carrierNumberSchema>

export const carrierNumberListSchema = z.object({ items: z.array(carrierNumberSchema) })
export type CarrierNumberList = z.infer<typeof carrierNumberListSchema>

/** POST /api/phone-numbers/import: numbers the organisation already has at the carrier, into Vapi. */
export const importCarrierNumbersRequestSchema = z.strictObject({
  carrier: carrierNameSchema,
  numbers: z
    .array(e164NumberSchema)
    .min(1, 'numbers: name at least one number.')
    .max(20, 'numbers: at most 20 at a time.')
    .refine((numbers) => new Set(numbers).size === numbers.length, 'numbers: each number once.'),
  assistantId: z.string().uuid('assistantId must be a Vapi assistant id (a UUID).').optional(),
})
export type ImportCarrierNumbersRequest = z.infer<typeof importCarrierNumbersRequestSchema>

export const importResultSchema = z.object({
  number: z.string(),
  /** imported: live in Vapi; failed: nothing changed for this number (see error). */
  outcome: z.enum(['imported', 'failed']),
  phoneNumber: phoneNumberSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
})
export const importCarrierNumbersResultSchema = z.object({
  imported: z.number().int(),
  failed: z.number().int(),
  items: z.array(importResultSchema),
})
export type ImportCarrierNumbersResult = z.infer<typeof importCarrierNumbersResultSchema>

/** PUT /api/connections/twilio: an API key and secret (preferred) or the account's auth token. */
export const putTwilioConnectionRequestSchema = z.union([
  z.strictObject({
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'accountSid is the Account SID from the Twilio console: AC and 32 hex digits.'),
    apiKeySid: z
      .string()
      .trim()
      .regex(/^SK[0-9a-fA-F]{32}$/, 'apiKeySid is an API key SID: SK and 32 hex digits.'),
    apiKeySecret: z.string().trim().min(8, 'apiKeySecret is the API key’s secret.').max(200),
  }),
  z.strictObject({
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'accountSid is the Account SID from the Twilio console: AC and 32 hex digits.'),
    authToken: z.string().trim().min(8, 'authToken is the account’s auth token.').max(200),
  }),
])
export type PutTwilioConnectionRequest = z.infer<typeof putTwilioConnectionRequestSchema>

/** PUT /api/connections/telnyx: an API key; the public key (Telnyx portal) verifies this account's webhooks. */
export const putTelnyxConnectionRequestSchema = z.strictObject({
  apiKey: z.string().trim().min(8, 'Paste an API key from the Telnyx portal (API Keys).').max(300),
  publicKey: z.string().trim().max(500).optional(),
})
export type PutTelnyxConnectionRequest = z.infer<typeof putTelnyxConnectionRequestSchema>
