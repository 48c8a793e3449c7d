import { APIError } from 'better-auth/api'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { listOwnershipDatesOfUser } from './organization-repository.ts'

export interface OrganizationCreateLimits {
  /** Organisations one user may own at once, the one made at sign-up included. */
  maxOwned: number
  /** Organisations one user may become owner of within windowMs (the one made at sign-up counts). */
  maxCreatedPerWindow: number
  windowMs: number
}

/** Room for a person with a few teams; not for a script minting organisations to get fresh limits. */
export const defaultOrganizationCreateLimits: OrganizationCreateLimits = {
  maxOwned: 5,
  maxCreatedPerWindow: 3,
  windowMs: 60 * 60 * 1000,
}

/**
 * Refuses `organization/create` past either limit, counted from the member table every process shares:
 * 403 when the user owns the most allowed, 429 with Retry-After when they created too many lately.
 * Runs in the organisation plugin's beforeCreateOrganization hook, before anything is written.
 */
export async function assertMayCreateOrganization(
  db: Kysely<Database>,
  input: { userId: string; now: Date; limits: OrganizationCreateLimits },
): Promise<void> {
  const { limits, now } = input
  const ownedSince = await listOwnershipDatesOfUser(db, input.userId)
  if (ownedSince.length >= limits.maxOwned) {
    throw new APIError('FORBIDDEN', {
      code: 'ORGANIZATION_LIMIT_REACHED',
      message: `You own ${ownedSince.length} organisations, the most allowed.`,
    })
  }
  const recent = ownedSince.filter((at) => at.getTime() > now.getTime() - limits.windowMs)
  const oldestRecent = recent.at(-1)
  if (recent.length >= limits.maxCreatedPerWindow && oldestRecent) {
    const retryAfterSeconds = Math.max(1, Math.ceil((oldestRecent.getTime() + limits.windowMs - now.getTime()) / 1000))
    throw new APIError(
      'TOO_MANY_REQUESTS',
      {
        code: 'RATE_LIMITED',
        message: `You became owner of ${recent.length} organisations in the last ${Math.round(limits.windowMs / 60_000)} minutes, the most allowed. Try again in ${retryAfterSeconds} s.`,
      },
      { 'Retry-After': String(retryAfterSeconds) },
    )
  }
}
