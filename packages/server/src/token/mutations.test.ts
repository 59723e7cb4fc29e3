// Property test: no random mutation of a valid token verifies, and every one is refused with a coded
// EmbedTokenError (never a crash or another kind of error).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { apClaims } from '../../test/fixtures'
import { EmbedTokenError } from '../errors'
import { generateSigningKey } from '../keys/generate'
import { signEmbedToken } from './sign'
import { createVerifier } from './verify'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.='

const mutation = (token: string) =>
  fc.oneof(
    // replace one character
    fc.record({ at: fc.nat(token.length - 1), ch: fc.constantFrom(...ALPHABET) }).map(({ at, ch }) => token.slice(0, at) + ch + token.slice(at + 1)),
    // delete a run of characters
    fc.record({ at: fc.nat(token.length - 1), n: fc.integer({ min: 1, max: 8 }) }).map(({ at, n }) => token.slice(0, at) + token.slice(at + n)),
    // insert characters
    fc
      .record({ at: fc.nat(token.length), s: fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 4 }) })
      .map(({ at, s }) => token.slice(0, at) + s + token.slice(at)),
    // flip one bit of one decoded part and re-encode it (a well-formed but altered token)
    fc.record({ part: fc.nat(2), bit: fc.nat(4096) }).map(({ part, bit }) => {
      const parts = token.split('.')
      const bytes = Buffer.from(parts[part]!, 'base64url')
      const i = (bit >> 3) % bytes.length
      bytes[i]! ^= 1 << (bit & 7)
      parts[part] = bytes.toString('base64url')
      return parts.join('.')
    }),
    // swap, repeat or drop parts
    fc
      .constantFrom<(p: string[]) => string[]>(
        (p) => [p[1]!, p[0]!, p[2]!],
        (p) => [p[0]!, p[1]!, p[2]!, p[2]!],
        (p) => [p[0]!, p[0]!, p[2]!],
        (p) => [p[0]!, p[1]!, ''],
      )
      .map((f) => f(token.split('.')).join('.')),
  )

describe.each(['RS256', 'ES256', 'ES256K', 'EdDSA'] as const)('random mutations of a valid %s token', (alg) => {
  it('never verify', async () => {
    const key = await generateSigningKey({ alg })
    const token = await signEmbedToken(apClaims(), { privateKey: key.privatePem, kid: key.kid })
    const verifier = createVerifier({ keys: [{ key: key.publicJwk, account: 'acme' }], profile: 'activepieces-v3' })
    await expect(verifier.verify(token)).resolves.toBeTruthy()
    await fc.assert(
      fc.asyncProperty(mutation(token), async (mutated) => {
        fc.pre(mutated !== token)
        const outcome = await verifier.verify(mutated).then(
          () => 'verified',
          (error: unknown) => error,
        )
        expect(outcome).toBeInstanceOf(EmbedTokenError)
      }),
      { numRuns: 400 },
    )
  })
})
