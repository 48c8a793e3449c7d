import type { Migration } from 'kysely'
import * as initial from './0001-initial.ts'

/** Every migration, by name, in the order they apply. Append only: a shipped migration is never edited. */
export const allMigrations: Record<string, Migration> = {
  '0001-initial': initial,
}
