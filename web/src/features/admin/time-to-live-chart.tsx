import type { ProvisioningStats } from '@dialtone/shared/provisioning-stats'
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { BucketTooltip, legendText } from './bucket-tooltip.tsx'
import { formatBucketTick, formatSeconds } from './stats-format.ts'

const percentiles = [
  { key: 'p50Seconds', label: 'p50', colour: '#0f6434', dash: undefined },
  { key: 'p90Seconds', label: 'p90', colour: '#b36b00', dash: '6 3' },
  { key: 'p99Seconds', label: 'p99', colour: '#a3261b', dash: '2 3' },
] as const

const tickCandidates = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400, 28_800, 86_400]

function formatAxisSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} s`
  if (seconds < 3600) return `${seconds / 60} min`
  return `${seconds / 3600} h`
}

/**
 * Seconds from request to live per bucket, at p50, p90 and p99; line styles differ as well as colours. The axis is
 * logarithmic: a slow p99 of minutes would otherwise flatten a p50 of seconds into the floor.
 */
export function TimeToLiveChart({ stats }: { stats: ProvisioningStats }) {
  const bucket = stats.range.bucket
  const rows = stats.buckets.map((row) => ({ start: row.start, ...row.timeToLive }))
  const slowest = Math.max(1, ...stats.buckets.map((row) => row.timeToLive.p99Seconds ?? 0))
  const ticks = tickCandidates.filter((tick, index) => tick <= slowest || tickCandidates[index - 1]! < slowest)
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -8 }}>
        <CartesianGrid stroke="#e4e7ec" vertical={false} />
        <XAxis
          dataKey="start"
          tickFormatter={(start: string) => formatBucketTick(start, bucket)}
          minTickGap={16}
          fontSize={12}
        />
        <YAxis
          scale="log"
          domain={[1, ticks.at(-1) ?? 'auto']}
          ticks={ticks}
          allowDataOverflow
          tickFormatter={formatAxisSeconds}
          fontSize={12}
          width={60}
        />
        <Tooltip
          content={({ active, label }) => {
            const row = active ? stats.buckets.find((candidate) => candidate.start === label) : undefined
            if (!row) return null
            return (
              <BucketTooltip
                start={row.start}
                bucket={bucket}
                lines={percentiles.map((percentile) => ({
                  label: percentile.label,
                  value: formatSeconds(row.timeToLive[percentile.key]),
                  colour: percentile.colour,
                }))}
              />
            )
          }}
        />
        <Legend verticalAlign="top" height={28} iconSize={10} wrapperStyle={{ fontSize: 13 }} formatter={legendText} />
        {percentiles.map((percentile) => (
          <Line
            key={percentile.key}
            dataKey={percentile.key}
            name={percentile.label}
            stroke={percentile.colour}
            strokeWidth={2}
            strokeDasharray={percentile.dash}
            dot={{ r: 2 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  )
}
