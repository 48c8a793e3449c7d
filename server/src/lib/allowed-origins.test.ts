import { expect, test } from 'vitest'
import { allowedOriginsFrom, isAllowedOrigin } from './allowed-origins.ts'

test('with PUBLIC_URL set, only it and ALLOWED_HOSTS: not localhost:5173, not loopback, whatever NODE_ENV says', () => {
  const origins = allowedOriginsFrom({
    publicUrl: 'https://dialtone.example.com/',
    isPublicUrlConfigured: true,
    allowedHosts: 'old.example.com, http://intranet:8080',
    port: 3000,
    isDevelopment: true,
  })
  expect(origins).toEqual(['https://dialtone.example.com', 'https://old.example.com', 'http://intranet:8080'])
  expect(isAllowedOrigin(origins, 'http://localhost:5173')).toBe(false)
  expect(isAllowedOrigin(origins, 'https://evil.example')).toBe(false)
  expect(isAllowedOrigin(origins, undefined)).toBe(true)
})

test('a developer’s machine: the port on localhost and 127.0.0.1, and Vite only under pnpm dev', () => {
  const local = {
    publicUrl: 'http://localhost:3000',
    isPublicUrlConfigured: false,
    allowedHosts: undefined,
    port: 3000,
  }
  expect(allowedOriginsFrom({ ...local, isDevelopment: true })).toEqual([
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'http://localhost:5173',
  ])
  expect(allowedOriginsFrom({ ...local, isDevelopment: false })).not.toContain('http://localhost:5173')
})
