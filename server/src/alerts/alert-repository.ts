import {
  alertRuleKindSchema,
  alertRuleThresholds,
  type AdminAlert,
  type AlertRule,
  type AlertRuleKind,
  type AlertRulesUpdate,
} from '@dialtone/shared/admin-alerts'
import type { Kysely, Transaction } from 'kysely'
import type { AdminAlertRow, Database } from '../db/schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export const ruleDescriptions = {
  success_rate_below: 'Success rate over the last hour falls below (at least 5 settled attempts)',
  time_to_live_p90_above: 'Time to live p90 over the last hour rises above (at least 5 numbers live)',
  pending_past_deadline: 'A number is still pending this long past its deadline',
  vapi_failing: 'Vapi fails this many purchases in a row',
} as const satisfies Record<AlertRuleKind, string>

export interface StoredRule {
  kind: AlertRuleKind
  isEnabled: boolean
  threshold: number
}

export async function listRules(db: Executor): Promise<StoredRule[]> {
  const rows = await db.selectFrom('alert_rule').selectAll().orderBy('kind').execute()
  return rows.flatMap((row) => {
    const kind = alertRuleKindSchema.safeParse(row.kind)
    return kind.success ? [{ kind: kind.data, isEnabled: row.is_enabled, threshold: row.threshold }] : []
  })
}

export function toAlertRule(rule: StoredRule): AlertRule {
  return {
    kind: rule.kind,
    enabled: rule.isEnabled,
    threshold: rule.threshold,
    unit: alertRuleThresholds[rule.kind].unit,
    description: ruleDescriptions[rule.kind],
  }
}

/** All changes or none. */
export async function updateRules(db: Kysely<Database>, update: AlertRulesUpdate, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const change of update.rules) {
      await trx
        .updateTable('alert_rule')
        .set({
          updated_at: now,
          ...(change.enabled === undefined ? {} : { is_enabled: change.enabled }),
          ...(change.threshold === undefined ? {} : { threshold: change.threshold }),
        })
        .where('kind', '=', change.kind)
        .execute()
    }
  })
}

export function toAdminAlert(row: AdminAlertRow): AdminAlert {
  return {
    id: row.id,
    kind: alertRuleKindSchema.parse(row.rule_kind),
    status: row.status,
    summary: row.summary,
    value: row.value,
    threshold: row.threshold,
    openedAt: new Date(row.opened_at).toISOString(),
    closedAt: row.closed_at === null ? null : new Date(row.closed_at).toISOString(),
    closingSummary: row.closing_summary,
  }
}

/** Opens an alert for the rule unless one is open already (the partial unique index decides); null if it was. */
export async function openAlert(
  trx: Executor,
  input: { kind: AlertRuleKind; summary: string; value: number | null; threshold: number; now: Date },
): Promise<AdminAlertRow | null> {
  const row = await trx
    .insertInto('admin_alert')
    .values({
      rule_kind: input.kind,
      status: 'open',
      summary: input.summary,
      value: input.value,
      threshold: input.threshold,
      opened_at: input.now,
    })
    .onConflict((conflict) => conflict.column('rule_kind').where('status', '=', 'open').doNothing())
    .returningAll()
    .executeTakeFirst()
  return row ?? null
}

/** Closes the rule's open alert; null when none was open (or another process closed it first). */
export async function closeAlert(
  trx: Executor,
  input: { kind: AlertRuleKind; closingSummary: string; now: Date },
): Promise<AdminAlertRow | null> {
  const row = await trx
    .updateTable('admin_alert')
    .set({ status: 'closed', closed_at: input.now, closing_summary: input.closingSummary })
    .where('rule_kind', '=', input.kind)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst()
  return row ?? null
}

export async function listAlerts(
  db: Executor,
  input: { status?: 'open' | 'closed' | undefined; limit: number },
): Promise<AdminAlertRow[]> {
  let query = db.selectFrom('admin_alert').selectAll().orderBy('opened_at', 'desc').limit(input.limit)
  if (input.status) query = query.where('status', '=', input.status)
  return query.execute()
}

export async function hasOpenAlert(db: Executor, kind: AlertRuleKind): Promise<boolean> {
  const row = await db
    .selectFrom('admin_alert')
    .select('id')
    .where('rule_kind', '=', kind)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return row !== undefined
}
