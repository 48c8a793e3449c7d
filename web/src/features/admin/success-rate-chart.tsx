import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { BucketTooltip, legendText } from './bucket-tooltip.tsx'
import type { ChartData } from './chart-buckets.ts'
import { formatCount, formatPercent } from './stats-format.ts'

const attemptsColour = '#9fb4d3'
const rateColour = '#1f5fbf'

/** Attempts per bucket as bars, the success rate as a line on its own 0–100 % axis. */
export function SuccessRateChart({ data }: { data: ChartData }) {
  const rows = data.rows.map((row) => ({
    start: row.start,
    attempts: row.attempts,
    successPercent: row.successRate === null ? null : row.successRate * 100,
  }))
  return (
    <ResponsiveContainer width="100%" height={260}>
      <ComposedChart data={rows} margin={{ top: 8, right: 4, bottom: 0, left: -8 }}>
        <CartesianGrid stroke="#e4e7ec" vertical={false} />
        <XAxis dataKey="start" ticks={data.ticks} interval={0} tickFormatter={data.formatTick} fontSize={12} />
        <YAxis yAxisId="attempts" allowDecimals={false} fontSize={12} width={48} />
        <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} unit="%" fontSize={12} width={44} />
        <Tooltip
          content={({ active, label }) => {
            const row = active ? data.rows.find((candidate) => candidate.start === label) : undefined
            if (!row) return null
            return (
              <BucketTooltip
                heading={data.formatSpan(row.start)}
                lines={[
                  { label: 'Attempts', value: formatCount(row.attempts), colour: attemptsColour },
                  { label: 'Success rate', value: formatPercent(row.successRate), colour: rateColour },
                  { label: 'Went live', value: formatCount(row.succeeded) },
                  { label: 'Failed', value: formatCount(row.failed) },
                ]}
              />
            )
          }}
        />
        <Legend verticalAlign="top" height={28} iconSize={10} wrapperStyle={{ fontSize: 13 }} formatter={legendText} />
        <Bar
          yAxisId="attempts"
          dataKey="attempts"
          name="Attempts"
          fill={attemptsColour}
          radius={[3, 3, 0, 0]}
          isAnimationActive={false}
        />
        <Line
          yAxisId="rate"
          dataKey="successPercent"
          name="Success rate"
          stroke={rateColour}
          strokeWidth={2}
          dot={{ r: 2 }}
          connectNulls={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  )
}
