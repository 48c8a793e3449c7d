import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/logger.ts'
import type { InboundLogContentPolicy } from './redact-inbound-message.ts'

/** A stored message handed back to the handling it first went through. */
export interface StoredInboundMessage {
  rawBody: Uint8Array
  messageId: string | null
  attemptId: string | null
  /** The delivery id the first time: the handling de-duplicates on it, so nothing happens twice. */
  deliveryId: string | null
  /** The log row: handlers that report on it (the relay) may use it. */
  inboundMessageId: string
}

/** Runs a stored message through its source's handling again; answers what that handling answered. */
export type InboundReprocessor = (message: StoredInboundMessage) => Promise<{ outcome: string }>

export interface InboundLogDeps {
  db: Kysely<Database>
  clock: Clock
  logger: Logger
  contentPolicy: InboundLogContentPolicy
  /** By source (`vapi`, `telnyx`, …); a source with none cannot be processed again. */
  reprocessors: Partial<Record<string, InboundReprocessor>>
}
