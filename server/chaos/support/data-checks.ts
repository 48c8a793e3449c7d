import { sql, type Kysely } from 'kysely'
import type { Database } from '../../src/db/schema.ts'

interface SandboxHolding {
  id: string
  number?: string
  status: string
  releasedAt: string | null
}

export async function sandboxInventory(sandboxUrl: string): Promise<SandboxHolding[]> {
  const response = await fetch(`${sandboxUrl}/_sandbox/phone-numbers`)
  return (await response.json()) as SandboxHolding[]
}

/**
 * Vapi's inventory and dialtone's rows must describe the same numbers: every number still held at Vapi has a row
 * (nothing bought and forgotten), and every row that is pending or live has a number held behind it.
 */
export async function inventoryDisagreement(db: Kysely<Database>, sandboxUrl: string) {
  const held = (await sandboxInventory(sandboxUrl)).filter((holding) => holding.releasedAt === null)
  const rows = await db.selectFrom('phone_number').select(['id', 'vapi_phone_number_id', 'status', 'number']).execute()
  const rowByVapiId = new Map(rows.map((row) => [row.vapi_phone_number_id, row]))
  const heldById = new Map(held.map((holding) => [holding.id, holding]))
  const boughtAndForgotten = held.filter((holding) => !rowByVapiId.has(holding.id)).map((holding) => holding.id)
  const rowsWithoutNumber = rows
    .filter(
      (row) => (row.status === 'pending' || row.status === 'active') && !heldById.has(row.vapi_phone_number_id ?? ''),
    )
    .map((row) => row.id)
  // "Never a mock number": a live row carries exactly the number Vapi assigned.
  const numbersNotFromVapi = rows
    .filter((row) => row.status === 'active')
    .filter((row) => {
      const holding = heldById.get(row.vapi_phone_number_id ?? '')
      return holding !== undefined && holding.number !== row.number
    })
    .map((row) => row.id)
  return { held: held.length, rows: rows.length, boughtAndForgotten, rowsWithoutNumber, numbersNotFromVapi }
}

/** Signs of a write that stopped half-way: each must be an empty list. */
export async function halfWrittenRows(db: Kysely<Database>) {
  const versionWithoutHistory = await sql<{ id: string; version: number; history: number }>`
    select n.id, n.version, count(c.id)::int as history
    from phone_number n left join phone_number_status_change c on c.phone_number_id = n.id
    group by n.id, n.version
    having n.version <> count(c.id)`.execute(db)
  const deliveriesMidway = await db
    .selectFrom('webhook_delivery')
    .select('delivery_id')
    .where('outcome', '=', 'received')
    .execute()
  const purchasedWithoutRow = await db
    .selectFrom('provisioning_attempt')
    .select('id')
    .where('outcome', '=', 'purchased')
    .where('phone_number_id', 'is', null)
    .execute()
  const liveWithoutNumber = await db
    .selectFrom('phone_number')
    .select('id')
    .where('status', '=', 'active')
    .where('number', 'is', null)
    .execute()
  return {
    versionWithoutHistory: versionWithoutHistory.rows.map((row) => row.id),
    deliveriesMidway: deliveriesMidway.map((row) => row.delivery_id),
    purchasedWithoutRow: purchasedWithoutRow.map((row) => row.id),
    liveWithoutNumber: liveWithoutNumber.map((row) => row.id),
  }
}

export async function eventually<T>(
  probe: () => Promise<T>,
  isDone: (value: T) => boolean,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<{ value: T; isDone: boolean; waitedMs: number }> {
  const startedAt = Date.now()
  for (;;) {
    const value = await probe()
    if (isDone(value)) return { value, isDone: true, waitedMs: Date.now() - startedAt }
    if (Date.now() - startedAt > options.timeoutMs) return { value, isDone: false, waitedMs: Date.now() - startedAt }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250))
  }
}
