import { createPublicKey, type KeyObject } from 'node:crypto'
import { defaultAlgorithm, isAlgorithm, keyRequirements, type Algorithm, ALGORITHMS } from './algorithms'
import { KeyRejectedError } from '../errors'
import { hasRocaFingerprint } from './roca'

/** Smallest RSA modulus accepted (NIST SP 800-131A); smaller keys are factorable by a determined attacker. */
export const MIN_RSA_BITS = 2048
/** Largest RSA modulus accepted: beyond it, verifying costs enough to be a denial-of-service lever. */
export const MAX_RSA_BITS = 16384
/** Smallest RSA public exponent accepted (e = 3 and friends invite signature forgery on sloppy padding checks). */
export const MIN_RSA_EXPONENT = 65537n
/** Largest RSA public exponent accepted (2³²): a huge exponent makes every signature check slow (a denial-of-service lever). */
export const MAX_RSA_EXPONENT = 2n ** 32n

/** The RSA modulus of a key (public or private) as a bigint. */
function modulus(key: KeyObject): bigint {
  const n = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' }).n ?? ''
  return BigInt(`0x${Buffer.from(n, 'base64url').toString('hex') || '0'}`)
}

function describe(key: KeyObject): string {
  const details = key.asymmetricKeyDetails
  if (details?.modulusLength) return `${details.modulusLength}-bit ${key.asymmetricKeyType?.toUpperCase()} key`
  if (details?.namedCurve) return `EC key on ${details.namedCurve}`
  return `${key.asymmetricKeyType ?? key.type} key`
}

/**
 * The one algorithm `key` is bound to: `alg` when given (it must fit the key), else the key's natural
 * one (RS256 for RSA, the curve's for EC, EdDSA for Ed25519). Throws {@link KeyRejectedError} for a key
 * that is too weak or does not fit.
 */
export function bindAlgorithm(key: KeyObject, alg?: unknown): Algorithm {
  if (key.type === 'secret') {
    throw new KeyRejectedError('Symmetric (HS*) secrets are not accepted: register the public half of an asymmetric key pair (see `sso-embed keys generate`).')
  }
  const type = key.asymmetricKeyType
  const details = key.asymmetricKeyDetails ?? {}
  if (alg !== undefined && !isAlgorithm(alg)) {
    throw new KeyRejectedError(`Algorithm ${JSON.stringify(alg)} is not supported; use one of ${ALGORITHMS.join(', ')}.`)
  }
  const bound = alg ?? defaultAlgorithm(type, details.namedCurve)
  if (!bound) throw new KeyRejectedError(`A ${describe(key)} cannot sign embed tokens; use RSA (2048 bits or more), EC P-256/P-384/P-521/secp256k1 or Ed25519.`)
  const need = keyRequirements[bound]
  if (!need.types.includes(type ?? '') || (need.curve && need.curve.node !== details.namedCurve)) {
    const wanted = need.curve ? `an EC key on ${need.curve.jwk}` : need.types.includes('rsa') ? 'an RSA key' : 'an Ed25519 key'
    throw new KeyRejectedError(`A ${describe(key)} cannot be used with ${bound}, which needs ${wanted}.`)
  }
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = details.modulusLength ?? 0
    const exponent = details.publicExponent ?? 0n
    if (bits < MIN_RSA_BITS) throw new KeyRejectedError(`This RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required. Generate a new key pair.`)
    if (bits > MAX_RSA_BITS) throw new KeyRejectedError(`This RSA key has ${bits} bits; at most ${MAX_RSA_BITS} are accepted.`)
    if (exponent < MIN_RSA_EXPONENT || exponent > MAX_RSA_EXPONENT || exponent % 2n === 0n) {
      const shown = exponent > 10n ** 12n ? `a ${exponent.toString(2).length}-bit number` : String(exponent)
      throw new KeyRejectedError(
        `This RSA key's public exponent is ${shown}; it must be odd, at least ${MIN_RSA_EXPONENT} and at most 2^32 (use 65537). Generate a new key pair.`,
      )
    }
    if (hasRocaFingerprint(modulus(key))) {
      throw new KeyRejectedError(
        'This RSA key was made by a generator with the ROCA flaw (CVE-2017-15361): its private key can be computed from the public one. Generate a new key pair with other software.',
      )
    }
    if (type === 'rsa-pss' && details.hashAlgorithm && details.hashAlgorithm !== need.hash) {
      throw new KeyRejectedError(`This RSA-PSS key is restricted to ${details.hashAlgorithm}; it cannot be used with ${bound}.`)
    }
  }
  return bound
}
