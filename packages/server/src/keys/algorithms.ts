/**
 * The signature algorithms sso-embed accepts, and the key each one needs. Symmetric algorithms (HS*)
 * are not on the list: a platform must never hold a secret that can also sign tokens.
 */
export const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA'] as const

/** One of {@link ALGORITHMS}. */
export type Algorithm = (typeof ALGORITHMS)[number]

/** True when `value` is one of {@link ALGORITHMS}, spelled exactly (`rs256` and `none` are not). */
export function isAlgorithm(value: unknown): value is Algorithm {
  return typeof value === 'string' && (ALGORITHMS as readonly string[]).includes(value)
}

/** What a key must be for an algorithm: Node's key type(s) and, for EC keys, the curve (Node's name, JWK name). */
export interface KeyRequirement {
  types: readonly string[]
  curve?: { node: string; jwk: string }
  /** digest node:crypto signs and verifies with (none for Ed25519) */
  hash: string
}

const rsa = (hash: string): KeyRequirement => ({ types: ['rsa'], hash })
const pss = (hash: string): KeyRequirement => ({ types: ['rsa', 'rsa-pss'], hash })
const ec = (node: string, jwk: string, hash: string): KeyRequirement => ({ types: ['ec'], curve: { node, jwk }, hash })

export const keyRequirements: Record<Algorithm, KeyRequirement> = {
  RS256: rsa('sha256'),
  RS384: rsa('sha384'),
  RS512: rsa('sha512'),
  PS256: pss('sha256'),
  PS384: pss('sha384'),
  PS512: pss('sha512'),
  ES256: ec('prime256v1', 'P-256', 'sha256'),
  ES384: ec('secp384r1', 'P-384', 'sha384'),
  ES512: ec('secp521r1', 'P-521', 'sha512'),
  ES256K: ec('secp256k1', 'secp256k1', 'sha256'),
  EdDSA: { types: ['ed25519'], hash: '' },
}

/** The algorithm a key implies when none is stated: RS256 for RSA (the default everywhere), else by curve. */
export function defaultAlgorithm(type: string | undefined, curve: string | undefined): Algorithm | undefined {
  if (type === 'rsa') return 'RS256'
  if (type === 'rsa-pss') return 'PS256'
  return ALGORITHMS.find((alg) => {
    const need = keyRequirements[alg]
    return need.types.includes(type ?? '') && (!need.curve || need.curve.node === curve)
  })
}
