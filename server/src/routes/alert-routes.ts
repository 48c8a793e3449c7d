import {
  adminAlertsQuerySchema,
  alertRulesUpdateSchema,
  type AdminAlertList,
  type AlertRuleList,
} from '@dialtone/shared/admin-alerts'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { ViewerVariables } from '../http/require-viewer.ts'
import type { Database } from '../db/schema.ts'
import type { Clock } from '../lib/clock.ts'
import { validate } from '../http/validate.ts'
import { listAlerts, listRules, toAdminAlert, toAlertRule, updateRules } from '../alerts/alert-repository.ts'

/** Alert rules and history; mounted under /api/admin, behind requirePlatformAdmin. */
export function alertRoutes(deps: { db: Kysely<Database>; clock: Clock }) {
  const rules = async (): Promise<AlertRuleList> => ({ items: (await listRules(deps.db)).map(toAlertRule) })
  return new Hono<{ Variables: ViewerVariables }>()
    .get('/alert-rules', async (c) => c.json(await rules()))
    .put('/alert-rules', validate('json', alertRulesUpdateSchema), async (c) => {
      await updateRules(deps.db, c.req.valid('json'), deps.clock.now())
      return c.json(await rules())
    })
    .get('/alerts', validate('query', adminAlertsQuerySchema), async (c) => {
      const rows = await listAlerts(deps.db, { status: c.req.valid('query').status, limit: 200 })
      c.header('Cache-Control', 'no-store')
      return c.json({ items: rows.map(toAdminAlert) } satisfies AdminAlertList)
    })
}
