import type { VapiCallContext, VapiClient } from '../vapi/vapi-client.ts'
import { VapiRateLimitedError } from '../vapi/vapi-errors.ts'
import { e164Schema, type VapiPhoneNumber } from '../vapi/vapi-schemas.ts'
import { applyStatusSignal } from './apply-status-signal.ts'
import { checkPhoneNumberAtVapi } from './check-phone-number-at-vapi.ts'
import {
  claimFeed,
  ensureFeedRows,
  finishFeed,
  pendingNumbersForFeeds,
  pendingNumbersOfVapiIds,
  type FeedRow,
} from './change-feed-repository.ts'
import { changeFeed, feedIntervalMs, pollSchedule, type ChangeFeedSettings } from './poll-schedule.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { signalFromVapi } from './status-machine.ts'
import { vapiOfOwner } from './vapi-account-of.ts'

// The poller's change feed (issue 19). Vapi lists an account's numbers changed since a moment
// (`GET /phone-number?updatedAtGt=`), so one call answers for every pending number of that account. Each round:
// which accounts have pending numbers, which of their feeds are due (as often as the per-number schedule would ask
// all of them together, at most once per minIntervalMs), one process claims each due feed in Postgres and asks
// Vapi, and what the list shows is applied as the poller's signal. The per-number checks (poll-pending-numbers.ts)
// stay as the backstop on a slower schedule, for whatever a list does not show.

export interface FeedRoundResult {
  /** Accounts whose feed this process ran in this round. */
  feedsRun: number
  listCalls: number
  activated: number
  failed: number
  /** GETs made because a list showed a number that is not plain E.164 (masked digits). */
  confirmed: number
  errors: number
  /** When the next feed of any account with pending numbers falls due (null: nothing pending). */
  nextDueAt: Date | null
}

/** Most pending numbers read per round to decide the feeds; more only shifts the interval estimate. */
const pendingReadLimit = 10_000

interface AccountGroup {
  accountKey: string
  /** An organisation holding pending numbers of this account: whose connection opens its client. */
  organizationId: string
  oldestCreatedAt: Date
  agesMs: number[]
}

/** One round: every due feed this process can claim, each run to the end before the round returns. */
export async function pollChangeFeeds(
  deps: ProvisioningDeps,
  settings: ChangeFeedSettings = changeFeed,
): Promise<FeedRoundResult> {
  const result: FeedRoundResult = {
    feedsRun: 0,
    listCalls: 0,
    activated: 0,
    failed: 0,
    confirmed: 0,
    errors: 0,
    nextDueAt: null,
  }
  const now = deps.clock.now()
  const groups = new Map<string, AccountGroup>()
  for (const row of await pendingNumbersForFeeds(deps.db, pendingReadLimit)) {
    const ageMs = now.getTime() - row.created_at.getTime()
    const group = groups.get(row.account_key)
    if (group) group.agesMs.push(ageMs)
    else {
      groups.set(row.account_key, {
        accountKey: row.account_key,
        organizationId: row.organization_id,
        oldestCreatedAt: row.created_at,
        agesMs: [ageMs],
      })
    }
  }
  if (groups.size === 0) return result

  const due: { row: FeedRow; group: AccountGroup }[] = []
  for (const row of await ensureFeedRows(deps.db, [...groups.keys()])) {
    const group = groups.get(row.account_key)
    if (!group) continue
    const dueAt = feedDueAt(row, group, now, settings)
    if (dueAt.getTime() <= now.getTime()) due.push({ row, group })
    else if (!result.nextDueAt || dueAt < result.nextDueAt) result.nextDueAt = dueAt
  }
  await Promise.all(
    due.map(async ({ row, group }) => {
      const claim = await claimFeed(deps.db, row, now, settings.leaseMs)
      // Another process took it between the read and the claim: it runs this account's feed.
      if (!claim) return
      const interval = feedIntervalMs(group.agesMs, settings)
      const next = new Date(deps.clock.now().getTime() + Math.min(interval, settings.leaseMs))
      if (!result.nextDueAt || next < result.nextDueAt) result.nextDueAt = next
      await runFeed(deps, claim, group, settings, result)
    }),
  )
  return result
}

/**
 * When an account's feed is next due: one interval after its last call, never before its oldest pending number is
 * as old as the schedule's first check (a number Vapi assigns at once), never before a Retry-After or an error's
 * wait ends, and not while another process holds it.
 */
function feedDueAt(row: FeedRow, group: AccountGroup, now: Date, settings: ChangeFeedSettings): Date {
  const interval = feedIntervalMs(group.agesMs, settings)
  const candidates = [group.oldestCreatedAt.getTime() + pollSchedule.firstCheckDelayMs]
  if (row.last_run_at) candidates.push(row.last_run_at.getTime() + interval)
  if (row.not_before) candidates.push(row.not_before.getTime())
  if (row.lease_until && row.lease_until > now) candidates.push(row.lease_until.getTime())
  return new Date(Math.max(...candidates))
}

async function runFeed(
  deps: ProvisioningDeps,
  claim: FeedRow,
  group: AccountGroup,
  settings: ChangeFeedSettings,
  result: FeedRoundResult,
): Promise<void> {
  const startedAt = deps.clock.now()
  // Nothing before the oldest pending number's creation can concern it; the margin covers a Vapi clock behind ours.
  const fromMs = Math.max(claim.checked_through?.getTime() ?? 0, group.oldestCreatedAt.getTime())
  const since = new Date(fromMs - settings.skewMarginMs)
  result.feedsRun += 1
  try {
    const vapi = await vapiOfOwner(deps, group.organizationId, group.accountKey)
    const call: VapiCallContext = { organizationId: group.organizationId, priority: 'background' }
    // Enough calls to reach the oldest millisecond by halving the window, so every round gets further than the last.
    const halvings = Math.ceil(Math.log2(Math.max(2, startedAt.getTime() + 1 - since.getTime())))
    const budget = {
      pageLimit: settings.pageLimit,
      maxCallsPerRound: Math.max(settings.maxCallsPerRound, halvings + 2),
    }
    const listed = await listChangedSince(vapi, since, budget, call, () => (result.listCalls += 1))
    await applyListed(deps, group.accountKey, listed.items, result)
    await finishFeed(deps.db, claim, {
      lastRunAt: startedAt,
      // A round that could not read every page goes on next time from where it got to (the margin taken back out).
      checkedThrough: listed.isComplete
        ? startedAt
        : new Date(Math.max(fromMs, listed.readThrough.getTime() + settings.skewMarginMs)),
      notBefore: null,
    })
  } catch (error) {
    result.errors += 1
    // A 429's Retry-After is already shared with every process (vapi-pause-store); the feed waits for it too.
    const waitMs =
      error instanceof VapiRateLimitedError ? Math.max(1_000, error.retryAfterMs ?? 5_000) : settings.errorRetryMs
    deps.logger.warn(
      { err: error, vapiAccount: group.accountKey, waitMs },
      'change feed call failed; per-number checks continue',
    )
    await finishFeed(deps.db, claim, {
      lastRunAt: startedAt,
      notBefore: new Date(deps.clock.now().getTime() + waitMs),
    })
  }
}

/** What the list said about this account's pending numbers, applied; masked numbers are confirmed with a GET. */
async function applyListed(
  deps: ProvisioningDeps,
  accountKey: string,
  items: Map<string, VapiPhoneNumber>,
  result: FeedRoundResult,
): Promise<void> {
  const pending = await pendingNumbersOfVapiIds(deps.db, accountKey, [...items.keys()])
  for (const row of pending) {
    const item = row.vapi_phone_number_id === null ? undefined : items.get(row.vapi_phone_number_id)
    if (!item) continue
    let status: string | undefined
    if (typeof item.number === 'string' && item.number !== '' && !e164Schema.safeParse(item.number).success) {
      // Digits hidden (`+141****0123`) or otherwise not a number to keep: ask for this one number.
      result.confirmed += 1
      const checked = await checkPhoneNumberAtVapi(deps, row, 'poll')
      status = checked.transition?.row.status
    } else {
      const signal = signalFromVapi(item)
      if (signal.kind === 'still-pending') continue
      const transition = await applyStatusSignal(deps, { phoneNumberId: row.id, signal, source: 'poll' })
      status = transition?.row.status
    }
    if (status === 'active') result.activated += 1
    else if (status === 'failed') result.failed += 1
  }
}

/**
 * Every number of the account changed after `since`, over as many list calls as it takes. Vapi does not document
 * the list's order (the sandbox answers newest created first), so a full page cannot be continued from its last
 * item; instead the window is halved in time and the older half is asked first, until each answer is short of the
 * limit. When the round's calls run out, `readThrough` says up to which moment every change was seen, so the next
 * round continues from there: with log2(window in ms) + 2 calls a round always reaches at least its oldest
 * millisecond. A one-millisecond window that is still full (more than a page of changes at one moment) is taken as
 * read: what it did not show is left to the per-number backstop.
 */
export async function listChangedSince(
  vapi: VapiClient,
  since: Date,
  settings: Pick<ChangeFeedSettings, 'pageLimit' | 'maxCallsPerRound'>,
  call: VapiCallContext,
  onCall: () => void = () => {},
): Promise<{ items: Map<string, VapiPhoneNumber>; isComplete: boolean; readThrough: Date }> {
  const items = new Map<string, VapiPhoneNumber>()
  // Oldest window last in the array, so it is popped (asked) first.
  const windows: { afterMs: number; atMostMs: number | null }[] = [{ afterMs: since.getTime(), atMostMs: null }]
  let readThroughMs = since.getTime()
  let calls = 0
  for (let window = windows.pop(); window; window = windows.pop()) {
    if (calls >= settings.maxCallsPerRound) return { items, isComplete: false, readThrough: new Date(readThroughMs) }
    calls += 1
    onCall()
    const page = await vapi.listPhoneNumbers(
      {
        limit: settings.pageLimit,
        updatedAtGt: new Date(window.afterMs).toISOString(),
        ...(window.atMostMs === null ? {} : { updatedAtLe: new Date(window.atMostMs).toISOString() }),
      },
      call,
    )
    for (const item of page) items.set(item.id, item)
    const times = page
      .map((item) => Date.parse(item.updatedAt))
      .filter((time) => Number.isFinite(time) && time > window.afterMs)
      .sort((a, b) => a - b)
    const highestMs = window.atMostMs ?? times.at(-1) ?? window.afterMs
    let splitMs = splitPoint(window.afterMs, highestMs)
    // An open window may hold changes later than any this page showed: split at the latest it showed.
    if (splitMs === null && window.atMostMs === null && highestMs > window.afterMs) splitMs = highestMs
    if (page.length < settings.pageLimit || splitMs === null) {
      if (window.atMostMs !== null) readThroughMs = window.atMostMs
      continue
    }
    windows.push({ afterMs: splitMs, atMostMs: window.atMostMs }, { afterMs: window.afterMs, atMostMs: splitMs })
  }
  return { items, isComplete: true, readThrough: new Date(readThroughMs) }
}

/** The middle of (after, highest], or null when the window is one millisecond wide. */
function splitPoint(afterMs: number, highestMs: number): number | null {
  const middle = Math.floor((afterMs + highestMs) / 2)
  return middle > afterMs && middle < highestMs ? middle : null
}
