import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/logger.ts'
import type { PhoneNumberPublisher } from '../realtime/publisher.ts'
import type { VapiAccounts } from '../connections/vapi-accounts.ts'
import type { VapiClient } from '../vapi/vapi-client.ts'

/** What every provisioning use case receives; nothing here knows about Hono or Socket.IO. */
export interface ProvisioningDeps {
  db: Kysely<Database>
  vapi: VapiClient
  publisher: PhoneNumberPublisher
  clock: Clock
  logger: Logger
  /** A number still unassigned this long after its creation is marked failed. */
  deadlineMs: number
  /** The URL Vapi posts status messages to (PUBLIC_URL + /webhooks/vapi). */
  webhookUrl: string
  /**
   * Each organisation's Vapi account (decision 0010). Absent (a few unit kits): every call uses `vapi`, the
   * deployment's one account, as before 0010.
   */
  vapiAccounts?: VapiAccounts
  /**
   * Whether a purchase sets the number's server.url to dialtone's webhook: only in sandbox mode, where the
   * sandbox's status webhooks need it. Against real Vapi it would take the business's call events away from its
   * own server, so it is false there and the poller is the path. Default true (the kits run the sandbox).
   */
  setsServerUrl?: boolean
  /**
   * This process's id in worker_process (processes/process-heartbeat.ts), written beside the claims the poller
   * and the carrier sagas take, so that the claims of a process that died are taken over once it has been
   * silent ten seconds rather than after their whole lease. Absent (unit kits): claims only expire.
   */
  processId?: string
}
