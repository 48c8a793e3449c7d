import { CreatePhoneNumberForm } from './create-phone-number-form.tsx'
import { PhoneNumberList } from './phone-number-list.tsx'
import { usePhoneNumbers } from './use-phone-numbers.ts'

export function DashboardPage() {
  // On a phone the list comes first once there are numbers (styles.css); the order in the page stays the same.
  const { phoneNumbers } = usePhoneNumbers()
  return (
    <main id="main" className="page dashboard" data-has-numbers={phoneNumbers.length > 0}>
      <h1 className="visually-hidden">Phone numbers</h1>
      <CreatePhoneNumberForm />
      <PhoneNumberList />
    </main>
  )
}
