import { useId, useState } from 'react'
import type { CarrierName } from '@dialtone/shared/carriers'
import { AssistantCombobox } from '../assistants/assistant-combobox.tsx'
import { useAssistants } from '../assistants/use-assistants.ts'
import { useServerInfo } from '../server-info/use-server-info.ts'
import { carrierLabels } from './carriers-api.ts'
import { CarrierImportList } from './carrier-import-list.tsx'
import { CarrierSearch } from './carrier-search.tsx'
import './carriers.css'

export type CarrierPanelMode = 'search' | 'import'

/**
 * Numbers from a carrier, chosen one by one: search Twilio's or Telnyx's stock and buy an exact number, or import
 * numbers the organisation already holds there. Either way the number ends up in Vapi, answered by the assistant
 * picked here. Loaded only when an owner opens it, so the numbers page stays light.
 */
export function CarrierNumbersPanel({ mode, onClose }: { mode: CarrierPanelMode; onClose: () => void }) {
  const ids = useId()
  const [carrier, setCarrier] = useState<CarrierName>('twilio')
  const [assistantId, setAssistantId] = useState<string | null>(null)
  // What happens to a bought number when Vapi refuses it: released (nothing charged) unless the owner keeps it.
  const [keepOnFailure, setKeepOnFailure] = useState(false)
  const assistants = useAssistants()
  const isSandbox = useServerInfo().data?.isSandbox ?? false
  const title = mode === 'search' ? 'Choose the exact number' : 'Import numbers you already have'

  return (
    <section
      className="panel carrier-panel"
      aria-labelledby={`${ids}-title`}
      data-testid={mode === 'search' ? 'carrier-search-panel' : 'carrier-import-panel'}
    >
      <header className="carrier-panel-header">
        <h2 id={`${ids}-title`}>{title}</h2>
        <button type="button" className="button button-quiet button-small" onClick={onClose}>
          Close
        </button>
      </header>
      <div className="carrier-panel-options">
        <fieldset className="carrier-picker">
          <legend>Carrier</legend>
          {(['twilio', 'telnyx'] as const).map((name) => (
            <label key={name} className={carrier === name ? 'carrier-choice carrier-choice-on' : 'carrier-choice'}>
              <input
                type="radio"
                name={`${ids}-carrier`}
                value={name}
                checked={carrier === name}
                onChange={() => setCarrier(name)}
              />
              {carrierLabels[name]}
            </label>
          ))}
        </fieldset>
        <div className="field field-assistant">
          <label htmlFor={`${ids}-assistant`}>Assistant</label>
          <AssistantCombobox
            id={`${ids}-assistant`}
            value={assistantId}
            onValueChange={setAssistantId}
            assistants={assistants.data?.items ?? []}
            describedBy={`${ids}-assistant-hint`}
          />
          <p id={`${ids}-assistant-hint`} className="field-hint">
            {assistantId === null ? 'No assistant: calls go unanswered until you choose one.' : 'Answers every call.'}
          </p>
        </div>
        {mode === 'search' && (
          <label className="preference carrier-keep-choice">
            <input
              type="checkbox"
              checked={keepOnFailure}
              onChange={(event) => setKeepOnFailure(event.target.checked)}
            />
            <span>
              If Vapi refuses the number, keep it at {carrierLabels[carrier]}
              <span className="field-hint">
                {' '}
                {keepOnFailure
                  ? `It stays in your ${carrierLabels[carrier]} account, to import again later (and ${carrierLabels[carrier]} charges for it).`
                  : `Otherwise it is released at ${carrierLabels[carrier]} at once, so nothing is charged for it.`}
              </span>
            </span>
          </label>
        )}
      </div>
      {isSandbox && (
        <p className="connection-sandbox-note carrier-sandbox-note" role="note" data-testid="carrier-sandbox-note">
          <strong>Sandbox {carrierLabels[carrier]}.</strong> dialtone’s stand-in for {carrierLabels[carrier]}: the
          numbers are made up and nothing real is bought.
          {mode === 'search' && ' US area code 500 holds test numbers that fail on purpose.'}
        </p>
      )}
      {mode === 'search' ? (
        <CarrierSearch key={carrier} carrier={carrier} assistantId={assistantId} keepOnFailure={keepOnFailure} />
      ) : (
        <CarrierImportList key={carrier} carrier={carrier} assistantId={assistantId} />
      )}
    </section>
  )
}
