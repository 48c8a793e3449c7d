import { createHash, randomBytes } from 'node:crypto'

/** `dt_live_` for keys of a server that talks to the real Vapi, `dt_test_` in sandbox mode (as Stripe does). */
export type ApiKeyMode = 'live' | 'test'

const keyPattern = /^dt_(live|test)_[A-Za-z0-9_-]{43}$/

/**
 * A new key: the recognisable prefix (secret scanners and people can tell what leaked) and 32 random bytes in
 * base64url. 256 bits cannot be guessed, so a plain SHA-256 of the key is a safe thing to store and look up by.
 */
export function generateApiKey(mode: ApiKeyMode): string {
  return `dt_${mode}_${randomBytes(32).toString('base64url')}`
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** Anything else is refused without touching the database. */
export function isWellFormedApiKey(key: string): boolean {
  return keyPattern.test(key)
}

/** What the list shows: the prefix and four characters after it, and the last four. */
export function visibleParts(key: string): { prefix: string; lastFour: string } {
  return { prefix: key.slice(0, 12), lastFour: key.slice(-4) }
}
