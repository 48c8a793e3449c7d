import type { Context } from 'hono'
import { clientIpHeader, type Auth } from '../auth/create-auth.ts'

/**
 * Hands /api/auth/* to Better Auth. The client address it records is the one the trusted-proxy setting decides,
 * set here: a header of that name sent by the client is dropped, so nobody picks their own address.
 */
export function authProxy(auth: Auth, clientAddressOf: (c: Context) => string | undefined) {
  return (c: Context) => {
    const headers = new Headers(c.req.raw.headers)
    headers.delete(clientIpHeader)
    const address = clientAddressOf(c)
    if (address) headers.set(clientIpHeader, address)
    return auth.handler(new Request(c.req.raw, { headers }))
  }
}
