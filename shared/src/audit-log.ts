import { z } from 'zod/mini'

export const auditEventSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  at: z.string(),
  actor: z.object({ type: z.enum(['user', 'api-key', 'system']), id: z.nullable(z.string()), label: z.string() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.nullable(z.string()), label: z.nullable(z.string()) }),
  details: z.record(z.string(), z.unknown()),
  clientAddress: z.nullable(z.string()),
})
export type AuditEvent = z.infer<typeof auditEventSchema>

export const auditLogResponseSchema = z.object({ items: z.array(auditEventSchema), nextCursor: z.nullable(z.string()) })
export type AuditLogResponse = z.infer<typeof auditLogResponseSchema>

const optionalText = z.optional(z.string().check(z.trim(), z.maxLength(200)))

export const auditLogQuerySchema = z
  .object({
    action: optionalText,
    /** An actor's id or label (an email, a key's name). */
    actor: optionalText,
    /** A target's id or label (a number, an email, an endpoint URL). */
    target: optionalText,
    since: z.optional(z.iso.datetime({ offset: true, error: 'since: an ISO 8601 time.' })),
    until: z.optional(z.iso.datetime({ offset: true, error: 'until: an ISO 8601 time.' })),
    cursor: z.optional(z.string().check(z.maxLength(100))),
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 100),
    format: z._default(z.enum(['json', 'csv']), 'json'),
  })
  .check(
    z.refine((query) => !query.since || !query.until || Date.parse(query.since) <= Date.parse(query.until), {
      message: 'since must not be after until.',
      path: ['since'],
    }),
  )
export type AuditLogQuery = z.input<typeof auditLogQuerySchema>

/** The platform admins' query: the same filters over every organisation, or one (`organizationId`). */
export const adminAuditLogQuerySchema = z.safeExtend(auditLogQuerySchema, {
  organizationId: z.optional(z.string().check(z.maxLength(100))),
})
export type AdminAuditLogQuery = z.input<typeof adminAuditLogQuerySchema>
