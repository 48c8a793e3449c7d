import { randomUUID } from 'node:crypto'
import { betterAuth } from 'better-auth'
import { APIError, createAuthMiddleware } from 'better-auth/api'
import { admin, organization } from 'better-auth/plugins'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { isDemoAdminSignInFromAfar } from './demo-admin-guard.ts'
import { describeNameProblem } from './name-rules.ts'
import {
  assertMayCreateOrganization,
  defaultOrganizationCreateLimits,
  type OrganizationCreateLimits,
} from './limit-organization-creates.ts'
import { createOrganizationForOwner, findFirstOrganizationIdOfUser } from './organization-repository.ts'

/** The header http/auth-proxy.ts fills with the client's address before Better Auth sees the request. */
export const clientIpHeader = 'x-dialtone-client-ip'

/** Where Better Auth's routes are mounted. */
export const authBasePath = '/api/auth'

export interface AuthOptions {
  db: Kysely<Database>
  secret: string
  baseUrl: string
  trustedOrigins: string[]
  /**
   * Called after every session Better Auth deletes (sign-out, a password change ending the other sessions, an
   * expired session noticed): the realtime server disconnects that session's sockets on every process.
   */
  onSessionEnded?: (session: { id: string; userId: string }) => void
  /** How many organisations a user may own and create; defaultOrganizationCreateLimits unless a test says. */
  organizationCreateLimits?: OrganizationCreateLimits
}

function refuseBadName(name: unknown): void {
  const problem = describeNameProblem(name)
  if (problem) throw new APIError('BAD_REQUEST', { code: 'INVALID_NAME', message: problem })
}

export function createAuth(options: AuthOptions) {
  const { db } = options
  return betterAuth({
    appName: 'dialtone',
    database: { db, type: 'postgres' },
    secret: options.secret,
    baseURL: options.baseUrl,
    basePath: authBasePath,
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
    // The plugins give the tables and the session's organisation and role; their HTTP routes are refused
    // (offered-auth-routes.ts): dialtone's own routes create, delete and administer.
    plugins: [
      organization({
        allowUserToCreateOrganization: false,
        organizationHooks: {
          // Refused over HTTP today; should creation be offered again, a new organisation still must not be a way
          // around the limits that hold per organisation.
          beforeCreateOrganization: async ({ user }) => {
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
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-in/email') return
        const body = (ctx.body ?? {}) as { email?: unknown; password?: unknown }
        const clientAddress = ctx.headers?.get(clientIpHeader)
        if (isDemoAdminSignInFromAfar({ email: body.email, password: body.password, clientAddress })) {
          throw new APIError('FORBIDDEN', {
            code: 'DEMO_ADMIN_LOOPBACK_ONLY',
            message:
              'The demo admin’s published password works only on the machine running dialtone. Sign in there, or give the admin a password of their own.',
          })
        }
      }),
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user) => {
            refuseBadName(user.name)
            return { data: { ...user, name: user.name.trim() } }
          },
          // Every owner who signs up gets an organisation of their own; their numbers belong to it.
          after: async (user) => {
            await createOrganizationForOwner(db, { userId: user.id, ownerName: user.name })
          },
        },
        update: {
          before: async (user) => {
            if ('name' in user) refuseBadName(user.name)
          },
        },
      },
      session: {
        create: {
          before: async (session) => ({
            data: { ...session, activeOrganizationId: await findFirstOrganizationIdOfUser(db, session.userId) },
          }),
        },
        delete: {
          after: async (session) => {
            options.onSessionEnded?.({ id: session.id, userId: session.userId })
          },
        },
      },
    },
  })
}

export type Auth = ReturnType<typeof createAuth>
