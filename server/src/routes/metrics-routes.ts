import { Hono } from 'hono'
import type { Registry } from 'prom-client'

/** GET /metrics: this process's Prometheus metrics (see metrics/metrics.ts). */
export function metricsRoutes(registry: Registry) {
  return new Hono().get('/metrics', async (c) => {
    c.header('Content-Type', registry.contentType)
    return c.body(await registry.metrics())
  })
}
