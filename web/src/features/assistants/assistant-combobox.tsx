import { useId, useState, type KeyboardEvent } from 'react'
import { assistantLabel, filterAssistants, type AssistantChoice } from './filter-assistants.ts'

export const noAssistantLabel = 'No assistant'

interface AssistantComboboxProps {
  id: string
  /** The chosen assistant's id; null is "No assistant". */
  value: string | null
  onValueChange: (assistantId: string | null) => void
  assistants: readonly AssistantChoice[]
  /** What to show for `value` when the list does not hold it (not loaded yet, or deleted in Vapi). */
  fallbackLabel?: string
  describedBy?: string
  isDisabled?: boolean
  autoFocus?: boolean
  /** Escape on a closed list: a card's picker closes itself. */
  onDismiss?: () => void
}

interface Option {
  id: string | null
  label: string
}

/**
 * Picks who answers a number: the ARIA 1.2 combobox pattern, like the area-code field. Typing filters the
 * organisation's assistants; arrows move, Enter picks, Escape closes. Only a listed choice counts: leaving the
 * field puts the chosen name back, so what the input shows is always what will be saved.
 */
export function AssistantCombobox({
  id,
  value,
  onValueChange,
  assistants,
  fallbackLabel,
  describedBy,
  isDisabled,
  autoFocus,
  onDismiss,
}: AssistantComboboxProps) {
  const listboxId = useId()
  const selectedAssistant = assistants.find((assistant) => assistant.id === value)
  const selectedName =
    value === null
      ? noAssistantLabel
      : selectedAssistant
        ? assistantLabel(selectedAssistant)
        : (fallbackLabel ?? 'Unknown assistant')
  const [search, setSearch] = useState<string | null>(null)
  const [isOpen, setIsOpen] = useState(false)
  const [activeIndex, setActiveIndex] = useState(-1)
  const isSearching = search !== null && search !== selectedName
  const matches = filterAssistants(assistants, isSearching ? search : '')
  // "No assistant" is always offered first while nothing is typed; a search shows only what it found.
  const found = matches.map((assistant) => ({ id: assistant.id, label: assistantLabel(assistant) }))
  const options: Option[] = isSearching ? found : [{ id: null, label: noAssistantLabel }, ...found]
  const isExpanded = isOpen && options.length > 0
  const activeOption = isExpanded && activeIndex >= 0 ? options[activeIndex] : undefined
  const optionId = (option: Option) => `${listboxId}-${option.id ?? 'none'}`

  function close() {
    setIsOpen(false)
    setActiveIndex(-1)
    setSearch(null)
  }

  function choose(option: Option) {
    close()
    if (option.id !== value) onValueChange(option.id)
  }

  function handleKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault()
        if (!isOpen) {
          setIsOpen(true)
          setActiveIndex(
            Math.max(
              0,
              options.findIndex((option) => option.id === value),
            ),
          )
        } else {
          setActiveIndex((index) => Math.min(index + 1, options.length - 1))
        }
        break
      case 'ArrowUp':
        event.preventDefault()
        setIsOpen(true)
        setActiveIndex((index) => Math.max(index - 1, 0))
        break
      case 'Home':
      case 'End':
        if (isExpanded) {
          event.preventDefault()
          setActiveIndex(event.key === 'Home' ? 0 : options.length - 1)
        }
        break
      case 'Enter': {
        // A search that found exactly one assistant picks it; otherwise Enter picks the highlighted one.
        const picked = activeOption ?? (isSearching && options.length === 1 ? options[0] : undefined)
        if (picked) {
          event.preventDefault()
          choose(picked)
        } else if (isOpen) {
          event.preventDefault()
        }
        break
      }
      case 'Escape':
        // A search is cleared first; then a card's picker closes (its list with it), a form's list just closes.
        event.preventDefault()
        if (isSearching || !onDismiss) close()
        else onDismiss()
        break
      case 'Tab':
        close()
        break
    }
  }

  const matchCountText = isSearching
    ? matches.length === 0
      ? `No assistant matches “${search.trim()}”.`
      : `${matches.length} matching assistant${matches.length === 1 ? '' : 's'}; use the arrow keys to pick.`
    : ''

  return (
    <div className="combobox">
      <input
        id={id}
        type="text"
        autoComplete="off"
        spellCheck={false}
        placeholder="Search assistants"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={isExpanded}
        aria-controls={listboxId}
        aria-activedescendant={activeOption ? optionId(activeOption) : undefined}
        aria-describedby={describedBy}
        disabled={isDisabled}
        autoFocus={autoFocus}
        value={search ?? selectedName}
        onChange={(event) => {
          setSearch(event.target.value)
          setIsOpen(true)
          setActiveIndex(-1)
        }}
        onKeyDown={handleKeyDown}
        onBlur={close}
        onFocus={(event) => {
          // Focus selects the chosen name, so typing replaces it with a search.
          event.target.select()
          setIsOpen(true)
        }}
        onClick={() => setIsOpen(true)}
        className={value === null && !isSearching ? 'combobox-none' : undefined}
      />
      <ul id={listboxId} role="listbox" aria-label="Assistants" className="combobox-listbox" hidden={!isExpanded}>
        {isExpanded &&
          options.map((option, index) => (
            <li
              key={option.id ?? 'none'}
              id={optionId(option)}
              role="option"
              aria-selected={index === activeIndex}
              data-current={option.id === value}
              className="combobox-option"
              // mousedown would blur the input (closing the list) before the click lands.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(option)}
              onMouseMove={() => setActiveIndex(index)}
            >
              <span className={option.id === null ? 'combobox-assistant combobox-none' : 'combobox-assistant'}>
                {option.label}
              </span>
              {option.id === value && <span className="combobox-places">current</span>}
            </li>
          ))}
      </ul>
      {isOpen && isSearching && matches.length === 0 && (
        <p className="combobox-empty" role="presentation">
          No assistant matches “{search.trim()}”.
        </p>
      )}
      <span className="visually-hidden" aria-live="polite">
        {isOpen ? matchCountText : ''}
      </span>
    </div>
  )
}
