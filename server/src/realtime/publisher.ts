import type { PhoneNumber } from '@dialtone/shared/phone-number'

/** How the domain tells browsers that a number changed. Called only after the change is committed. */
export interface PhoneNumberPublisher {
  phoneNumberUpdated(organizationId: string, phoneNumber: PhoneNumber): void
  /** A number's call activity changed (ringing, on a call, a call ended): 'phone-number:activity'. */
  phoneNumberActivity?(organizationId: string, phoneNumber: PhoneNumber): void
}

/** For processes and tests with nobody to tell. */
export const silentPublisher: PhoneNumberPublisher = { phoneNumberUpdated: () => {} }

/** Records what was published, for tests that assert on events. */
export function createRecordingPublisher() {
  const events: { organizationId: string; phoneNumber: PhoneNumber }[] = []
  /** 'phone-number:activity' events, apart from the status events above. */
  const activityEvents: { organizationId: string; phoneNumber: PhoneNumber }[] = []
  const publisher: PhoneNumberPublisher = {
    phoneNumberUpdated: (organizationId, phoneNumber) => events.push({ organizationId, phoneNumber }),
    phoneNumberActivity: (organizationId, phoneNumber) => activityEvents.push({ organizationId, phoneNumber }),
  }
  return { publisher, events, activityEvents }
}
