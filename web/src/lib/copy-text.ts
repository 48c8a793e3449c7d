/**
 * Copies text to the clipboard. The async Clipboard API needs a secure context (https or localhost); on a
 * server reached over plain http the old selection-based copy still works.
 */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text)
    return
  }
  const textarea = document.createElement('textarea')
  textarea.value = text
  textarea.setAttribute('readonly', '')
  textarea.style.position = 'fixed'
  textarea.style.opacity = '0'
  document.body.append(textarea)
  textarea.select()
  try {
    // Deprecated but the only way left without the Clipboard API.
    if (!document.execCommand('copy')) throw new Error('The browser refused to copy.')
  } finally {
    textarea.remove()
  }
}
