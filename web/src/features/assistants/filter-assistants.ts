export interface AssistantChoice {
  id: string
  /** Vapi lets an assistant have no name. */
  name: string | null
}

/** What an assistant is called on screen: its name, or the start of its id when it has none. */
export function assistantLabel(assistant: AssistantChoice): string {
  const name = assistant.name?.trim() ?? ''
  return name === '' ? `Unnamed assistant (${assistant.id.slice(0, 8)})` : name
}

/** Lower case without accents, so "cafe" finds "Café" and "FRONT" finds "Front desk". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
}

/**
 * The assistants a search finds: every word typed must appear in the name (in any order), or the search is the
 * start of the id (owners paste ids from Vapi's dashboard). Names that start with the search come first, then
 * the rest by name; an empty search lists everything by name.
 */
export function filterAssistants(assistants: readonly AssistantChoice[], search: string): AssistantChoice[] {
  const words = fold(search).split(/\s+/).filter(Boolean)
  const byName = (a: AssistantChoice, b: AssistantChoice) =>
    assistantLabel(a).localeCompare(assistantLabel(b)) || a.id.localeCompare(b.id)
  if (words.length === 0) return [...assistants].sort(byName)
  const wholeSearch = words.join(' ')
  const matches = assistants.filter((assistant) => {
    const name = fold(assistantLabel(assistant))
    return words.every((word) => name.includes(word)) || fold(assistant.id).startsWith(wholeSearch)
  })
  const startsWithSearch = (assistant: AssistantChoice) => fold(assistantLabel(assistant)).startsWith(wholeSearch)
  return matches.sort((a, b) => Number(startsWithSearch(b)) - Number(startsWithSearch(a)) || byName(a, b))
}
