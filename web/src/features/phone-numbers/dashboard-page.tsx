import { CreatePhoneNumberForm } from './create-phone-number-form.tsx'
import { PhoneNumberList } from './phone-number-list.tsx'
import { usePhoneNumbers } from './use-phone-numbers.ts'
import { reasonWithout, usePermissions } from '../teams/use-permissions.ts'
import { CarrierNumbersEntry } from '../carriers/carrier-numbers-entry.tsx'

export function DashboardPage() {
  // On a phone the list comes first once there are numbers (styles.css); the order in the page stays the same.
  const { phoneNumbers } = usePhoneNumbers()
  const permissions = usePermissions()
  return (
    <main id="main" className="page dashboard" data-has-numbers={phoneNumbers.length > 0}>
      <h1 className="visually-hidden">Phone numbers</h1>
      {/* Members watch and check numbers; the form is for those who may buy (the server refuses the rest anyway). */}
      {permissions.isLoaded && !permissions.can('numbers:write') ? (
        <section className="panel create-panel" data-testid="buy-not-allowed">
          <h2>Get a number</h2>
          <p className="muted">{reasonWithout['numbers:write']}</p>
        </section>
      ) : (
        <>
          <CreatePhoneNumberForm />
          <CarrierNumbersEntry />
        </>
      )}
      <PhoneNumberList />
    </main>
  )
}
