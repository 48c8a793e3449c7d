/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists */
import { allMigrations } from '@dialtone/migrations/all-migrations'
import { Migrator, type Kysely, type MigrationResultSet } from 'kysely'

function migratorFor(db: Kysely<any>): Migrator {
  // Numbers are handed out to engineers working in parallel, so one may land after a higher one already ran on a
  // database (0017 after 0018 and 0019): each migration is still applied once, in the order it arrives.
  return new Migrator({ db, provider: { getMigrations: async () => allMigrations }, allowUnorderedMigrations: true })
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((migration) => migration.status === 'Error')
    const cause = result.error instanceof Error ? result.error.message : JSON.stringify(result.error)
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${cause}`, { cause: result.error })
  }
  return (result.results ?? []).map((migration) => `${migration.direction} ${migration.migrationName}`)
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return unwrap(await migratorFor(db).migrateToLatest())
}

export async function migrateDownAll(db: Kysely<any>): Promise<string[]> {
  const migrator = migratorFor(db)
  const applied: string[] = []
  for (;;) {
    const result = unwrap(await migrator.migrateDown())
    if (result.length === 0) return applied
    applied.push(...result)
  }
}
