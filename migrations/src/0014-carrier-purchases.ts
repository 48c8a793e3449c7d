import { sql, type Kysely } from 'kysely'

// Numbers bought at (or imported from) a carrier, Twilio or Telnyx, and then imported into Vapi: a saga of steps
// that outlives the request and the process (decision 0014). carrier_purchase is its state, one row per number,
// written before the carrier is asked and advanced by the request, the Telnyx webhook and the worker alike, each
// after claiming it (lease_until). carrier_purchase_step is the record of every step taken. vapi_carrier_credential
// remembers the Vapi credential made from an organisation's Telnyx key. carrier_webhook_event de-duplicates the
// carriers' webhooks by their event id and keeps what arrived.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('carrier_purchase')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('buy', 'import')`))
    .addColumn('carrier', 'text', (col) => col.notNull().check(sql`carrier in ('twilio', 'telnyx')`))
    // The carrier account (a fingerprint of its credentials, never them) that buys and releases the number.
    .addColumn('carrier_account', 'text', (col) => col.notNull())
    .addColumn('number', 'text', (col) => col.notNull())
    .addColumn('country', 'text', (col) => col.notNull())
    .addColumn('capabilities', 'jsonb', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('assistant_id', 'text')
    // After a failure past the carrier purchase: true keeps the number at the carrier (to import later).
    .addColumn('keep_on_failure', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('requested_by_user_id', 'text')
    // The request's Idempotency-Key: completed with the card once there is one, given back if nothing was bought.
    .addColumn('idempotency_key', 'text')
    .addColumn('step', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`step in ('purchasing', 'ordered', 'bought', 'importing', 'live', 'releasing', 'refused', 'released', 'kept')`,
        ),
    )
    .addColumn('phone_number_id', 'uuid', (col) => col.references('phone_number.id').onDelete('set null'))
    .addColumn('carrier_order_id', 'text')
    .addColumn('carrier_number_id', 'text')
    .addColumn('vapi_account', 'text')
    .addColumn('vapi_phone_number_id', 'text')
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    // Tries of the current step that failed for a passing reason (carrier or Vapi busy): the backoff grows with it.
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    // When the worker should look at it next; null once it has settled (live, refused, released, kept).
    .addColumn('next_attempt_at', 'timestamptz')
    // Whoever advances it (request, webhook, worker) holds it until then; a crashed holder's lease runs out.
    .addColumn('lease_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('settled_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('carrier_purchase_due_idx')
    .on('carrier_purchase')
    .column('next_attempt_at')
    .where(sql.ref('next_attempt_at'), 'is not', null)
    .execute()
  await db.schema
    .createIndex('carrier_purchase_order_idx')
    .on('carrier_purchase')
    .column('carrier_order_id')
    .unique()
    .where(sql.ref('carrier_order_id'), 'is not', null)
    .execute()
  await db.schema.createIndex('carrier_purchase_number_idx').on('carrier_purchase').column('phone_number_id').execute()
  await db.schema
    .createIndex('carrier_purchase_org_idx')
    .on('carrier_purchase')
    .columns(['organization_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('carrier_purchase_step')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('purchase_id', 'uuid', (col) => col.notNull().references('carrier_purchase.id').onDelete('cascade'))
    .addColumn('step', 'text', (col) => col.notNull())
    .addColumn('detail', 'text')
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('carrier_purchase_step_purchase_idx')
    .on('carrier_purchase_step')
    .columns(['purchase_id', 'id'])
    .execute()

  await db.schema
    .createTable('vapi_carrier_credential')
    .addColumn('organization_id', 'text', (col) => col.notNull())
    // 'platform' or 'key:<fingerprint>', as phone_number.vapi_account.
    .addColumn('vapi_account', 'text', (col) => col.notNull())
    .addColumn('carrier', 'text', (col) => col.notNull())
    .addColumn('carrier_account', 'text', (col) => col.notNull())
    .addColumn('credential_id', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('vapi_carrier_credential_pk', [
      'organization_id',
      'vapi_account',
      'carrier',
      'carrier_account',
    ])
    .execute()

  await db.schema
    .createTable('carrier_webhook_event')
    .addColumn('event_id', 'text', (col) => col.primaryKey())
    .addColumn('carrier', 'text', (col) => col.notNull())
    .addColumn('event_type', 'text', (col) => col.notNull())
    .addColumn('order_id', 'text')
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('carrier_webhook_event_received_idx')
    .on('carrier_webhook_event')
    .column('received_at')
    .execute()

  // A carrier number is held once per organisation while it is pending or live (two imports of one number race).
  await db.schema
    .createIndex('phone_number_carrier_number_held_idx')
    .on('phone_number')
    .columns(['organization_id', 'number'])
    .unique()
    .where(sql<boolean>`provider <> 'vapi' and status in ('pending', 'active')`)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('phone_number_carrier_number_held_idx').execute()
  await db.schema.dropTable('carrier_webhook_event').execute()
  await db.schema.dropTable('vapi_carrier_credential').execute()
  await db.schema.dropTable('carrier_purchase_step').execute()
  await db.schema.dropTable('carrier_purchase').execute()
}
