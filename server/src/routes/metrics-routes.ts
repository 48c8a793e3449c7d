import { timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import type { Registry } from 'prom-client'
import { AppError } from '../lib/app-error.ts'

function isBearer(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '')
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * GET /metrics: this process's Prometheus metrics (see metrics/metrics.ts). Platform-wide counts are not public:
 * without METRICS_TOKEN there is no /metrics (404); with it, only `Authorization: Bearer <token>` is answered.
 */
export function metricsRoutes(registry: Registry, token: string | undefined) {
  return new Hono().get('/metrics', async (c) => {
    if (token === undefined) throw new AppError('NOT_FOUND', 'Not found.')
    if (!isBearer(c.req.header('authorization'), token)) {
      c.header('WWW-Authenticate', 'Bearer')
      throw new AppError('UNAUTHENTICATED', 'A metrics token is required.')
    }
    c.header('Content-Type', registry.contentType)
    return c.body(await registry.metrics())
  })
}
