import { CarrierError } from '../carrier-error.ts'

/** The CarrierError a call rejected with; throws when it resolved or failed with something else. */
export async function carrierRejection(promise: Promise<unknown>): Promise<CarrierError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  if (!(error instanceof CarrierError)) throw new Error(`expected a CarrierError, got ${String(error)}`)
  return error
}
