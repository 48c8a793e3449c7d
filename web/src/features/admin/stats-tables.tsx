import { useState } from 'react'
import type { ProvisioningStats } from '@dialtone/shared/provisioning-stats'
import {
  colourOfFailureReason,
  describeFailureReason,
  formatBucketSpan,
  formatCount,
  formatPercent,
  formatSeconds,
  orderFailureReasons,
} from './stats-format.ts'

/** Long tables show their first rows; the rest are one click away (and always in the CSV). */
function useShowAll<T>(rows: readonly T[], shownAtFirst: number, noun: string) {
  const [isShowingAll, setIsShowingAll] = useState(false)
  const hidden = rows.length - shownAtFirst
  const toggle =
    hidden > 0 ? (
      <button
        type="button"
        className="button button-quiet button-small show-all"
        onClick={() => setIsShowingAll((value) => !value)}
      >
        {isShowingAll ? `Show the first ${shownAtFirst} ${noun}` : `Show all ${rows.length} ${noun}`}
      </button>
    ) : null
  return { rows: isShowingAll ? rows : rows.slice(0, shownAtFirst), toggle }
}

function ReasonList({ failuresByReason }: { failuresByReason: Record<string, number> }) {
  const reasons = orderFailureReasons(Object.keys(failuresByReason))
  if (reasons.length === 0) return <span className="muted">None</span>
  return (
    <ul className="reason-list">
      {reasons.map((reason) => (
        <li key={reason}>
          <span className="swatch" style={{ background: colourOfFailureReason(reason) }} aria-hidden="true" />
          {describeFailureReason(reason)} <strong>{formatCount(failuresByReason[reason] ?? 0)}</strong>
        </li>
      ))}
    </ul>
  )
}

/** Per organisation, most attempts first; a row's button narrows the whole page to that organisation. */
export function OrganizationTable({
  stats,
  onSelect,
}: {
  stats: ProvisioningStats
  onSelect: (organization: { id: string; name: string }) => void
}) {
  const shown = useShowAll(stats.organizations, 10, 'organisations')
  return (
    <div className="table-scroll">
      <table className="stats-table stats-table-stacked">
        <thead>
          <tr>
            <th scope="col">Organisation</th>
            <th scope="col" className="numeric">
              Attempts
            </th>
            <th scope="col" className="numeric">
              Went live
            </th>
            <th scope="col" className="numeric">
              Live now
            </th>
            <th scope="col" className="numeric">
              Failed
            </th>
            <th scope="col" className="numeric">
              Success rate
            </th>
            <th scope="col">Failures by reason</th>
          </tr>
        </thead>
        <tbody>
          {shown.rows.map((organization) => (
            <tr key={organization.id}>
              <th scope="row">
                <button type="button" className="link-button" onClick={() => onSelect(organization)}>
                  {organization.name}
                </button>
              </th>
              <td className="numeric" data-label="Attempts">
                {formatCount(organization.attempts)}
              </td>
              <td className="numeric" data-label="Went live">
                {formatCount(organization.succeeded)}
              </td>
              <td className="numeric" data-label="Live now">
                {formatCount(organization.liveNow)}
              </td>
              <td className="numeric" data-label="Failed">
                {formatCount(organization.failed)}
              </td>
              <td className="numeric" data-label="Success rate">
                {formatPercent(organization.successRate)}
              </td>
              <td className="reasons">
                <ReasonList failuresByReason={organization.failuresByReason} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.toggle}
      <ColumnDefinitions
        testId="organization-columns"
        definitions={[
          ['Attempts', 'requests for a number in this range that reached Vapi or were refused by it.'],
          ['Went live', 'those attempts whose number went live, even if it was released since.'],
          ['Live now', 'the organisation’s numbers live at this moment, whenever they were bought.'],
          ['Failed', 'attempts refused by Vapi or that ended failed, for any reason (listed on the right).'],
          ['Success rate', 'went live ÷ (went live + failed); attempts still pending are left out.'],
        ]}
      />
    </div>
  )
}

/** What each column counts, in words on the page: a tooltip would never reach touch or keyboard users. */
function ColumnDefinitions({ testId, definitions }: { testId: string; definitions: [string, string][] }) {
  return (
    <dl className="column-definitions" data-testid={testId}>
      {definitions.map(([term, meaning]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{meaning}</dd>
        </div>
      ))}
    </dl>
  )
}

/** The most requested area codes and how often Vapi had none left in them. */
export function AreaCodeTable({ stats }: { stats: ProvisioningStats }) {
  const shown = useShowAll(stats.areaCodes, 8, 'area codes')
  return (
    <div className="table-scroll">
      <table className="stats-table">
        <thead>
          <tr>
            <th scope="col">Area code</th>
            <th scope="col" className="numeric">
              Requested
            </th>
            <th scope="col" className="numeric">
              None left
            </th>
            <th scope="col" className="numeric">
              Share none left
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.rows.map((areaCode) => (
            <tr key={areaCode.areaCode}>
              <th scope="row">{areaCode.areaCode}</th>
              <td className="numeric">{formatCount(areaCode.requested)}</td>
              <td className="numeric">{formatCount(areaCode.unavailable)}</td>
              <td className="numeric">
                {formatPercent(areaCode.requested === 0 ? null : areaCode.unavailable / areaCode.requested)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.toggle}
      <ColumnDefinitions
        testId="area-code-columns"
        definitions={[
          ['Requested', 'attempts for the code in this range, whatever became of them.'],
          ['None left', 'attempts Vapi refused because it had no numbers left in the code.'],
          [
            'Share none left',
            'none left ÷ requested. Other failures (blocked, not assigned in time…) are not in it: see Failures by reason.',
          ],
        ]}
      />
    </div>
  )
}

/** Every bucket as numbers: what the charts draw, for screen readers and for checking a figure exactly. */
export function BucketTable({ stats }: { stats: ProvisioningStats }) {
  return (
    <div className="table-scroll">
      <table className="stats-table">
        <thead>
          <tr>
            <th scope="col">Bucket (UTC)</th>
            <th scope="col" className="numeric">
              Attempts
            </th>
            <th scope="col" className="numeric">
              Live
            </th>
            <th scope="col" className="numeric">
              Failed
            </th>
            <th scope="col" className="numeric">
              Success rate
            </th>
            <th scope="col" className="numeric">
              p50
            </th>
            <th scope="col" className="numeric">
              p90
            </th>
            <th scope="col" className="numeric">
              p99
            </th>
          </tr>
        </thead>
        <tbody>
          {stats.buckets.map((bucket) => (
            <tr key={bucket.start}>
              <th scope="row">{formatBucketSpan(bucket.start, stats.range.bucket)}</th>
              <td className="numeric">{formatCount(bucket.attempts)}</td>
              <td className="numeric">{formatCount(bucket.succeeded)}</td>
              <td className="numeric">{formatCount(bucket.failed)}</td>
              <td className="numeric">{formatPercent(bucket.successRate)}</td>
              <td className="numeric">{formatSeconds(bucket.timeToLive.p50Seconds)}</td>
              <td className="numeric">{formatSeconds(bucket.timeToLive.p90Seconds)}</td>
              <td className="numeric">{formatSeconds(bucket.timeToLive.p99Seconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

const providerLabels = { vapi: 'Vapi', twilio: 'Twilio', telnyx: 'Telnyx' } as const

/** Vapi's own numbers beside carrier purchases and imports: each provider's total, then its countries. */
export function ProviderTable({ stats }: { stats: ProvisioningStats }) {
  const rows = stats.providers ?? []
  if (rows.length === 0) return <p className="muted">Nothing was asked for in this range.</p>
  return (
    <div className="table-scroll">
      <table className="stats-table stats-table-stacked" data-testid="provider-table">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Country</th>
            <th scope="col" className="numeric">
              Attempts
            </th>
            <th scope="col" className="numeric">
              Went live
            </th>
            <th scope="col" className="numeric">
              Failed
            </th>
            <th scope="col" className="numeric">
              Success rate
            </th>
            <th scope="col" className="numeric">
              Time to live (median · p90)
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={`${row.provider}-${row.country ?? 'all'}`}
              className={row.country === null ? 'provider-total' : undefined}
              data-provider={row.provider}
              data-country={row.country ?? 'all'}
            >
              <th scope="row">{providerLabels[row.provider]}</th>
              <td data-label="Country">{row.country ?? 'All countries'}</td>
              <td className="numeric" data-label="Attempts">
                {formatCount(row.attempts)}
              </td>
              <td className="numeric" data-label="Went live">
                {formatCount(row.succeeded)}
              </td>
              <td className="numeric" data-label="Failed">
                {formatCount(row.failed)}
              </td>
              <td className="numeric" data-label="Success rate">
                {formatPercent(row.successRate)}
              </td>
              <td className="numeric" data-label="Time to live">
                {formatSeconds(row.timeToLive.p50Seconds)} · {formatSeconds(row.timeToLive.p90Seconds)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ColumnDefinitions
        testId="provider-columns"
        definitions={[
          [
            'Vapi',
            'numbers bought from Vapi by area code (US only): the attempts counted everywhere else on this page.',
          ],
          ['Twilio, Telnyx', 'numbers bought at the carrier or imported from it into Vapi; not in the charts above.'],
          ['Failed', 'refused, or released or kept at the carrier after a failure.'],
          ['Time to live', 'from the request to the number going live.'],
        ]}
      />
    </div>
  )
}
