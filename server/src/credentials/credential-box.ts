import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'
import { createSecretBox, type SecretBox } from '../outbound-webhooks/secret-box.ts'

/**
 * The one way dialtone seals a secret at rest (provider keys, outbound webhook signing secrets): AES-256-GCM under
 * a key derived (HKDF-SHA256) from CREDENTIALS_KEY. Every sealed value names the key that sealed it, so a new
 * CREDENTIALS_KEY can be rolled out while the previous one still opens old values, and `pnpm credentials:rotate`
 * re-seals them. Stored form: `v2.<key id>.<iv>.<tag>.<ciphertext>` (iv, tag, ciphertext base64url).
 * Values sealed the first way (`v1.…`, outbound webhook secrets under a key from AUTH_SECRET) still open.
 */
export interface CredentialBox {
  /** The id of the key new values are sealed under. */
  readonly keyId: string
  seal(plaintext: string): string
  open(sealed: string): string
  /** True when `sealed` is already under the current key (rotation skips it). */
  isCurrent(sealed: string): boolean
}

export interface CredentialKeys {
  /** CREDENTIALS_KEY (or the generated one): new values are sealed under it. At least 32 characters. */
  current: string
  /** Keys that still open older values: CREDENTIALS_KEY_PREVIOUS, a generated key replaced by CREDENTIALS_KEY. */
  previous?: readonly string[]
  /** AUTH_SECRET: opens outbound webhook secrets sealed before this module existed. */
  legacyAuthSecret?: string
}

export const minimumCredentialsKeyLength = 32

interface DerivedKey {
  id: string
  key: Buffer
}

function deriveKey(material: string): DerivedKey {
  if (material.length < minimumCredentialsKeyLength) {
    throw new Error(`a credentials key needs at least ${minimumCredentialsKeyLength} characters`)
  }
  const key = Buffer.from(hkdfSync('sha256', material, 'dialtone-credentials', 'credential-box-v2', 32))
  // Names the key without revealing it: a hash of the derived key, not of the material.
  const id = createHash('sha256').update('dialtone-credentials-key-id').update(key).digest('hex').slice(0, 12)
  return { id, key }
}

export function createCredentialBox(keys: CredentialKeys): CredentialBox {
  const current = deriveKey(keys.current)
  const byId = new Map<string, Buffer>([[current.id, current.key]])
  for (const material of keys.previous ?? []) {
    const derived = deriveKey(material)
    if (!byId.has(derived.id)) byId.set(derived.id, derived.key)
  }
  const legacy: SecretBox | null = keys.legacyAuthSecret
    ? createSecretBox(keys.legacyAuthSecret, 'outbound-webhook-signing-secrets')
    : null

  return {
    keyId: current.id,
    seal(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', current.key, iv)
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))
      return ['v2', current.id, ...parts].join('.')
    },
    open(sealed) {
      if (sealed.startsWith('v1.')) {
        if (!legacy) throw new Error('a v1 sealed secret needs AUTH_SECRET to open')
        return legacy.open(sealed)
      }
      const [version, keyId, iv, tag, ciphertext] = sealed.split('.')
      if (version !== 'v2' || !keyId || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new Error('not a sealed secret')
      }
      const key = byId.get(keyId)
      if (!key) {
        throw new Error(
          `sealed under credentials key ${keyId}, which is not configured (set CREDENTIALS_KEY_PREVIOUS to the key it was sealed with)`,
        )
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')
    },
    isCurrent(sealed) {
      return sealed.startsWith(`v2.${current.id}.`)
    },
  }
}

/** Names a provider account by its key without storing the key: sha256, shortened. Stable across rotations. */
export function fingerprintSecret(secret: string): string {
  return createHash('sha256').update('dialtone-provider-account:').update(secret).digest('hex').slice(0, 24)
}

/** What may be shown of a key: its last four characters. */
export function keyHintOf(secret: string): string {
  return secret.slice(-4)
}
