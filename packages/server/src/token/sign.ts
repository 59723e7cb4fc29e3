import { randomUUID } from 'node:crypto'
import type { Algorithm } from '../keys/algorithms'
import type { Claims } from '../profiles/claims'
import { toSeconds, type Duration } from '../duration'
import { bindAlgorithm } from '../keys/policy'
import { importPrivateKey, type PrivateKeyInput, type SigningKey } from '../keys/private-key'
import type { ClaimProfile } from '../profiles/profile'
import { getProfile } from '../profiles/index'
import { signBytes } from './signature'

export interface SignOptions {
  /** The private key (PEM, private JWK, `KeyObject`) or one made by `importPrivateKey`. */
  privateKey: PrivateKeyInput | SigningKey
  /** The `kid` header: the id the platform registered the public key under. Default: the key's thumbprint (what `generateSigningKey` returns as `kid`). `false` leaves it out (latenode). */
  kid?: string | false
  /** Default: the key's natural algorithm (RS256 for RSA). */
  alg?: Algorithm
  /** Lifetime of the token. Default 5 minutes: it only has to reach the platform, which exchanges it for a session. */
  expiresIn?: Duration
  /** Check the claims against a claim profile first, so a bad token fails here rather than on the platform. */
  profile?: ClaimProfile | string
  /** Add a random `jti` (token id) unless the claims have one. Default true. */
  jti?: boolean
  /** Clock in milliseconds, for tests. */
  now?: () => number
}

const isSigningKey = (value: unknown): value is SigningKey =>
  typeof value === 'object' && value !== null && 'key' in value && 'alg' in value && 'kid' in value && !('kty' in value)

/** An embed token's lifetime unless `expiresIn` says otherwise, in seconds: a few minutes, one embed. */
export const DEFAULT_EXPIRES_IN = 300

/**
 * Signs an embed token for a host backend: adds `iat`, `exp` (and a random `jti`) to `claims` and signs
 * with the private key.
 *
 * ```ts
 * const token = await signEmbedToken(
 *   { version: 'v3', externalUserId: user.id, externalProjectId: team.id, firstName, lastName, role: 'EDITOR' },
 *   { privateKey: process.env.SSO_EMBED_PRIVATE_KEY, kid: process.env.SSO_EMBED_KID, expiresIn: '5m' },
 * )
 * ```
 */
export async function signEmbedToken(claims: Claims, options: SignOptions): Promise<string> {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new TypeError('signEmbedToken: claims must be an object')
  if (typeof options !== 'object' || options === null || options.privateKey === undefined) throw new TypeError('signEmbedToken: options.privateKey is required')
  for (const name of ['iat', 'exp'] as const) {
    if (name in claims) throw new TypeError(`signEmbedToken: leave "${name}" out of the claims; it is set from expiresIn`)
  }
  const signing = isSigningKey(options.privateKey) ? options.privateKey : importPrivateKey(options.privateKey, options.alg ? { alg: options.alg } : {})
  const alg = options.alg ?? signing.alg
  if (alg !== signing.alg) bindAlgorithm(signing.key, alg) // throws KEY_REJECTED when the key cannot do alg
  const kid = options.kid === undefined ? signing.kid : options.kid
  if (kid !== false && (typeof kid !== 'string' || kid === '')) throw new TypeError('signEmbedToken: kid must be a non-empty string or false')
  const lifetime = toSeconds(options.expiresIn ?? DEFAULT_EXPIRES_IN, 'expiresIn')
  const iat = Math.floor((options.now ?? Date.now)() / 1000)
  const payload = {
    ...claims,
    ...(options.jti !== false && !('jti' in claims) && { jti: randomUUID() }),
    iat,
    exp: iat + Math.ceil(lifetime),
  }
  if (options.profile !== undefined) {
    const profile = typeof options.profile === 'string' ? getProfile(options.profile) : options.profile
    profile.identify(payload)
  }
  const header = kid === false ? { alg, typ: 'JWT' } : { alg, typ: 'JWT', kid }
  const signingInput = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${signingInput}.${signBytes(alg, signing.key, signingInput).toString('base64url')}`
}
