import type { PhoneNumber } from '@dialtone/shared/phone-number'

/** How the domain tells browsers that a number changed. Called only after the change is committed. */
export interface PhoneNumberPublisher {
  phoneNumberUpdated(organizationId: string, phoneNumber: PhoneNumber): void
}

/** For processes and tests with nobody to tell. */
export const silentPublisher: PhoneNumberPublisher = { phoneNumberUpdated: () => {} }

/** Records what was published, for tests that assert on events. */
export function createRecordingPublisher() {
  const events: { organizationId: string; phoneNumber: PhoneNumber }[] = []
  const publisher: PhoneNumberPublisher = {
    phoneNumberUpdated: (organizationId, phoneNumber) => events.push({ organizationId, phoneNumber }),
  }
  return { publisher, events }
}
