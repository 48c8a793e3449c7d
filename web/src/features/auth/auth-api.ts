import { z } from 'zod'
import { requestJson } from '../../lib/request-json.ts'

const sessionUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  // Better Auth's admin plugin: "admin" for platform admins, "user" (or nothing on older rows) for owners.
  role: z.string().nullish(),
})
export type SessionUser = z.infer<typeof sessionUserSchema>

const sessionSchema = z.object({ session: z.object({ id: z.string() }), user: sessionUserSchema }).nullable()
export type Session = z.infer<typeof sessionSchema>

// Sign-up and sign-in answer with the user (and a token this app does not need: the cookie carries the session).
const signedInSchema = z.object({ user: sessionUserSchema })

export function fetchSession(): Promise<Session> {
  return requestJson('/api/auth/get-session', sessionSchema)
}

export function signUp(input: { name: string; email: string; password: string }) {
  return requestJson('/api/auth/sign-up/email', signedInSchema, { method: 'POST', body: input })
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
