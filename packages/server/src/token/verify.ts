import { KeyObject } from 'node:crypto'
import type { Claims } from '../profiles/claims'
import { toSeconds, type Duration } from '../duration'
import { EmbedTokenError } from '../errors'
import { decodeClaims, parseToken, type TokenHeader } from './parse'
import type { ClaimProfile, Identity } from '../profiles/profile'
import { getProfile } from '../profiles/index'
import { importPublicKey, type PublicKeyInput, type ImportPublicKeyOptions, type VerificationKey } from '../keys/public-key'
import { checkRegisteredClaims, type RegisteredClaimRules } from './registered-claims'
import type { ReplayEntry, ReplayStore } from './replay'
import { NO_KEY, selectKey } from './select-key'
import { verifySignature } from './signature'

/**
 * A key to verify with: one made by `importPublicKey`, or one with its registration details
 * (`{ key: pem, kid, alg, account, origins }`). Every key names the account it belongs to.
 */
export type KeyEntry = VerificationKey | (ImportPublicKeyOptions & { key: PublicKeyInput })

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
  /** The profile that read the claims (its `provision` step lands the user in projects). */
  profile?: ClaimProfile
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
  /**
   * With `verify(token, { deferReplay: true })`: the use of the token's `jti` the caller must record
   * (atomically with its own writes, or with `store.use(entry)` and {@link replayedError} when it answers
   * false). Absent when the verifier has no replay store or the token no `jti`.
   */
  replay?: { store: ReplayStore; entry: ReplayEntry }
}

export interface VerifyContext {
  /**
   * The host page's origin as the browser reported it to the frame. When given, it must be one of the
   * signing key's registered `origins` (`ORIGIN_NOT_ALLOWED`).
   */
  origin?: string
  /**
   * Leave the replay check to the caller (see {@link VerifiedToken.replay}): for a store that records the
   * `jti` in the same statement as the sign-in. Default false: `verify` records it last.
   */
  deferReplay?: boolean
}

/** The `TOKEN_REPLAYED` error of a `jti` used before. */
export function replayedError(jti: string): EmbedTokenError {
  return new EmbedTokenError('TOKEN_REPLAYED', `Token id (jti) ${JSON.stringify(jti)} was already used. Sign a new token, with a new jti, for every embed.`, {
    claim: 'jti',
  })
}

export interface Verifier {
  /** Verifies `token`; rejects with an `EmbedTokenError` whose `code` says which rule refused it. */
  verify(token: string, context?: VerifyContext): Promise<VerifiedToken>
}

const list = (value: string | readonly string[] | undefined) => (value === undefined ? undefined : typeof value === 'string' ? [value] : value)

function toVerificationKey(entry: KeyEntry): VerificationKey {
  if (typeof entry !== 'object' || entry === null || typeof entry === 'string' || entry instanceof KeyObject || 'kty' in entry) {
    throw new TypeError('createVerifier: register every key with its account: importPublicKey(key, { account }) or { key, account, kid, origins }')
  }
  if ('publicJwk' in entry && entry.key instanceof KeyObject) return checkRegisteredKey(entry as VerificationKey)
  return importPublicKey(entry.key, entry)
}

/** A key as `importPublicKey` makes it, with an account (a hand-made object without one is refused). */
function checkRegisteredKey(key: VerificationKey): VerificationKey {
  if (typeof key?.account !== 'string' || key.account === '' || !(key.key instanceof KeyObject)) {
    throw new TypeError(`createVerifier: key ${JSON.stringify(key?.kid)} has no account; register keys with importPublicKey(key, { account })`)
  }
  return key
}

function prepareKeys(entries: readonly KeyEntry[]): VerificationKey[] {
  if (!Array.isArray(entries) || entries.length === 0) throw new TypeError('createVerifier: keys must list at least one public key')
  const keys = entries.map(toVerificationKey)
  const kids = new Set(keys.map((key) => key.kid))
  if (kids.size !== keys.length) throw new TypeError('createVerifier: two keys share a kid; every key needs its own')
  return keys
}

/**
 * The profile's identity of verified `claims`, in the key's account; a key pinned to a tenant holds the
 * token to it: a token carrying the profile's tenant claim must name that tenant (`CLAIM_INVALID`), and
 * one without it gets the pinned tenant as its namespace.
 */
function checkIdentity(profile: ClaimProfile, key: VerificationKey, claims: Claims): Identity {
  const read = profile.identify(claims)
  const identity: Identity = { ...read, account: key.account } // the key decides the account, never a claim
  if (key.tenant === undefined) return identity
  // a profile without a tenant claim (or a token without it, under a profile that delegates to several): the pin is the namespace
  if (!profile.tenantClaim || claims[profile.tenantClaim] === undefined) return { ...identity, tenant: key.tenant }
  if (read.tenant !== key.tenant) {
    const claim = profile.tenantClaim
    throw new EmbedTokenError(
      'CLAIM_INVALID',
      `Claim "${claim}" is ${JSON.stringify(claims[claim])}; key ${JSON.stringify(key.kid)} is pinned to tenant ${JSON.stringify(key.tenant)}.`,
      {
        claim,
        public: { message: `Claim "${claim}" names a tenant the signing key is not registered for.` },
      },
    )
  }
  return identity
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
  const rules: RegisteredClaimRules = { maxLifetime, tolerance, requireJti, audiences: list(options.audience), issuers: list(options.issuer) }
  const now = options.now ?? Date.now
  const source = options.keys
  const fixed = typeof source === 'function' ? undefined : prepareKeys(source)
  const loadKeys = typeof source === 'function' ? source : () => fixed!

  async function verify(token: string, context: VerifyContext = {}): Promise<VerifiedToken> {
    const parsed = parseToken(token, maxSize)
    const keys = await loadKeys()
    const key = selectKey(keys, parsed, profile)
    checkRegisteredKey(key)

    const payload = verifySignature(key.alg, key.key, parsed)
    if (!payload) {
      throw new EmbedTokenError(
        'BAD_SIGNATURE',
        `The signature does not match key ${JSON.stringify(key.kid)}. Sign with the private key of that pair, and do not change the token after signing.`,
        { public: NO_KEY },
      )
    }
    const claims = decodeClaims(payload)
    const { exp, jti } = checkRegisteredClaims(claims, Math.floor(now() / 1000), rules)
    const identity = checkIdentity(profile, key, claims)

    const { origin } = context
    if (origin !== undefined && !key.origins.includes(origin)) {
      const registered = key.origins.length ? `only ${key.origins.join(', ')}` : 'no host origin yet'
      throw new EmbedTokenError(
        'ORIGIN_NOT_ALLOWED',
        `The page at ${JSON.stringify(origin)} may not embed with key ${JSON.stringify(key.kid)}, which has ${registered} registered. Register the origin for this key.`,
        {
          public: { message: "The embedding page's origin is not registered for the key that signed this token. Register the origin with the platform." },
        },
      )
    }

    const verified: VerifiedToken = { identity, claims, header: parsed.header, key, profile, release: async () => {} }
    if (replay && jti !== undefined) {
      const entry = { scope: key.kid, jti, expiresAt: new Date((exp + rules.tolerance) * 1000) }
      if (context.deferReplay) return { ...verified, replay: { store: replay, entry } }
      if (!(await replay.use(entry))) throw replayedError(jti)
      verified.release = async () => replay.release?.(entry)
    }
    return verified
  }

  return { verify }
}
