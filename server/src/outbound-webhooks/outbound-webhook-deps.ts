import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Env } from '../env.ts'
import { systemClock, type Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/logger.ts'
import type { AddressPolicy } from './address-policy.ts'
import type { SecretBox } from './secret-box.ts'

/** What the outbound-webhook use cases receive; nothing here knows about Hono. */
export interface OutboundWebhookDeps {
  db: Kysely<Database>
  clock: Clock
  logger: Logger
  /** Seals endpoint signing secrets at rest: the credentials box (credentials/credential-box.ts). */
  secretBox: SecretBox
  addressPolicy: AddressPolicy
  /** This process in worker_process (processes/): written beside each claim so a dead process's claims are taken over. */
  processId?: string
}

/** The deps as a server process builds them: secrets sealed by the one credentials box (CREDENTIALS_KEY). */
export function createOutboundWebhookDeps(input: {
  db: Kysely<Database>
  logger: Logger
  secretBox: SecretBox
  env: Pick<Env, 'WEBHOOK_ALLOW_PRIVATE_URLS'>
  clock?: Clock
  processId?: string
}): OutboundWebhookDeps {
  return {
    db: input.db,
    clock: input.clock ?? systemClock,
    logger: input.logger.child({ component: 'outbound-webhooks' }),
    secretBox: input.secretBox,
    addressPolicy: { allowPrivateAddresses: input.env.WEBHOOK_ALLOW_PRIVATE_URLS },
    ...(input.processId ? { processId: input.processId } : {}),
  }
}
