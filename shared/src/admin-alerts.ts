import { z } from 'zod/mini'

export const alertRuleKinds = [
  'success_rate_below',
  'time_to_live_p90_above',
  'pending_past_deadline',
  'vapi_failing',
] as const
export const alertRuleKindSchema = z.enum(alertRuleKinds)
export type AlertRuleKind = z.infer<typeof alertRuleKindSchema>

/** What each rule's threshold means, and the values it may take. */
export const alertRuleThresholds = {
  success_rate_below: { unit: 'share', min: 0, max: 1, isWhole: false },
  time_to_live_p90_above: { unit: 'seconds', min: 1, max: 86_400, isWhole: false },
  pending_past_deadline: { unit: 'minutes', min: 0, max: 10_080, isWhole: false },
  vapi_failing: { unit: 'failures', min: 1, max: 1_000, isWhole: true },
} as const satisfies Record<AlertRuleKind, { unit: string; min: number; max: number; isWhole: boolean }>

export const alertRuleSchema = z.object({
  kind: alertRuleKindSchema,
  enabled: z.boolean(),
  threshold: z.number(),
  unit: z.string(),
  description: z.string(),
})
export type AlertRule = z.infer<typeof alertRuleSchema>

/** `GET/PUT /api/admin/alert-rules`. */
export const alertRuleListSchema = z.object({ items: z.array(alertRuleSchema) })
export type AlertRuleList = z.infer<typeof alertRuleListSchema>

const alertRuleChangeSchema = z
  .strictObject({ kind: alertRuleKindSchema, enabled: z.optional(z.boolean()), threshold: z.optional(z.number()) })
  .check(
    z.superRefine((change, context) => {
      if (change.threshold === undefined) return
      const limits = alertRuleThresholds[change.kind]
      const isOutOfRange = change.threshold < limits.min || change.threshold > limits.max
      if (isOutOfRange || (limits.isWhole && !Number.isInteger(change.threshold))) {
        context.addIssue({
          code: 'custom',
          path: ['threshold'],
          message: `${change.kind} takes ${limits.isWhole ? 'a whole number' : 'a number'} of ${limits.unit} from ${limits.min} to ${limits.max}.`,
        })
      }
    }),
  )

export const alertRulesUpdateSchema = z.strictObject({
  rules: z.array(alertRuleChangeSchema).check(z.minLength(1), z.maxLength(20)),
})
export type AlertRulesUpdate = z.infer<typeof alertRulesUpdateSchema>

export const adminAlertSchema = z.object({
  id: z.string(),
  kind: alertRuleKindSchema,
  status: z.enum(['open', 'closed']),
  summary: z.string(),
  value: z.nullable(z.number()),
  threshold: z.number(),
  openedAt: z.string(),
  closedAt: z.nullable(z.string()),
  closingSummary: z.nullable(z.string()),
})
export type AdminAlert = z.infer<typeof adminAlertSchema>

export const adminAlertsQuerySchema = z.object({ status: z.optional(z.enum(['open', 'closed'])) })

/** `GET /api/admin/alerts`: newest first. */
export const adminAlertListSchema = z.object({ items: z.array(adminAlertSchema) })
export type AdminAlertList = z.infer<typeof adminAlertListSchema>
