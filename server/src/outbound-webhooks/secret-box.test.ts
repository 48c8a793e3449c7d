import { expect, test } from 'vitest'
import { createSecretBox } from './secret-box.ts'

const keyMaterial = 'k'.repeat(40)

test('a sealed secret opens to the plaintext and does not contain it', () => {
  const box = createSecretBox(keyMaterial, 'test')
  const sealed = box.seal('whsec_abc123')
  expect(sealed).not.toContain('abc123')
  expect(box.seal('whsec_abc123')).not.toBe(sealed)
  expect(box.open(sealed)).toBe('whsec_abc123')
})

test('another key, another label or a changed byte cannot open it', () => {
  const sealed = createSecretBox(keyMaterial, 'test').seal('whsec_abc123')
  expect(() => createSecretBox('x'.repeat(40), 'test').open(sealed)).toThrow()
  expect(() => createSecretBox(keyMaterial, 'other').open(sealed)).toThrow()
  const [version, iv, tag, ciphertext = ''] = sealed.split('.')
  const flipped = `${ciphertext.startsWith('A') ? 'B' : 'A'}${ciphertext.slice(1)}`
  expect(() => createSecretBox(keyMaterial, 'test').open([version, iv, tag, flipped].join('.'))).toThrow()
})
