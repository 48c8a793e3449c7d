import { BlockList, isIP } from 'node:net'

export const forwardedHeaders = ['x-forwarded-for', 'forwarded'] as const
export type ForwardedHeader = (typeof forwardedHeaders)[number]

/**
 * Which proxies in front of dialtone may say who the client is. With none (the default) the TCP peer is the
 * client and forwarded headers are ignored: anyone can write them. Behind a load balancer, either count its hops
 * (the client is the address that many entries from the right of the chain, the peer being the last) or list the
 * proxies' addresses (the client is the right-most address that is not one of them).
 */
export interface ProxyTrust {
  header: ForwardedHeader
  hops: number
  proxies: BlockList | null
}

export const noProxyTrust: ProxyTrust = { header: 'x-forwarded-for', hops: 0, proxies: null }

/** Parses "10.0.0.0/8, 192.168.1.7, fd00::/8"; throws a message naming the first entry it cannot read. */
export function parseTrustedProxies(list: string): BlockList {
  const proxies = new BlockList()
  for (const entry of list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [address = '', prefixText] = entry.split('/')
    const family = isIP(address)
    const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText)
    const maxPrefix = family === 6 ? 128 : 32
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) {
      throw new Error(`"${entry}" is not an address or CIDR range (like 10.0.0.0/8 or fd00::/8)`)
    }
    proxies.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4')
  }
  return proxies
}

/** The trust env.ts's TRUSTED_PROXY_HOPS, TRUSTED_PROXIES and CLIENT_ADDRESS_HEADER describe. */
export function proxyTrustFrom(settings: {
  hops: number
  proxies: string | undefined
  header: ForwardedHeader
}): ProxyTrust {
  return {
    header: settings.header,
    hops: settings.hops,
    proxies: settings.proxies ? parseTrustedProxies(settings.proxies) : null,
  }
}

/** "::ffff:10.0.0.1" is 10.0.0.1; Forwarded's "[2001:db8::1]:4711" and "10.0.0.1:80" lose brackets and port. */
function normalizeAddress(raw: string): string {
  let address = raw.trim().replace(/^"|"$/g, '')
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address)
  if (bracketed?.[1]) address = bracketed[1]
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'))
  if (/^::ffff:[\d.]+$/i.test(address)) address = address.slice(7)
  // Whatever a proxy wrote is the key; an unreadable entry stays one client's key, bounded in length.
  return address.toLowerCase().slice(0, 64)
}

function forwardedChain(headers: Headers, header: ForwardedHeader): string[] {
  const value = headers.get(header)
  if (!value) return []
  if (header === 'x-forwarded-for') return value.split(',').map(normalizeAddress).filter(Boolean)
  // RFC 7239: elements separated by commas, pairs by semicolons; only for= names an address.
  return value
    .split(',')
    .map((element) =>
      element
        .split(';')
        .map((pair) => pair.trim())
        .find((pair) => pair.toLowerCase().startsWith('for=')),
    )
    .map((pair) => normalizeAddress(pair?.slice(4) ?? 'unknown'))
}

function isTrustedProxy(trust: ProxyTrust, address: string): boolean {
  if (trust.proxies) {
    const family = isIP(address)
    return family !== 0 && trust.proxies.check(address, family === 6 ? 'ipv6' : 'ipv4')
  }
  return trust.hops > 0
}

/** Whether this request reached dialtone through a proxy it trusts (so its forwarded headers count). */
export function isFromTrustedProxy(trust: ProxyTrust, peerAddress: string | undefined): boolean {
  return peerAddress !== undefined && isTrustedProxy(trust, normalizeAddress(peerAddress))
}

/**
 * The client's address as every limit and the auth library see it. Undefined only without a socket
 * (app.request() in tests).
 */
export function clientAddressOf(
  trust: ProxyTrust,
  peerAddress: string | undefined,
  headers: Headers,
): string | undefined {
  if (peerAddress === undefined) return undefined
  const peer = normalizeAddress(peerAddress)
  if (!isTrustedProxy(trust, peer)) return peer
  const chain = [...forwardedChain(headers, trust.header), peer]
  if (trust.proxies) {
    const untrusted = chain.findLast((address) => !isTrustedProxy(trust, address))
    return untrusted ?? chain[0]
  }
  // Fewer entries than hops: the request came through fewer proxies than configured; the left-most is the best
  // guess (a deployment must not let clients reach dialtone around its proxies).
  return chain[Math.max(0, chain.length - 1 - trust.hops)]
}

/** The scheme the client used, as the nearest trusted proxy says; null when no trusted proxy says. */
export function forwardedProtoOf(trust: ProxyTrust, peerAddress: string | undefined, headers: Headers) {
  if (!isFromTrustedProxy(trust, peerAddress)) return null
  const raw =
    trust.header === 'forwarded'
      ? /(?:^|[;,\s])proto=([a-z]+)(?![\s\S]*proto=)/i.exec(headers.get('forwarded') ?? '')?.[1]
      : headers.get('x-forwarded-proto')?.split(',').at(-1)
  const proto = raw?.trim().toLowerCase()
  return proto === 'https' || proto === 'http' ? proto : null
}
