import { useId, useState, type FormEvent } from 'react'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { toast } from '../../lib/toast.tsx'
import {
  availableNumbersQuerySchema,
  carrierNumberTypes,
  type AvailableNumber,
  type CarrierName,
  type CarrierNumberType,
} from '@dialtone/shared/carriers'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { createIdempotencyKey } from '../../lib/create-idempotency-key.ts'
import { formatMonthlyPrice } from '../../lib/format-monthly-price.ts'
import { applyPhoneNumberUpdate } from '../phone-numbers/phone-number-cache.ts'
import {
  buyCarrierNumber,
  carrierLabels,
  searchAvailableNumbers,
  type CarrierSearch as Search,
} from './carriers-api.ts'
import { carrierQueryKeys } from './carrier-query-keys.ts'
import { CarrierError } from './describe-carrier-error.tsx'
import { countryName, formatCarrierNumber, markContains } from './format-carrier-number.ts'

/** Countries offered first; the carrier decides what it sells, and says so when it does not. */
const countries = ['US', 'CA', 'GB', 'AU', 'IE', 'DE', 'FR', 'NL', 'ES', 'SE', 'MX', 'BR']

const typeLabels: Record<CarrierNumberType, string> = { local: 'Local', 'toll-free': 'Toll-free', mobile: 'Mobile' }

const textFields = ['areaCode', 'contains', 'locality', 'region', 'nearNumber'] as const
type TextField = (typeof textFields)[number]

const fieldLabels: Record<TextField, { label: string; placeholder: string; hint: string }> = {
  areaCode: { label: 'Area code', placeholder: 'e.g. 415', hint: 'Digits. North America has three.' },
  contains: {
    label: 'Contains',
    placeholder: 'e.g. PIZZA or 2024',
    hint: 'Digits or letters (keypad), * is any digit.',
  },
  locality: { label: 'City or town', placeholder: 'e.g. London', hint: '' },
  region: { label: 'State or region', placeholder: 'e.g. CA', hint: '' },
  nearNumber: { label: 'Near a number', placeholder: '+14155550123', hint: 'Your shop’s number, in + form.' },
}

/** Search a carrier's stock with the filters its API takes, then buy one result: pending card first, live by itself. */
export function CarrierSearch({
  carrier,
  assistantId,
  keepOnFailure,
}: {
  carrier: CarrierName
  assistantId: string | null
  /** Keep a bought number at the carrier when Vapi refuses it (else it is released). */
  keepOnFailure: boolean
}) {
  const ids = useId()
  const [country, setCountry] = useState('US')
  const [type, setType] = useState<CarrierNumberType>('local')
  const [text, setText] = useState<Record<TextField, string>>({
    areaCode: '',
    contains: '',
    locality: '',
    region: '',
    nearNumber: '',
  })
  const [submitted, setSubmitted] = useState<Search | null>(null)
  // Page tokens seen so far: Previous goes back one, Next follows the carrier's token.
  const [pageTokens, setPageTokens] = useState<(string | undefined)[]>([undefined])
  const page = pageTokens[pageTokens.length - 1]
  const [problem, setProblem] = useState<string | null>(null)

  const results = useQuery({
    queryKey: [...carrierQueryKeys.search(submitted ?? { carrier, country, type }), page ?? null],
    queryFn: ({ signal }) => searchAvailableNumbers(submitted as Search, page, signal),
    enabled: submitted !== null,
    placeholderData: keepPreviousData,
    // A carrier's stock changes; a search a minute old is worth asking again.
    staleTime: 30_000,
  })

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const search: Search = { carrier, country, type }
    for (const field of textFields) if (text[field].trim() !== '') search[field] = text[field].trim()
    const checked = availableNumbersQuerySchema.safeParse(search)
    if (!checked.success) {
      setProblem(checked.error.issues[0]?.message ?? 'Check the search.')
      return
    }
    setProblem(null)
    setPageTokens([undefined])
    setSubmitted(search)
  }

  return (
    <div className="carrier-search">
      <form
        className="carrier-search-form"
        onSubmit={handleSubmit}
        noValidate
        aria-label={`Search ${carrierLabels[carrier]} numbers`}
      >
        <div className="field">
          <label htmlFor={`${ids}-country`}>Country</label>
          <select id={`${ids}-country`} value={country} onChange={(event) => setCountry(event.target.value)}>
            {countries.map((code) => (
              <option key={code} value={code}>
                {countryName(code)} ({code})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-type`}>Type</label>
          <select
            id={`${ids}-type`}
            value={type}
            onChange={(event) => setType(event.target.value as CarrierNumberType)}
          >
            {carrierNumberTypes.map((value) => (
              <option key={value} value={value}>
                {typeLabels[value]}
              </option>
            ))}
          </select>
        </div>
        {textFields.map((field) => (
          <div className="field" key={field}>
            <label htmlFor={`${ids}-${field}`}>{fieldLabels[field].label}</label>
            <input
              id={`${ids}-${field}`}
              autoComplete="off"
              spellCheck={false}
              placeholder={fieldLabels[field].placeholder}
              value={text[field]}
              onChange={(event) => setText({ ...text, [field]: event.target.value })}
            />
            {fieldLabels[field].hint !== '' && <p className="field-hint">{fieldLabels[field].hint}</p>}
          </div>
        ))}
        <div className="carrier-search-actions">
          <button type="submit" className="button button-primary" disabled={results.isFetching}>
            {results.isFetching && <span className="spinner" aria-hidden="true" />}
            {results.isFetching ? 'Searching…' : 'Search'}
          </button>
        </div>
      </form>
      {problem !== null && (
        <p className="form-error" role="alert" data-testid="carrier-search-problem">
          {problem}
        </p>
      )}
      {submitted !== null && results.isError && (
        <CarrierError error={results.error} carrier={carrier} testId="carrier-search-error" />
      )}
      {submitted !== null && results.data !== undefined && !results.isError && (
        <>
          <SearchResults
            items={results.data.items}
            carrier={carrier}
            contains={submitted.contains}
            assistantId={assistantId}
            keepOnFailure={keepOnFailure}
            isStale={results.isPlaceholderData}
          />
          {(pageTokens.length > 1 || results.data.nextPage !== undefined) && (
            <nav className="carrier-pages" aria-label="Result pages">
              <button
                type="button"
                className="button button-small"
                disabled={pageTokens.length === 1 || results.isFetching}
                onClick={() => setPageTokens(pageTokens.slice(0, -1))}
              >
                Previous
              </button>
              <span className="muted">Page {pageTokens.length}</span>
              <button
                type="button"
                className="button button-small"
                disabled={results.data.nextPage === undefined || results.isFetching}
                onClick={() => setPageTokens([...pageTokens, results.data.nextPage])}
              >
                Next
              </button>
            </nav>
          )}
        </>
      )}
    </div>
  )
}

function SearchResults({
  items,
  carrier,
  contains,
  assistantId,
  keepOnFailure,
  isStale,
}: {
  items: AvailableNumber[]
  carrier: CarrierName
  /** The search's "contains", marked in each number. */
  contains: string | undefined
  assistantId: string | null
  keepOnFailure: boolean
  isStale: boolean
}) {
  const queryClient = useQueryClient()
  // Numbers bought from this list, and the card each became.
  const [bought, setBought] = useState<Record<string, PhoneNumber>>({})
  const [failure, setFailure] = useState<{ number: string; error: unknown } | null>(null)
  const purchase = useMutation({
    // One key per click: a network retry of the same click never buys twice, at the carrier or at Vapi.
    mutationFn: (number: string) =>
      buyCarrierNumber(
        { carrier, number, keepOnFailure, ...(assistantId === null ? {} : { assistantId }) },
        createIdempotencyKey(),
      ),
    onSuccess: (phoneNumber, number) => {
      applyPhoneNumberUpdate(queryClient, phoneNumber)
      setBought((previous) => ({ ...previous, [number]: phoneNumber }))
      setFailure(null)
      toast.success(
        `Buying ${formatCarrierNumber(number)} at ${carrierLabels[carrier]}: its card turns live by itself.`,
      )
    },
    onError: (error, number) => setFailure({ number, error }),
  })

  if (items.length === 0) {
    return (
      <p className="carrier-empty" role="status" data-testid="carrier-no-results">
        {carrierLabels[carrier]} has no numbers matching this search. Try fewer filters, another area code or another
        word.
      </p>
    )
  }
  return (
    <>
      <p className="visually-hidden" role="status">
        {items.length} numbers found.
      </p>
      <ul className="carrier-results" aria-label="Numbers for sale" aria-busy={isStale} data-testid="carrier-results">
        {items.map((item) => {
          const price = item.monthlyPrice ? formatMonthlyPrice(item.monthlyPrice) : null
          const place = [item.locality, item.region].filter(Boolean).join(', ')
          const card = bought[item.number]
          const isBuying = purchase.isPending && purchase.variables === item.number
          return (
            <li key={item.number} className="carrier-result" data-testid="carrier-result" data-number={item.number}>
              <div className="carrier-result-main">
                <span className="carrier-result-number">
                  {markContains(item.number, contains).map((piece, index) =>
                    piece.isMatch ? <mark key={index}>{piece.text}</mark> : piece.text,
                  )}
                </span>
                <span className="muted carrier-result-place">
                  {place === '' ? countryName(item.country) : `${place} · ${item.country}`}
                </span>
              </div>
              <ul className="capabilities" aria-label="Capabilities">
                {(['voice', 'sms', 'mms'] as const).map((capability) => (
                  <li
                    key={capability}
                    className={item.capabilities[capability] ? 'capability capability-on' : 'capability capability-off'}
                    aria-label={`${capability === 'voice' ? 'Voice' : capability.toUpperCase()}: ${item.capabilities[capability] ? 'yes' : 'no'}`}
                  >
                    {capability === 'voice' ? 'Voice' : capability.toUpperCase()}
                  </li>
                ))}
              </ul>
              <span className={item.addressRequired ? 'carrier-address carrier-address-needed' : 'carrier-address'}>
                {item.addressRequired ? 'Address needed' : 'No address needed'}
              </span>
              <span className="carrier-price">
                {price ?? <span className="muted">Price at {carrierLabels[carrier]}</span>}
              </span>
              {card ? (
                <span className="carrier-bought" data-testid="carrier-bought">
                  Bought — see its card
                </span>
              ) : (
                <button
                  type="button"
                  className="button button-primary button-small"
                  disabled={purchase.isPending}
                  onClick={() => purchase.mutate(item.number)}
                  aria-label={`Buy ${formatCarrierNumber(item.number)}`}
                >
                  {isBuying && <span className="spinner" aria-hidden="true" />}
                  {isBuying ? 'Buying…' : 'Buy'}
                </button>
              )}
              {failure?.number === item.number && (
                <div className="carrier-result-error">
                  <CarrierError error={failure.error} carrier={carrier} testId="carrier-buy-error" />
                </div>
              )}
            </li>
          )
        })}
      </ul>
    </>
  )
}
