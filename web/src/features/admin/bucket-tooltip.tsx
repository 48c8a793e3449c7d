import type { ReactNode } from 'react'

/** The box shown on hover or keyboard focus over a bucket: its span in UTC, then one line per figure. */
export function BucketTooltip({
  heading,
  lines,
}: {
  heading: string
  lines: { label: string; value: ReactNode; colour?: string }[]
}) {
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-heading">{heading}</p>
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
