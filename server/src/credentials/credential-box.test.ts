import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { resolveCredentialKeys } from '../config.ts'
import { parseEnv } from '../env.ts'
import { createSecretBox } from '../outbound-webhooks/secret-box.ts'
import { createCredentialBox, fingerprintSecret, keyHintOf } from './credential-box.ts'

const oldKey = 'old-credentials-key-0123456789abcdef0123'
const newKey = 'new-credentials-key-fedcba9876543210fedc'
const authSecret = 'auth-secret-0123456789abcdef0123456789abcdef'

test('a sealed value opens again, names its key, and never contains the plaintext', () => {
  const box = createCredentialBox({ current: newKey })
  const secret = '4f1c2b7e-1111-4222-8333-944455556666'
  const sealed = box.seal(secret)
  expect(sealed.startsWith(`v2.${box.keyId}.`)).toBe(true)
  expect(sealed).not.toContain(secret)
  expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'))
  expect(box.open(sealed)).toBe(secret)
  expect(box.isCurrent(sealed)).toBe(true)
  // Two seals of one value differ (fresh IV each time).
  expect(box.seal(secret)).not.toBe(sealed)
})

test('a previous key opens what it sealed; without it the value cannot be opened', () => {
  const sealedOld = createCredentialBox({ current: oldKey }).seal('whsec_abc')
  const rotated = createCredentialBox({ current: newKey, previous: [oldKey] })
  expect(rotated.open(sealedOld)).toBe('whsec_abc')
  expect(rotated.isCurrent(sealedOld)).toBe(false)
  expect(() => createCredentialBox({ current: newKey }).open(sealedOld)).toThrow(/CREDENTIALS_KEY_PREVIOUS/)
})

test('tampering is detected, and v1 webhook secrets sealed under AUTH_SECRET still open', () => {
  const box = createCredentialBox({ current: newKey, legacyAuthSecret: authSecret })
  const sealed = box.seal('secret')
  const parts = sealed.split('.')
  parts[4] = Buffer.from('other!').toString('base64url')
  expect(() => box.open(parts.join('.'))).toThrow()
  const legacy = createSecretBox(authSecret, 'outbound-webhook-signing-secrets').seal('whsec_legacy')
  expect(box.open(legacy)).toBe('whsec_legacy')
  expect(() => createCredentialBox({ current: newKey }).open(legacy)).toThrow()
  expect(() => createCredentialBox({ current: 'short' })).toThrow(/32/)
})

test('fingerprints and hints reveal nothing but the last four characters', () => {
  const key = '4f1c2b7e-1111-4222-8333-944455556666'
  expect(keyHintOf(key)).toBe('6666')
  expect(fingerprintSecret(key)).toMatch(/^[0-9a-f]{24}$/)
  expect(fingerprintSecret(key)).toBe(fingerprintSecret(key))
  expect(fingerprintSecret(key)).not.toBe(fingerprintSecret(`${key}x`))
})

test('on the embedded database a key is generated once into DATA_DIR (0600) and reused', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialtone-credentials-'))
  try {
    const env = parseEnv({ DATA_DIR: dataDir })
    const first = await resolveCredentialKeys(env, authSecret)
    expect(first.credentialsKeySource).toBe('generated')
    const file = await stat(path.join(dataDir, 'credentials-key'))
    expect(file.mode & 0o777).toBe(0o600)
    const second = await resolveCredentialKeys(env, authSecret)
    expect(second.credentialKeys.current).toBe(first.credentialKeys.current)
    // CREDENTIALS_KEY set later: the generated key still opens what it sealed.
    const withKey = await resolveCredentialKeys(parseEnv({ DATA_DIR: dataDir, CREDENTIALS_KEY: newKey }), authSecret)
    expect(withKey.credentialsKeySource).toBe('environment')
    expect(withKey.credentialKeys.previous).toContain(first.credentialKeys.current)
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
})

test('on Postgres the key comes from CREDENTIALS_KEY, or from AUTH_SECRET when the policy lets organisations go without', async () => {
  const postgres = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', AUTH_SECRET: authSecret }
  expect((await resolveCredentialKeys(parseEnv(postgres), authSecret)).credentialsKeySource).toBe('auth-secret')
  expect(() => parseEnv({ ...postgres, VAPI_ACCOUNT_POLICY: 'own' })).toThrow(/CREDENTIALS_KEY/)
  const own = parseEnv({ ...postgres, VAPI_ACCOUNT_POLICY: 'own', CREDENTIALS_KEY: newKey })
  expect((await resolveCredentialKeys(own, authSecret)).credentialKeys.current).toBe(newKey)
})
