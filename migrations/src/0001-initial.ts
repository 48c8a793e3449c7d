import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must keep producing the same schema forever, so it uses Kysely<any> and imports
// nothing from the server. Better Auth's tables keep its camelCase column names; dialtone's own use snake_case.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('emailVerified', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('image', 'text')
    .addColumn('role', 'text')
    .addColumn('banned', 'boolean')
    .addColumn('banReason', 'text')
    .addColumn('banExpires', 'timestamptz')
    .addColumn('createdAt', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updatedAt', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('organization')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('logo', 'text')
    .addColumn('metadata', 'text')
    .addColumn('createdAt', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('expiresAt', 'timestamptz', (col) => col.notNull())
    .addColumn('token', 'text', (col) => col.notNull().unique())
    .addColumn('ipAddress', 'text')
    .addColumn('userAgent', 'text')
    .addColumn('userId', 'text', (col) => col.notNull().references('user.id').onDelete('cascade'))
    .addColumn('impersonatedBy', 'text')
    .addColumn('activeOrganizationId', 'text')
    .addColumn('createdAt', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updatedAt', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('session_user_id_idx').on('session').column('userId').execute()

  await db.schema
    .createTable('account')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('accountId', 'text', (col) => col.notNull())
    .addColumn('providerId', 'text', (col) => col.notNull())
    .addColumn('userId', 'text', (col) => col.notNull().references('user.id').onDelete('cascade'))
    .addColumn('accessToken', 'text')
    .addColumn('refreshToken', 'text')
    .addColumn('idToken', 'text')
    .addColumn('accessTokenExpiresAt', 'timestamptz')
    .addColumn('refreshTokenExpiresAt', 'timestamptz')
    .addColumn('scope', 'text')
    .addColumn('password', 'text')
    .addColumn('createdAt', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updatedAt', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('account_user_id_idx').on('account').column('userId').execute()

  await db.schema
    .createTable('verification')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('identifier', 'text', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('expiresAt', 'timestamptz', (col) => col.notNull())
    .addColumn('createdAt', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updatedAt', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('verification_identifier_idx').on('verification').column('identifier').execute()

  await db.schema
    .createTable('member')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organizationId', 'text', (col) => col.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('userId', 'text', (col) => col.notNull().references('user.id').onDelete('cascade'))
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('createdAt', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('member_user_id_idx').on('member').column('userId').execute()
  await db.schema.createIndex('member_organization_id_idx').on('member').column('organizationId').execute()

  await db.schema
    .createTable('invitation')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organizationId', 'text', (col) => col.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('role', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('expiresAt', 'timestamptz', (col) => col.notNull())
    .addColumn('inviterId', 'text', (col) => col.notNull().references('user.id').onDelete('cascade'))
    .addColumn('createdAt', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('phone_number')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'text', (col) => col.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('vapi_phone_number_id', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('area_code', 'text', (col) => col.notNull())
    .addColumn('number', 'text')
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('pending', 'active', 'failed', 'released')`),
    )
    .addColumn('failure_code', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('detected_by', 'text', (col) => col.check(sql`detected_by in ('webhook', 'poll', 'manual')`))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('activated_at', 'timestamptz')
    .addColumn('released_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    // Poller state lives in the row, so a restart (or another process) picks up where the last one stopped.
    .addColumn('next_check_at', 'timestamptz')
    .addColumn('check_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_checked_at', 'timestamptz')
    .execute()
  // The poller's only question: which pending numbers are due. A partial index keeps its cost proportional
  // to the pending numbers, not to every number ever bought.
  await db.schema
    .createIndex('phone_number_due_idx')
    .on('phone_number')
    .column('next_check_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute()
  await db.schema
    .createIndex('phone_number_org_created_idx')
    .on('phone_number')
    .columns(['organization_id', 'created_at desc', 'id desc'])
    .execute()

  await db.schema
    .createTable('phone_number_status_change')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('phone_number_id', 'uuid', (col) => col.notNull().references('phone_number.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('phone_number_status_change_number_idx')
    .on('phone_number_status_change')
    .columns(['phone_number_id', 'at'])
    .execute()

  await db.schema
    .createTable('provisioning_attempt')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'text', (col) => col.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('phone_number_id', 'uuid', (col) => col.references('phone_number.id').onDelete('set null'))
    .addColumn('vapi_phone_number_id', 'text')
    .addColumn('area_code', 'text', (col) => col.notNull())
    .addColumn('outcome', 'text', (col) =>
      col.notNull().check(sql`outcome in ('in_flight', 'purchased', 'refused', 'rolled_back', 'error')`),
    )
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('vapi_status_code', 'integer')
    .addColumn('requested_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('responded_at', 'timestamptz')
    .addColumn('duration_ms', 'integer')
    .execute()
  await db.schema
    .createIndex('provisioning_attempt_requested_idx')
    .on('provisioning_attempt')
    .columns(['requested_at'])
    .execute()
  await db.schema
    .createIndex('provisioning_attempt_org_requested_idx')
    .on('provisioning_attempt')
    .columns(['organization_id', 'requested_at'])
    .execute()
  await db.schema
    .createIndex('provisioning_attempt_phone_number_idx')
    .on('provisioning_attempt')
    .column('phone_number_id')
    .execute()

  await db.schema
    .createTable('webhook_delivery')
    .addColumn('delivery_id', 'text', (col) => col.primaryKey())
    .addColumn('message_type', 'text')
    .addColumn('vapi_phone_number_id', 'text')
    .addColumn('phone_number_id', 'uuid', (col) => col.references('phone_number.id').onDelete('set null'))
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('webhook_delivery_received_idx').on('webhook_delivery').column('received_at').execute()

  await db.schema
    .createTable('idempotency_key')
    .addColumn('organization_id', 'text', (col) => col.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_key_pk', ['organization_id', 'key'])
    .execute()
  await db.schema.createIndex('idempotency_key_created_idx').on('idempotency_key').column('created_at').execute()

  // A number bought at Vapi that dialtone could not keep (storage failed after the purchase, and the immediate
  // rollback failed too). A background job deletes it at Vapi until it is gone, so nobody pays for a forgotten number.
  await db.schema
    .createTable('vapi_orphan')
    .addColumn('vapi_phone_number_id', 'text', (col) => col.primaryKey())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'vapi_orphan',
    'idempotency_key',
    'webhook_delivery',
    'provisioning_attempt',
    'phone_number_status_change',
    'phone_number',
    'invitation',
    'member',
    'verification',
    'account',
    'session',
    'organization',
    'user',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
