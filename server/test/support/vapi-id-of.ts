/** Vapi's id of a number the test bought from Vapi (never null there); fails loudly for one still at its carrier. */
export function vapiIdOf(phoneNumber: { vapiPhoneNumberId: string | null }): string {
  if (phoneNumber.vapiPhoneNumberId === null)
    throw new Error('expected a number held at Vapi, got one not imported yet')
  return phoneNumber.vapiPhoneNumberId
}
