import type { Kysely } from 'kysely'
import type { CredentialBox } from '../credentials/credential-box.ts'
import type { Database } from '../db/schema.ts'
import type { Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/logger.ts'
import type { AddressPolicy } from '../outbound-webhooks/address-policy.ts'
import type { ProvisioningDeps } from '../provisioning/provisioning-deps.ts'
import type { PhoneNumberPublisher } from '../realtime/publisher.ts'

/** Vapi waits 20 s for an answer by default (server.timeoutSeconds); the relay gives up earlier to answer in time. */
export const vapiAnswerTimeoutMs = 20_000
export const defaultRelayTimeoutMs = vapiAnswerTimeoutMs - 3_000

/** What the call-event use cases receive; nothing here knows about Hono or Socket.IO. */
export interface CallEventDeps {
  db: Kysely<Database>
  clock: Clock
  logger: Logger
  /** Seals forwarding credentials and the server settings dialtone replaced (CREDENTIALS_KEY). */
  box: CredentialBox
  /** Where forwarding may go (WEBHOOK_ALLOW_PRIVATE_URLS). */
  addressPolicy: AddressPolicy
  publisher: PhoneNumberPublisher
  /** The organisations' Vapi accounts and dialtone's webhook URL, for routing numbers at Vapi. */
  provisioning: Pick<ProvisioningDeps, 'vapi' | 'vapiAccounts' | 'webhookUrl'>
  /** How long the organisation's server may take to answer a message Vapi waits on; then the fallback. */
  relayTimeoutMs: number
  /** Told when messages were queued for forwarding (a worker in this process sends them at once). */
  onQueued?: () => void
  /** Sandbox mode: where the sandbox places test calls; null against real Vapi. */
  sandboxUrl?: string | null
  /** This process's id in worker_process: written beside forwarding claims, so a dead process's are taken over. */
  processId?: string
}
