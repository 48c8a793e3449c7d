import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/logger.ts'
import type { PhoneNumberPublisher } from '../realtime/publisher.ts'
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
}
