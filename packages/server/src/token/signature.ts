import { constants, sign, verify, type KeyObject } from 'node:crypto'
import { keyRequirements, type Algorithm } from '../keys/algorithms'
import type { ParsedToken } from './parse'

/** Exact signature lengths for the fixed-size algorithms (RSA ones are checked against the modulus by OpenSSL). */
const signatureBytes: Partial<Record<Algorithm, number>> = { ES256: 64, ES256K: 64, ES384: 96, ES512: 132, EdDSA: 64 }

/** node:crypto parameters for `alg`: PKCS#1 v1.5 (RS), PSS with a digest-long salt (PS), IEEE P1363 r‖s (ES), Ed25519. */
function parameters(alg: Algorithm, key: KeyObject) {
  const hash = keyRequirements[alg].hash || null
  if (alg.startsWith('PS')) return { hash, key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } }
  if (alg.startsWith('ES')) return { hash, key: { key, dsaEncoding: 'ieee-p1363' as const } }
  return { hash, key }
}

/** Signs `signingInput` (`header.payload`) with a private key; returns the signature bytes. */
export function signBytes(alg: Algorithm, key: KeyObject, signingInput: string): Buffer {
  const p = parameters(alg, key)
  return sign(p.hash, Buffer.from(signingInput), p.key)
}

/**
 * The payload bytes when the token carries a valid `alg` signature by `key`, else `undefined`.
 *
 * Every algorithm is checked with node:crypto (OpenSSL) synchronously: jose 6 no longer supports
 * ES256K, and its WebCrypto path is 4–10× slower here for RS256 and ES256. The tests check that tokens
 * signed by jose and by jsonwebtoken verify, and that ours verify with them.
 */
export function verifySignature(alg: Algorithm, key: KeyObject, parsed: ParsedToken): Uint8Array | undefined {
  const expected = signatureBytes[alg]
  if (expected !== undefined && parsed.signature.length !== expected) return undefined
  const p = parameters(alg, key)
  try {
    if (!verify(p.hash, Buffer.from(parsed.signingInput), p.key, parsed.signature)) return undefined
  } catch {
    return undefined // e.g. an RSA signature longer than the modulus
  }
  return Buffer.from(parsed.payloadPart, 'base64url')
}
