import { expect, test } from 'vitest'
import { isPublicAddress, resolveAllowedAddresses } from './address-policy.ts'

test('private, loopback, link-local and reserved addresses are not public', () => {
  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a00:1',
    '2002:a00:1::1',
    'not-an-address',
  ]) {
    expect(isPublicAddress(address), address).toBe(false)
  }
  for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111']) {
    expect(isPublicAddress(address), address).toBe(true)
  }
})

test('a name that resolves to loopback is refused unless private addresses are allowed', async () => {
  await expect(resolveAllowedAddresses('localhost', { allowPrivateAddresses: false })).rejects.toThrow(
    /private, loopback or link-local/,
  )
  const addresses = await resolveAllowedAddresses('localhost', { allowPrivateAddresses: true })
  expect(addresses.length).toBeGreaterThan(0)
  await expect(resolveAllowedAddresses('10.0.0.1', { allowPrivateAddresses: false })).rejects.toThrow(/10\.0\.0\.1/)
})
