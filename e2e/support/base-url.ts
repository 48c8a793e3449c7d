/** Global setup puts the shared server's URL here; workers inherit it. */
export const baseUrlVariable = 'DIALTONE_E2E_BASE_URL'

export function readSharedBaseUrl(): string {
  const url = process.env[baseUrlVariable]
  if (!url)
    throw new Error(`${baseUrlVariable} is not set: run the tests with playwright.config.ts (its global setup).`)
  return url
}
