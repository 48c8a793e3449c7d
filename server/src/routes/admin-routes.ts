import { provisioningStatsQuerySchema } from '@dialtone/shared/provisioning-stats'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { ViewerVariables } from '../http/require-viewer.ts'
import type { Database } from '../db/schema.ts'
import type { Clock } from '../lib/clock.ts'
import { validate } from '../http/validate.ts'
import { getProvisioningStats } from '../admin/provisioning-stats-repository.ts'
import { resolveStatsRange } from '../admin/stats-range.ts'
import { callStatsQuerySchema } from '@dialtone/shared/call-stats'
import { getCallStats } from '../admin/call-stats-repository.ts'
import { AppError } from '../lib/app-error.ts'

const callStatsDefaultDays = 30

/**
 * Platform admins' routes. The app mounts this at /api/admin behind requireViewer and requirePlatformAdmin,
 * so every handler here may assume an admin is asking.
 */
export function adminRoutes(deps: { db: Kysely<Database>; clock: Clock }) {
  return new Hono<{ Variables: ViewerVariables }>()
    .get('/provisioning-stats', validate('query', provisioningStatsQuerySchema), async (c) => {
      const now = deps.clock.now()
      const range = resolveStatsRange(c.req.valid('query'), now)
      const stats = await getProvisioningStats(deps.db, range, now)
      // Figures change as numbers go live; a cached answer would hide exactly that.
      c.header('Cache-Control', 'no-store')
      return c.json(stats)
    })
    .get('/call-stats', validate('query', callStatsQuerySchema), async (c) => {
      const query = c.req.valid('query')
      const to = query.to ? new Date(query.to) : deps.clock.now()
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - callStatsDefaultDays * 86_400_000)
      if (from >= to) throw new AppError('VALIDATION_FAILED', 'from must be before to.')
      c.header('Cache-Control', 'no-store')
      return c.json(await getCallStats(deps.db, { from, to, limit: query.limit }))
    })
}
