import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * The first way outbound webhook secrets were sealed (AES-256-GCM under a key derived from AUTH_SECRET, stored as
 * `v1.<iv>.<tag>.<ciphertext>`). New values are sealed by credentials/credential-box.ts (CREDENTIALS_KEY); this
 * stays only so the credentials box can still open `v1` values, and `pnpm credentials:rotate` re-seals them.
 */
export interface SecretBox {
  seal(plaintext: string): string
  open(sealed: string): string
}

export function createSecretBox(keyMaterial: string, label: string): SecretBox {
  if (keyMaterial.length < 32) throw new Error('the key material of a secret box needs at least 32 characters')
  const key = Buffer.from(hkdfSync('sha256', keyMaterial, 'dialtone', label, 32))
  return {
    seal(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url')).join('.')
    },
    open(sealed) {
      const [version, iv, tag, ciphertext] = sealed.split('.')
      if (version !== 'v1' || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new Error('not a sealed secret')
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')
    },
  }
}
