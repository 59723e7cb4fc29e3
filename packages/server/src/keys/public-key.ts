import { type JsonWebKey as NodeJsonWebKey, createPublicKey, KeyObject } from 'node:crypto'
import type { Algorithm } from './algorithms'
import { isExactOrigin } from '@sso-embed/protocol'
import { KeyRejectedError } from '../errors'
import { textProblem } from '../profiles/claims'
import { bindAlgorithm } from './policy'
import { jwkThumbprint } from './thumbprint'

/**
 * A public key registered to verify embed tokens, bound to exactly one algorithm.
 * Made by {@link importPublicKey} / {@link importPublicKeys}; safe to log (no secret inside).
 */
export interface VerificationKey {
  /** Key id: the `kid` a token's header names. Defaults to the key's RFC 7638 thumbprint. */
  readonly kid: string
  /** The only algorithm tokens signed with this key may use. */
  readonly alg: Algorithm
  readonly key: KeyObject
  /** The public key as a JWK, with `kid`, `alg` and `use: "sig"` (what a JWKS endpoint publishes). */
  readonly publicJwk: JsonWebKey & { kid: string; alg: Algorithm; use: 'sig' }
  /** Host origins allowed to embed with tokens signed by this key (checked by the exchange endpoint). */
  readonly origins: readonly string[]
  /** The host account the key belongs to: the namespace of the users and projects its tokens create. */
  readonly account: string
  /**
   * The tenant the key is pinned to, if any: latenode's `tenant_id` (as a string), or a namespace of its
   * own (a raytha scheme). A token naming another tenant is refused (`CLAIM_INVALID`).
   */
  readonly tenant?: string
}

/** What can be registered: a PEM (SPKI `BEGIN PUBLIC KEY` or PKCS#1 `BEGIN RSA PUBLIC KEY`), a JWK, or a `KeyObject`. */
export type PublicKeyInput = string | JsonWebKey | KeyObject

export interface ImportPublicKeyOptions {
  /** The algorithm to bind the key to. Default: the JWK's `alg`, else RS256 for RSA, the curve's for EC, EdDSA for Ed25519. */
  alg?: Algorithm
  /** Key id. Default: the JWK's `kid`, else the key's thumbprint. */
  kid?: string
  /** Host origins allowed to use this key, e.g. `["https://app.example.com"]`. */
  origins?: readonly string[]
  /**
   * The host account (customer) the key belongs to: required. Users and projects are keyed on account +
   * external id, so two customers' user "1" stay two users and a key never reaches another account's
   * rows; a rotated key of the same account finds the same users.
   */
  account: string
  /** Pins the key to one tenant (latenode `tenant_id`, e.g. `"1042"`; a raytha scheme name). */
  tenant?: string
}

/** A JSON Web Key Set: `{ "keys": [ … ] }`. */
export interface JsonWebKeySet {
  keys: JsonWebKey[]
}

function fail(message: string, cause?: unknown): never {
  throw new KeyRejectedError(message, { cause })
}

function toKeyObject(input: PublicKeyInput): { key: KeyObject; jwk?: JsonWebKey } {
  if (input instanceof KeyObject) {
    if (input.type === 'private') fail('This is a private key. Register only the public half; the private key stays with whoever signs tokens.')
    return { key: input }
  }
  if (typeof input === 'string') {
    const text = input.trim()
    if (text.startsWith('{')) return toKeyObject(parseJson(text) as JsonWebKey)
    if (/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(text)) {
      fail('This is a private key. Register only the public half (`BEGIN PUBLIC KEY`); the private key stays with whoever signs tokens.')
    }
    if (!/^-----BEGIN (?:RSA )?PUBLIC KEY-----[\s\S]+-----END (?:RSA )?PUBLIC KEY-----$/.test(text)) {
      fail('Not a PEM public key: expected "-----BEGIN PUBLIC KEY-----" (SPKI) or "-----BEGIN RSA PUBLIC KEY-----" (PKCS#1), or a JWK.')
    }
    try {
      return { key: createPublicKey(text) }
    } catch (error) {
      fail(`The PEM public key could not be read: ${(error as Error).message}`, error)
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('Expected a PEM public key, a JWK or a KeyObject.')
  const jwk = input
  if ('keys' in jwk) fail('This is a JWK Set; use importPublicKeys() for a set of keys.')
  if (jwk.kty === 'oct') fail('Symmetric (HS*) keys are not accepted: register the public half of an asymmetric key pair.')
  if ('d' in jwk || 'p' in jwk) fail('This JWK holds a private key. Register only the public half (without "d").')
  if (jwk.use !== undefined && jwk.use !== 'sig') fail(`This JWK is marked "use": ${JSON.stringify(jwk.use)}; a signing key needs "sig" or no "use".`)
  if (jwk.key_ops !== undefined && !jwk.key_ops.includes('verify')) fail('This JWK\'s "key_ops" does not include "verify".')
  try {
    return { key: createPublicKey({ key: jwk as NodeJsonWebKey, format: 'jwk' }), jwk }
  } catch (error) {
    fail(`The JWK could not be read: ${(error as Error).message}`, error)
  }
}

/**
 * Imports one public key for verification and binds it to one algorithm. Throws a `KeyRejectedError`
 * (code `KEY_REJECTED`) for a private or symmetric key, an RSA key under 2048 bits or with a small
 * exponent, a key that does not fit its algorithm, or text that is not a key.
 */
export function importPublicKey(input: PublicKeyInput, options: ImportPublicKeyOptions): VerificationKey {
  checkAccount(options?.account, 'importPublicKey')
  if (options.tenant !== undefined) checkLabel(options.tenant, 'importPublicKey: tenant')
  const { key, jwk } = toKeyObject(input)
  if (options.alg !== undefined && jwk?.alg !== undefined && jwk.alg !== options.alg) {
    fail(`The JWK says "alg": ${JSON.stringify(jwk.alg)} but the key is being registered for ${options.alg}.`)
  }
  const alg = bindAlgorithm(key, options.alg ?? jwk?.alg)
  const exported = key.export({ format: 'jwk' })
  const kid = options.kid ?? (jwk as { kid?: unknown } | undefined)?.kid ?? jwkThumbprint(exported)
  if (typeof kid !== 'string' || textProblem(kid, 256)) fail('A key id (kid) must be a non-empty string of at most 256 characters, without control characters.')
  const origins = (options.origins ?? []).map(checkOrigin)
  const { account, tenant } = options
  return Object.freeze({
    kid,
    alg,
    key,
    publicJwk: { ...exported, kid, alg, use: 'sig' as const },
    origins: Object.freeze(origins),
    account,
    ...(tenant !== undefined && { tenant }),
  })
}

/**
 * Imports every key of a JWK Set (or a single PEM / JWK, as a list of one). Each JWK keeps its own
 * `kid` and `alg`; a set with a bad key is refused as a whole, naming the key.
 */
export function importPublicKeys(input: PublicKeyInput | JsonWebKeySet, options: Omit<ImportPublicKeyOptions, 'kid'>): VerificationKey[] {
  checkAccount(options?.account, 'importPublicKeys')
  const set = typeof input === 'string' && input.trim().startsWith('{') ? parseJson(input) : input
  if (typeof set === 'object' && set !== null && 'keys' in set) {
    if (!Array.isArray(set.keys) || set.keys.length === 0) fail('The JWK Set has no keys.')
    const keys = set.keys.map((jwk, index) => {
      try {
        return importPublicKey(jwk, options)
      } catch (error) {
        const label = typeof jwk?.kid === 'string' ? `"${jwk.kid}"` : `#${index}`
        return fail(`Key ${label} of the JWK Set: ${(error as Error).message}`, error)
      }
    })
    const kids = new Set(keys.map((key) => key.kid))
    if (kids.size !== keys.length) fail('Two keys of the JWK Set share a kid.')
    return keys
  }
  return [importPublicKey(set as PublicKeyInput, options)]
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    fail('The key text starts with "{" but is not valid JSON; expected a PEM public key, a JWK or a JWK Set.', error)
  }
}

/** A TypeError unless `value` is a usable label (account, tenant): a non-empty NFC string without control characters. */
function checkLabel(value: unknown, what: string): asserts value is string {
  const problem = typeof value === 'string' ? textProblem(value, 256) : 'a string'
  if (problem) throw new TypeError(`${what} must be ${problem} (got ${JSON.stringify(value)})`)
}

function checkAccount(account: unknown, fn: string): asserts account is string {
  if (account === undefined) {
    throw new TypeError(`${fn}: options.account is required: the host account (customer) the key belongs to; its tokens reach only that account's users`)
  }
  checkLabel(account, `${fn}: account`)
}

/** `https://app.example.com` stays; anything that is not exactly an origin (path, trailing slash, `*`) is a TypeError. */
export function checkOrigin(origin: string): string {
  if (!isExactOrigin(origin)) {
    throw new TypeError(`${JSON.stringify(origin)} is not an origin; write scheme, host and port only, e.g. "https://app.example.com".`)
  }
  return origin
}
