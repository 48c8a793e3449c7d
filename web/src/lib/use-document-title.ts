import { useEffect } from 'react'

/** Each screen names itself in the tab and in the screen reader's announcement of the page. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title === '' ? 'dialtone' : `${title} · dialtone`
  }, [title])
}
