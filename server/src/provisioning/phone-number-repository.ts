import { isUuid } from '../lib/is-uuid.ts'
import type { PhoneNumberStatus } from '@dialtone/shared/phone-number'
import { sql } from 'kysely'
import type { Insertable } from 'kysely'
import type { Database, NewPhoneNumberRow, PhoneNumberRow } from '../db/schema.ts'
import type { Executor } from './phone-number-transition-repository.ts'

export async function insertPhoneNumber(executor: Executor, values: NewPhoneNumberRow): Promise<PhoneNumberRow> {
  return executor.insertInto('phone_number').values(values).returningAll().executeTakeFirstOrThrow()
}

/** A history row written outside a transition (a number's creation); transitions write their own. */
export async function recordStatusChange(
  executor: Executor,
  change: Insertable<Database['phone_number_status_change']>,
): Promise<void> {
  await executor.insertInto('phone_number_status_change').values(change).execute()
}

/** A number of this organisation, or undefined: another organisation's id looks exactly like a missing one. */
export async function findPhoneNumberOfOrganization(
  executor: Executor,
  organizationId: string,
  phoneNumberId: string,
): Promise<PhoneNumberRow | undefined> {
  if (!isUuid(phoneNumberId)) return undefined
  return executor
    .selectFrom('phone_number')
    .selectAll()
    .where('id', '=', phoneNumberId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
}

export async function findPhoneNumberByVapiId(executor: Executor, vapiPhoneNumberId: string) {
  return executor
    .selectFrom('phone_number')
    .selectAll()
    .where('vapi_phone_number_id', '=', vapiPhoneNumberId)
    .executeTakeFirst()
}

/** Each Vapi id's number (undefined where none), in the order asked. */
export async function findPhoneNumbersByVapiIds(executor: Executor, vapiPhoneNumberIds: string[]) {
  const rows = await executor
    .selectFrom('phone_number')
    .selectAll()
    .where('vapi_phone_number_id', 'in', [...new Set(vapiPhoneNumberIds)])
    .execute()
  const byVapiId = new Map(rows.map((row) => [row.vapi_phone_number_id, row]))
  return vapiPhoneNumberIds.map((vapiPhoneNumberId) => byVapiId.get(vapiPhoneNumberId))
}

interface Cursor {
  createdAt: string
  id: string
}

export function encodeCursor(row: Pick<PhoneNumberRow, 'created_at' | 'id'>): string {
  return Buffer.from(JSON.stringify({ createdAt: row.created_at.toISOString(), id: row.id })).toString('base64url')
}

/**
 * Only the form encodeCursor writes. Date.parse takes "0" or "May 5" too, which Postgres then refuses mid-query
 * (a data exception logged as a warning with a stack); such a cursor is the client's mistake, answered 400.
 */
function isCanonicalTimestamp(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(text)) return false
  const parsed = new Date(text)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === text
}

export function decodeCursor(cursor: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      typeof value === 'object' &&
      value !== null &&
      'createdAt' in value &&
      'id' in value &&
      typeof value.createdAt === 'string' &&
      typeof value.id === 'string' &&
      isCanonicalTimestamp(value.createdAt) &&
      isUuid(value.id)
    ) {
      return { createdAt: value.createdAt, id: value.id }
    }
  } catch {
    // fall through: a cursor we did not write
  }
  return null
}

/** Newest first, keyset-paginated on (created_at, id) so pages stay stable while numbers are added. */
export async function listPhoneNumbersOfOrganization(
  executor: Executor,
  input: { organizationId: string; status?: PhoneNumberStatus; search?: string; after: Cursor | null; limit: number },
): Promise<{ rows: PhoneNumberRow[]; hasMore: boolean }> {
  let query = executor.selectFrom('phone_number').selectAll().where('organization_id', '=', input.organizationId)
  if (input.status) query = query.where('status', '=', input.status)
  if (input.search) {
    const digits = input.search.replace(/\D/g, '')
    const pattern = `%${input.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
    query = query.where((eb) =>
      eb.or([
        eb('name', 'ilike', pattern),
        ...(digits.length > 0 ? [eb('number', 'like', `%${digits}%`), eb('area_code', 'like', `${digits}%`)] : []),
      ]),
    )
  }
  const after = input.after
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(sql<Date>`${after.createdAt}::timestamptz`, after.id)),
    )
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit + 1)
    .execute()
  return { rows: rows.slice(0, input.limit), hasMore: rows.length > input.limit }
}

export async function listPendingPhoneNumbersOfOrganization(executor: Executor, organizationId: string) {
  return executor
    .selectFrom('phone_number')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .execute()
}

/** Median seconds from creation to live over the organisation's last 50 live numbers. */
export async function typicalSecondsToLive(executor: Executor, organizationId: string) {
  const result = await sql<{ median: number | null; sample: number }>`
    select percentile_cont(0.5) within group (order by extract(epoch from activated_at - created_at))::float8 as median,
           count(*)::int as sample
    from (
      select activated_at, created_at from phone_number
      where organization_id = ${organizationId} and activated_at is not null
      order by activated_at desc limit 50
    ) recent`.execute(executor)
  const row = result.rows[0]
  return { typicalSecondsToLive: row?.median ?? null, sampleSize: row?.sample ?? 0 }
}

/**
 * A new name and/or assistant, made at Vapi already: bumps `version` and writes a history row that keeps the
 * status (from = to, source 'update'), so sockets and the outbound `phone-number.updated` carry it like any change.
 */
export async function updatePhoneNumberDetails(
  executor: Executor,
  input: {
    phoneNumberId: string
    name?: string | null
    assistant?: { id: string; name: string | null } | null
    now: Date
  },
): Promise<PhoneNumberRow | undefined> {
  const row = await executor
    .updateTable('phone_number')
    .set((eb) => ({
      version: eb('version', '+', 1),
      updated_at: input.now,
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.assistant === undefined
        ? {}
        : { assistant_id: input.assistant?.id ?? null, assistant_name: input.assistant?.name ?? null }),
    }))
    .where('id', '=', input.phoneNumberId)
    .where('status', '!=', 'released')
    .returningAll()
    .executeTakeFirst()
  if (!row) return undefined
  await recordStatusChange(executor, {
    phone_number_id: row.id,
    from_status: row.status,
    to_status: row.status,
    source: 'update',
    at: input.now,
  })
  return row
}

/** Every number dialtone still holds at Vapi (pending or live), with the account that bought it. */
export async function listNumbersHeldAtVapi(executor: Executor) {
  return executor
    .selectFrom('phone_number')
    .select(['id', 'organization_id', 'vapi_phone_number_id', 'vapi_account', 'number', 'name'])
    .where('status', 'in', ['pending', 'active'])
    .orderBy('organization_id')
    .orderBy('created_at')
    .execute()
}
