import { createHmac } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { describe, expect, it } from 'vitest'
import { apClaims, now, signRaw } from '../../test/fixtures'
import { generateSigningKey } from '../keys/generate'
import { importPublicKey } from '../keys/public-key'
import { createMemoryReplayStore } from './replay'
import { signEmbedToken } from './sign'
import { createVerifier, type VerifierOptions } from './verify'
import { activepiecesV3 } from '../profiles/index'

const main = await generateSigningKey({ alg: 'RS256' })
const other = await generateSigningKey({ alg: 'RS256' })
const ec = await generateSigningKey({ alg: 'ES256' })
const header = { alg: 'RS256', typ: 'JWT', kid: main.kid }
const registered = importPublicKey(main.publicPem, { account: 'acme', kid: main.kid, origins: ['http://localhost:5173'] })

const verifier = (options: Partial<VerifierOptions> = {}) => createVerifier({ keys: [registered], profile: 'activepieces-v3', ...options })
const valid = (claims: Record<string, unknown> = {}, h: Record<string, unknown> = header) =>
  signRaw(h, { ...apClaims(), iat: now(), exp: now() + 300, ...claims }, main.privatePem)

/** Asserts `token` is refused with `code` (and `claim`), and that the message says something. */
async function refused(token: string, code: string, claim?: string, options?: Partial<VerifierOptions>) {
  const error = await verifier(options)
    .verify(token)
    .then(
      () => undefined,
      (e: unknown) => e,
    )
  expect(error, `expected ${code}`).toMatchObject({ name: 'EmbedTokenError', code, ...(claim && { claim }) })
  expect((error as Error).message.length).toBeGreaterThan(20)
  return error as Error
}

describe('a valid token', () => {
  it('verifies to identity, claims and header', async () => {
    const result = await verifier().verify(valid({ projectDisplayName: 'Acme', tasks: 500, piecesFilterType: 'ALLOWED', piecesTags: ['crm'] }))
    expect(result.header).toEqual(header)
    expect(result.key.kid).toBe(main.kid)
    expect(result.identity).toEqual({
      account: 'acme',
      profile: 'activepieces-v3',
      tenant: '',
      userId: 'user-1',
      userIdClaim: 'externalUserId',
      user: { firstName: 'Ada', lastName: 'Lovelace' },
      project: { externalId: 'project-1', role: 'EDITOR', name: 'Acme', attributes: { tasks: 500, piecesFilterType: 'ALLOWED', piecesTags: ['crm'] } },
    })
  })

  it("interop: the activepieces documentation's jsonwebtoken example (RS256, kid header, one hour) verifies", async () => {
    const signingKeyID = main.kid
    const currentTime = Math.floor(Date.now() / 1000)
    const token = jwt.sign(
      {
        version: 'v3',
        externalUserId: 'user_id',
        externalProjectId: 'user_project_id',
        firstName: 'John',
        lastName: 'Doe',
        role: 'EDITOR',
        piecesFilterType: 'NONE',
        exp: currentTime + 60 * 60,
      },
      main.privatePem,
      { algorithm: 'RS256', header: { alg: 'RS256', kid: signingKeyID } },
    )
    const { identity } = await verifier().verify(token)
    expect(identity).toMatchObject({ userId: 'user_id', project: { externalId: 'user_project_id', role: 'EDITOR', attributes: { piecesFilterType: 'NONE' } } })
  })

  it('interop: jsonwebtoken ES256 and PS256 tokens verify; our tokens verify with jsonwebtoken', async () => {
    const ecToken = jwt.sign({ ...apClaims() }, ec.privatePem, { algorithm: 'ES256', keyid: ec.kid, expiresIn: '5m' })
    await expect(
      createVerifier({ keys: [importPublicKey(ec.publicJwk, { account: 'acme' })], profile: 'activepieces-v3' }).verify(ecToken),
    ).resolves.toBeTruthy()
    const ps = jwt.sign({ ...apClaims() }, main.privatePem, { algorithm: 'PS256', keyid: 'ps', expiresIn: '5m' })
    await expect(
      createVerifier({ keys: [{ account: 'acme', key: main.publicPem, alg: 'PS256', kid: 'ps' }], profile: 'activepieces-v3' }).verify(ps),
    ).resolves.toBeTruthy()
    const ours = await signEmbedToken(apClaims(), { privateKey: main.privatePem, kid: main.kid })
    expect(jwt.verify(ours, main.publicPem, { algorithms: ['RS256'] })).toMatchObject({ externalUserId: 'user-1' })
  })

  it('accepts an expiry within the clock tolerance, and a token without kid when exactly one key applies', async () => {
    await expect(verifier().verify(valid({ exp: now() - 10 }))).resolves.toBeTruthy()
    await expect(verifier().verify(valid({}, { alg: 'RS256' }))).resolves.toBeTruthy()
  })
})

describe('one rule per error code', () => {
  it('TOKEN_TOO_LARGE: over 8 KiB', async () => {
    await refused(valid({ padding: 'x'.repeat(8192) }), 'TOKEN_TOO_LARGE')
    await expect(verifier({ maxTokenSize: 16384 }).verify(valid({ padding: 'x'.repeat(8192) }))).resolves.toBeTruthy()
  })

  it('TOKEN_MALFORMED: not a compact JWS of canonical base64url parts', async () => {
    const token = valid()
    const [h, p, s] = token.split('.') as [string, string, string]
    await refused('', 'TOKEN_MALFORMED')
    await refused(`Bearer ${token}`, 'TOKEN_MALFORMED')
    await refused(`${h}.${p}`, 'TOKEN_MALFORMED')
    await refused(`${h}.${p}.${s}.x.y`, 'TOKEN_MALFORMED')
    await refused(`${h}=.${p}.${s}`, 'TOKEN_MALFORMED')
    // a changed character inside the signature (all of its bits used) is a bad signature, not a malformed token
    await refused(`${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`, 'BAD_SIGNATURE')
    await refused(`${Buffer.from('not json').toString('base64url')}.${p}.${s}`, 'TOKEN_MALFORMED')
    await refused(`${Buffer.from('[1]').toString('base64url')}.${p}.${s}`, 'TOKEN_MALFORMED')
    // validly signed, but the payload is not a JSON object
    await refused(signRaw(header, 'not json', main.privatePem), 'TOKEN_MALFORMED')
    await refused(signRaw(header, [1, 2], main.privatePem), 'TOKEN_MALFORMED')
  })

  it('TOKEN_MALFORMED: a non-canonical encoding of the same signature (malleability) is refused', async () => {
    const token = valid()
    const s = token.split('.')[2]!
    // a 256-byte signature leaves 2 unused bits in its last base64url character: flip them
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = alphabet.indexOf(s.at(-1)!)
    const twin = `${token.slice(0, -1)}${alphabet[last ^ 1]}`
    expect(Buffer.from(twin.split('.')[2]!, 'base64url')).toEqual(Buffer.from(s, 'base64url'))
    await refused(twin, 'TOKEN_MALFORMED')
  })

  it('TOKEN_MALFORMED: headers jose refuses (crit, b64) and a wrong typ, even when signed', async () => {
    await refused(valid({}, { ...header, crit: ['exp'] }), 'TOKEN_MALFORMED', 'crit')
    await refused(valid({}, { ...header, b64: false, crit: ['b64'] }), 'TOKEN_MALFORMED')
    await refused(valid({}, { ...header, typ: 'at+jwt' }), 'TOKEN_MALFORMED', 'typ')
    await refused(valid({}, { ...header, kid: 42 }), 'TOKEN_MALFORMED', 'kid')
  })

  it('ALG_NOT_ALLOWED: "none" in any spelling, checked before anything else about the key', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const [h, p] = [
        { alg, typ: 'JWT', kid: main.kid },
        { ...apClaims(), exp: now() + 60 },
      ].map((x) => Buffer.from(JSON.stringify(x)).toString('base64url'))
      await refused(`${h}.${p}.`, 'ALG_NOT_ALLOWED', 'alg')
      await refused(`${Buffer.from(JSON.stringify({ alg, kid: 'unknown' })).toString('base64url')}.${p}.`, 'ALG_NOT_ALLOWED', 'alg')
    }
  })

  it('ALG_NOT_ALLOWED: HS256 signed with the RSA public key as the HMAC secret (key confusion)', async () => {
    const input = `${Buffer.from(JSON.stringify({ ...header, alg: 'HS256' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...apClaims(), exp: now() + 60 })).toString('base64url')}`
    const token = `${input}.${createHmac('sha256', main.publicPem).update(input).digest('base64url')}`
    await refused(token, 'ALG_NOT_ALLOWED', 'alg')
  })

  it('ALG_NOT_ALLOWED: "rs256" is not RS256, and a key registered for PS256 refuses RS256', async () => {
    await refused(valid({}, { ...header, alg: 'rs256' }), 'ALG_NOT_ALLOWED')
    const both = [registered, importPublicKey(other.publicPem, { account: 'acme', kid: 'pss', alg: 'PS256' })]
    await refused(valid({}, { ...header, kid: 'pss' }), 'ALG_NOT_ALLOWED', 'alg', { keys: both })
  })

  it('UNKNOWN_KEY: a kid nobody registered; no kid while two keys could apply; jku/x5u/jwk headers never used', async () => {
    await refused(valid({}, { ...header, kid: 'nobody' }), 'UNKNOWN_KEY', 'kid')
    const two = [registered, importPublicKey(other.publicPem, { account: 'acme' })]
    await refused(valid({}, { alg: 'RS256' }), 'UNKNOWN_KEY', 'kid', { keys: two })
    const attacker = signRaw(
      { alg: 'RS256', kid: 'evil', jwk: other.publicJwk, jku: 'http://127.0.0.1:1/jwks', x5u: 'http://127.0.0.1:1/x' },
      { ...apClaims(), exp: now() + 60 },
      other.privatePem,
    )
    await refused(attacker, 'UNKNOWN_KEY', 'kid')
  })

  it('BAD_SIGNATURE: signed by another key under the registered kid', async () => {
    await refused(signRaw(header, { ...apClaims(), exp: now() + 60 }, other.privatePem), 'BAD_SIGNATURE')
  })

  it('CLAIM_MISSING exp / CLAIM_INVALID exp', async () => {
    await refused(signRaw(header, { ...apClaims(), iat: now() }, main.privatePem), 'CLAIM_MISSING', 'exp')
    await refused(valid({ exp: String(now() + 60) }), 'CLAIM_INVALID', 'exp')
  })

  it('TOKEN_EXPIRED: past exp beyond the 30 s tolerance', async () => {
    await refused(valid({ iat: now() - 120, exp: now() - 31 }), 'TOKEN_EXPIRED', 'exp')
  })

  it('TOKEN_NOT_YET_VALID: nbf (or iat) in the future beyond the tolerance', async () => {
    await refused(valid({ nbf: now() + 120 }), 'TOKEN_NOT_YET_VALID', 'nbf')
    await refused(valid({ iat: now() + 120, exp: now() + 300 }), 'TOKEN_NOT_YET_VALID', 'iat')
  })

  it('LIFETIME_TOO_LONG: exp more than maxLifetime after iat, or after now without iat', async () => {
    await refused(valid({ iat: now(), exp: now() + 3601 }), 'LIFETIME_TOO_LONG', 'exp')
    await refused(signRaw(header, { ...apClaims(), exp: now() + 7200 }, main.privatePem), 'LIFETIME_TOO_LONG', 'exp')
    await refused(valid({ iat: now(), exp: now() + 301 }), 'LIFETIME_TOO_LONG', 'exp', { maxLifetime: '5m' })
    await expect(verifier().verify(valid({ iat: now(), exp: now() + 3600 }))).resolves.toBeTruthy()
  })

  it('TOKEN_REPLAYED: a jti used twice, keyed on the signing key and the jti', async () => {
    const replay = createMemoryReplayStore()
    const token = valid({ jti: 'once' })
    await expect(verifier({ replay }).verify(token)).resolves.toBeTruthy()
    await refused(token, 'TOKEN_REPLAYED', 'jti', { replay })
    // a different encoding of the same token is the same jti
    await refused(valid({ jti: 'once', extra: 1 }), 'TOKEN_REPLAYED', 'jti', { replay })
    // the same jti from another host's key is another token
    const otherKey = importPublicKey(other.publicPem, { account: 'acme', kid: other.kid, origins: [] })
    const fromOther = signRaw({ ...header, kid: other.kid }, { ...apClaims(), iat: now(), exp: now() + 300, jti: 'once' }, other.privatePem)
    await expect(createVerifier({ keys: [registered, otherKey], profile: 'activepieces-v3', replay }).verify(fromOther)).resolves.toBeTruthy()
  })

  it('release() gives the jti back: a caller whose work failed lets the same token through again, once', async () => {
    const replay = createMemoryReplayStore()
    const token = valid({ jti: 'retry' })
    const first = await verifier({ replay }).verify(token)
    await first.release?.()
    await expect(verifier({ replay }).verify(token)).resolves.toBeTruthy()
    await refused(token, 'TOKEN_REPLAYED', 'jti', { replay })
  })

  it('TOKEN_REPLAYED: of 20 concurrent uses of one token exactly one succeeds', async () => {
    const check = verifier({ replay: createMemoryReplayStore() })
    const token = valid({ jti: 'race' })
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => check.verify(token)))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(19).fill('TOKEN_REPLAYED'))
  })

  it('a rejected token does not use up its jti', async () => {
    const replay = createMemoryReplayStore()
    await refused(valid({ jti: 'j', role: 'OWNER' }), 'CLAIM_INVALID', 'role', { replay })
    await expect(verifier({ replay }).verify(valid({ jti: 'j' }))).resolves.toBeTruthy()
  })

  it("CLAIM_MISSING / CLAIM_INVALID: the profile's rules, naming the claim", async () => {
    const { role: _role, ...noRole } = apClaims()
    await refused(signRaw(header, { ...noRole, exp: now() + 60 }, main.privatePem), 'CLAIM_MISSING', 'role')
    await refused(valid({ role: 'editor' }), 'CLAIM_INVALID', 'role')
    await refused(valid({ jti: 7 }), 'CLAIM_INVALID', 'jti')
    await refused(valid(), 'CLAIM_MISSING', 'jti', { requireJti: true })
    await refused(valid(), 'CLAIM_MISSING', 'jti', { replay: createMemoryReplayStore() })
    await refused(valid(), 'CLAIM_MISSING', 'iss', { issuer: 'https://host.example' })
    await refused(valid({ iss: 'https://other.example' }), 'CLAIM_INVALID', 'iss', { issuer: 'https://host.example' })
    await refused(valid({ aud: ['a', 'b'] }), 'CLAIM_INVALID', 'aud', { audience: 'platform' })
    await expect(verifier({ audience: 'platform' }).verify(valid({ aud: ['x', 'platform'] }))).resolves.toBeTruthy()
  })

  it('ORIGIN_NOT_ALLOWED: the host origin must be registered for the signing key', async () => {
    await expect(verifier().verify(valid(), { origin: 'http://localhost:5173' })).resolves.toBeTruthy()
    for (const origin of ['https://evil.example', 'http://localhost:5174', 'http://localhost:5173/']) {
      const error = await verifier()
        .verify(valid(), { origin })
        .catch((e: Error) => e)
      expect(error).toMatchObject({ name: 'EmbedTokenError', code: 'ORIGIN_NOT_ALLOWED' })
      expect((error as Error).message).toContain('only http://localhost:5173 registered')
    }
  })
})

describe('createVerifier options', () => {
  it('the signing key decides the account: a profile (or a claim) cannot move the user to another one', async () => {
    const sneaky = {
      name: 'sneaky',
      requireJti: false,
      identify: (claims: Record<string, unknown>) => ({ ...activepiecesV3.identify(claims), account: claims['account'] }),
    }
    const check = createVerifier({ keys: [importPublicKey(main.publicPem, { kid: main.kid, account: 'acme' })], profile: sneaky as never })
    expect((await check.verify(valid({ account: 'globex' }))).identity.account).toBe('acme')
  })

  it('reads keys from a function on every token, so revoking applies at once', async () => {
    let keys = [registered]
    const check = createVerifier({ keys: async () => keys, profile: 'activepieces-v3' })
    await expect(check.verify(valid())).resolves.toBeTruthy()
    keys = []
    await expect(check.verify(valid())).rejects.toMatchObject({ code: 'ALG_NOT_ALLOWED' })
  })

  it('refuses bad options with a TypeError', () => {
    expect(() => createVerifier({ keys: [], profile: 'activepieces-v3' })).toThrow(/at least one public key/)
    expect(() => createVerifier({ keys: [registered], profile: 'nope' })).toThrow(/Unknown claim profile "nope"/)
    expect(() => createVerifier({ keys: [registered, registered], profile: 'raytha' })).toThrow(/share a kid/)
    expect(() => createVerifier({ keys: [registered], profile: 'raytha', maxLifetime: '1 hour' as never })).toThrow(/maxLifetime/)
  })
})

describe('interop with jose (a second, independent implementation)', () => {
  it.each(['RS256', 'RS384', 'PS256', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const)(
    '%s: jose-signed tokens verify here; ours verify in jose',
    async (alg) => {
      const { SignJWT, jwtVerify, importPKCS8 } = await import('jose')
      const key = await generateSigningKey({ alg, ...(alg.startsWith('R') || alg.startsWith('P') ? { modulusLength: 2048 } : {}) })
      const check = createVerifier({ keys: [{ key: key.publicJwk, account: 'acme' }], profile: 'activepieces-v3' })
      const joseToken = await new SignJWT(apClaims())
        .setProtectedHeader({ alg, kid: key.kid })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(await importPKCS8(key.privatePem, alg))
      await expect(check.verify(joseToken)).resolves.toMatchObject({ header: { alg, kid: key.kid } })
      const ours = await signEmbedToken(apClaims(), { privateKey: key.privatePem, kid: key.kid, alg })
      await expect(jwtVerify(ours, key.publicJwk, { algorithms: [alg] })).resolves.toMatchObject({ payload: { externalUserId: 'user-1' } })
    },
  )
})
