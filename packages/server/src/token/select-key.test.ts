// Key selection: by kid; without kid (latenode), by the tenant the token names among keys pinned to
// tenants; refused with UNKNOWN_KEY only when truly ambiguous; never a key without an account.
import { describe, expect, it } from 'vitest'
import { generateSigningKey } from '../keys/generate'
import { importPublicKey } from '../keys/public-key'
import { latenode } from '../profiles/index'
import { createVerifier } from './verify'
import { signEmbedToken } from './sign'

const [k1, k2, k3] = await Promise.all([generateSigningKey({ alg: 'RS256' }), generateSigningKey({ alg: 'RS256' }), generateSigningKey({ alg: 'RS256' })])
const pinned = (key: typeof k1, tenant: string, account = 'initech') => importPublicKey(key.publicPem, { kid: key.kid, account, tenant })
const kidless = (key: typeof k1, claims: Record<string, unknown>) => signEmbedToken(claims, { privateKey: key.privatePem, kid: false })

describe('createVerifier: key selection', () => {
  it('a kid-less token picks the key pinned to its tenant, among several RS256 keys (a second key no longer breaks the first)', async () => {
    const verifier = createVerifier({ keys: [pinned(k1, '1'), pinned(k2, '2')], profile: latenode })
    expect((await verifier.verify(await kidless(k1, { tenant_id: 1, user_id: 'a' }))).key.kid).toBe(k1.kid)
    expect((await verifier.verify(await kidless(k2, { tenant_id: 2, user_id: 'a' }))).identity).toMatchObject({ account: 'initech', tenant: '2' })
  })

  it('UNKNOWN_KEY only when truly ambiguous: two keys pinned to the same tenant, or unpinned keys', async () => {
    const token = await kidless(k1, { tenant_id: 1, user_id: 'a' })
    await expect(createVerifier({ keys: [pinned(k1, '1'), pinned(k2, '1', 'other')], profile: latenode }).verify(token)).rejects.toMatchObject({
      code: 'UNKNOWN_KEY',
      claim: 'kid',
    })
    const unpinned = [importPublicKey(k1.publicPem, { account: 'a' }), importPublicKey(k2.publicPem, { account: 'b' })]
    await expect(createVerifier({ keys: unpinned, profile: latenode }).verify(token)).rejects.toMatchObject({
      code: 'UNKNOWN_KEY',
      message: expect.stringMatching(/pinned/),
    })
    // a single key needs no pin
    expect((await createVerifier({ keys: [importPublicKey(k1.publicPem, { account: 'a' })], profile: latenode }).verify(token)).identity.account).toBe('a')
  })

  it('a key pinned to a tenant refuses a token naming another one (CLAIM_INVALID tenant_id), also as the only key', async () => {
    const verifier = createVerifier({ keys: [pinned(k1, '1')], profile: latenode })
    const error = await verifier.verify(await kidless(k1, { tenant_id: 2, user_id: 'a' })).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CLAIM_INVALID', claim: 'tenant_id', public: { code: 'CLAIM_INVALID', message: expect.not.stringContaining('"1"') } })
  })

  it("a profile without a tenant claim takes the key's pin as its namespace (a raytha scheme)", async () => {
    const scheme = importPublicKey(k3.publicPem, { kid: k3.kid, account: 'acme', tenant: 'staff' })
    const token = await signEmbedToken({ email: 'ada@example.com', sub: 'u' }, { privateKey: k3.privatePem, kid: k3.kid })
    expect((await createVerifier({ keys: [scheme], profile: 'raytha' }).verify(token)).identity).toMatchObject({
      account: 'acme',
      tenant: 'staff',
      userId: 'sub:u',
    })
  })

  it("under a profile that delegates to several (a tenant claim some tokens lack), a pinned key's pin is the namespace of those tokens", async () => {
    const { anyProfile } = await import('../../test/platform')
    const key = importPublicKey(k3.publicPem, { kid: k3.kid, account: 'acme', tenant: '9' })
    const verifier = createVerifier({ keys: [key], profile: anyProfile })
    const ap = { version: 'v3', externalUserId: 'u', externalProjectId: 'p', firstName: 'A', lastName: 'L', role: 'EDITOR' }
    expect((await verifier.verify(await signEmbedToken(ap, { privateKey: k3.privatePem, kid: k3.kid }))).identity.tenant).toBe('9')
    await expect(verifier.verify(await signEmbedToken({ tenant_id: 8, user_id: 'u' }, { privateKey: k3.privatePem, kid: k3.kid }))).rejects.toMatchObject({
      code: 'CLAIM_INVALID',
      claim: 'tenant_id',
    })
  })

  it('two registered keys sharing a kid (two accounts) are refused, not one picked', async () => {
    const keys = [importPublicKey(k1.publicPem, { kid: 'same', account: 'a' }), importPublicKey(k2.publicPem, { kid: 'same', account: 'b' })]
    const token = await signEmbedToken({ tenant_id: 1, user_id: 'u' }, { privateKey: k1.privatePem, kid: 'same' })
    await expect(createVerifier({ keys: () => keys, profile: latenode }).verify(token)).rejects.toMatchObject({
      code: 'UNKNOWN_KEY',
      public: { code: 'BAD_SIGNATURE' },
    })
  })

  it('every key names its account: a bare PEM or JWK, or a key object without one, is a TypeError', async () => {
    expect(() => createVerifier({ keys: [k1.publicPem as never], profile: latenode })).toThrow(/account/)
    expect(() => createVerifier({ keys: [k1.publicJwk as never], profile: latenode })).toThrow(/account/)
    expect(() => importPublicKey(k1.publicPem, {} as never)).toThrow(/account is required/)
    expect(() => importPublicKey(k1.publicPem, { account: '' })).toThrow(TypeError)
    expect(() => importPublicKey(k1.publicPem, { account: 'a\u0000' })).toThrow(TypeError)
    const forged = { ...importPublicKey(k1.publicPem, { account: 'a' }), account: undefined }
    await expect(
      createVerifier({ keys: () => [forged as never], profile: latenode }).verify(await kidless(k1, { tenant_id: 1, user_id: 'u' })),
    ).rejects.toThrow(TypeError)
  })
})
