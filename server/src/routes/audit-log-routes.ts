import { adminAuditLogQuerySchema, auditLogQuerySchema, type AuditLogResponse } from '@dialtone/shared/audit-log'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { z } from 'zod'
import { auditCsvHeader, auditCsvRow } from '../audit/audit-csv.ts'
import { listAuditEvents, toAuditEvent, type AuditFilter } from '../audit/audit-repository.ts'
import type { Database } from '../db/schema.ts'
import type { ViewerVariables } from '../http/require-viewer.ts'
import { validate } from '../http/validate.ts'
import { AppError } from '../lib/app-error.ts'

/** A CSV export holds at most this many events (the newest that match); narrow the filters for older ones. */
export const maxCsvRows = 50_000

type AuditQuery = z.output<typeof auditLogQuerySchema>

function filterOf(query: AuditQuery, organizationId: string | null): AuditFilter {
  if (query.cursor !== undefined && !/^\d{1,19}$/.test(query.cursor)) {
    throw new AppError('VALIDATION_FAILED', 'cursor: not a cursor this API gave out.')
  }
  return {
    organizationId,
    action: query.action,
    actor: query.actor,
    target: query.target,
    since: query.since ? new Date(query.since) : undefined,
    until: query.until ? new Date(query.until) : undefined,
    beforeId: query.cursor ?? null,
    limit: query.limit,
  }
}

async function answer(
  db: Kysely<Database>,
  c: { header: (name: string, value: string) => void },
  query: AuditQuery,
  filter: AuditFilter,
) {
  c.header('Cache-Control', 'no-store')
  if (query.format === 'csv') {
    const lines: string[] = [auditCsvHeader.join(',')]
    let beforeId = filter.beforeId ?? null
    while (lines.length - 1 < maxCsvRows) {
      const page = await listAuditEvents(db, { ...filter, beforeId, limit: 1_000 })
      for (const row of page.rows) lines.push(auditCsvRow(toAuditEvent(row)))
      const last = page.rows.at(-1)
      if (!page.hasMore || !last) break
      beforeId = String(last.id)
    }
    return new Response(lines.slice(0, maxCsvRows + 1).join('\r\n') + '\r\n', {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="dialtone-audit-log.csv"`,
        'cache-control': 'no-store',
      },
    })
  }
  const { rows, hasMore } = await listAuditEvents(db, filter)
  const last = rows.at(-1)
  return Response.json(
    {
      items: rows.map(toAuditEvent),
      nextCursor: hasMore && last ? String(last.id) : null,
    } satisfies AuditLogResponse,
    { headers: { 'cache-control': 'no-store' } },
  )
}

/** `GET /api/audit-log`: the viewer's organisation's events, newest first; `format=csv` exports them. */
export function auditLogRoutes(deps: { db: Kysely<Database> }) {
  return new Hono<{ Variables: ViewerVariables }>().get('/', validate('query', auditLogQuerySchema), async (c) => {
    const query = c.req.valid('query')
    return answer(deps.db, c, query, filterOf(query, c.get('viewer').organizationId))
  })
}

/** `GET /api/admin/organization-audit-log`: every organisation's events (or one's), for platform admins. */
export function adminOrganizationAuditRoutes(deps: { db: Kysely<Database> }) {
  return new Hono<{ Variables: ViewerVariables }>().get(
    '/organization-audit-log',
    validate('query', adminAuditLogQuerySchema),
    async (c) => {
      const query = c.req.valid('query')
      return answer(deps.db, c, query, filterOf(query, query.organizationId ?? null))
    },
  )
}
