import { useEffect } from 'react'

/**
 * Mail links to a number as /?number=<id>: once the list has loaded, that card is scrolled into view and marked,
 * so the owner lands on the number the mail was about.
 */
export function useLinkedPhoneNumber(isLoaded: boolean): void {
  useEffect(() => {
    const id = new URLSearchParams(window.location.search).get('number')
    if (!id || !isLoaded) return
    const card = document.querySelector(`[data-phone-number-id="${CSS.escape(id)}"]`)
    if (!(card instanceof HTMLElement)) return
    card.scrollIntoView({ block: 'center' })
    card.classList.add('card-linked')
  }, [isLoaded])
}
