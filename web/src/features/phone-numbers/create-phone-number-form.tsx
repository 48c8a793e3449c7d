import { useId, useState, type FormEvent } from 'react'
import { areaCodeSchema, phoneNumberNameSchema, type PhoneNumber } from '@dialtone/shared/phone-number'
import {
  areaCodeUnavailableDetailsSchema,
  normalizeAreaCodeInput,
  type SuggestedAreaCode,
} from '@dialtone/shared/area-codes'
import { isApiError } from '../../lib/api-error.ts'
import { useDebouncedValue } from '../../lib/use-debounced-value.ts'
import { AreaCodeCombobox, formatPlaces } from '../area-codes/area-code-combobox.tsx'
import { AssistantCombobox } from '../assistants/assistant-combobox.tsx'
import { useAssistants } from '../assistants/use-assistants.ts'
import { useAreaCodeSearch } from '../area-codes/use-area-code-search.ts'
import { describeCreateError, isFixedInSettings } from './describe-create-error.ts'
import { Link } from '../../lib/link.tsx'
import { routes } from '../../lib/router.ts'
import { formatTypicalWait } from './format-duration.ts'
import { formatPhoneNumber } from './format-phone-number.ts'
import { useCreatePhoneNumber } from './phone-number-mutations.ts'
import { usePhoneNumbers, useProvisioningTiming } from './use-phone-numbers.ts'

function firstProblem(result: { success: boolean; error?: { issues: { message: string }[] } }): string | null {
  if (result.success) return null
  return result.error?.issues[0]?.message ?? 'This value is not valid.'
}

/** A city or state typed to search the suggestions, not a code written some way ("(415)", "+1 415"). */
function isPlaceSearch(value: string): boolean {
  return /[a-z]/i.test(normalizeAreaCodeInput(value))
}

function validateAreaCode(value: string, matchCount: number | undefined): string | null {
  if (value.trim() === '') return 'Enter an area code.'
  // A search is not an error yet, just unfinished; the words depend on whether it found anything.
  if (isPlaceSearch(value)) {
    return matchCount === 0
      ? `No area code matches “${value.trim()}”. Try a city, a state, or three digits.`
      : 'Pick one of the suggested area codes, or type its three digits.'
  }
  return firstProblem(areaCodeSchema.safeParse(value))
}

/** The line under the form about the last request: it follows that number's card, and goes once it settles badly. */
function describeRequested(phoneNumber: PhoneNumber | undefined, areaCode: string): string {
  if (phoneNumber === undefined || phoneNumber.status === 'pending') {
    return `Asked Vapi for a ${areaCode} number. Its card is below and turns live by itself.`
  }
  if (phoneNumber.status === 'active' && phoneNumber.number !== null) {
    return `Your ${areaCode} number is live: ${formatPhoneNumber(phoneNumber.number)}.`
  }
  return ''
}

export function CreatePhoneNumberForm() {
  const ids = useId()
  const [areaCode, setAreaCode] = useState('')
  const [name, setName] = useState('')
  // Kept after a purchase: owners often buy several numbers for the same assistant.
  const [assistantId, setAssistantId] = useState<string | null>(null)
  const assistants = useAssistants()
  const [isAreaCodeTouched, setIsAreaCodeTouched] = useState(false)
  const [requested, setRequested] = useState<{ id: string; areaCode: string } | null>(null)
  // Kept apart from the mutation's own error so the suggestions stay on screen while one of them is requested.
  const [shownError, setShownError] = useState<unknown>(null)
  const creation = useCreatePhoneNumber()
  const timing = useProvisioningTiming()
  const { phoneNumbers } = usePhoneNumbers()
  // The same query the combobox makes (one request, shared cache), to know whether a search found anything.
  const debouncedAreaCode = useDebouncedValue(areaCode, 120)
  const placeSearch = useAreaCodeSearch(isPlaceSearch(debouncedAreaCode) ? debouncedAreaCode : '')
  const matchCount =
    placeSearch.isFetching || debouncedAreaCode !== areaCode ? undefined : placeSearch.data?.items.length
  const confirmation =
    requested === null
      ? ''
      : describeRequested(
          phoneNumbers.find((phoneNumber) => phoneNumber.id === requested.id),
          requested.areaCode,
        )

  const areaCodeProblem = validateAreaCode(areaCode, matchCount)
  const nameProblem = firstProblem(phoneNumberNameSchema.safeParse(name))
  const isAreaCodeErrorShown =
    areaCodeProblem !== null && areaCode.trim() !== '' && (isAreaCodeTouched || areaCode.trim().length >= 3)
  const canSubmit = areaCodeProblem === null && nameProblem === null && !creation.isPending

  function request(code: string) {
    const trimmedName = name.trim()
    setRequested(null)
    const request = {
      areaCode: code,
      ...(trimmedName === '' ? {} : { name: trimmedName }),
      ...(assistantId === null ? {} : { assistantId }),
    }
    creation.mutate(request, {
      onError: (error) => setShownError(error),
      onSuccess: (phoneNumber) => {
        setShownError(null)
        setAreaCode('')
        setName('')
        setIsAreaCodeTouched(false)
        setRequested({ id: phoneNumber.id, areaCode: phoneNumber.areaCode })
      },
    })
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setIsAreaCodeTouched(true)
    if (!canSubmit) return
    request(normalizeAreaCodeInput(areaCode))
  }

  function handleSuggestion(suggestion: SuggestedAreaCode) {
    setAreaCode(suggestion.areaCode)
    request(suggestion.areaCode)
  }

  const areaCodeHintId = `${ids}-area-code-hint`
  const nameHintId = `${ids}-name-hint`
  const assistantHintId = `${ids}-assistant-hint`
  const typicalSeconds = timing.data?.typicalSecondsToLive ?? null

  return (
    <section className="panel create-panel" id="get-a-number" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Get a number</h2>
      <form className="create-form" onSubmit={handleSubmit} noValidate data-testid="create-phone-number-form">
        <div className="field field-area-code">
          <label htmlFor={`${ids}-area-code`}>Area code</label>
          <AreaCodeCombobox
            id={`${ids}-area-code`}
            value={areaCode}
            onValueChange={(value) => {
              setAreaCode(value)
              setShownError(null)
            }}
            describedBy={areaCodeHintId}
            isInvalid={isAreaCodeErrorShown}
          />
          <p id={areaCodeHintId} className={isAreaCodeErrorShown ? 'field-error' : 'field-hint'}>
            {isAreaCodeErrorShown ? areaCodeProblem : 'Three digits, or type a city or state to search.'}
          </p>
        </div>
        <div className="field field-name">
          <label htmlFor={`${ids}-name`}>
            Name <span className="optional">(optional)</span>
          </label>
          <input
            id={`${ids}-name`}
            name="name"
            autoComplete="off"
            placeholder="e.g. Front desk"
            value={name}
            aria-invalid={nameProblem !== null}
            aria-describedby={nameHintId}
            onChange={(event) => setName(event.target.value)}
          />
          <p id={nameHintId} className={nameProblem ? 'field-error' : 'field-hint'}>
            {nameProblem ?? `${name.trim().length}/40 characters.`}
          </p>
        </div>
        <div className="field field-assistant">
          <label htmlFor={`${ids}-assistant`}>Assistant</label>
          <AssistantCombobox
            id={`${ids}-assistant`}
            value={assistantId}
            onValueChange={setAssistantId}
            assistants={assistants.data?.items ?? []}
            describedBy={assistantHintId}
          />
          <p
            id={assistantHintId}
            className={assistantId === null && !assistants.isPending ? 'field-hint assistant-warning' : 'field-hint'}
            data-testid="assistant-hint"
          >
            {assistants.isPending
              ? 'Loading your assistants…'
              : assistants.isError
                ? `Your assistants could not be loaded: ${assistants.error.message}`
                : assistantId === null
                  ? assistants.data.items.length === 0
                    ? 'Your Vapi account has no assistants yet: calls to this number will go unanswered until you make one in Vapi and choose it here.'
                    : 'No assistant: calls to this number will go unanswered until you choose one.'
                  : 'Answers every call to this number.'}
          </p>
        </div>
        <div className="create-actions">
          <button type="submit" className="button button-primary" disabled={!canSubmit}>
            {creation.isPending && <span className="spinner" aria-hidden="true" />}
            {creation.isPending ? 'Getting a number…' : 'Get number'}
          </button>
          {typicalSeconds !== null && (
            <p className="field-hint">Numbers usually go live in {formatTypicalWait(typicalSeconds)}.</p>
          )}
        </div>
      </form>
      <p className="create-confirmation" role="status" aria-live="polite">
        {confirmation}
      </p>
      {shownError !== null && (
        <CreateError
          error={shownError}
          pendingAreaCode={creation.isPending ? (creation.variables?.areaCode ?? null) : null}
          onSuggestion={handleSuggestion}
        />
      )}
    </section>
  )
}

function CreateError({
  error,
  pendingAreaCode,
  onSuggestion,
}: {
  error: unknown
  pendingAreaCode: string | null
  onSuggestion: (suggestion: SuggestedAreaCode) => void
}) {
  if (isApiError(error) && error.code === 'AREA_CODE_UNAVAILABLE') {
    const details = areaCodeUnavailableDetailsSchema.safeParse(error.details)
    const requested = details.success ? details.data.areaCode : 'that area code'
    const suggestions = details.success ? details.data.suggestedAreaCodes : []
    return (
      <div className="create-error" role="alert" data-testid="area-code-unavailable">
        <p className="create-error-message">
          <strong>No numbers are available in {requested} right now.</strong> Nothing was bought.
          {suggestions.length > 0 ? ' Try one of these instead:' : ' Try a nearby area code.'}
        </p>
        {suggestions.length > 0 && (
          <ul className="suggestions" aria-label="Suggested area codes">
            {suggestions.map((suggestion) => (
              <li key={suggestion.areaCode}>
                <button
                  type="button"
                  className="button suggestion"
                  disabled={pendingAreaCode !== null}
                  onClick={() => onSuggestion(suggestion)}
                  data-testid="suggested-area-code"
                  data-area-code={suggestion.areaCode}
                >
                  {pendingAreaCode === suggestion.areaCode && <span className="spinner" aria-hidden="true" />}
                  <span>
                    Try {suggestion.areaCode} — {formatPlaces(suggestion, 2)}
                  </span>
                  <span className={`suggestion-source suggestion-source-${suggestion.source}`}>
                    {suggestion.source === 'vapi' ? 'Suggested by Vapi' : 'Nearby'}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    )
  }
  const explanation = describeCreateError(error)
  return (
    <div className="create-error" role="alert" data-testid="create-error">
      <p className="create-error-message">
        <strong>{explanation.message}</strong> {explanation.nextStep}
      </p>
      {isFixedInSettings(error) && (
        <p>
          <Link to={routes.settings}>Open Settings → Vapi account</Link>
        </p>
      )}
    </div>
  )
}
