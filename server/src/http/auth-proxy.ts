import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { clientIpHeader, type Auth } from '../auth/create-auth.ts'

function remoteAddressOf(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address
  } catch {
    // app.request() in tests has no socket behind it.
    return undefined
  }
}

/**
 * Hands /api/auth/* to Better Auth. The client address it rate-limits by is the socket's, set here: a header of
 * that name sent by the client is dropped, so nobody picks their own address.
 */
export function authProxy(auth: Auth) {
  return (c: Context) => {
    const headers = new Headers(c.req.raw.headers)
    headers.delete(clientIpHeader)
    const address = remoteAddressOf(c)
    if (address) headers.set(clientIpHeader, address)
    return auth.handler(new Request(c.req.raw, { headers }))
  }
}
