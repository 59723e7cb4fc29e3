import { KeyObject } from 'node:crypto'
import type { Claims } from '../profiles/claims'
import { toSeconds, formatSeconds, type Duration } from '../duration'
import { EmbedTokenError } from '../errors'
import { decodeClaims, parseToken, type TokenHeader } from './parse'
import type { ClaimProfile, Identity } from '../profiles/profile'
import { getProfile } from '../profiles/index'
import { importPublicKey, type PublicKeyInput, type ImportPublicKeyOptions, type VerificationKey } from '../keys/public-key'
import type { ReplayStore } from './replay'
import { verifySignature } from './signature'

/**
 * A key to verify with: one made by `importPublicKey`, a PEM / JWK / `KeyObject` as it is, or one with
 * its registration details (`{ key: pem, kid, alg, origins }`).
 */
export type KeyEntry = VerificationKey | PublicKeyInput | (ImportPublicKeyOptions & { key: PublicKeyInput })

export interface VerifierOptions {
  /**
   * The registered public keys, or a function returning them (called for every token, so keys added or
   * revoked in a database apply at once). Keys are only ever looked up here: a token's `jku`, `x5u`,
   * `x5c` or `jwk` header is never used.
   */
  keys: readonly KeyEntry[] | (() => readonly VerificationKey[] | Promise<readonly VerificationKey[]>)
  /** The claim contract: a built-in profile's name (`activepieces-v3`, `rantir`, `latenode`, `raytha`) or your own `defineProfile()`. */
  profile: ClaimProfile | string
  /** Longest accepted `exp` − `iat` (or `exp` − now without `iat`). Default 1 hour. */
  maxLifetime?: Duration
  /** Clock skew allowed for `exp`, `nbf` and `iat`. Default 30 s. */
  clockTolerance?: Duration
  /** Require a `jti`. Default: true when a `replay` store is given or the profile requires it. */
  requireJti?: boolean
  /** Refuses a `jti` seen before (keyed on the signing key's id and the `jti`). */
  replay?: ReplayStore
  /** When set, `aud` must be (or contain) one of these. */
  audience?: string | readonly string[]
  /** When set, `iss` must be one of these. */
  issuer?: string | readonly string[]
  /** Largest token accepted, in bytes. Default 8 KiB. */
  maxTokenSize?: number
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number
}

export interface VerifiedToken {
  identity: Identity
  claims: Claims
  header: TokenHeader
  /** The registered key that signed the token (its `origins` are the hosts allowed to use it). */
  key: VerificationKey
  /**
   * Gives the token's `jti` back to the replay store (when it recorded one and can forget it): for a caller
   * whose own work after verification failed without committing anything, so the same token can be retried.
   * (Optional in the type so a verifier of your own need not offer it.)
   */
  release?(): Promise<void>
}

export interface VerifyContext {
  /**
   * The host page's origin as the browser reported it to the frame. When given, it must be one of the
   * signing key's registered `origins` (`ORIGIN_NOT_ALLOWED`).
   */
  origin?: string
}

export interface Verifier {
  /** Verifies `token`; rejects with an `EmbedTokenError` whose `code` says which rule refused it. */
  verify(token: string, context?: VerifyContext): Promise<VerifiedToken>
}

const list = (value: string | readonly string[] | undefined) => (value === undefined ? undefined : typeof value === 'string' ? [value] : value)

function toVerificationKey(entry: KeyEntry): VerificationKey {
  if (typeof entry === 'string' || entry instanceof KeyObject) return importPublicKey(entry)
  if ('publicJwk' in entry && 'key' in entry && entry.key instanceof KeyObject) return entry as VerificationKey
  if ('key' in entry && !('kty' in entry)) return importPublicKey(entry.key, entry)
  return importPublicKey(entry as JsonWebKey)
}

function prepareKeys(entries: readonly KeyEntry[]): VerificationKey[] {
  if (!Array.isArray(entries) || entries.length === 0) throw new TypeError('createVerifier: keys must list at least one public key')
  const keys = entries.map(toVerificationKey)
  const kids = new Set(keys.map((key) => key.kid))
  if (kids.size !== keys.length) throw new TypeError('createVerifier: two keys share a kid; every key needs its own')
  return keys
}

function fail(code: ConstructorParameters<typeof EmbedTokenError>[0], message: string, claim?: string): never {
  throw new EmbedTokenError(code, message, { claim })
}

/** The largest token `createVerifier` accepts unless `maxTokenSize` says otherwise, in bytes. */
export const DEFAULT_MAX_TOKEN_SIZE = 8192

/**
 * A verifier for embed tokens. Every rule has its own code; they apply in this order:
 * size (`TOKEN_TOO_LARGE`), shape (`TOKEN_MALFORMED`), algorithm (`ALG_NOT_ALLOWED`), key
 * (`UNKNOWN_KEY`), signature (`BAD_SIGNATURE`), `exp` (`CLAIM_MISSING`, `TOKEN_EXPIRED`), `nbf`/`iat`
 * (`TOKEN_NOT_YET_VALID`), lifetime (`LIFETIME_TOO_LONG`), `iss`/`aud`/`jti` and the profile's claims
 * (`CLAIM_MISSING`, `CLAIM_INVALID`), the host origin (`ORIGIN_NOT_ALLOWED`), and last the replay check (`TOKEN_REPLAYED`), so a rejected
 * token never uses up its `jti`.
 */
export function createVerifier(options: VerifierOptions): Verifier {
  if (typeof options !== 'object' || options === null) throw new TypeError('createVerifier: options are required ({ keys, profile })')
  const profile = typeof options.profile === 'string' ? getProfile(options.profile) : options.profile
  if (!profile || typeof profile.identify !== 'function') throw new TypeError('createVerifier: profile must be a profile name or a defineProfile() result')
  const maxLifetime = toSeconds(options.maxLifetime ?? 3600, 'maxLifetime')
  const tolerance = options.clockTolerance === 0 ? 0 : toSeconds(options.clockTolerance ?? 30, 'clockTolerance')
  const maxSize = options.maxTokenSize ?? DEFAULT_MAX_TOKEN_SIZE
  if (!Number.isSafeInteger(maxSize) || maxSize < 64) throw new TypeError('createVerifier: maxTokenSize must be an integer of at least 64 (bytes)')
  const replay = options.replay
  const requireJti = options.requireJti ?? (replay !== undefined || profile.requireJti)
  const audiences = list(options.audience)
  const issuers = list(options.issuer)
  const now = options.now ?? Date.now
  const source = options.keys
  const fixed = typeof source === 'function' ? undefined : prepareKeys(source)
  const loadKeys = typeof source === 'function' ? source : () => fixed!

  async function verify(token: string, context: VerifyContext = {}): Promise<VerifiedToken> {
    const parsed = parseToken(token, maxSize)
    const { header } = parsed
    const keys = await loadKeys()
    const { alg, kid } = header

    const algorithms = new Set(keys.map((key) => key.alg))
    if (!algorithms.has(alg as never)) {
      const allowed = [...algorithms].join(', ') || 'none (no key is registered)'
      fail('ALG_NOT_ALLOWED', `The token is signed with ${JSON.stringify(alg)}; the registered keys accept ${allowed}.`, 'alg')
    }
    let key: VerificationKey | undefined
    if (kid !== undefined) {
      key = keys.find((candidate) => candidate.kid === kid)
      if (!key) fail('UNKNOWN_KEY', `No registered key has kid ${JSON.stringify(kid)}. Use the key id shown when the key was registered, or register the key.`, 'kid')
      if (key.alg !== alg) fail('ALG_NOT_ALLOWED', `Key ${JSON.stringify(kid)} is registered for ${key.alg}; the token says ${JSON.stringify(alg)}.`, 'alg')
    } else {
      const candidates = keys.filter((candidate) => candidate.alg === alg)
      if (candidates.length !== 1) {
        fail('UNKNOWN_KEY', `The token has no "kid" and ${candidates.length} registered ${alg} keys could apply; put the key id in the header's "kid".`, 'kid')
      }
      key = candidates[0]!
    }

    const payload = verifySignature(key.alg, key.key, parsed)
    if (!payload) {
      fail('BAD_SIGNATURE', `The signature does not match key ${JSON.stringify(key.kid)}. Sign with the private key of that pair, and do not change the token after signing.`)
    }
    const claims = decodeClaims(payload)

    const time = Math.floor(now() / 1000)
    const numeric = (name: string) => {
      const value = claims[name]
      if (value === undefined) return undefined
      if (typeof value !== 'number' || !Number.isFinite(value)) fail('CLAIM_INVALID', `Claim "${name}" must be a NumericDate: seconds since 1970 as a number (got ${JSON.stringify(value)}).`, name)
      return value as number
    }
    const exp = numeric('exp')
    if (exp === undefined) fail('CLAIM_MISSING', 'Claim "exp" is missing; every embed token must expire (a few minutes after it is signed).', 'exp')
    const expires = exp as number
    if (expires <= time - tolerance) fail('TOKEN_EXPIRED', `The token expired ${formatSeconds(time - expires)} ago. Sign a fresh token for every embed (and check the signer's clock).`, 'exp')
    const nbf = numeric('nbf')
    if (nbf !== undefined && nbf > time + tolerance) fail('TOKEN_NOT_YET_VALID', `The token is not valid for another ${formatSeconds(nbf - time)} ("nbf"). Check the signer's clock.`, 'nbf')
    const iat = numeric('iat')
    if (iat !== undefined && iat > time + tolerance) fail('TOKEN_NOT_YET_VALID', `The token was issued ${formatSeconds(iat - time)} in the future ("iat"). Check the signer's clock.`, 'iat')
    const lifetime = iat === undefined ? expires - time - tolerance : expires - iat
    if (lifetime > maxLifetime) {
      const from = iat === undefined ? 'from now' : 'after "iat"'
      fail('LIFETIME_TOO_LONG', `The token expires ${formatSeconds(Math.ceil(lifetime))} ${from}; at most ${formatSeconds(maxLifetime)} is accepted. Sign short-lived tokens (a few minutes).`, 'exp')
    }

    if (issuers) {
      const iss = claims['iss']
      if (iss === undefined) fail('CLAIM_MISSING', `Claim "iss" is missing; this platform expects ${issuers.join(' or ')}.`, 'iss')
      if (!issuers.includes(iss as string)) fail('CLAIM_INVALID', `Claim "iss" is ${JSON.stringify(iss)}; this platform expects ${issuers.join(' or ')}.`, 'iss')
    }
    if (audiences) {
      const aud = claims['aud']
      if (aud === undefined) fail('CLAIM_MISSING', `Claim "aud" is missing; this platform expects ${audiences.join(' or ')}.`, 'aud')
      const given = Array.isArray(aud) ? aud : [aud]
      if (!given.some((value) => audiences.includes(value))) fail('CLAIM_INVALID', `Claim "aud" is ${JSON.stringify(aud)}; this platform expects ${audiences.join(' or ')}.`, 'aud')
    }
    const jti = claims['jti']
    if (jti === undefined && requireJti) fail('CLAIM_MISSING', 'Claim "jti" is missing; this platform requires a unique id in every token (e.g. a random UUID).', 'jti')
    if (jti !== undefined && (typeof jti !== 'string' || jti === '' || jti.length > 256)) {
      fail('CLAIM_INVALID', 'Claim "jti" must be a non-empty string of at most 256 characters (e.g. a random UUID).', 'jti')
    }

    const identity: Identity = { ...profile.identify(claims), account: key.account } // the key decides the account, never a claim

    const { origin } = context
    if (origin !== undefined && !key.origins.includes(origin)) {
      const registered = key.origins.length ? `only ${key.origins.join(', ')}` : 'no host origin yet'
      fail('ORIGIN_NOT_ALLOWED', `The page at ${JSON.stringify(origin)} may not embed with key ${JSON.stringify(key.kid)}, which has ${registered} registered. Register the origin for this key.`)
    }

    let release = async () => {}
    if (replay && typeof jti === 'string') {
      const entry = { scope: key.kid, jti, expiresAt: new Date((expires + tolerance) * 1000) }
      const first = await replay.use(entry)
      if (!first) fail('TOKEN_REPLAYED', `Token id (jti) ${JSON.stringify(jti)} was already used. Sign a new token, with a new jti, for every embed.`, 'jti')
      release = async () => replay.release?.(entry)
    }
    return { identity, claims, header, key, release }
  }

  return { verify }
}
