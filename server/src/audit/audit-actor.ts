import type { Actor } from '../auth/permissions.ts'
import type { Viewer } from '../auth/viewer.ts'

/** Who did it (a person or an API key, as `viewer.actor` names them) and from which address. */
export type AuditActor = (Actor | { type: 'system'; id: null; label: string }) & { clientAddress: string | null }

/** The actor of a request: `auditActorFromViewer(c.get('viewer'), clientAddressOf(c))`. */
export function auditActorFromViewer(viewer: Viewer, clientAddress: string | null | undefined): AuditActor {
  return { ...viewer.actor, clientAddress: clientAddress ?? null }
}

/** Work dialtone does on its own (a background job), when it is worth recording. */
export const systemAuditActor: AuditActor = { type: 'system', id: null, label: 'dialtone', clientAddress: null }

const secretKey = /secret|token|password|passwd|api[-_]?key|^key$|authorization|credential|cookie/i

/**
 * Details keep what helps a reader and never a secret: keys that name one (secret, token, password, key, …) are
 * replaced by "[redacted]" at any depth, long strings are cut.
 */
export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > 5) return '[nested]'
  if (typeof value === 'string') return value.length > 500 ? `${value.slice(0, 500)}…` : value
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => withoutSecrets(item, depth + 1))
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        secretKey.test(key) ? '[redacted]' : withoutSecrets(item, depth + 1),
      ]),
    )
  }
  return value
}
