import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { keyof } from 'zod/mini'
import { notificationPreferencesSchema } from '@dialtone/shared/notifications'

export const preferenceKeySchema = keyof(notificationPreferencesSchema)
export type PreferenceKey = z.infer<typeof preferenceKeySchema>

const tokenPayloadSchema = z.object({ u: z.string().min(1), p: z.array(preferenceKeySchema).min(1) })

export interface UnsubscribeRequest {
  userId: string
  preferences: PreferenceKey[]
}

function signature(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`unsubscribe.${payload}`).digest()
}

/**
 * A link that turns off the preferences a mail was sent for, with no sign-in: the user id and the preferences,
 * signed with a key derived from AUTH_SECRET. It does not expire (an old mail's link must still work) and can only
 * ever turn mail off.
 */
export function createUnsubscribeToken(secret: string, request: UnsubscribeRequest): string {
  const payload = Buffer.from(JSON.stringify({ u: request.userId, p: request.preferences })).toString('base64url')
  return `${payload}.${signature(secret, payload).toString('base64url')}`
}

export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeRequest | null {
  const [payload, given, ...rest] = token.split('.')
  if (!payload || !given || rest.length > 0) return null
  const expected = signature(secret, payload)
  const actual = Buffer.from(given, 'base64url')
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null
  try {
    const parsed = tokenPayloadSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')))
    return parsed.success ? { userId: parsed.data.u, preferences: parsed.data.p } : null
  } catch {
    return null
  }
}

/** The unsubscribe key: derived, so AUTH_SECRET itself never signs anything but sessions. */
export function deriveUnsubscribeSecret(authSecret: string): string {
  return createHmac('sha256', authSecret).update('dialtone notification unsubscribe').digest('hex')
}
