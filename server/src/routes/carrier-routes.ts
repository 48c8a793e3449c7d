import {
  availableNumbersQuerySchema,
  carrierNumbersQuerySchema,
  importCarrierNumbersRequestSchema,
} from '@dialtone/shared/carriers'
import { Hono } from 'hono'
import { recordAuditEvent } from '../audit/audit-repository.ts'
import type { CarrierPurchaseDeps } from '../carrier-purchases/carrier-purchase-deps.ts'
import { importCarrierNumbers, listCarrierNumbers } from '../carrier-purchases/import-carrier-numbers.ts'
import { searchAvailableNumbers } from '../carrier-purchases/search-available-numbers.ts'
import { auditActorOf } from '../http/audit-context.ts'
import { requirePermission, type ViewerVariables } from '../http/require-viewer.ts'
import { validate } from '../http/validate.ts'

/**
 * Carrier numbers (decision 0014): the search (numbers:read), the carrier account's own numbers (numbers:read) and
 * importing them into Vapi (numbers:write). Buying a chosen number is POST /api/phone-numbers.
 */
export function carrierRoutes(deps: CarrierPurchaseDeps & { onCreated?: () => void }) {
  return new Hono<{ Variables: ViewerVariables }>()
    .get(
      '/available-numbers',
      requirePermission('numbers:read'),
      validate('query', availableNumbersQuerySchema),
      async (c) =>
        c.json(
          await searchAvailableNumbers(deps, {
            organizationId: c.get('viewer').organizationId,
            query: c.req.valid('query'),
          }),
        ),
    )
    .get(
      '/carrier-numbers',
      requirePermission('numbers:read'),
      validate('query', carrierNumbersQuerySchema),
      async (c) =>
        c.json(
          await listCarrierNumbers(deps, {
            organizationId: c.get('viewer').organizationId,
            carrier: c.req.valid('query').carrier,
          }),
        ),
    )
    .post(
      '/phone-numbers/import',
      requirePermission('numbers:write'),
      validate('json', importCarrierNumbersRequestSchema),
      async (c) => {
        const viewer = c.get('viewer')
        const request = c.req.valid('json')
        const result = await importCarrierNumbers(deps, {
          organizationId: viewer.organizationId,
          request,
          requestedByUserId: viewer.userId,
        })
        if (result.imported > 0) deps.onCreated?.()
        for (const item of result.items) {
          if (item.outcome !== 'imported' || !item.phoneNumber) continue
          await recordAuditEvent(deps.db, {
            organizationId: viewer.organizationId,
            actor: auditActorOf(c),
            action: 'phone-number.import',
            target: { type: 'phone-number', id: item.phoneNumber.id, label: item.number },
            details: { carrier: request.carrier },
          })
        }
        return c.json(result)
      },
    )
}
