import { createSecretKey, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { apClaims, openssl } from '../../test/fixtures'
import { ALGORITHMS } from './algorithms'
import { generateSigningKey } from './generate'
import { importPrivateKey } from './private-key'
import { importPublicKey, importPublicKeys } from './public-key'
import { signEmbedToken } from '../token/sign'
import { createVerifier } from '../token/verify'

const rejected = (fn: () => unknown, message: RegExp) => {
  let error: unknown
  try {
    fn()
  } catch (e) {
    error = e
  }
  expect(error).toMatchObject({ name: 'KeyRejectedError', code: 'KEY_REJECTED' })
  expect((error as Error).message).toMatch(message)
}

describe('generateSigningKey', () => {
  it.each(ALGORITHMS)('%s: a key pair whose tokens verify with the public PEM and the JWK', async (alg) => {
    const key = await generateSigningKey({ alg, ...(alg.startsWith('R') || alg.startsWith('P') ? { modulusLength: 2048 } : {}) })
    expect(key).toMatchObject({ alg, publicJwk: { kid: key.kid, alg, use: 'sig' } })
    expect(key.privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(key.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----/)
    expect(key.publicJwk).not.toHaveProperty('d')
    const token = await signEmbedToken(apClaims(), { privateKey: key.privatePem, kid: key.kid, alg })
    for (const registered of [importPublicKey(key.publicPem, { account: 'acme', alg, kid: key.kid }), importPublicKey(key.publicJwk, { account: 'acme' })]) {
      const result = await createVerifier({ keys: [registered], profile: 'activepieces-v3' }).verify(token)
      expect(result.header).toMatchObject({ alg, kid: key.kid })
    }
  })

  it('defaults to RS256 and names the key by its thumbprint, which the signer uses as the default kid', async () => {
    const key = await generateSigningKey()
    expect(key.alg).toBe('RS256')
    expect(importPublicKey(key.publicPem, { account: 'acme' }).kid).toBe(key.kid)
    expect(importPrivateKey(key.privatePem).kid).toBe(key.kid)
  })

  it('refuses an unknown algorithm and a short RSA modulus', async () => {
    await expect(generateSigningKey({ alg: 'HS256' as never })).rejects.toThrow(TypeError)
    await expect(generateSigningKey({ modulusLength: 1024 })).rejects.toMatchObject({ code: 'KEY_REJECTED' })
  })
})

describe('keys made by the openssl command line', () => {
  const files = openssl([
    ['genrsa', '-traditional', '-out', 'rsa-pkcs1.pem', '2048'],
    ['rsa', '-in', 'rsa-pkcs1.pem', '-RSAPublicKey_out', '-out', 'rsa-pkcs1.pub.pem'],
    ['rsa', '-in', 'rsa-pkcs1.pem', '-pubout', '-out', 'rsa-spki.pub.pem'],
    ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa-pkcs8.pem'],
    ['pkey', '-in', 'rsa-pkcs8.pem', '-pubout', '-out', 'rsa-pkcs8.pub.pem'],
    ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'p256-sec1.pem'],
    ['ec', '-in', 'p256-sec1.pem', '-pubout', '-out', 'p256.pub.pem'],
    ['ecparam', '-name', 'secp256k1', '-genkey', '-noout', '-out', 'k256-sec1.pem'],
    ['ec', '-in', 'k256-sec1.pem', '-pubout', '-out', 'k256.pub.pem'],
    ['genpkey', '-algorithm', 'ed25519', '-out', 'ed25519.pem'],
    ['pkey', '-in', 'ed25519.pem', '-pubout', '-out', 'ed25519.pub.pem'],
  ])

  it.each([
    ['PKCS#1 private, PKCS#1 public (BEGIN RSA PUBLIC KEY)', 'rsa-pkcs1.pem', 'rsa-pkcs1.pub.pem', 'RS256'],
    ['PKCS#1 private, SPKI public', 'rsa-pkcs1.pem', 'rsa-spki.pub.pem', 'PS256'],
    ['PKCS#8 private, SPKI public', 'rsa-pkcs8.pem', 'rsa-pkcs8.pub.pem', 'RS512'],
    ['SEC1 private (BEGIN EC PRIVATE KEY), P-256', 'p256-sec1.pem', 'p256.pub.pem', 'ES256'],
    ['SEC1 private, secp256k1 (verified with node:crypto)', 'k256-sec1.pem', 'k256.pub.pem', 'ES256K'],
    ['PKCS#8 Ed25519', 'ed25519.pem', 'ed25519.pub.pem', 'EdDSA'],
  ] as const)('%s', async (_, privateFile, publicFile, alg) => {
    expect(files[privateFile]).toMatch(/-----BEGIN/)
    const signing = importPrivateKey(files[privateFile]!, { alg })
    const token = await signEmbedToken(apClaims(), { privateKey: signing, kid: 'k1' })
    const verifier = createVerifier({ keys: [{ account: 'acme', key: files[publicFile]!, alg, kid: 'k1' }], profile: 'activepieces-v3' })
    await expect(verifier.verify(token)).resolves.toMatchObject({ header: { alg, kid: 'k1' } })
  })

  it('binds each key to exactly one algorithm: a key registered for RS256 refuses a PS256 token of the same key', async () => {
    const token = await signEmbedToken(apClaims(), { privateKey: files['rsa-pkcs1.pem']!, alg: 'PS256', kid: 'k1' })
    const verifier = createVerifier({ keys: [{ account: 'acme', key: files['rsa-spki.pub.pem']!, kid: 'k1' }], profile: 'activepieces-v3' })
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ALG_NOT_ALLOWED', claim: 'alg' })
  })
})

describe('importPublicKey / importPublicKeys refuse what should not be trusted (KEY_REJECTED)', () => {
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const tinyExponent = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 })
  const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const ed448 = generateKeyPairSync('ed448')
  const pem = (key: typeof weak.publicKey) => key.export({ type: 'spki', format: 'pem' }).toString()

  it('an RSA key under 2048 bits', () => rejected(() => importPublicKey(pem(weak.publicKey), { account: 'acme' }), /1024 bits; at least 2048/))
  it('an RSA key with public exponent 3', () => rejected(() => importPublicKey(pem(tinyExponent.publicKey), { account: 'acme' }), /exponent is 3/))
  it('a private key offered as the public one', () => {
    rejected(() => importPublicKey(weak.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { account: 'acme' }), /private key/)
    rejected(() => importPublicKey(p256.privateKey.export({ format: 'jwk' }), { account: 'acme' }), /private key/)
  })
  it('a symmetric secret', () => {
    rejected(() => importPublicKey({ kty: 'oct', k: 'c2VjcmV0' }, { account: 'acme' }), /Symmetric/)
    rejected(() => importPublicKey(createSecretKey(Buffer.from('secret')), { account: 'acme' }), /Symmetric/)
  })
  it('a key that does not fit its algorithm', () => {
    rejected(() => importPublicKey(pem(p256.publicKey), { account: 'acme', alg: 'ES384' }), /ES384, which needs an EC key on P-384/)
    rejected(() => importPublicKey(pem(p256.publicKey), { account: 'acme', alg: 'RS256' }), /needs an RSA key/)
    rejected(() => importPublicKey({ ...p256.publicKey.export({ format: 'jwk' }), alg: 'ES256' }, { account: 'acme', alg: 'ES512' }), /says "alg": "ES256"/)
  })
  it('a curve or key type sso-embed does not accept', () =>
    rejected(() => importPublicKey(pem(ed448.publicKey), { account: 'acme' }), /cannot sign embed tokens/))
  it('text that is not a key', () => {
    rejected(() => importPublicKey('hello', { account: 'acme' }), /Not a PEM public key/)
    rejected(() => importPublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', { account: 'acme' }), /could not be read/)
    rejected(() => importPublicKey('{"kty": "RSA"', { account: 'acme' }), /not valid JSON/)
    rejected(() => importPublicKey({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, { account: 'acme' }), /JWK could not be read/)
  })
  it('a JWK marked for encryption', () =>
    rejected(() => importPublicKey({ ...p256.publicKey.export({ format: 'jwk' }), use: 'enc' }, { account: 'acme' }), /"use": "enc"/))
  it('a JWK Set holding one bad key, naming it', () => {
    const good = { ...p256.publicKey.export({ format: 'jwk' }), kid: 'good' }
    const bad = { ...weak.publicKey.export({ format: 'jwk' }), kid: 'old' }
    rejected(() => importPublicKeys({ keys: [good, bad] }, { account: 'acme' }), /Key "old" of the JWK Set: .*1024 bits/)
  })

  it('imports a JWK Set with its kids and algorithms', () => {
    const set = JSON.stringify({
      keys: [
        { ...p256.publicKey.export({ format: 'jwk' }), kid: 'ec', alg: 'ES256' },
        { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid: 'rsa', alg: 'PS256' },
      ],
    })
    expect(importPublicKeys(set, { account: 'acme' }).map((key) => [key.kid, key.alg])).toEqual([
      ['ec', 'ES256'],
      ['rsa', 'PS256'],
    ])
  })

  it('checks registered origins', () => {
    expect(importPublicKey(pem(p256.publicKey), { account: 'acme', origins: ['https://app.example.com'] }).origins).toEqual(['https://app.example.com'])
    for (const origin of ['https://app.example.com/', '*', 'app.example.com', 'https://app.example.com/path']) {
      expect(() => importPublicKey(pem(p256.publicKey), { account: 'acme', origins: [origin] })).toThrow(TypeError)
    }
  })
})

describe('importPrivateKey', () => {
  it('refuses a public key, an encrypted key without passphrase, and garbage', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    rejected(() => importPrivateKey(publicKey.export({ type: 'spki', format: 'pem' }).toString()), /public key/)
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString()
    rejected(() => importPrivateKey(encrypted), /encrypted; give its passphrase/)
    expect(importPrivateKey(encrypted, { passphrase: 'pw' }).alg).toBe('ES256')
    rejected(() => importPrivateKey('not a key'), /Not a PEM private key/)
  })
})

describe('key policy: RSA public exponent and ROCA (as Wycheproof expects)', async () => {
  const { hasRocaFingerprint } = await import('./roca')
  const base = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' })
  const b64 = (n: bigint) => Buffer.from(n.toString(16).padStart(Math.ceil(n.toString(16).length / 2) * 2, '0'), 'hex').toString('base64url')
  const withExponent = (e: bigint) => ({ ...base, e: b64(e) })

  it('accepts 65537 and odd exponents up to 2^32', () => {
    expect(importPublicKey(withExponent(65537n), { account: 'acme' }).alg).toBe('RS256')
    expect(importPublicKey(withExponent(2n ** 32n - 1n), { account: 'acme' }).alg).toBe('RS256')
  })
  it.each([
    ['2^32 + 1', 2n ** 32n + 1n],
    ['a 3072-bit exponent (5.9 ms per bad signature)', 2n ** 3071n + 1n],
    ['an even one', 65538n],
    ['3', 3n],
  ])('refuses %s', (_, e) => rejected(() => importPublicKey(withExponent(e), { account: 'acme' }), /public exponent/))

  // A modulus built as ROCA's generator builds primes: p = k·M + (65537^a mod M), M the product of the
  // small primes the fingerprint tests; any such n = p·q carries the fingerprint. (Importing a public
  // key checks no factorisation, so the test needs no real ROCA key.)
  const M = [
    3n,
    5n,
    7n,
    11n,
    13n,
    17n,
    19n,
    23n,
    29n,
    31n,
    37n,
    41n,
    43n,
    47n,
    53n,
    59n,
    61n,
    67n,
    71n,
    73n,
    79n,
    83n,
    89n,
    97n,
    101n,
    103n,
    107n,
    109n,
    113n,
    127n,
    131n,
    137n,
    139n,
    149n,
    151n,
    157n,
    163n,
    167n,
  ].reduce((x, y) => x * y)
  const power = (b: bigint, e: bigint, m: bigint) => {
    let r = 1n
    for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m
    return r
  }
  const rocaPrime = (k: bigint, a: bigint) => k * M + power(65537n, a, M)
  const p = rocaPrime(2n ** 830n + 12345n, 1234n)
  const q = rocaPrime(2n ** 830n + 67891n, 987n)
  const roca = p * q

  it('refuses a modulus with the ROCA fingerprint (CVE-2017-15361), KEY_REJECTED', () => {
    expect(roca.toString(2).length).toBeGreaterThanOrEqual(2048)
    expect(hasRocaFingerprint(roca)).toBe(true)
    rejected(() => importPublicKey({ kty: 'RSA', n: b64(roca), e: 'AQAB' }, { account: 'acme' }), /ROCA/)
  })
  it('refuses Wycheproof\'s ROCA key (json_web_key_test.json, jws_rsa_roca_key, tcId 7: "rejectsKeyWithRocaVulnerability")', () => {
    const wycheproof = {
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: 'kid-rsa-roca-sign',
      e: 'AQAB',
      n: 'AanFpofbj7KjD4Lf-N2hVMKR7yewSyXhhbirIMTGpfYEhZ_lnt5UoK98DnKIgArXGTu3MaW_HhFw16HGaTDUHqPrId7fe4r11CqRw09yBFuW79V8sYIwHdzCaWflUI6auImYbVfoN9_nD5n8N8SY9DwXw7mwZM9wREPXoDPgOoIWl6q_MPsp7n0zs3Z5ZaiQWOOzl1S9OhwAfSiiOwz6efnXEaxuTEtPd7BjSx7NaFka8Dx9U7YqXy2RFj1O9PjyaDGuRh7YXsX3iMUSP_wSyHQg_c_qHRtKUsNSGCT7OZg0hzm2KphtjnayKJvC64vAbROBR4Ubg6Bxg9IQVZ-QYyE',
    }
    rejected(() => importPublicKey(wycheproof, { account: 'acme' }), /ROCA/)
  })

  it('accepts generated moduli: the fingerprint test does not refuse honest keys', () => {
    for (let i = 0; i < 5; i++) {
      const n = BigInt(
        `0x${Buffer.from(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }).n!, 'base64url').toString('hex')}`,
      )
      expect(hasRocaFingerprint(n)).toBe(false)
    }
    expect(hasRocaFingerprint(roca + 2n)).toBe(false)
  })
})
