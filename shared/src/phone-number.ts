import { z } from 'zod/mini'
import { normalizeAreaCodeInput } from './area-codes.ts'

export const phoneNumberStatuses = ['pending', 'active', 'failed', 'released'] as const
export const phoneNumberStatusSchema = z.enum(phoneNumberStatuses)
export type PhoneNumberStatus = z.infer<typeof phoneNumberStatusSchema>

/** How dialtone learned that a number changed: a Vapi webhook, the fallback poller, or an owner's "check now". */
export const signalSources = ['webhook', 'poll', 'manual'] as const
export const signalSourceSchema = z.enum(signalSources)
export type SignalSource = z.infer<typeof signalSourceSchema>

export const numberProviders = ['vapi', 'twilio', 'telnyx'] as const
export const numberProviderSchema = z.enum(numberProviders)
export type NumberProvider = z.infer<typeof numberProviderSchema>

export const numberCapabilitiesSchema = z.object({ voice: z.boolean(), sms: z.boolean(), mms: z.boolean() })
export type NumberCapabilities = z.infer<typeof numberCapabilitiesSchema>

/** A price as the carrier wrote it: a decimal string (never a float) and an ISO 4217 currency, like "1.15" USD. */
export const monthlyPriceSchema = z.object({ amount: z.string(), currency: z.string() })
export type MonthlyPrice = z.infer<typeof monthlyPriceSchema>

export const callStates = ['idle', 'ringing', 'in-call'] as const
export const callStateSchema = z.enum(callStates)
export type CallState = z.infer<typeof callStateSchema>

export const callActivitySchema = z.object({
  state: callStateSchema,
  /** When the current call started (null unless ringing or in a call). */
  callStartedAt: z.nullable(z.string()),
  lastCallAt: z.nullable(z.string()),
  /** Vapi's endedReason of the last call, like customer-ended-call or assistant-error. */
  lastEndedReason: z.nullable(z.string()),
  /** Calls that started today (UTC). */
  callsToday: z.int().check(z.nonnegative()),
  /** The first call the number ever took: proof that it works. */
  answeredFirstCallAt: z.nullable(z.string()),
  /** The latest calls all ended with reasons that mean the line or the assistant is broken (assistant-error, pipeline-error-…). */
  failing: z.boolean(),
})
export type CallActivity = z.infer<typeof callActivitySchema>

export const phoneNumberSchema = z.object({
  id: z.uuid(),
  /** Vapi's id for the number; null while a carrier number is bought but not yet imported into Vapi. */
  vapiPhoneNumberId: z.nullable(z.string()),
  name: z.nullable(z.string()),
  areaCode: z.string(),
  number: z.nullable(z.string()),
  status: phoneNumberStatusSchema,
  failureReason: z.nullable(z.string()),
  detectedBy: z.nullable(signalSourceSchema),
  version: z.int().check(z.positive()),
  createdAt: z.string(),
  activatedAt: z.nullable(z.string()),
  updatedAt: z.string(),
  /** The Vapi assistant that answers the number (its name as it was when assigned); null: calls go unanswered. */
  assistant: z.nullable(z.object({ id: z.string(), name: z.nullable(z.string()) })),
  /** Where it was bought: Vapi itself (US, by area code) or a carrier whose number was imported into Vapi. */
  provider: numberProviderSchema,
  /** ISO 3166 alpha-2 country, like US, CA or GB. */
  country: z.string(),
  capabilities: numberCapabilitiesSchema,
  /** What the line is doing, from Vapi's call messages (when the organisation lets dialtone receive them). */
  activity: callActivitySchema,
  /**
   * What the carrier said the number costs a month when it was bought or imported. null: the carrier gave no price
   * (shown as "price unknown", never as 0), or a Vapi number, which Vapi gives free (provider "vapi").
   */
  monthlyPrice: z.optional(z.nullable(monthlyPriceSchema)),
})
export type PhoneNumber = z.infer<typeof phoneNumberSchema>

/**
 * North American Numbering Plan area code: NXX where N is 2-9, and the second and third digits are not
 * both the same as an "easily recognisable code" (N11 codes are service codes, 37X and 96X are reserved, 555 is
 * for directory assistance and fiction). "(415)" and "+1 415" are read as 415.
 */
export const areaCodeSchema = z.pipe(
  z.pipe(z.string(), z.transform(normalizeAreaCodeInput)),
  z.string().check(
    z.regex(/^\d{3}$/, 'An area code is three digits, like 415.'),
    z.refine((code) => /^[2-9]/.test(code), 'An area code cannot start with 0 or 1.'),
    z.refine((code) => !/^[2-9]11$/.test(code), 'N11 codes (like 411 or 911) are service codes, not area codes.'),
    z.refine((code) => code[1] !== '9', 'No area code has 9 as its middle digit.'),
    z.refine(
      (code) => code !== '555',
      '555 is kept for directory assistance and made-up numbers in films; no real number has that area code.',
    ),
    z.refine((code) => !/^(37|96)\d$/.test(code), `37X and 96X codes are held in reserve; none is in service.`),
  ),
)

export const phoneNumberNameSchema = z
  .string()
  .check(z.trim(), z.maxLength(40, 'A name is at most 40 characters (Vapi’s limit).'))

export const createPhoneNumberRequestSchema = z.object({
  areaCode: areaCodeSchema,
  name: z.optional(phoneNumberNameSchema),
  assistantId: z.optional(z.uuid('assistantId must be a Vapi assistant id (a UUID).')),
})
export type CreatePhoneNumberRequest = z.infer<typeof createPhoneNumberRequestSchema>

/** PATCH /api/phone-numbers/:id: a new name and/or assistant (null clears the assistant); at least one field. */
export const updatePhoneNumberRequestSchema = z
  .strictObject({
    name: z.optional(phoneNumberNameSchema),
    assistantId: z.optional(z.nullable(z.uuid('assistantId must be a Vapi assistant id (a UUID).'))),
  })
  .check(
    z.refine((body) => body.name !== undefined || body.assistantId !== undefined, {
      message: 'Send a name, an assistantId, or both.',
    }),
  )
export type UpdatePhoneNumberRequest = z.infer<typeof updatePhoneNumberRequestSchema>

export const listPhoneNumbersQuerySchema = z.object({
  status: z.optional(phoneNumberStatusSchema),
  q: z.optional(z.string().check(z.trim(), z.maxLength(100))),
  cursor: z.optional(z.string().check(z.maxLength(200))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50),
})
export type ListPhoneNumbersQuery = z.infer<typeof listPhoneNumbersQuerySchema>

export const phoneNumberListSchema = z.object({
  items: z.array(phoneNumberSchema),
  nextCursor: z.nullable(z.string()),
})
export type PhoneNumberList = z.infer<typeof phoneNumberListSchema>

export const refreshAllResultSchema = z.object({
  checked: z.int(),
  activated: z.int(),
  stillPending: z.int(),
  failed: z.int(),
})
export type RefreshAllResult = z.infer<typeof refreshAllResultSchema>

/**
 * GET /api/phone-numbers/monthly-cost: what the organisation's numbers (pending or live) cost a month, summed per
 * currency over those whose price the carrier gave. Numbers without a known price are counted, never added as 0.
 */
export const monthlyCostSchema = z.object({
  totals: z.array(z.object({ currency: z.string(), amount: z.string(), numbers: z.int() })),
  /** Carrier numbers whose carrier gave no price. */
  priceUnknown: z.int(),
  /** Vapi's own numbers, which Vapi gives free. */
  freeVapiNumbers: z.int(),
})
export type MonthlyCost = z.infer<typeof monthlyCostSchema>

/** Median seconds from request to live over the organisation's recent numbers; null when nothing went live yet. */
export const provisioningTimingSchema = z.object({
  typicalSecondsToLive: z.nullable(z.number()),
  sampleSize: z.int(),
})
export type ProvisioningTiming = z.infer<typeof provisioningTimingSchema>
