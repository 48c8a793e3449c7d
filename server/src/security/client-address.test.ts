import { expect, test } from 'vitest'
import {
  clientAddressOf,
  forwardedProtoOf,
  noProxyTrust,
  parseTrustedProxies,
  type ProxyTrust,
} from './client-address.ts'

const headers = (values: Record<string, string>) => new Headers(values)
const spoofed = headers({ 'x-forwarded-for': '6.6.6.6', forwarded: 'for=6.6.6.6', 'x-forwarded-proto': 'https' })

test('with no proxy trusted, the TCP peer is the client and forwarded headers are ignored', () => {
  expect(clientAddressOf(noProxyTrust, '203.0.113.9', spoofed)).toBe('203.0.113.9')
  expect(clientAddressOf(noProxyTrust, '::ffff:203.0.113.9', spoofed)).toBe('203.0.113.9')
  expect(clientAddressOf(noProxyTrust, undefined, spoofed)).toBeUndefined()
  expect(forwardedProtoOf(noProxyTrust, '203.0.113.9', spoofed)).toBeNull()
})

test('one trusted hop: the address the load balancer appended, not what the client wrote before it', () => {
  const oneHop: ProxyTrust = { header: 'x-forwarded-for', hops: 1, proxies: null }
  const forwarded = headers({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7', 'x-forwarded-proto': 'http, https' })
  expect(clientAddressOf(oneHop, '10.0.0.2', forwarded)).toBe('198.51.100.7')
  expect(forwardedProtoOf(oneHop, '10.0.0.2', forwarded)).toBe('https')
  // Two hops (CDN, then load balancer): the second entry from the right of the chain.
  const twoHops: ProxyTrust = { ...oneHop, hops: 2 }
  const chain = headers({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 192.0.2.50' })
  expect(clientAddressOf(twoHops, '10.0.0.2', chain)).toBe('198.51.100.7')
  expect(clientAddressOf(twoHops, '10.0.0.2', headers({}))).toBe('10.0.0.2')
})

test('trusted proxies by address: the right-most address that is not one of them', () => {
  const trust: ProxyTrust = {
    header: 'x-forwarded-for',
    hops: 0,
    proxies: parseTrustedProxies('10.0.0.0/8, fd00::/8, 192.0.2.50'),
  }
  const chain = headers({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 192.0.2.50, 10.1.2.3' })
  expect(clientAddressOf(trust, '10.0.0.2', chain)).toBe('198.51.100.7')
  expect(clientAddressOf(trust, '::ffff:10.0.0.2', chain)).toBe('198.51.100.7')
  // Not from a listed proxy: its headers are the client's own words.
  expect(clientAddressOf(trust, '203.0.113.9', chain)).toBe('203.0.113.9')
  expect(forwardedProtoOf(trust, '203.0.113.9', spoofed)).toBeNull()
  expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/10.0.0.0\/33/)
  expect(() => parseTrustedProxies('load-balancer')).toThrow(/load-balancer/)
})

test('the Forwarded header (RFC 7239): for= values, quoted IPv6 with port, proto of the nearest proxy', () => {
  const trust: ProxyTrust = { header: 'forwarded', hops: 1, proxies: null }
  const forwarded = headers({
    forwarded: 'for=6.6.6.6;proto=https, for="[2001:db8:cafe::17]:4711";proto=http;by=10.0.0.2',
    'x-forwarded-for': '6.6.6.6',
  })
  expect(clientAddressOf(trust, '10.0.0.2', forwarded)).toBe('2001:db8:cafe::17')
  expect(forwardedProtoOf(trust, '10.0.0.2', forwarded)).toBe('http')
  expect(clientAddressOf(trust, '10.0.0.2', headers({ forwarded: 'For=192.0.2.60:8080' }))).toBe('192.0.2.60')
})
