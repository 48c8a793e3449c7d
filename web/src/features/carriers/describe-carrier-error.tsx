import type { CarrierName } from '@dialtone/shared/carriers'
import { isApiError } from '../../lib/api-error.ts'
import { Link } from '../../lib/link.tsx'
import { routes } from '../../lib/router.ts'
import { describeCreateError } from '../phone-numbers/describe-create-error.ts'
import { carrierLabels } from './carriers-api.ts'

/**
 * A refused search, purchase or import, plainly: the server's words already quote the carrier's (a number taken,
 * an invalid one, a type the country lacks). A missing connection links to where it is made.
 */
export function CarrierError({ error, carrier, testId }: { error: unknown; carrier: CarrierName; testId: string }) {
  if (isApiError(error) && error.code === 'CONNECTION_REQUIRED') {
    return (
      <div className="create-error" role="alert" data-testid={testId} data-code={error.code}>
        <p className="create-error-message">
          <strong>{error.message}</strong>
        </p>
        <p>
          <Link to={routes.settings} data-testid="connect-carrier-link">
            Connect{' '}
            {/vapi/i.test(error.message) && !/twilio|telnyx/i.test(error.message) ? 'Vapi' : carrierLabels[carrier]} in
            Settings
          </Link>
        </p>
      </div>
    )
  }
  // The carrier's own refusals (and a carrier that did not answer) carry the server's exact words, and so does Vapi
  // refusing an import (with what became of the number: released or kept); the rest are described as the Vapi
  // purchase describes them (whose hints, like Vapi's free-number limit, do not apply to an import).
  const isCarrierWords =
    isApiError(error) &&
    (/^(CARRIER|NUMBER)_/.test(error.code) || error.code === 'CONFLICT' || error.code === 'VAPI_REJECTED')
  const explanation = isCarrierWords ? { message: error.message, nextStep: '' } : describeCreateError(error)
  return (
    <div
      className="create-error"
      role="alert"
      data-testid={testId}
      data-code={isApiError(error) ? error.code : undefined}
    >
      <p className="create-error-message">
        <strong>{explanation.message}</strong> {explanation.nextStep}
      </p>
    </div>
  )
}
