import type { Kysely } from 'kysely'
import type { Actor } from '../auth/permissions.ts'
import type { Database } from '../db/schema.ts'
import type { Clock } from '../lib/clock.ts'
import type { ApiKeyMode } from './api-key-secret.ts'

/** A key was made or revoked: what the organisation's audit log records (wired by the composition root). */
export interface ApiKeyAuditEvent {
  action: 'api-key.create' | 'api-key.revoke'
  organizationId: string
  actor: Actor
  target: { type: 'api-key'; id: string; label: string }
  at: Date
}

export interface ApiKeyDeps {
  db: Kysely<Database>
  clock: Clock
  /** `test` in sandbox mode: the key's prefix says which world it buys in. */
  mode: ApiKeyMode
  /** Told after each create and revoke commits, and awaited; the routes record it in the audit log. */
  onAuditEvent?: (event: ApiKeyAuditEvent) => void | Promise<void>
}

/** last_used_at is written at most this often per key. */
export const lastUsedWriteIntervalMs = 60_000
