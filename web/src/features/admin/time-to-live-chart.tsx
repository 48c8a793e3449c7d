import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { BucketTooltip, legendText } from './bucket-tooltip.tsx'
import type { ChartData } from './chart-buckets.ts'
import { formatSeconds } from './stats-format.ts'

// Drawn widest first: when few numbers make p90 and p99 equal, the wide pale p99 still shows around the p90
// line, and each has its own dot shape besides its colour and dashes.
const percentiles = [
  { key: 'p99Seconds', label: 'p99', colour: '#a3261b', dash: undefined, width: 6, opacity: 0.35, shape: 'square' },
  { key: 'p90Seconds', label: 'p90', colour: '#b36b00', dash: '6 3', width: 3, opacity: 1, shape: 'triangle' },
  { key: 'p50Seconds', label: 'p50', colour: '#0f6434', dash: undefined, width: 1.75, opacity: 1, shape: 'circle' },
] as const

type DotShape = (typeof percentiles)[number]['shape']

function PercentileDot({ cx, cy, shape, colour }: { cx?: number; cy?: number; shape: DotShape; colour: string }) {
  if (cx === undefined || cy === undefined || !Number.isFinite(cy)) return null
  if (shape === 'square') return <rect x={cx - 4.5} y={cy - 4.5} width={9} height={9} fill={colour} opacity={0.45} />
  if (shape === 'triangle')
    return <path d={`M${cx},${cy - 4.5} L${cx + 4.5},${cy + 3.5} L${cx - 4.5},${cy + 3.5} Z`} fill={colour} />
  return <circle cx={cx} cy={cy} r={2.5} fill={colour} />
}

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
export function TimeToLiveChart({ data }: { data: ChartData }) {
  const rows = data.rows.map((row) => ({ start: row.start, ...row.timeToLive }))
  const slowest = Math.max(1, ...data.rows.map((row) => row.timeToLive.p99Seconds ?? 0))
  const ticks = tickCandidates.filter((tick, index) => tick <= slowest || tickCandidates[index - 1]! < slowest)
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={rows} margin={{ top: 8, right: 28, bottom: 0, left: -8 }}>
        <CartesianGrid stroke="#e4e7ec" vertical={false} />
        <XAxis dataKey="start" ticks={data.ticks} interval={0} tickFormatter={data.formatTick} fontSize={12} />
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
            const row = active ? data.rows.find((candidate) => candidate.start === label) : undefined
            if (!row) return null
            return (
              <BucketTooltip
                heading={data.formatSpan(row.start)}
                lines={[...percentiles].reverse().map((percentile) => ({
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
            strokeWidth={percentile.width}
            strokeOpacity={percentile.opacity}
            strokeDasharray={percentile.dash}
            dot={(props: { cx?: number; cy?: number; index?: number }) => (
              <PercentileDot
                key={`${percentile.key}-${props.index ?? 0}`}
                cx={props.cx}
                cy={props.cy}
                shape={percentile.shape}
                colour={percentile.colour}
              />
            )}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  )
}
