import fc from 'fast-check'
import { decodeJwt } from 'jose'
import { describe, expect, test } from 'vitest'
import { b64, testJwt as jwt } from '../test/jwt'
import { decodeClaims, isExpired } from './token'
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

describe('decodeClaims holds the line jose drew (decodeJwt)', () => {
  const valid = jwt({ sub: 'ada', exp: 1 })
  const outcome = (decode: (token: string) => unknown, token: string) => {
    try {
      return { claims: decode(token) }
    } catch {
      return 'rejected'
    }
  }

  test('any JSON object as claims: both read the same claims', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (claims) => {
        const token = jwt(claims)
        expect(outcome(decodeClaims, token)).toEqual(outcome(decodeJwt, token))
        expect(decodeClaims(token)).toEqual(JSON.parse(JSON.stringify(claims)))
      }),
    )
  })

  test('mutated tokens: what this accepts, jose accepts with the same claims', () => {
    const alphabet = fc.constantFrom(...'aA0-_.=+/ %\u00e9\n'.split(''))
    const mutation = fc.tuple(fc.nat(valid.length), fc.nat(3), fc.array(alphabet, { maxLength: 3 }))
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let token = valid
        for (const [at, remove, insert] of mutations) token = token.slice(0, at) + insert.join('') + token.slice(at + remove)
        const ours = outcome(decodeClaims, token)
        if (ours !== 'rejected') expect(outcome(decodeJwt, token)).toEqual(ours)
      }),
      { numRuns: 2000 },
    )
  })

  test.each([
    ['a JWE (five parts)', 'a.b.c.d.e'],
    ['padding', `${b64({})}.${b64({ a: 1 })}=.x`],
    ['standard base64 characters', `${b64({})}.${Buffer.from('{"a":"??>"}').toString('base64')}.x`],
    ['bytes that are not UTF-8', `${b64({})}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.x`],
    ['an array', `${b64({})}.${b64([1])}.x`],
    ['an empty payload', `${b64({})}..x`],
  ])('refuses %s, as jose does', (_, token) => {
    expect(outcome(decodeClaims, token)).toBe('rejected')
    expect(outcome(decodeJwt, token)).toBe('rejected')
  })

  test('whitespace inside the payload is refused, where jose (decoding with atob) lets it through', () => {
    const token = `${b64({})}.${b64({ a: 1 }).replace(/^(.)/, '$1 ')}.x`
    expect(outcome(decodeClaims, token)).toBe('rejected')
    expect(outcome(decodeJwt, token)).toEqual({ claims: { a: 1 } })
  })
})
