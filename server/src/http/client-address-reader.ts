import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { clientAddressOf, forwardedProtoOf, type ProxyTrust } from '../security/client-address.ts'

/** The TCP peer; undefined under app.request() in tests, which has no socket behind it. */
export function peerAddressOf(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address
  } catch {
    return undefined
  }
}

/** The client address every limit and the auth library see, as the trusted-proxy setting decides it. */
export const clientAddressReader = (trust: ProxyTrust) => (c: Context) =>
  clientAddressOf(trust, peerAddressOf(c), c.req.raw.headers)

/** Whether the client reached dialtone over https: a trusted proxy says so, or else PUBLIC_URL is https. */
export const httpsReader = (trust: ProxyTrust, publicUrl: string) => (c: Context) =>
  (forwardedProtoOf(trust, peerAddressOf(c), c.req.raw.headers) ??
    (publicUrl.startsWith('https://') ? 'https' : 'http')) === 'https'
