import { describe, expect, it } from 'vitest'
import { apClaims } from '../../test/fixtures'
import { generateSigningKey } from '../keys/generate'
import { decodePayloadPart, parseToken } from './parse'
import { importPrivateKey } from '../keys/private-key'
import { signEmbedToken } from './sign'

const key = await generateSigningKey({ alg: 'ES256' })
const decode = (token: string) => {
  const { header, payloadPart } = parseToken(token, 8192)
  return { header, claims: decodePayloadPart(payloadPart) }
}

describe('signEmbedToken', () => {
  it('adds iat, exp (5 minutes by default) and a random jti; the kid defaults to the key thumbprint', async () => {
    const token = await signEmbedToken(apClaims(), { privateKey: key.privatePem, now: () => 1_800_000_000_000 })
    const { header, claims } = decode(token)
    expect(header).toEqual({ alg: 'ES256', typ: 'JWT', kid: key.kid })
    expect(claims).toMatchObject({ ...apClaims(), iat: 1_800_000_000, exp: 1_800_000_300, jti: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    expect(decode(await signEmbedToken(apClaims(), { privateKey: key.privatePem })).claims['jti']).not.toBe(claims['jti'])
  })

  it('honours expiresIn, kid (or none), jti: false and a jti of the caller', async () => {
    const { header, claims } = decode(await signEmbedToken({ ...apClaims(), jti: 'mine' }, { privateKey: key.privatePem, kid: 'k-1', expiresIn: '90s' }))
    expect(header['kid']).toBe('k-1')
    expect((claims['exp']! as number) - (claims['iat'] as number)).toBe(90)
    expect(claims['jti']).toBe('mine')
    const bare = decode(await signEmbedToken({ tenant_id: 1, user_id: 'u' }, { privateKey: importPrivateKey(key.privatePem), kid: false, jti: false }))
    expect(bare.header).toEqual({ alg: 'ES256', typ: 'JWT' })
    expect(bare.claims).not.toHaveProperty('jti')
  })

  it('checks the claims against a profile before signing', async () => {
    await expect(signEmbedToken(apClaims({ role: 'OWNER' }), { privateKey: key.privatePem, profile: 'activepieces-v3' })).rejects.toMatchObject({
      code: 'CLAIM_INVALID',
      claim: 'role',
    })
  })

  it('refuses bad input with a TypeError or KEY_REJECTED', async () => {
    await expect(signEmbedToken(null as never, { privateKey: key.privatePem })).rejects.toThrow(TypeError)
    await expect(signEmbedToken(apClaims(), {} as never)).rejects.toThrow(/privateKey is required/)
    await expect(signEmbedToken({ ...apClaims(), exp: 1 }, { privateKey: key.privatePem })).rejects.toThrow(/leave "exp" out/)
    await expect(signEmbedToken(apClaims(), { privateKey: key.privatePem, expiresIn: -5 })).rejects.toThrow(/expiresIn must be a positive/)
    await expect(signEmbedToken(apClaims(), { privateKey: key.privatePem, kid: '' })).rejects.toThrow(/kid must be/)
    await expect(signEmbedToken(apClaims(), { privateKey: key.publicPem })).rejects.toMatchObject({ code: 'KEY_REJECTED' })
    await expect(signEmbedToken(apClaims(), { privateKey: key.privatePem, alg: 'RS256' })).rejects.toMatchObject({ code: 'KEY_REJECTED' })
  })
})
