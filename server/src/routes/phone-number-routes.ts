import {
  createPhoneNumberRequestSchema,
  listPhoneNumbersQuerySchema,
  updatePhoneNumberRequestSchema,
  type PhoneNumberList,
} from '@dialtone/shared/phone-number'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AreaCodeDirectory } from '../area-codes/area-code-directory.ts'
import { recordAuditEvent } from '../audit/audit-repository.ts'
import { auditActorOf } from '../http/audit-context.ts'
import { requirePermission, type ViewerVariables } from '../http/require-viewer.ts'
import { AppError } from '../lib/app-error.ts'
import { validate } from '../http/validate.ts'
import { toPhoneNumber } from '../provisioning/phone-number-mapper.ts'
import {
  decodeCursor,
  encodeCursor,
  findPhoneNumberOfOrganization,
  listPhoneNumbersOfOrganization,
  typicalSecondsToLive,
} from '../provisioning/phone-number-repository.ts'
import { monthlyCostOf } from '../provisioning/monthly-cost-repository.ts'
import { provisionPhoneNumber } from '../provisioning/provision-phone-number.ts'
import type { ProvisioningDeps } from '../provisioning/provisioning-deps.ts'
import { refreshPendingPhoneNumbers, refreshPhoneNumber } from '../provisioning/refresh-phone-numbers.ts'
import { releasePhoneNumber } from '../provisioning/release-phone-number.ts'
import { updatePhoneNumber } from '../provisioning/update-phone-number.ts'
import { buyCarrierNumberRequestSchema } from '@dialtone/shared/carriers'
import type { Context } from 'hono'
import type { $ZodType } from 'zod/v4/core'
import { buyCarrierNumber } from '../carrier-purchases/buy-carrier-number.ts'
import type { CarrierPurchaseDeps } from '../carrier-purchases/carrier-purchase-deps.ts'
import { releaseCarrierNumber } from '../carrier-purchases/release-carrier-number.ts'
import { checkCarrierNumber } from '../carrier-purchases/check-carrier-number.ts'
import { validationFailed } from '../http/validate.ts'

const idempotencyKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(200, 'Idempotency-Key is at most 200 characters.')
  .regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable ASCII without spaces.')

export interface PhoneNumberRouteDeps {
  provisioning: ProvisioningDeps
  areaCodes: AreaCodeDirectory
  /** Carrier numbers (decision 0014): `{ carrier, number }` purchases and releases; absent in a few test apps. */
  carriers?: CarrierPurchaseDeps
  /** Told after each create so the poller looks sooner than its idle sleep. */
  onCreated?: () => void
}

const numberLabel = (phoneNumber: { number: string | null; name: string | null; areaCode: string }) =>
  phoneNumber.number ?? phoneNumber.name ?? `(${phoneNumber.areaCode}) pending`

/**
 * Every route is scoped to the viewer's organisation; another organisation's id answers exactly like a missing one.
 * Reading and checking need numbers:read (members watch and check numbers); buying and releasing numbers:write.
 */
export function phoneNumberRoutes(deps: PhoneNumberRouteDeps) {
  const { provisioning } = deps
  return new Hono<{ Variables: ViewerVariables }>()
    .post('/', requirePermission('numbers:write'), async (c) => {
      const body = await readJsonBody(c)
      const rawKey = c.req.header('idempotency-key')
      let idempotencyKey: string | undefined
      if (rawKey !== undefined) {
        const parsedKey = idempotencyKeySchema.safeParse(rawKey)
        if (!parsedKey.success) {
          throw new AppError('VALIDATION_FAILED', parsedKey.error.issues[0]?.message ?? 'Invalid Idempotency-Key.')
        }
        idempotencyKey = parsedKey.data
      }
      if (isCarrierPurchaseBody(body)) {
        const carrierResult = await buyChosenNumber(c, deps, body, idempotencyKey)
        return c.json(carrierResult, 201)
      }
      const request = parseOrRefuse(createPhoneNumberRequestSchema, body)
      const result = await provisionPhoneNumber(
        { ...provisioning, areaCodes: deps.areaCodes },
        {
          organizationId: c.get('viewer').organizationId,
          requestedByUserId: c.get('viewer').userId,
          request,
          ...(idempotencyKey ? { idempotencyKey } : {}),
        },
      )
      if (result.isReplay) c.header('Idempotent-Replayed', 'true')
      else {
        deps.onCreated?.()
        await recordAuditEvent(provisioning.db, {
          organizationId: c.get('viewer').organizationId,
          actor: auditActorOf(c),
          action: 'phone-number.purchase',
          target: { type: 'phone-number', id: result.phoneNumber.id, label: numberLabel(result.phoneNumber) },
          details: {
            areaCode: result.phoneNumber.areaCode,
            status: result.phoneNumber.status,
            ...(idempotencyKey ? { idempotent: true } : {}),
          },
        })
      }
      return c.json(result.phoneNumber, 201)
    })
    .get('/', requirePermission('numbers:read'), validate('query', listPhoneNumbersQuerySchema), async (c) => {
      const query = c.req.valid('query')
      const after = query.cursor ? decodeCursor(query.cursor) : null
      if (query.cursor && !after) throw new AppError('VALIDATION_FAILED', 'cursor: not a cursor this API gave out.')
      const { rows, hasMore } = await listPhoneNumbersOfOrganization(provisioning.db, {
        organizationId: c.get('viewer').organizationId,
        ...(query.status ? { status: query.status } : {}),
        ...(query.q ? { search: query.q } : {}),
        after,
        limit: query.limit,
      })
      const last = rows.at(-1)
      const body: PhoneNumberList = {
        items: rows.map((row) => toPhoneNumber(row)),
        nextCursor: hasMore && last ? encodeCursor(last) : null,
      }
      return c.json(body)
    })
    .get('/timing', requirePermission('numbers:read'), async (c) =>
      c.json(await typicalSecondsToLive(provisioning.db, c.get('viewer').organizationId)),
    )
    .get('/monthly-cost', requirePermission('numbers:read'), async (c) =>
      c.json(await monthlyCostOf(provisioning.db, c.get('viewer').organizationId)),
    )
    .post('/refresh', requirePermission('numbers:read'), async (c) => {
      const result = await refreshPendingPhoneNumbers(provisioning, { organizationId: c.get('viewer').organizationId })
      await recordAuditEvent(provisioning.db, {
        organizationId: c.get('viewer').organizationId,
        actor: auditActorOf(c),
        action: 'phone-number.check-all',
        target: { type: 'organization', id: c.get('viewer').organizationId, label: null },
        details: { ...result },
      })
      return c.json(result)
    })
    .get('/:id', requirePermission('numbers:read'), async (c) => {
      const row = await findPhoneNumberOfOrganization(
        provisioning.db,
        c.get('viewer').organizationId,
        c.req.param('id'),
      )
      if (!row) throw new AppError('NOT_FOUND', 'No such phone number.')
      return c.json(toPhoneNumber(row))
    })
    .post('/:id/refresh', requirePermission('numbers:read'), async (c) => {
      const target = { organizationId: c.get('viewer').organizationId, phoneNumberId: c.req.param('id') }
      const row = await findPhoneNumberOfOrganization(provisioning.db, target.organizationId, target.phoneNumberId)
      // A carrier number not in Vapi yet is checked at its carrier, by its saga (decision 0014).
      if (row && row.provider !== 'vapi' && row.vapi_phone_number_id === null && deps.carriers) {
        return c.json(await checkCarrierNumber(deps.carriers, target))
      }
      return c.json(await refreshPhoneNumber(provisioning, target))
    })
    .patch('/:id', requirePermission('numbers:write'), validate('json', updatePhoneNumberRequestSchema), async (c) => {
      const organizationId = c.get('viewer').organizationId
      const request = c.req.valid('json')
      const before = await findPhoneNumberOfOrganization(provisioning.db, organizationId, c.req.param('id'))
      const updated = await updatePhoneNumber(provisioning, {
        organizationId,
        phoneNumberId: c.req.param('id'),
        request,
      })
      await recordAuditEvent(provisioning.db, {
        organizationId,
        actor: auditActorOf(c),
        action: request.assistantId !== undefined ? 'phone-number.assign' : 'phone-number.rename',
        target: { type: 'phone-number', id: updated.id, label: numberLabel(updated) },
        details: {
          ...(request.assistantId !== undefined
            ? {
                assistantBefore: before?.assistant_id ? { id: before.assistant_id, name: before.assistant_name } : null,
                assistantAfter: updated.assistant,
              }
            : {}),
          ...(request.name !== undefined ? { nameBefore: before?.name ?? null, nameAfter: updated.name } : {}),
        },
      })
      return c.json(updated)
    })
    .delete('/:id', requirePermission('numbers:write'), async (c) => {
      const organizationId = c.get('viewer').organizationId
      const before = await findPhoneNumberOfOrganization(provisioning.db, organizationId, c.req.param('id'))
      const target = { organizationId, phoneNumberId: c.req.param('id') }
      const released =
        before && before.provider !== 'vapi' && deps.carriers
          ? await releaseCarrierNumber(deps.carriers, target)
          : await releasePhoneNumber(provisioning, target)
      if (before && before.status !== 'released') {
        await recordAuditEvent(provisioning.db, {
          organizationId,
          actor: auditActorOf(c),
          action: 'phone-number.release',
          target: { type: 'phone-number', id: released.id, label: numberLabel(released) },
          details: { previousStatus: before.status },
        })
      }
      return c.json(released)
    })
}

async function readJsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json<unknown>()
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The body must be JSON: { areaCode } or { carrier, number }.')
  }
}

/** `{ carrier, number }` buys a chosen carrier number; anything else is the area-code body Vapi sells by. */
function isCarrierPurchaseBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'carrier' in body
}

function parseOrRefuse<Schema extends $ZodType>(schema: Schema, body: unknown) {
  const parsed = z.safeParse(schema, body)
  if (!parsed.success) throw validationFailed(parsed.error)
  return parsed.data
}

async function buyChosenNumber(
  c: Context<{ Variables: ViewerVariables }>,
  deps: PhoneNumberRouteDeps,
  body: unknown,
  idempotencyKey: string | undefined,
) {
  const request = parseOrRefuse(buyCarrierNumberRequestSchema, body)
  if (!deps.carriers) throw new AppError('NOT_FOUND', 'This server does not buy carrier numbers.')
  const viewer = c.get('viewer')
  const result = await buyCarrierNumber(deps.carriers, {
    organizationId: viewer.organizationId,
    request,
    requestedByUserId: viewer.userId,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  })
  if (result.isReplay) {
    c.header('Idempotent-Replayed', 'true')
    return result.phoneNumber
  }
  deps.onCreated?.()
  await recordAuditEvent(deps.provisioning.db, {
    organizationId: viewer.organizationId,
    actor: auditActorOf(c),
    action: 'phone-number.purchase',
    target: { type: 'phone-number', id: result.phoneNumber.id, label: numberLabel(result.phoneNumber) },
    details: {
      carrier: request.carrier,
      number: request.number,
      status: result.phoneNumber.status,
      ...(idempotencyKey ? { idempotent: true } : {}),
    },
  })
  return result.phoneNumber
}
