import type { ProvisioningStats } from '@dialtone/shared/provisioning-stats'
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { BucketTooltip, legendText } from './bucket-tooltip.tsx'
import type { ChartData } from './chart-buckets.ts'
import { colourOfFailureReason, describeFailureReason, formatCount, orderFailureReasons } from './stats-format.ts'

/** Failures per bucket, stacked by reason; the legend and tooltip name every reason in words. */
export function FailuresChart({ stats, data }: { stats: ProvisioningStats; data: ChartData }) {
  const reasons = orderFailureReasons(Object.keys(stats.totals.failuresByReason))
  const rows = data.rows.map((row) => ({
    start: row.start,
    ...Object.fromEntries(reasons.map((reason) => [reason, row.failuresByReason[reason] ?? 0])),
  }))
  return (
    <ResponsiveContainer width="100%" height={260}>
      <BarChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -8 }}>
        <CartesianGrid stroke="#e4e7ec" vertical={false} />
        <XAxis dataKey="start" ticks={data.ticks} interval={0} tickFormatter={data.formatTick} fontSize={12} />
        <YAxis allowDecimals={false} fontSize={12} width={48} />
        <Tooltip
          content={({ active, label }) => {
            const row = active ? data.rows.find((candidate) => candidate.start === label) : undefined
            if (!row) return null
            const present = orderFailureReasons(Object.keys(row.failuresByReason))
            return (
              <BucketTooltip
                heading={data.formatSpan(row.start)}
                lines={
                  present.length === 0
                    ? [{ label: 'Failures', value: '0' }]
                    : present.map((reason) => ({
                        label: describeFailureReason(reason),
                        value: formatCount(row.failuresByReason[reason] ?? 0),
                        colour: colourOfFailureReason(reason),
                      }))
                }
              />
            )
          }}
        />
        <Legend
          verticalAlign="top"
          iconSize={10}
          wrapperStyle={{ fontSize: 13, paddingBottom: 8 }}
          formatter={legendText}
        />
        {reasons.map((reason) => (
          <Bar
            key={reason}
            dataKey={reason}
            name={describeFailureReason(reason)}
            stackId="failures"
            fill={colourOfFailureReason(reason)}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  )
}
