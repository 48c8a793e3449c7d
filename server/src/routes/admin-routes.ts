import { provisioningStatsQuerySchema } from '@dialtone/shared/provisioning-stats'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { ViewerVariables } from '../http/require-viewer.ts'
import type { Database } from '../db/schema.ts'
import type { Clock } from '../lib/clock.ts'
import { validate } from '../http/validate.ts'
import { getProvisioningStats } from '../admin/provisioning-stats-repository.ts'
import { resolveStatsRange } from '../admin/stats-range.ts'

/**
 * Platform admins' routes. The app mounts this at /api/admin behind requireViewer and requirePlatformAdmin,
 * so every handler here may assume an admin is asking.
 */
export function adminRoutes(deps: { db: Kysely<Database>; clock: Clock }) {
  return new Hono<{ Variables: ViewerVariables }>().get(
    '/provisioning-stats',
    validate('query', provisioningStatsQuerySchema),
    async (c) => {
      const now = deps.clock.now()
      const range = resolveStatsRange(c.req.valid('query'), now)
      const stats = await getProvisioningStats(deps.db, range, now)
      // Figures change as numbers go live; a cached answer would hide exactly that.
      c.header('Cache-Control', 'no-store')
      return c.json(stats)
    },
  )
}
