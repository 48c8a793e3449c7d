import { useId, useState, type FormEvent } from 'react'
import {
  isoToUtcInput,
  presets,
  utcInputToIso,
  type StatsBucket,
  type StatsPreset,
  type StatsRangeChoice,
} from './stats-range-choice.ts'

const maxBuckets = 2000
const bucketMs: Record<StatsBucket, number> = { hour: 3_600_000, day: 86_400_000 }

/** 24 hours, 7 days, 30 days, or a custom UTC range with its own bucket size. */
export function StatsRangePicker({
  choice,
  onChange,
}: {
  choice: StatsRangeChoice
  onChange: (choice: StatsRangeChoice) => void
}) {
  const id = useId()
  const [isCustomOpen, setIsCustomOpen] = useState(choice.kind === 'custom')
  const organization = choice.organizationId ? { organizationId: choice.organizationId } : {}
  const selectPreset = (preset: StatsPreset) => {
    setIsCustomOpen(false)
    onChange({ kind: 'preset', preset, ...organization })
  }

  return (
    <div className="range-picker">
      <div className="range-presets" role="group" aria-label="Range">
        {presets.map((preset) => (
          <button
            key={preset.preset}
            type="button"
            className="button button-small"
            aria-pressed={choice.kind === 'preset' && choice.preset === preset.preset}
            onClick={() => selectPreset(preset.preset)}
          >
            {preset.label}
          </button>
        ))}
        <button
          type="button"
          className="button button-small"
          aria-pressed={choice.kind === 'custom' || isCustomOpen}
          aria-expanded={isCustomOpen}
          aria-controls={`${id}-custom`}
          onClick={() => setIsCustomOpen((isOpen) => !isOpen)}
        >
          Custom…
        </button>
      </div>
      {isCustomOpen && (
        <CustomRangeForm
          id={`${id}-custom`}
          choice={choice}
          onApply={(custom) => onChange({ ...custom, ...organization })}
        />
      )}
    </div>
  )
}

function CustomRangeForm({
  id,
  choice,
  onApply,
}: {
  id: string
  choice: StatsRangeChoice
  onApply: (choice: StatsRangeChoice & { kind: 'custom' }) => void
}) {
  // Lazy initial state: read once when the form opens (the last three days), not on every render.
  const [from, setFrom] = useState(() =>
    choice.kind === 'custom'
      ? isoToUtcInput(choice.from)
      : isoToUtcInput(new Date(Date.now() - 3 * 86_400_000).toISOString()),
  )
  const [to, setTo] = useState(() =>
    choice.kind === 'custom' ? isoToUtcInput(choice.to) : isoToUtcInput(new Date().toISOString()),
  )
  const [bucket, setBucket] = useState<StatsBucket>(choice.kind === 'custom' ? choice.bucket : 'hour')
  const [problem, setProblem] = useState<string | null>(null)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const fromIso = utcInputToIso(from)
    const toIso = utcInputToIso(to)
    if (!fromIso || !toIso) return setProblem('Enter both a start and an end.')
    if (Date.parse(fromIso) >= Date.parse(toIso)) return setProblem('The start must be before the end.')
    const buckets = Math.ceil((Date.parse(toIso) - Date.parse(fromIso)) / bucketMs[bucket])
    if (buckets > maxBuckets) {
      return setProblem(
        `That is ${buckets.toLocaleString('en-US')} ${bucket}s; the most is ${maxBuckets}. Choose “By day”.`,
      )
    }
    setProblem(null)
    onApply({ kind: 'custom', from: fromIso, to: toIso, bucket })
  }

  return (
    <form id={id} className="custom-range" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-from`}>From (UTC)</label>
        <input
          id={`${id}-from`}
          type="datetime-local"
          value={from}
          onChange={(event) => setFrom(event.target.value)}
          required
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>To (UTC)</label>
        <input
          id={`${id}-to`}
          type="datetime-local"
          value={to}
          onChange={(event) => setTo(event.target.value)}
          required
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-bucket`}>Bucket size</label>
        <select
          id={`${id}-bucket`}
          value={bucket}
          onChange={(event) => setBucket(event.target.value === 'day' ? 'day' : 'hour')}
        >
          <option value="hour">By hour</option>
          <option value="day">By day</option>
        </select>
      </div>
      <button type="submit" className="button button-primary button-small">
        Show range
      </button>
      {problem && (
        <p className="field-error custom-range-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  )
}
