import { useQuery } from '@tanstack/react-query'
import { fetchAssistants } from './assistants-api.ts'
import { assistantQueryKeys } from './assistant-query-keys.ts'

/** The organisation's assistants, asked for once and shared by the form, every card and the bulk bar. */
export function useAssistants() {
  return useQuery({
    queryKey: assistantQueryKeys.list(),
    queryFn: ({ signal }) => fetchAssistants(signal),
    // Assistants are made in Vapi's dashboard, not here: a minute old is fresh enough, and opening a picker
    // after that asks again.
    staleTime: 60_000,
  })
}
