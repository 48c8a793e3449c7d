import { lazy, Suspense, useState } from 'react'
import type { CarrierPanelMode } from './carrier-numbers-panel.tsx'
import './carrier-entry.css'

// The search and import screens (and the phone-number metadata that formats foreign numbers) are downloaded only
// when an owner opens them: the numbers page stays light.
const CarrierNumbersPanel = lazy(() =>
  import('./carrier-numbers-panel.tsx').then((module) => ({ default: module.CarrierNumbersPanel })),
)

/**
 * Under "Get a number": the way to a chosen carrier number (another country, toll-free, a word, near a place) or
 * to numbers the organisation already has at Twilio or Telnyx. Vapi's area-code form above is unchanged.
 */
export function CarrierNumbersEntry() {
  const [mode, setMode] = useState<CarrierPanelMode | null>(null)
  if (mode !== null) {
    return (
      <Suspense
        fallback={
          <section className="panel carrier-entry" aria-busy="true">
            <span className="spinner" aria-hidden="true" /> Loading…
          </section>
        }
      >
        <CarrierNumbersPanel mode={mode} onClose={() => setMode(null)} />
      </Suspense>
    )
  }
  return (
    <section className="panel carrier-entry" aria-label="More ways to get a number" data-testid="carrier-entry">
      <p className="muted">Another country, toll-free, a word in the number, or numbers you already own:</p>
      <div className="carrier-entry-actions">
        <button type="button" className="button button-small" onClick={() => setMode('search')}>
          Choose the exact number
        </button>
        <button type="button" className="button button-small" onClick={() => setMode('import')}>
          Import numbers you already have
        </button>
      </div>
    </section>
  )
}
