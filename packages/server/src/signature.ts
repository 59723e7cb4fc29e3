import { constants, sign, verify, type KeyObject } from 'node:crypto'
import { compactVerify, errors } from 'jose'
import { keyRequirements, type Algorithm } from './algorithms'

/** node:crypto parameters for `alg` (used to sign every algorithm, and to verify ES256K, which jose 6 dropped). */
function nodeParameters(alg: Algorithm, key: KeyObject) {
  const hash = keyRequirements[alg].hash || null
  if (alg.startsWith('PS')) return { hash, key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } }
  if (alg.startsWith('ES')) return { hash, key: { key, dsaEncoding: 'ieee-p1363' as const } }
  return { hash, key }
}

/** Signs `signingInput` (`header.payload`) with a private key; returns the signature bytes. */
export function signBytes(alg: Algorithm, key: KeyObject, signingInput: string): Buffer {
  const p = nodeParameters(alg, key)
  return sign(p.hash, Buffer.from(signingInput), p.key)
}

/**
 * True when `token` carries a valid `alg` signature by `key`. jose checks every algorithm it supports;
 * ES256K, which jose 6 no longer supports, is checked with node:crypto.
 */
export async function verifySignature(alg: Algorithm, key: KeyObject, token: string, signingInput: string, signature: Buffer): Promise<boolean> {
  if (alg === 'ES256K') {
    const p = nodeParameters(alg, key)
    return verify(p.hash, Buffer.from(signingInput), p.key, signature)
  }
  try {
    await compactVerify(token, key, { algorithms: [alg] })
    return true
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return false
    throw error
  }
}
