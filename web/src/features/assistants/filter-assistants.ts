export interface AssistantChoice {
  id: string
  name: string
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
  const byName = (a: AssistantChoice, b: AssistantChoice) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)
  if (words.length === 0) return [...assistants].sort(byName)
  const wholeSearch = words.join(' ')
  const matches = assistants.filter((assistant) => {
    const name = fold(assistant.name)
    return words.every((word) => name.includes(word)) || fold(assistant.id).startsWith(wholeSearch)
  })
  const startsWithSearch = (assistant: AssistantChoice) => fold(assistant.name).startsWith(wholeSearch)
  return matches.sort((a, b) => Number(startsWithSearch(b)) - Number(startsWithSearch(a)) || byName(a, b))
}
