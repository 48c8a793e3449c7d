import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { EnvError, parseEnv } from './env.ts'

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

test('an empty environment gives the embedded, sandboxed defaults', () => {
  const env = parseEnv({})
  expect(env.PORT).toBe(3000)
  expect(env.DATABASE_URL).toBeUndefined()
  expect(env.DATA_DIR).toBe('.data')
  expect(env.VAPI_API_KEY).toBeUndefined()
  expect(env.VAPI_WEBHOOK_AUTH).toBe('hmac')
  expect(env.PROVISIONING_DEADLINE_MS).toBe(900_000)
  expect(env.VAPI_MAX_RPS).toBe(5)
  expect(env.SANDBOX_MIN_DELAY_MS).toBe(5_000)
  expect(env.SANDBOX_MAX_DELAY_MS).toBe(30_000)
})

test('empty strings count as unset', () => {
  const env = parseEnv({ DATABASE_URL: '', VAPI_API_KEY: ' ', PUBLIC_URL: '' })
  expect(env.DATABASE_URL).toBeUndefined()
  expect(env.VAPI_API_KEY).toBeUndefined()
  expect(env.PUBLIC_URL).toBeUndefined()
})

test('every bad variable is named with what it expects', () => {
  let error: unknown
  try {
    parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', VAPI_WEBHOOK_AUTH: 'basic', PROVISIONING_DEADLINE_MS: '-5' })
  } catch (caught) {
    error = caught
  }
  expect(error).toBeInstanceOf(EnvError)
  const message = String((error as Error).message)
  expect(message).toMatch(/PORT: expected a port number between 0 and 65535 \("eighty"\)/)
  expect(message).toMatch(/DATABASE_URL: expected a postgres:\/\/ URL/)
  expect(message).toMatch(/VAPI_WEBHOOK_AUTH: expected hmac, secret or bearer/)
  expect(message).toMatch(/PROVISIONING_DEADLINE_MS: expected a positive number of milliseconds/)
})

test('a real Vapi key requires a webhook secret, and a Postgres server requires an auth secret', () => {
  expect(() => parseEnv({ VAPI_API_KEY: 'sk_live' })).toThrow(/VAPI_WEBHOOK_SECRET: required with VAPI_API_KEY/)
  expect(() => parseEnv({ DATABASE_URL: 'postgres://u@h/db' })).toThrow(/AUTH_SECRET: required with DATABASE_URL/)
  expect(() => parseEnv({ SANDBOX_MIN_DELAY_MS: '9000', SANDBOX_MAX_DELAY_MS: '100' })).toThrow(
    /SANDBOX_MIN_DELAY_MS: expected at most SANDBOX_MAX_DELAY_MS/,
  )
})

test('secrets are never echoed in the error', () => {
  expect(() => parseEnv({ AUTH_SECRET: 'short-secret-value' })).toThrow(
    /AUTH_SECRET: expected at least 32 characters.*\(set\)/,
  )
  try {
    parseEnv({ AUTH_SECRET: 'short-secret-value' })
  } catch (error) {
    expect(String(error)).not.toContain('short-secret-value')
  }
})

test('a bad environment stops the start with a readable message and exit code 1', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH, PORT: 'not-a-port', VAPI_WEBHOOK_AUTH: 'basic' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  expect(result.status).toBe(1)
  expect(result.stderr).toContain('dialtone cannot start.')
  expect(result.stderr).toContain('PORT: expected a port number between 0 and 65535 ("not-a-port")')
  expect(result.stderr).toContain('VAPI_WEBHOOK_AUTH: expected hmac, secret or bearer')
  expect(result.stderr).not.toMatch(/at .*\.ts:\d+/)
})

test('a trusted proxy is described by hops or by addresses, not both, and bad addresses are named', () => {
  expect(parseEnv({})).toMatchObject({ TRUSTED_PROXY_HOPS: 0, CLIENT_ADDRESS_HEADER: 'x-forwarded-for' })
  expect(parseEnv({ TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8', CLIENT_ADDRESS_HEADER: 'forwarded' })).toMatchObject({
    TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8',
    CLIENT_ADDRESS_HEADER: 'forwarded',
  })
  expect(() => parseEnv({ TRUSTED_PROXIES: '10.0.0.0/8, lb.internal' })).toThrow(
    /TRUSTED_PROXIES: "lb.internal" is not/,
  )
  expect(() => parseEnv({ TRUSTED_PROXIES: '10.0.0.0/8', TRUSTED_PROXY_HOPS: '1' })).toThrow(/not both/)
  expect(() => parseEnv({ CLIENT_ADDRESS_HEADER: 'x-real-ip' })).toThrow(/x-forwarded-for or forwarded/)
  expect(() => parseEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: expected at least 16/)
})
