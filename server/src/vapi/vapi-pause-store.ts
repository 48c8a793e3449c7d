/**
 * Where a Vapi account's Retry-After pause is written down so every dialtone process honours it, not only the
 * one Vapi answered (Postgres: vapi-pause-repository.ts).
 */
export interface VapiPauseStore {
  /** Vapi said "not before `ms` from now" for this account; a longer pause already stored is kept. */
  record(accountKey: string, ms: number): Promise<void>
  /** How long this account is still paused (0 when it is not). */
  pausedForMs(accountKey: string): Promise<number>
}
