import { useId, useMemo, useRef, useState, type ReactNode } from 'react'
import type { ProvisioningStats } from '@dialtone/shared/provisioning-stats'
import { setSearchParam, useSearchParam } from '../../lib/router.ts'
import './admin.css'
import { chartData, describeGrouping } from './chart-buckets.ts'
import { AdminAlertsSection } from '../alerts/admin-alerts-section.tsx'
import { OpenAlertsBanner } from '../alerts/open-alerts-banner.tsx'
import { FailuresChart } from './failures-chart.tsx'
import { bucketsToCsv, downloadCsv, organizationsToCsv } from './stats-csv.ts'
import { formatBucketSpan, formatCount, formatInstant, formatPercent, formatSeconds } from './stats-format.ts'
import { StatsRangePicker } from './stats-range-picker.tsx'
import type { StatsRangeChoice } from './stats-range-choice.ts'
import { AreaCodeTable, BucketTable, OrganizationTable, ProviderTable } from './stats-tables.tsx'
import { SuccessRateChart } from './success-rate-chart.tsx'
import { TimeToLiveChart } from './time-to-live-chart.tsx'
import { useProvisioningStats } from './use-provisioning-stats.ts'
import { useProvisioningStatsEvents } from './use-provisioning-stats-events.ts'

/** Platform admins' provisioning analytics. The app mounts it at /admin for admins only; the API answers others 403. */
export function AdminPage() {
  const [rangeChoice, setRangeChoice] = useState<StatsRangeChoice>({ kind: 'preset', preset: '24h' })
  // The organisation lives in the address (?organization=…): the view can be shared, and Back undoes a click.
  const organizationId = useSearchParam('organization')
  const choice: StatsRangeChoice = organizationId === null ? rangeChoice : { ...rangeChoice, organizationId }
  const chipRef = useRef<HTMLParagraphElement>(null)
  useProvisioningStatsEvents()
  const query = useProvisioningStats(choice)
  const organizationName =
    query.data?.organizations.find((organization) => organization.id === organizationId)?.name ?? null

  const showOrganization = (organization: { id: string; name: string } | null) => {
    setSearchParam('organization', organization?.id ?? null)
    if (organization) {
      // The table is far down the page: bring the "Showing…" line into view, and keyboard focus with it.
      window.setTimeout(() => {
        chipRef.current?.scrollIntoView({ block: 'start' })
        chipRef.current?.focus({ preventScroll: true })
      }, 0)
    }
  }

  return (
    <main id="main" className="page admin-page">
      <div className="admin-heading">
        <div>
          <h1>Provisioning analytics</h1>
          <p className="muted">
            {organizationName ? `${organizationName} only.` : 'Every organisation.'} Times are UTC. Figures update as
            numbers change.
          </p>
        </div>
        <StatsRangePicker
          choice={rangeChoice}
          onChange={({ organizationId: _organization, ...range }) => setRangeChoice(range)}
        />
      </div>

      <OpenAlertsBanner showLink={false} />

      {organizationId !== null && (
        <p className="filter-chip" ref={chipRef} tabIndex={-1} data-testid="organization-filter">
          Showing <strong>{organizationName ?? organizationId}</strong> only
          <button type="button" className="button button-quiet button-small" onClick={() => showOrganization(null)}>
            Show all organisations
          </button>
        </p>
      )}

      {query.isError && (
        <div className="panel admin-problem" role="alert">
          <p>{query.error.message}</p>
          <button type="button" className="button button-small" onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      )}

      {query.isPending && (
        <p className="page-loading" aria-busy="true">
          <span className="spinner" aria-hidden="true" /> Loading figures…
        </p>
      )}

      {query.data && (
        <StatsView
          stats={query.data}
          isUpdating={query.isFetching}
          isStale={query.isPlaceholderData}
          onSelectOrganization={showOrganization}
        />
      )}

      <AdminAlertsSection />
    </main>
  )
}

function StatsView({
  stats,
  isUpdating,
  isStale,
  onSelectOrganization,
}: {
  stats: ProvisioningStats
  isUpdating: boolean
  isStale: boolean
  onSelectOrganization: (organization: { id: string; name: string }) => void
}) {
  const { totals, timeToLive, detectedBy } = stats
  const hasAttempts = totals.attempts > 0
  // Numbers Vapi handed over already live were never "found", so they are not in these counts.
  const detectedTotal = detectedBy.webhook + detectedBy.poll + detectedBy.manual
  const rangeName = `${stats.range.from.slice(0, 16)}_${stats.range.to.slice(0, 16)}`.replaceAll(':', '')
  const charts = useMemo(() => chartData(stats, (start) => formatBucketSpan(start, stats.range.bucket)), [stats])
  const grouped = describeGrouping(charts.grouping)
  return (
    <div className={isStale ? 'stats stats-stale' : 'stats'} aria-busy={isUpdating}>
      <p className="muted range-caption" aria-live="polite">
        {formatInstant(stats.range.from)} to {formatInstant(stats.range.to)}, by {stats.range.bucket}
        {isUpdating ? ' · updating…' : ''}
      </p>

      <section aria-labelledby="totals-heading">
        <h2 id="totals-heading" className="visually-hidden">
          Totals
        </h2>
        <dl className="stat-cards">
          <StatCard id="attempts" label="Attempts" value={formatCount(totals.attempts)} />
          <StatCard
            id="success-rate"
            label="Success rate"
            value={formatPercent(totals.successRate)}
            detail={`${formatCount(totals.succeeded)} live · ${formatCount(totals.failed)} failed`}
          />
          <StatCard
            id="pending"
            label="Pending now"
            value={formatCount(totals.pendingNow)}
            detail={
              totals.oldestPendingSeconds === null
                ? 'None waiting'
                : `Oldest waiting ${formatSeconds(totals.oldestPendingSeconds)}`
            }
          />
          <StatCard
            id="time-to-live"
            label="Time to live (p50)"
            value={formatSeconds(timeToLive.p50Seconds)}
            detail={`p90 ${formatSeconds(timeToLive.p90Seconds)} · p99 ${formatSeconds(timeToLive.p99Seconds)}`}
          />
          <StatCard
            id="found-live"
            label="Found live by webhook"
            value={formatPercent(detectedTotal === 0 ? null : detectedBy.webhook / detectedTotal)}
            detail={`${formatCount(detectedBy.webhook)} webhook · ${formatCount(detectedBy.poll)} poll · ${formatCount(detectedBy.manual)} check now`}
          />
        </dl>
      </section>

      {!hasAttempts ? (
        <div className="panel empty-state">
          <h2>No provisioning attempts in this range</h2>
          <p className="muted">Pick a longer range, or come back once businesses have asked for numbers.</p>
        </div>
      ) : (
        <>
          <div className="chart-grid">
            <ChartPanel
              title="Success rate and attempts"
              caption={`Bars: attempts per bucket. Line: success rate.${grouped}`}
            >
              <SuccessRateChart data={charts} />
            </ChartPanel>
            <ChartPanel
              title="Time from request to live"
              caption={
                charts.grouping === 'none'
                  ? 'Per bucket, over the numbers that went live. Where p90 and p99 are equal, the wide pale p99 line frames the p90.'
                  : `Each ${charts.grouping}: its slowest day, over the numbers that went live.`
              }
            >
              <TimeToLiveChart data={charts} />
            </ChartPanel>
            <ChartPanel
              title="Failures by reason"
              caption={`Stacked per bucket.${grouped}`}
              className="chart-panel-wide"
            >
              <FailuresChart stats={stats} data={charts} />
            </ChartPanel>
          </div>

          <TablePanel
            title="Organisations"
            action={
              <button
                type="button"
                className="button button-small"
                onClick={() => downloadCsv(`dialtone-organisations-${rangeName}.csv`, organizationsToCsv(stats))}
              >
                Download CSV
              </button>
            }
          >
            <OrganizationTable stats={stats} onSelect={onSelectOrganization} />
          </TablePanel>

          <TablePanel title="By provider and country">
            <ProviderTable stats={stats} />
          </TablePanel>

          <div className="table-grid">
            <TablePanel title="Most requested area codes">
              <AreaCodeTable stats={stats} />
            </TablePanel>
            <TablePanel
              title="Buckets"
              action={
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => downloadCsv(`dialtone-buckets-${rangeName}.csv`, bucketsToCsv(stats))}
                >
                  Download CSV
                </button>
              }
            >
              <details>
                <summary>Every bucket as a table</summary>
                <BucketTable stats={stats} />
              </details>
            </TablePanel>
          </div>
        </>
      )}
    </div>
  )
}

function StatCard({ id, label, value, detail }: { id: string; label: string; value: string; detail?: string }) {
  return (
    <div className="stat-card" data-testid={`stat-${id}`}>
      <dt>{label}</dt>
      <dd className="stat-value">{value}</dd>
      {detail && <dd className="stat-detail">{detail}</dd>}
    </div>
  )
}

function ChartPanel({
  title,
  caption,
  className,
  children,
}: {
  title: string
  caption: string
  className?: string
  children: ReactNode
}) {
  const id = useId()
  return (
    <figure className={`panel chart-panel ${className ?? ''}`} aria-labelledby={id}>
      <figcaption>
        <h2 id={id}>{title}</h2>
        <p className="muted">{caption}</p>
      </figcaption>
      {children}
    </figure>
  )
}

function TablePanel({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  const id = useId()
  return (
    <section className="panel table-panel" aria-labelledby={id}>
      <div className="table-panel-heading">
        <h2 id={id}>{title}</h2>
        {action}
      </div>
      {children}
    </section>
  )
}
