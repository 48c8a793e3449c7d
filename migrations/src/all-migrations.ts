import type { Migration } from 'kysely'
import * as initial from './0001-initial.ts'
import * as provisioningStatsRollups from './0002-provisioning-stats-rollups.ts'
import * as socketIoAttachments from './0003-socket-io-attachments.ts'
import * as attemptReconciliation from './0004-attempt-reconciliation.ts'
import * as organizationDeletionAndAccountAudit from './0005-organization-deletion-and-account-audit.ts'
import * as rateLimits from './0006-rate-limits.ts'
import * as notifications from './0008-notifications.ts'
import * as outboundWebhooks from './0009-outbound-webhooks.ts'
import * as vapiConnections from './0010-vapi-connections.ts'
import * as apiKeys from './0011-api-keys.ts'
import * as teamsAndAudit from './0012-teams-and-audit.ts'
import * as numberSourcesAndActivity from './0013-number-sources-and-activity.ts'
import * as carrierPurchases from './0014-carrier-purchases.ts'
import * as callEvents from './0015-call-events.ts'
import * as vapiChangeFeed from './0016-vapi-change-feed.ts'
import * as carrierMonthlyPrices from './0017-carrier-monthly-prices.ts'
import * as inboundWebhookLog from './0018-inbound-webhook-log.ts'
import * as workerProcesses from './0019-worker-processes.ts'
import * as claimHolders from './0020-claim-holders.ts'

/** Every migration, by name, in the order they apply. Append only: a shipped migration is never edited. */
export const allMigrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-provisioning-stats-rollups': provisioningStatsRollups,
  '0003-socket-io-attachments': socketIoAttachments,
  '0004-attempt-reconciliation': attemptReconciliation,
  '0005-organization-deletion-and-account-audit': organizationDeletionAndAccountAudit,
  '0006-rate-limits': rateLimits,
  '0008-notifications': notifications,
  '0009-outbound-webhooks': outboundWebhooks,
  '0010-vapi-connections': vapiConnections,
  '0011-api-keys': apiKeys,
  '0012-teams-and-audit': teamsAndAudit,
  '0013-number-sources-and-activity': numberSourcesAndActivity,
  '0014-carrier-purchases': carrierPurchases,
  '0015-call-events': callEvents,
  '0016-vapi-change-feed': vapiChangeFeed,
  '0017-carrier-monthly-prices': carrierMonthlyPrices,
  '0018-inbound-webhook-log': inboundWebhookLog,
  '0019-worker-processes': workerProcesses,
  '0020-claim-holders': claimHolders,
}
