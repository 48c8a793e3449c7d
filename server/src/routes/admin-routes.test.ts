import { errorBodySchema } from '@dialtone/shared/errors'
import { provisioningStatsSchema } from '@dialtone/shared/provisioning-stats'
import { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { permissionsOfRole } from '../auth/permissions.ts'
import type { Viewer } from '../auth/viewer.ts'
import { requirePlatformAdmin, type ViewerVariables } from '../http/require-viewer.ts'
import { AppError } from '../lib/app-error.ts'
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../test/support/test-databases.ts'
import { adminRoutes } from './admin-routes.ts'
import { insertHistory, insertOrganizations } from '../../test/support/test-history.ts'

const now = new Date('2025-03-10T12:30:00Z')
const admin: Viewer = {
  userId: 'u1',
  email: 'admin@example.com',
  name: 'Ada',
  organizationId: 'orga',
  isPlatformAdmin: true,
  role: 'owner',
  permissions: permissionsOfRole('owner'),
  actor: { type: 'user', id: 'u1', label: 'admin@example.com' },
}
const member: Viewer = { ...admin, userId: 'u2', email: 'member@example.com', isPlatformAdmin: false }

/** The admin routes mounted as the app mounts them, with the signed-in viewer stubbed. */
function appFor(database: TestDatabase, viewer: Viewer) {
  const app = new Hono<{ Variables: ViewerVariables }>()
  app.use(
    createMiddleware<{ Variables: ViewerVariables }>(async (c, next) => {
      c.set('viewer', viewer)
      await next()
    }),
  )
  app.use(requirePlatformAdmin())
  app.route('/api/admin', adminRoutes({ db: database.db, clock: { now: () => now } }))
  app.onError((error, c) => {
    if (error instanceof AppError) return c.json(error.toBody(), error.status)
    throw error
  })
  return app
}

describe.each(testDatabaseKinds)('GET /api/admin/provisioning-stats on %s', (kind) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    await insertOrganizations(database.db, [{ id: 'orga', name: 'Acme Dental' }])
    await insertHistory(database.db, [
      {
        organizationId: 'orga',
        areaCode: '212',
        requestedAt: new Date('2025-03-10T11:00:00Z'),
        outcome: 'purchased',
        phoneNumber: { status: 'active', millisecondsToLive: 9_000, detectedBy: 'webhook' },
      },
      {
        organizationId: 'orga',
        areaCode: '533',
        requestedAt: new Date('2025-03-10T11:30:00Z'),
        outcome: 'refused',
        failureCode: 'area_code_unavailable',
      },
    ])
  })
  afterAll(async () => {
    await database.close()
  })

  test('answers an admin with the last 24 hours by the hour by default', async () => {
    const response = await appFor(database, admin).request('/api/admin/provisioning-stats')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const stats = provisioningStatsSchema.parse(await response.json())
    expect(stats.range).toEqual({ from: '2025-03-09T12:30:00.000Z', to: '2025-03-10T12:30:00.000Z', bucket: 'hour' })
    expect(stats.buckets).toHaveLength(25)
    expect(stats.buckets.at(-2)).toMatchObject({
      start: '2025-03-10T11:00:00.000Z',
      attempts: 2,
      succeeded: 1,
      failed: 1,
    })
    expect(stats.totals).toMatchObject({
      attempts: 2,
      successRate: 0.5,
      failuresByReason: { area_code_unavailable: 1 },
    })
    expect(stats.timeToLive.p50Seconds).toBe(9)
    expect(stats.areaCodes).toEqual([
      { areaCode: '212', requested: 1, unavailable: 0 },
      { areaCode: '533', requested: 1, unavailable: 1 },
    ])
  })

  test('takes a range, a day bucket and an organisation id that is not a uuid', async () => {
    const query = new URLSearchParams({
      from: '2025-03-08T00:00:00Z',
      to: '2025-03-11T00:00:00+00:00',
      bucket: 'day',
      organizationId: 'orga',
    })
    const response = await appFor(database, admin).request(`/api/admin/provisioning-stats?${query.toString()}`)
    expect(response.status).toBe(200)
    const stats = provisioningStatsSchema.parse(await response.json())
    expect(stats.buckets.map((bucket) => [bucket.start, bucket.attempts])).toEqual([
      ['2025-03-08T00:00:00.000Z', 0],
      ['2025-03-09T00:00:00.000Z', 0],
      ['2025-03-10T00:00:00.000Z', 2],
    ])
    expect(stats.organizations).toEqual([expect.objectContaining({ id: 'orga', name: 'Acme Dental', attempts: 2 })])
  })

  test('refuses anyone who is not a platform admin with 403', async () => {
    const response = await appFor(database, member).request('/api/admin/provisioning-stats')
    expect(response.status).toBe(403)
    expect(errorBodySchema.parse(await response.json()).error.code).toBe('FORBIDDEN')
  })

  test.each([
    ['an unknown bucket', 'bucket=week', /bucket/],
    ['a start after the end', 'from=2025-03-10T00:00:00Z&to=2025-03-09T00:00:00Z', /before/],
    ['a date without an offset', 'from=2025-03-10T00:00:00', /from/],
    ['more than 2,000 buckets', 'from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z&bucket=hour', /2000/],
    ['an empty organisation id', 'organizationId=', /organizationId/],
  ])('answers 400 VALIDATION_FAILED for %s', async (_name, query, message) => {
    const response = await appFor(database, admin).request(`/api/admin/provisioning-stats?${query}`)
    expect(response.status).toBe(400)
    const body = errorBodySchema.parse(await response.json())
    expect(body.error.code).toBe('VALIDATION_FAILED')
    expect(body.error.message).toMatch(message)
  })
})
