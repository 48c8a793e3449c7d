import { z } from 'zod/mini'
import { ApiError } from '../../lib/api-error.ts'
import { requestJson } from '../../lib/request-json.ts'

const sessionUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  // Better Auth's admin plugin: "admin" for platform admins, "user" (or nothing on older rows) for owners.
  role: z.nullish(z.string()),
})
export type SessionUser = z.infer<typeof sessionUserSchema>

const sessionSchema = z.nullable(z.object({ session: z.object({ id: z.string() }), user: sessionUserSchema }))
export type Session = z.infer<typeof sessionSchema>

// Sign-up and sign-in answer with the user (and a token this app does not need: the cookie carries the session).
const signedInSchema = z.object({ user: sessionUserSchema })

export function fetchSession(): Promise<Session> {
  return requestJson('/api/auth/get-session', sessionSchema)
}

/**
 * The server answers a sign-up with a taken email exactly like a new account (so its answer does not tell who has
 * an account here), but opens no session. Only then is there no session after a successful answer.
 */
export async function signUp(input: { name: string; email: string; password: string }) {
  const signedUp = await requestJson('/api/auth/sign-up/email', signedInSchema, { method: 'POST', body: input })
  if ((await fetchSession()) === null) {
    throw new ApiError({
      status: 200,
      code: 'SIGN_UP_WITHOUT_SESSION',
      message: 'An account with this email may already exist.',
    })
  }
  return signedUp
}

export function signIn(input: { email: string; password: string }) {
  return requestJson('/api/auth/sign-in/email', signedInSchema, { method: 'POST', body: input })
}

export function signOut() {
  return requestJson('/api/auth/sign-out', z.unknown(), { method: 'POST', body: {} })
}

export function isPlatformAdmin(user: SessionUser): boolean {
  return user.role === 'admin'
}
