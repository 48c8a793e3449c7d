import { z } from 'zod/mini'

/** One of the organisation's Vapi assistants, as GET /api/assistants lists them. */
export const assistantSchema = z.object({ id: z.string(), name: z.nullable(z.string()) })
export type Assistant = z.infer<typeof assistantSchema>

export const assistantListSchema = z.object({ items: z.array(assistantSchema) })
export type AssistantList = z.infer<typeof assistantListSchema>
