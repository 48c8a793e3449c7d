import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP } from 'node:net'

// Addresses a webhook may not be sent to unless the deployment allows it (WEBHOOK_ALLOW_PRIVATE_URLS): anything
// that is not the public internet, so an endpoint URL cannot make dialtone reach its own network (SSRF).
const nonPublic = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv4')
}
// IPv6: only global unicast, and not the ranges that embed an IPv4 address (mapped, NAT64, 6to4, Teredo),
// which could carry a private one past the IPv4 rules.
const globalUnicast = new BlockList()
globalUnicast.addSubnet('2000::', 3, 'ipv6')
for (const [network, prefix] of [
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv6')
}

/** Whether an IP address is on the public internet (not private, loopback, link-local, reserved, …). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return !nonPublic.check(address, 'ipv4')
  if (family === 6) return globalUnicast.check(address, 'ipv6') && !nonPublic.check(address, 'ipv6')
  return false
}

export class AddressNotAllowedError extends Error {
  override name = 'AddressNotAllowedError'
}

export interface AddressPolicy {
  /** WEBHOOK_ALLOW_PRIVATE_URLS: tests and the sandbox send to loopback. */
  allowPrivateAddresses: boolean
}

function refusal(hostname: string, address: string) {
  return new AddressNotAllowedError(
    `${hostname} resolves to ${address}, a private, loopback or link-local address; webhooks go to public addresses only.`,
  )
}

/** Strips the brackets URL keeps around an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}

/**
 * Resolves a host and refuses it when any of its addresses is not public (one bad answer is enough: the
 * connection could pick it). Used at registration and, as the connection's own lookup, at every send, so a name
 * that resolves differently later (DNS rebinding) is caught where it matters.
 */
export function resolveAllowedAddresses(hostname: string, policy: AddressPolicy): Promise<LookupAddress[]> {
  if (isIP(hostname)) {
    if (!policy.allowPrivateAddresses && !isPublicAddress(hostname)) return Promise.reject(refusal(hostname, hostname))
    return Promise.resolve([{ address: hostname, family: isIP(hostname) }])
  }
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (error) return reject(error)
      const refused = addresses.find((entry) => !isPublicAddress(entry.address))
      if (refused && !policy.allowPrivateAddresses) return reject(refusal(hostname, refused.address))
      resolve(addresses)
    })
  })
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void

/** A `lookup` for http.request: the connection goes only to addresses this policy vetted a moment ago. */
export function createGuardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    resolveAllowedAddresses(hostname, policy).then(
      (addresses) => {
        const first = addresses[0]
        if (options.all) callback(null, addresses)
        else if (first) callback(null, first.address, first.family)
        else callback(new Error(`${hostname} has no address`), '')
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ''),
    )
  }
}
