import { z } from 'zod'

// Better Auth validates these routes itself (auth/create-auth.ts); these schemas describe its contract paths for
// the OpenAPI document and are checked against its real answers by openapi.test.ts.
export const signUpRequestSchema = z.object({
  name: z.string().min(1),
  email: z.email(),
  password: z.string().min(8),
})
export const signInRequestSchema = z.object({ email: z.email(), password: z.string().min(1) })
const authUserSchema = z.looseObject({ id: z.string(), email: z.string(), name: z.string() })
export const signedInSchema = z.looseObject({ user: authUserSchema })
export const sessionSchema = z
  .looseObject({ session: z.looseObject({ id: z.string(), expiresAt: z.string() }), user: authUserSchema })
  .nullable()
export const signedOutSchema = z.object({ success: z.boolean() })

/** `DELETE /api/organization`'s answer (organization-routes.ts). */
export const deletedOrganizationSchema = z.object({
  organization: z.object({ id: z.string(), name: z.string(), deletedAt: z.string() }),
})
