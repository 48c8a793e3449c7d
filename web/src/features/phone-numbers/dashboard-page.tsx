import { CreatePhoneNumberForm } from './create-phone-number-form.tsx'
import { PhoneNumberList } from './phone-number-list.tsx'

export function DashboardPage() {
  return (
    <main id="main" className="page dashboard">
      <h1 className="visually-hidden">Phone numbers</h1>
      <CreatePhoneNumberForm />
      <PhoneNumberList />
    </main>
  )
}
