import { Hono } from 'hono'
import { expect, test } from 'vitest'
import { areaCodeSearchResultSchema } from '@dialtone/shared/area-codes'
import { errorBodySchema } from '@dialtone/shared/errors'
import { AppError } from '../lib/app-error.ts'
import { loadAreaCodeDirectory } from '../area-codes/area-code-directory.ts'
import { areaCodeRoutes } from './area-code-routes.ts'

// Mounted as the app will mount it, with the one onError that renders AppError.
const app = new Hono().route('/api/area-codes', areaCodeRoutes(loadAreaCodeDirectory())).onError((error, c) => {
  if (error instanceof AppError) return c.json(error.toBody(), error.status)
  throw error
})

test('GET ?q= answers the matching codes', async () => {
  const response = await app.request('/api/area-codes?q=san%20fran')
  expect(response.status).toBe(200)
  const body = areaCodeSearchResultSchema.parse(await response.json())
  expect(body.items.map((item) => item.areaCode)).toEqual(['415'])
  expect(body.items[0]).toEqual({ areaCode: '415', state: 'CA', places: ['Novato', 'San Anselmo', 'San Francisco'] })
})

test('GET with limit caps the items; the default is 10', async () => {
  const limited = areaCodeSearchResultSchema.parse(await (await app.request('/api/area-codes?q=CA&limit=3')).json())
  expect(limited.items).toHaveLength(3)
  const byDefault = areaCodeSearchResultSchema.parse(await (await app.request('/api/area-codes?q=CA')).json())
  expect(byDefault.items).toHaveLength(10)
})

test('GET without q answers no items', async () => {
  const response = await app.request('/api/area-codes')
  expect(response.status).toBe(200)
  expect(await response.json()).toEqual({ items: [] })
})

test('q over 60 characters is refused with 400 VALIDATION_FAILED', async () => {
  const response = await app.request(`/api/area-codes?q=${'a'.repeat(61)}`)
  expect(response.status).toBe(400)
  const body = errorBodySchema.parse(await response.json())
  expect(Object.keys(body.error).sort()).toEqual(['code', 'details', 'message'])
  expect(body.error.code).toBe('VALIDATION_FAILED')
  expect(body.error.message).toMatch(/^q: /)
  expect(body.error.details).toMatchObject({ issues: [{ path: 'q' }] })
})

test('a limit out of range is refused with 400 VALIDATION_FAILED', async () => {
  for (const limit of ['0', '51', 'ten']) {
    const response = await app.request(`/api/area-codes?q=CA&limit=${limit}`)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'limit' }] } },
    })
  }
})
