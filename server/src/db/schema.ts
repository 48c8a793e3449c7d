import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>

export interface UserTable {
  id: string
  name: string
  email: string
  emailVerified: Generated<boolean>
  image: string | null
  role: string | null
  banned: boolean | null
  banReason: string | null
  banExpires: NullableTimestamp
  createdAt: Timestamp
  updatedAt: Timestamp
}

export interface SessionTable {
  id: string
  expiresAt: Timestamp
  token: string
  ipAddress: string | null
  userAgent: string | null
  userId: string
  impersonatedBy: string | null
  activeOrganizationId: string | null
  createdAt: Timestamp
  updatedAt: Timestamp
}

export interface OrganizationTable {
  id: string
  name: string
  slug: string
  logo: string | null
  metadata: string | null
  createdAt: Timestamp
  /** Set when its owner deleted it (0005): the row stays for the statistics history. */
  deletedAt: NullableTimestamp
}

export interface MemberTable {
  id: string
  organizationId: string
  userId: string
  role: string
  createdAt: Timestamp
}

export interface PhoneNumberTable {
  id: Generated<string>
  organization_id: string
  /** Null while a carrier number is bought but not yet imported into Vapi (0013). */
  vapi_phone_number_id: string | null
  name: string | null
  area_code: string
  number: string | null
  status: 'pending' | 'active' | 'failed' | 'released'
  failure_code: string | null
  failure_reason: string | null
  detected_by: 'webhook' | 'poll' | 'manual' | null
  version: Generated<number>
  created_at: Timestamp
  activated_at: NullableTimestamp
  released_at: NullableTimestamp
  updated_at: Timestamp
  next_check_at: NullableTimestamp
  check_count: Generated<number>
  last_checked_at: NullableTimestamp
  /** The Vapi account that bought it (0010): 'platform' or 'key:<fingerprint>'; null means 'platform'. */
  vapi_account: ColumnType<string | null, string | null | undefined, string | null>
  assistant_id: ColumnType<string | null, string | null | undefined, string | null>
  /** The assistant's name when it was assigned. */
  assistant_name: ColumnType<string | null, string | null | undefined, string | null>
  /** 0013: where the number was bought. Vapi sells US numbers by area code; carrier numbers are imported into Vapi. */
  provider: ColumnType<NumberProvider, NumberProvider | undefined, NumberProvider>
  /** ISO 3166 alpha-2 country of the number. */
  country: ColumnType<string, string | undefined, string>
  capabilities: ColumnType<NumberCapabilities, string | undefined, string>
  /** The carrier's own id for the number (Twilio's PN… sid, Telnyx's phone number id); null for Vapi numbers. */
  carrier_number_id: ColumnType<string | null, string | null | undefined, string | null>
  call_state: ColumnType<CallState, CallState | undefined, CallState>
  call_started_at: NullableTimestamp
  last_call_at: NullableTimestamp
  last_ended_reason: ColumnType<string | null, string | null | undefined, string | null>
  /** Calls counted on calls_today_on (a UTC date, YYYY-MM-DD); another day means none yet today. */
  calls_today: ColumnType<number, number | undefined, number>
  calls_today_on: ColumnType<string | null, string | null | undefined, string | null>
  answered_first_call_at: NullableTimestamp
  /** 0015: the latest calls all ended with reasons that mean the line or the assistant is broken. */
  call_failing: ColumnType<boolean, boolean | undefined, boolean>
  /** 0017: the monthly price the carrier gave (a decimal string) and its currency; both null when it gave none. */
  monthly_price_amount: ColumnType<string | null, string | null | undefined, string | null>
  monthly_price_currency: ColumnType<string | null, string | null | undefined, string | null>
  /** 0020: the process whose poller holds the claim on this pending number; null between checks. */
  poll_claimed_by: ColumnType<string | null, string | null | undefined, string | null>
}
export type NumberProvider = 'vapi' | 'twilio' | 'telnyx'
export type CallState = 'idle' | 'ringing' | 'in-call'
export interface NumberCapabilities {
  voice: boolean
  sms: boolean
  mms: boolean
}
export type PhoneNumberRow = Selectable<PhoneNumberTable>
export type NewPhoneNumberRow = Insertable<PhoneNumberTable>
export type PhoneNumberRowUpdate = Updateable<PhoneNumberTable>

export interface PhoneNumberStatusChangeTable {
  id: Generated<string>
  phone_number_id: string
  from_status: string | null
  to_status: string
  source: string
  reason: string | null
  at: Timestamp
}

export type AttemptOutcome = 'in_flight' | 'purchased' | 'refused' | 'rolled_back' | 'error'

export interface ProvisioningAttemptTable {
  id: Generated<string>
  organization_id: string
  phone_number_id: string | null
  vapi_phone_number_id: string | null
  area_code: string
  outcome: AttemptOutcome
  failure_code: string | null
  failure_message: string | null
  vapi_status_code: number | null
  requested_at: Timestamp
  responded_at: NullableTimestamp
  duration_ms: number | null
  reconciled_at: NullableTimestamp
  /** Who asked for the purchase (null for attempts made before it was recorded). */
  requested_by_user_id: string | null
  vapi_account: ColumnType<string | null, string | null | undefined, string | null>
}

export interface RateLimitCounterTable {
  key: string
  window_started_at: Timestamp
  window_ms: number
  count: number
}

export interface WebhookDeliveryTable {
  delivery_id: string
  message_type: string | null
  vapi_phone_number_id: string | null
  phone_number_id: string | null
  outcome: string
  payload: ColumnType<unknown, string, string>
  received_at: Timestamp
}

export interface IdempotencyKeyTable {
  organization_id: string
  key: string
  request_hash: string
  response_status: number | null
  response_body: ColumnType<unknown, string | null, string | null>
  created_at: Timestamp
}

export interface VapiOrphanTable {
  vapi_phone_number_id: string
  reason: string
  attempts: Generated<number>
  last_error: string | null
  next_attempt_at: Timestamp
  created_at: Timestamp
  deleted_at: NullableTimestamp
  organization_id: ColumnType<string | null, string | null | undefined, string | null>
  vapi_account: ColumnType<string | null, string | null | undefined, string | null>
}

export interface ProviderConnectionTable {
  id: Generated<string>
  organization_id: string
  provider: 'vapi' | 'twilio' | 'telnyx'
  source: 'organization' | 'sandbox'
  secret_ciphertext: string
  key_hint: string
  account_fingerprint: string
  sandbox_account_id: string | null
  connected_at: Timestamp
  connected_by_user_id: string | null
  retired_at: NullableTimestamp
}
export type ProviderConnectionRow = Selectable<ProviderConnectionTable>

export interface VapiAccountPauseTable {
  account_key: string
  paused_until: Timestamp
}

export type AccountAuditAction =
  'ban-user' | 'unban-user' | 'grant-platform-admin' | 'revoke-platform-admin' | 'delete-organization'

export interface AccountAuditEventTable {
  id: Generated<string>
  at: Timestamp
  actor_user_id: string | null
  actor_email: string | null
  action: AccountAuditAction
  target_user_id: string | null
  target_email: string | null
  target_organization_id: string | null
  details: ColumnType<Record<string, unknown>, string | undefined, string>
}
/** Better Auth's organisation-plugin table; dialtone's own routes (routes/member-routes.ts) write it. */
export interface InvitationTable {
  id: string
  organizationId: string
  email: string
  role: string | null
  status: string
  expiresAt: Timestamp
  inviterId: string
  createdAt: Generated<Date>
}

export interface AuditEventTable {
  id: Generated<string>
  organization_id: string
  actor_type: 'user' | 'api-key' | 'system'
  actor_id: string | null
  actor_label: string
  action: string
  target_type: string
  target_id: string | null
  target_label: string | null
  details: ColumnType<Record<string, unknown>, string | undefined, string>
  client_address: string | null
  at: Generated<Date>
}
export type AuditEventRow = Selectable<AuditEventTable>

export interface WebhookEndpointTable {
  id: Generated<string>
  organization_id: string
  url: string
  events: ColumnType<string[], string, string>
  secret_ciphertext: string
  previous_secret_ciphertext: string | null
  previous_secret_expires_at: NullableTimestamp
  failing_since: NullableTimestamp
  disabled_at: NullableTimestamp
  disabled_reason: string | null
  created_at: Timestamp
}
export type WebhookEndpointRow = Selectable<WebhookEndpointTable>

export interface OutboundWebhookDeliveryTable {
  id: Generated<string>
  endpoint_id: string
  event_type: string
  phone_number_id: string | null
  phone_number_snapshot: ColumnType<unknown, string, string>
  occurred_at: Timestamp
  status: ColumnType<'pending' | 'succeeded' | 'failed', 'pending' | 'succeeded' | 'failed' | undefined>
  attempt_count: Generated<number>
  attempts_allowed: number | null
  claim_count: Generated<number>
  next_attempt_at: NullableTimestamp
  created_at: Timestamp
  /** 0019: the worker_process holding the current claim; null when none does. */
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>
}
export type OutboundWebhookDeliveryRow = Selectable<OutboundWebhookDeliveryTable>

export interface OutboundWebhookAttemptTable {
  id: Generated<string>
  delivery_id: string
  attempted_at: Timestamp
  response_status: number | null
  latency_ms: number
  response_excerpt: string
  is_success: boolean
}
export type OutboundWebhookAttemptRow = Selectable<OutboundWebhookAttemptTable>
export interface NotificationPreferenceTable {
  user_id: string
  number_live: Generated<boolean>
  number_failed: Generated<boolean>
  number_stuck: Generated<boolean>
  number_released: Generated<boolean>
  admin_alerts: Generated<boolean>
  updated_at: Timestamp
}

export type NotificationEventKind = 'live' | 'failed' | 'stuck' | 'released'

export interface NotificationEventTable {
  id: Generated<string>
  phone_number_id: string
  kind: NotificationEventKind
  reason: string | null
  at: Timestamp
  processed_at: NullableTimestamp
}

/** 0019: a server process that is alive while its heartbeat is recent (processes/worker-process-repository.ts). */
export interface WorkerProcessTable {
  id: string
  started_at: Generated<Date>
  heartbeat_at: Generated<Date>
}

export interface NotificationOutboxTable {
  id: Generated<string>
  channel: 'email' | 'webhook'
  topic: 'phone-numbers' | 'admin-alert' | 'invitation'
  recipient: string
  user_id: string | null
  payload: ColumnType<unknown, string, string>
  status: Generated<'queued' | 'sending' | 'sent' | 'failed'>
  attempts: Generated<number>
  next_attempt_at: Timestamp
  locked_until: NullableTimestamp
  last_error: string | null
  delivered_via: 'smtp' | 'mailbox' | 'http' | null
  subject: string | null
  text_body: string | null
  html_body: string | null
  created_at: Timestamp
  sent_at: NullableTimestamp
  /** 0019: the worker_process holding the current claim; null when none does. */
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>
}
export type NotificationOutboxRow = Selectable<NotificationOutboxTable>

export interface AlertRuleTable {
  kind: string
  is_enabled: Generated<boolean>
  threshold: number
  updated_at: Timestamp
}

export interface AdminAlertTable {
  id: Generated<string>
  rule_kind: string
  status: 'open' | 'closed'
  summary: string
  value: number | null
  threshold: number
  opened_at: Timestamp
  closed_at: NullableTimestamp
  closing_summary: string | null
}
export type AdminAlertRow = Selectable<AdminAlertTable>

export interface ApiKeyTable {
  id: Generated<string>
  organization_id: string
  created_by_user_id: string
  name: string
  scopes: ColumnType<string[], string, string>
  key_hash: string
  key_prefix: string
  last_four: string
  created_at: Timestamp
  expires_at: NullableTimestamp
  last_used_at: NullableTimestamp
  revoked_at: NullableTimestamp
}
export type ApiKeyRow = Selectable<ApiKeyTable>

export interface Database {
  user: UserTable
  session: SessionTable
  organization: OrganizationTable
  member: MemberTable
  phone_number: PhoneNumberTable
  worker_process: WorkerProcessTable
  phone_number_status_change: PhoneNumberStatusChangeTable
  provisioning_attempt: ProvisioningAttemptTable
  webhook_delivery: WebhookDeliveryTable
  idempotency_key: IdempotencyKeyTable
  vapi_orphan: VapiOrphanTable
  account_audit_event: AccountAuditEventTable
  rate_limit_counter: RateLimitCounterTable
  webhook_endpoint: WebhookEndpointTable
  outbound_webhook_delivery: OutboundWebhookDeliveryTable
  outbound_webhook_attempt: OutboundWebhookAttemptTable
  notification_preference: NotificationPreferenceTable
  notification_event: NotificationEventTable
  notification_outbox: NotificationOutboxTable
  alert_rule: AlertRuleTable
  admin_alert: AdminAlertTable
  api_key: ApiKeyTable
  invitation: InvitationTable
  audit_event: AuditEventTable
  provider_connection: ProviderConnectionTable
  vapi_account_pause: VapiAccountPauseTable
  call_event_setting: CallEventSettingTable
  call_event_route: CallEventRouteTable
  vapi_call: VapiCallTable
  call_event: CallEventTable
  inbound_message: InboundMessageTable
  inbound_message_relay: InboundMessageRelayTable
  carrier_purchase: CarrierPurchaseTable
  carrier_purchase_step: CarrierPurchaseStepTable
  vapi_carrier_credential: VapiCarrierCredentialTable
  carrier_webhook_event: CarrierWebhookEventTable
  vapi_account_feed: VapiAccountFeedTable
}

/** 0015: an organisation's call-event relay (issue 17). */
export interface CallEventSettingTable {
  organization_id: string
  is_enabled: ColumnType<boolean, boolean | undefined, boolean>
  forward_url: string | null
  forward_auth_type: 'bearer' | 'secret' | 'hmac' | null
  forward_secret_ciphertext: string | null
  forward_secret_hint: string | null
  fallback_assistant_id: string | null
  keeps_transcripts: ColumnType<boolean, boolean | undefined, boolean>
  updated_at: Timestamp
}
export type CallEventSettingRow = Selectable<CallEventSettingTable>

/** 0015: a number whose server.url dialtone set for the relay, and what it had before (sealed). */
export interface CallEventRouteTable {
  phone_number_id: string
  organization_id: string
  previous_server_ciphertext: string | null
  routed_at: Timestamp
}

/** 0015: a call on one of the numbers, as far as Vapi's status messages tell. */
export interface VapiCallTable {
  id: string
  organization_id: string
  phone_number_id: string
  stage: number
  started_at: Timestamp
  answered_at: NullableTimestamp
  ended_at: NullableTimestamp
  ended_reason: string | null
}

/** 0015: one call message received for an organisation that relays them, and its forwarding. */
export interface CallEventTable {
  id: Generated<string>
  organization_id: string
  phone_number_id: string | null
  call_id: string | null
  message_type: string
  message_key: string
  order_key: string
  occurred_at: NullableTimestamp
  received_at: Timestamp
  payload: ColumnType<unknown, string, string>
  forward_body: string | null
  relay: 'queued' | 'sent' | 'failed' | 'cancelled' | 'answered' | 'fallback'
  attempt_count: ColumnType<number, number | undefined, number>
  claim_count: ColumnType<number, number | undefined, number>
  next_attempt_at: NullableTimestamp
  last_status: number | null
  last_error: string | null
  latency_ms: number | null
  forwarded_at: NullableTimestamp
  /** 0020: the process holding the forwarding claim. */
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>
}
export type CallEventRow = Selectable<CallEventTable>

/** 0018: the inbound webhook log, one row per request received on a webhook route. */
export interface InboundMessageTable {
  id: string
  seq: Generated<string>
  received_at: Timestamp
  source: string
  message_type: string | null
  organization_id: string | null
  phone_number_id: string | null
  vapi_phone_number_id: string | null
  call_id: string | null
  verification: 'ok' | 'bad-signature' | 'missing-credentials' | 'stale'
  verification_detail: string | null
  outcome: string
  http_status: number
  handling_ms: number | null
  delivery_id: string | null
  message_id: string | null
  attempt_id: string | null
  /** The call_event row's message_key, for a call message (0015's relay outbox). */
  relay_key: string | null
  headers: ColumnType<Record<string, string>, string, string>
  payload: ColumnType<unknown, string | null, string | null>
  body_bytes: number
  redactions: ColumnType<string[], string, string>
  reprocess_count: Generated<number>
  last_reprocessed_at: NullableTimestamp
  last_reprocess_outcome: string | null
}
export type InboundMessageRow = Selectable<InboundMessageTable>

/** 0018: what the relay did with a logged message (written by call events, keyed by the log row's id). */
export interface InboundMessageRelayTable {
  inbound_message_id: string
  status: string
  latency_ms: number | null
  attempts: Generated<number>
  detail: string | null
  updated_at: Timestamp
}

/** 0014: where a carrier number's saga stands (decision 0014). */
export type CarrierPurchaseStep =
  'purchasing' | 'ordered' | 'bought' | 'importing' | 'live' | 'releasing' | 'refused' | 'released' | 'kept'

export interface CarrierPurchaseTable {
  id: Generated<string>
  organization_id: string
  kind: 'buy' | 'import'
  carrier: 'twilio' | 'telnyx'
  carrier_account: string
  number: string
  country: string
  capabilities: ColumnType<NumberCapabilities, string, string>
  name: string | null
  assistant_id: string | null
  keep_on_failure: ColumnType<boolean, boolean | undefined, boolean>
  requested_by_user_id: string | null
  idempotency_key: string | null
  step: CarrierPurchaseStep
  phone_number_id: ColumnType<string | null, string | null | undefined, string | null>
  carrier_order_id: ColumnType<string | null, string | null | undefined, string | null>
  carrier_number_id: ColumnType<string | null, string | null | undefined, string | null>
  vapi_account: ColumnType<string | null, string | null | undefined, string | null>
  vapi_phone_number_id: ColumnType<string | null, string | null | undefined, string | null>
  failure_code: ColumnType<string | null, string | null | undefined, string | null>
  failure_message: ColumnType<string | null, string | null | undefined, string | null>
  attempts: Generated<number>
  next_attempt_at: NullableTimestamp
  lease_until: NullableTimestamp
  /** 0020: the process holding the lease; a silent one loses it before lease_until. */
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>
  created_at: Timestamp
  updated_at: Timestamp
  settled_at: NullableTimestamp
  /** 0017: the monthly price the carrier gave when it was bought or imported; both null when it gave none. */
  monthly_price_amount: ColumnType<string | null, string | null | undefined, string | null>
  monthly_price_currency: ColumnType<string | null, string | null | undefined, string | null>
}
export type CarrierPurchaseRow = Selectable<CarrierPurchaseTable>

export interface CarrierPurchaseStepTable {
  id: Generated<string>
  purchase_id: string
  step: string
  detail: string | null
  at: Timestamp
}

export interface VapiCarrierCredentialTable {
  organization_id: string
  vapi_account: string
  carrier: string
  carrier_account: string
  credential_id: string
  created_at: Generated<Date>
}

export interface CarrierWebhookEventTable {
  event_id: string
  carrier: string
  event_type: string
  order_id: string | null
  outcome: string
  payload: ColumnType<unknown, string, string>
  received_at: Timestamp
}

/** The poller's change feed per Vapi account (0016): who runs it, and from when it asks. */
export interface VapiAccountFeedTable {
  account_key: string
  checked_through: NullableTimestamp
  last_run_at: NullableTimestamp
  not_before: NullableTimestamp
  lease_until: NullableTimestamp
  lease_token: Generated<number>
  created_at: Generated<Timestamp>
}
