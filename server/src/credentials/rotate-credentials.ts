import type { Kysely } from 'kysely'
import { listSealedConnectionSecrets, replaceSealedConnectionSecret } from '../connections/connection-repository.ts'
import type { Database } from '../db/schema.ts'
import {
  listSealedWebhookSecrets,
  replaceSealedWebhookSecret,
} from '../outbound-webhooks/webhook-endpoint-repository.ts'
import type { CredentialBox } from './credential-box.ts'
import { listSealedCallEventSecrets, replaceSealedCallEventSecret } from '../call-events/call-event-repository.ts'

export interface RotationCounts {
  /** Re-sealed under the current key. */
  resealed: number
  /** Already under the current key. */
  current: number
  /** No configured key opens it (CREDENTIALS_KEY_PREVIOUS missing?): left as it was. */
  unreadable: number
}

export interface RotationReport {
  keyId: string
  connections: RotationCounts
  webhookSecrets: RotationCounts
  /** Call-event forwarding credentials and the server settings remembered for numbers routed to dialtone. */
  callEventSecrets: RotationCounts
}

/**
 * `pnpm credentials:rotate`: every stored secret not yet under the current CREDENTIALS_KEY is opened with the key
 * that sealed it (a previous key, or the v1 AUTH_SECRET key of old webhook secrets) and sealed again. Each value is
 * replaced only if unchanged since it was read, so it can run while servers run; running it twice is harmless.
 */
export async function rotateCredentials(db: Kysely<Database>, box: CredentialBox): Promise<RotationReport> {
  const connections: RotationCounts = { resealed: 0, current: 0, unreadable: 0 }
  for (const row of await listSealedConnectionSecrets(db)) {
    const next = reseal(box, row.secret_ciphertext, connections)
    if (next) await replaceSealedConnectionSecret(db, { id: row.id, from: row.secret_ciphertext, to: next })
  }
  const webhookSecrets: RotationCounts = { resealed: 0, current: 0, unreadable: 0 }
  for (const row of await listSealedWebhookSecrets(db)) {
    for (const column of ['secret_ciphertext', 'previous_secret_ciphertext'] as const) {
      const sealed = row[column]
      if (sealed === null) continue
      const next = reseal(box, sealed, webhookSecrets)
      if (next) await replaceSealedWebhookSecret(db, { id: row.id, column, from: sealed, to: next })
    }
  }
  const callEventSecrets: RotationCounts = { resealed: 0, current: 0, unreadable: 0 }
  const sealedCallEvents = await listSealedCallEventSecrets(db)
  for (const [table, rows] of [
    ['setting', sealedCallEvents.settings],
    ['route', sealedCallEvents.routes],
  ] as const) {
    for (const row of rows) {
      if (row.sealed === null) continue
      const next = reseal(box, row.sealed, callEventSecrets)
      if (next) await replaceSealedCallEventSecret(db, { table, id: row.id, from: row.sealed, to: next })
    }
  }
  return { keyId: box.keyId, connections, webhookSecrets, callEventSecrets }
}

function reseal(box: CredentialBox, sealed: string, counts: RotationCounts): string | null {
  if (box.isCurrent(sealed)) {
    counts.current += 1
    return null
  }
  try {
    const next = box.seal(box.open(sealed))
    counts.resealed += 1
    return next
  } catch {
    counts.unreadable += 1
    return null
  }
}
