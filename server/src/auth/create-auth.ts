import { randomUUID } from 'node:crypto'
import { betterAuth } from 'better-auth'
import { admin, organization } from 'better-auth/plugins'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import {
  assertMayCreateOrganization,
  defaultOrganizationCreateLimits,
  type OrganizationCreateLimits,
} from './limit-organization-creates.ts'
import { createOrganizationForOwner, findFirstOrganizationIdOfUser } from './organization-repository.ts'

/** The header http/auth-proxy.ts fills with the client's address before Better Auth sees the request. */
export const clientIpHeader = 'x-dialtone-client-ip'

export interface AuthOptions {
  db: Kysely<Database>
  secret: string
  baseUrl: string
  trustedOrigins: string[]
  /** How many organisations a user may own and create; defaultOrganizationCreateLimits unless a test says. */
  organizationCreateLimits?: OrganizationCreateLimits
}

export function createAuth(options: AuthOptions) {
  const { db } = options
  return betterAuth({
    appName: 'dialtone',
    database: { db, type: 'postgres' },
    secret: options.secret,
    baseURL: options.baseUrl,
    basePath: '/api/auth',
    trustedOrigins: options.trustedOrigins,
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    // dialtone counts these itself, in the store every process shares and per account as well as per address
    // (security/limit-auth-requests.ts); the library's limiter counts per process and per address only.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: 'dialtone',
      // Set by http/auth-proxy.ts from the client address the trusted-proxy setting decides (a client's own value
      // is replaced): what sessions record.
      ipAddress: { ipAddressHeaders: [clientIpHeader] },
      database: { generateId: () => randomUUID() },
      defaultCookieAttributes: { sameSite: 'lax', httpOnly: true },
    },
    plugins: [
      organization({
        allowUserToCreateOrganization: true,
        organizationHooks: {
          beforeCreateOrganization: async ({ user }) => {
            // A new organisation must not be a way around the limits that hold per organisation.
            await assertMayCreateOrganization(db, {
              userId: user.id,
              now: new Date(),
              limits: options.organizationCreateLimits ?? defaultOrganizationCreateLimits,
            })
          },
        },
      }),
      admin(),
    ],
    databaseHooks: {
      user: {
        create: {
          // Every owner who signs up gets an organisation of their own; their numbers belong to it.
          after: async (user) => {
            await createOrganizationForOwner(db, { userId: user.id, ownerName: user.name })
          },
        },
      },
      session: {
        create: {
          before: async (session) => ({
            data: { ...session, activeOrganizationId: await findFirstOrganizationIdOfUser(db, session.userId) },
          }),
        },
      },
    },
  })
}

export type Auth = ReturnType<typeof createAuth>
