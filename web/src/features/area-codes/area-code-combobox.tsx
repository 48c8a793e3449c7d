import { useId, useState, type KeyboardEvent } from 'react'
import type { AreaCodeInfo } from '@dialtone/shared/area-codes'
import { useDebouncedValue } from '../../lib/use-debounced-value.ts'
import { useAreaCodeSearch } from './use-area-code-search.ts'

interface AreaCodeComboboxProps {
  id: string
  value: string
  onValueChange: (value: string) => void
  describedBy: string
  isInvalid: boolean
  isDisabled?: boolean
}

export function formatPlaces(info: Pick<AreaCodeInfo, 'places' | 'state'>, maximum = 3): string {
  const places = info.places.slice(0, maximum).join(', ')
  return places === '' ? info.state : `${places} (${info.state})`
}

/**
 * The area-code field: the ARIA 1.2 combobox pattern (a text input that owns a listbox). Typing a code, a
 * state or a city lists matching area codes; arrows move, Enter picks, Escape closes. Focus never leaves the
 * input, so the form keeps working with a screen reader and without a mouse.
 */
export function AreaCodeCombobox({
  id,
  value,
  onValueChange,
  describedBy,
  isInvalid,
  isDisabled,
}: AreaCodeComboboxProps) {
  const listboxId = useId()
  const [isOpen, setIsOpen] = useState(false)
  const [activeIndex, setActiveIndex] = useState(-1)
  const query = useDebouncedValue(value, 120)
  const search = useAreaCodeSearch(query)
  const items = value.trim() === '' ? [] : (search.data?.items ?? [])
  const isExpanded = isOpen && items.length > 0
  const activeItem = isExpanded && activeIndex >= 0 ? items[activeIndex] : undefined

  function choose(item: AreaCodeInfo) {
    onValueChange(item.areaCode)
    setIsOpen(false)
    setActiveIndex(-1)
  }

  function handleKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault()
        setIsOpen(true)
        setActiveIndex((index) => (items.length === 0 ? -1 : Math.min(index + 1, items.length - 1)))
        break
      case 'ArrowUp':
        event.preventDefault()
        setActiveIndex((index) => Math.max(index - 1, 0))
        break
      case 'Enter':
        // Enter on a highlighted suggestion picks it; otherwise it submits the form as usual.
        if (activeItem) {
          event.preventDefault()
          choose(activeItem)
        }
        break
      case 'Escape':
        if (isExpanded) {
          event.preventDefault()
          setIsOpen(false)
          setActiveIndex(-1)
        }
        break
      case 'Tab':
        setIsOpen(false)
        break
    }
  }

  return (
    <div className="combobox">
      <input
        id={id}
        name="areaCode"
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        placeholder="e.g. 415"
        maxLength={40}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={isExpanded}
        aria-controls={listboxId}
        aria-activedescendant={activeItem ? `${listboxId}-${activeItem.areaCode}` : undefined}
        aria-describedby={describedBy}
        aria-invalid={isInvalid}
        disabled={isDisabled}
        value={value}
        onChange={(event) => {
          onValueChange(event.target.value)
          setIsOpen(true)
          setActiveIndex(-1)
        }}
        onKeyDown={handleKeyDown}
        onBlur={() => setIsOpen(false)}
        onFocus={() => setIsOpen(true)}
      />
      <ul
        id={listboxId}
        role="listbox"
        aria-label="Matching area codes"
        className="combobox-listbox"
        hidden={!isExpanded}
      >
        {isExpanded &&
          items.map((item, index) => (
            <li
              key={item.areaCode}
              id={`${listboxId}-${item.areaCode}`}
              role="option"
              aria-selected={index === activeIndex}
              className="combobox-option"
              // mousedown would blur the input (closing the list) before the click lands.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(item)}
              onMouseMove={() => setActiveIndex(index)}
            >
              <span className="combobox-code">{item.areaCode}</span>
              {/* Every place the server sent: its main three, and the one that matched when it is not among them. */}
              <span className="combobox-places">{formatPlaces(item, item.places.length)}</span>
            </li>
          ))}
      </ul>
      <span className="visually-hidden" aria-live="polite">
        {isExpanded
          ? `${items.length} matching area code${items.length === 1 ? '' : 's'}; use the arrow keys to pick.`
          : ''}
      </span>
    </div>
  )
}
