import { describe, expect, test } from 'vitest'
import { b64, testJwt as jwt } from '../test/jwt'
import { isExpired } from './token'
const now = Date.UTC(2026, 10, 22)

describe('isExpired (decode only, never verifies)', () => {
  test('reads exp', () => {
    expect(isExpired(jwt({ exp: now / 1000 + 60 }), now)).toBe(false)
    expect(isExpired(jwt({ exp: now / 1000 - 1 }), now)).toBe(true)
    expect(isExpired(jwt({ exp: now / 1000 }), now)).toBe(true)
  })

  test('a token without exp is left for the platform to judge', () => {
    expect(isExpired(jwt({ sub: 'a' }), now)).toBe(false)
  })

  test.each(['', 'not-a-jwt', 'a.b', 'a.b.c', `${b64({ alg: 'none' })}.${Buffer.from('[1]').toString('base64url')}.x`, 'a.b.c.d.e'])(
    '%j is TOKEN_MALFORMED',
    (token) => {
      expect(() => isExpired(token)).toThrow(expect.objectContaining({ name: 'SsoEmbedError', code: 'TOKEN_MALFORMED' }))
    },
  )
})
