import { z } from 'zod'

export const auditEventSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  at: z.string(),
  actor: z.object({ type: z.enum(['user', 'api-key', 'system']), id: z.string().nullable(), label: z.string() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() }),
  details: z.record(z.string(), z.unknown()),
  clientAddress: z.string().nullable(),
})
export type AuditEvent = z.infer<typeof auditEventSchema>

export const auditLogResponseSchema = z.object({ items: z.array(auditEventSchema), nextCursor: z.string().nullable() })
export type AuditLogResponse = z.infer<typeof auditLogResponseSchema>

const optionalText = z.string().trim().max(200).optional()

export const auditLogQuerySchema = z
  .object({
    action: optionalText,
    /** An actor's id or label (an email, a key's name). */
    actor: optionalText,
    /** A target's id or label (a number, an email, an endpoint URL). */
    target: optionalText,
    since: z.iso.datetime({ offset: true, error: 'since: an ISO 8601 time.' }).optional(),
    until: z.iso.datetime({ offset: true, error: 'until: an ISO 8601 time.' }).optional(),
    cursor: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((query) => !query.since || !query.until || Date.parse(query.since) <= Date.parse(query.until), {
    message: 'since must not be after until.',
    path: ['since'],
  })
export type AuditLogQuery = z.input<typeof auditLogQuerySchema>

/** The platform admins' query: the same filters over every organisation, or one (`organizationId`). */
export const adminAuditLogQuerySchema = auditLogQuerySchema.safeExtend({
  organizationId: z.string().max(100).optional(),
})
export type AdminAuditLogQuery = z.input<typeof adminAuditLogQuerySchema>
