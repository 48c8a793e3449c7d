import { demoAccounts } from './ensure-demo-accounts.ts'

/** 127.0.0.0/8 and ::1, also in their IPv4-mapped IPv6 forms. */
export function isLoopbackAddress(address: string | null | undefined): boolean {
  if (!address) return false
  const plain = address
    .trim()
    .toLowerCase()
    .replace(/^::ffff:/, '')
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain)
}

/**
 * The demo admin's password is printed by `pnpm start` and written in the README: anyone who can reach the port
 * knows it. It opens the platform admin only to someone on the machine itself (loopback); from anywhere else it is
 * refused, whatever HOST the server listens on. A changed password is not affected.
 */
export function isDemoAdminSignInFromAfar(input: {
  email: unknown
  password: unknown
  clientAddress: string | null | undefined
}): boolean {
  const isDemoAdmin =
    typeof input.email === 'string' &&
    input.email.trim().toLowerCase() === demoAccounts.admin.email &&
    input.password === demoAccounts.admin.password
  return isDemoAdmin && !isLoopbackAddress(input.clientAddress)
}
