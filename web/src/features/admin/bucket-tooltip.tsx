import type { ReactNode } from 'react'
import { formatBucketSpan } from './stats-format.ts'

/** The box shown on hover or keyboard focus over a bucket: its span in UTC, then one line per figure. */
export function BucketTooltip({
  start,
  bucket,
  lines,
}: {
  start: string
  bucket: 'hour' | 'day'
  lines: { label: string; value: ReactNode; colour?: string }[]
}) {
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-heading">{formatBucketSpan(start, bucket)}</p>
      <dl>
        {lines.map((line) => (
          <div key={line.label} className="chart-tooltip-line">
            <dt>
              {line.colour && <span className="swatch" style={{ background: line.colour }} aria-hidden="true" />}
              {line.label}
            </dt>
            <dd>{line.value}</dd>
          </div>
        ))}
      </dl>
    </div>
  )
}

/** Legend entries in the page's text colour: a pale series colour (yellow, sky blue) is too faint for words. */
export function legendText(value: unknown) {
  return <span className="chart-legend-text">{String(value)}</span>
}
