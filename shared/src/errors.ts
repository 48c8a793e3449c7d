import { z } from 'zod/mini'

export const errorCodes = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'AREA_CODE_UNAVAILABLE',
  'ORGANIZATION_HAS_NUMBERS',
  'LAST_OWNER',
  'INVITATION_EXPIRED',
  'INVITATION_FOR_ANOTHER_EMAIL',
  'VAPI_REJECTED',
  'VAPI_UNAUTHORIZED',
  'VAPI_UNAVAILABLE',
  'VAPI_RATE_LIMITED',
  'DATABASE_UNAVAILABLE',
  'INTERNAL',
  'API_KEY_INVALID',
  'CONNECTION_INVALID',
  'CONNECTION_REQUIRED',
  'VAPI_ACCOUNT_DISCONNECTED',
  'FREE_NUMBER_LIMIT',
  'ASSISTANT_NOT_FOUND',
  'NUMBER_UNAVAILABLE',
  'NUMBER_INVALID',
  'CARRIER_REJECTED',
  'CARRIER_UNAUTHORIZED',
  'CARRIER_UNAVAILABLE',
  'CARRIER_RATE_LIMITED',
] as const
export const errorCodeSchema = z.enum(errorCodes)
export type ErrorCode = z.infer<typeof errorCodeSchema>

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.unknown()),
  }),
})
export type ErrorBody = z.infer<typeof errorBodySchema>
