import type { ReprocessResult, ReprocessSinceResult } from '@dialtone/shared/webhook-log'
import { AppError } from '../lib/app-error.ts'
import type { InboundLogDeps } from './inbound-log-deps.ts'
import {
  findInboundMessage,
  listVerifiedInboundMessagesSince,
  markInboundMessageReprocessed,
  type InboundMessageListRow,
} from './inbound-message-repository.ts'

/** One "process again since…" handles at most this many; the answer says where to go on from. */
export const maxReprocessBatch = 1_000

async function runAgain(deps: InboundLogDeps, row: InboundMessageListRow): Promise<string> {
  const reprocess = deps.reprocessors[row.source]
  if (!reprocess) throw new AppError('CONFLICT', `Messages from ${row.source} cannot be processed again.`)
  // The stored payload is what the first handling saw, less the redacted call content, which no handling acts on.
  const rawBody = new TextEncoder().encode(JSON.stringify(row.payload))
  const { outcome } = await reprocess({
    rawBody,
    messageId: row.message_id,
    attemptId: row.attempt_id,
    deliveryId: row.delivery_id,
    inboundMessageId: row.id,
  })
  await markInboundMessageReprocessed(deps.db, { id: row.id, outcome, at: deps.clock.now() })
  return outcome
}

/**
 * Runs one logged message through the same handling again. Only verified messages: a request whose credentials
 * failed was never dialtone's to act on, and replaying it would act on it. The handling de-duplicates on the
 * message's delivery id, so whatever the first run changed is not changed twice.
 */
export async function reprocessInboundMessage(
  deps: InboundLogDeps,
  input: { id: string; organizationId: string | null },
): Promise<ReprocessResult> {
  const row = await findInboundMessage(deps.db, input.id, input.organizationId)
  if (!row) throw new AppError('NOT_FOUND', 'No such message in the webhook log.')
  if (row.verification !== 'ok') {
    throw new AppError('CONFLICT', 'This message failed verification; dialtone never acts on it.', {
      verification: row.verification,
    })
  }
  if (row.payload === null) throw new AppError('CONFLICT', 'This message has no stored body to process again.')
  return { id: row.id, outcome: await runAgain(deps, row) }
}

/** Every verified message of the organisation (or all, for admins) received since a time, oldest first. */
export async function reprocessInboundMessagesSince(
  deps: InboundLogDeps,
  input: { organizationId: string | null; since: Date },
): Promise<ReprocessSinceResult> {
  const rows = await listVerifiedInboundMessagesSince(deps.db, { ...input, limit: maxReprocessBatch + 1 })
  const batch = rows.slice(0, maxReprocessBatch)
  const outcomes: Record<string, number> = {}
  for (const row of batch) {
    const outcome = deps.reprocessors[row.source] ? await runAgain(deps, row) : 'not-reprocessable'
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
  }
  const next = rows[maxReprocessBatch]
  return {
    reprocessed: batch.length,
    outcomes,
    continueFrom: next ? new Date(next.received_at).toISOString() : null,
  }
}
