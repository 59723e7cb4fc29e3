import { readClaims, type ClaimReader, type Claims } from './claims'

// #region identity
/**
 * Who a verified token speaks for, in one shape for every claim profile: what provisioning needs to
 * find or create the user, their project or spaces, and to apply role, limits, plan and groups.
 * A field a token left out is absent (and provisioning leaves the stored value as it was).
 */
export interface Identity {
  /**
   * The host account the signing key was registered for (`importPublicKey(…, { account })`; default
   * `""`). Users and projects of two accounts never mix, even with equal external ids.
   */
  account: string
  /** The profile that read the token, e.g. `"activepieces-v3"`. */
  profile: string
  /** Namespace of `userId`: `""` for profiles with one namespace; latenode's `tenant_id`. */
  tenant: string
  /** The user's id in the host's software (unique within `tenant`). */
  userId: string
  /** The claim `userId` came from (`externalUserId`, `user_id`, `sub` or `email`). */
  userIdClaim: string
  user: {
    email?: string
    firstName?: string
    lastName?: string
  }
  /** The project (workspace) the login lands in, with the user's role there. */
  project?: {
    externalId: string
    name?: string
    role?: string
    /** usage limits stored on the project (activepieces `tasks`, `aiCredits`) */
    limits?: { tasks?: number; aiCredits?: number }
    /** activepieces pieces filter */
    pieces?: { filterType: 'NONE' | 'ALLOWED'; tags?: string[] }
  }
  /** latenode: plan applied on the first login only */
  planId?: number
  /** latenode: whether the user gets a personal space (default true) */
  personalSpace?: boolean
  /** latenode: memberships in existing spaces, with role ids (1 Admin … 5 Credential only) */
  grants?: Array<{ spaceId: number; roleId: number }>
  /** raytha: group developer names; when present they replace the user's groups */
  groups?: string[]
}
// #endregion identity

/**
 * A claim contract: which claims a token must carry, their types and enumerations, and how they map to
 * an {@link Identity}. `identify` throws `CLAIM_MISSING` / `CLAIM_INVALID` (use the reader it receives).
 */
export interface ClaimProfile {
  readonly name: string
  /** Tokens must carry a `jti` (and it is never accepted twice when the verifier has a replay store). */
  readonly requireJti: boolean
  identify(claims: Claims): ProfileIdentity
}

/** An {@link Identity} as a profile reads it from the claims alone (the verifier adds the key's `account`). */
export type ProfileIdentity = Omit<Identity, 'account'>

export interface ProfileDefinition {
  name: string
  requireJti?: boolean
  /** Maps the claims to an identity; `read` gives typed claims and throws coded errors naming the claim. */
  identify(read: ClaimReader): Omit<Identity, 'profile' | 'account'>
}

/**
 * Defines a claim profile for a platform whose contract is not built in.
 *
 * ```ts
 * const acme = defineProfile({
 *   name: 'acme',
 *   identify: (read) => ({
 *     tenant: read.string('org'),
 *     userId: read.string('sub'),
 *     userIdClaim: 'sub',
 *     user: definedOnly({ email: read.optional.string('email') }),
 *   }),
 * })
 * ```
 */
export function defineProfile(definition: ProfileDefinition): ClaimProfile {
  const { name, requireJti = false } = definition
  if (typeof name !== 'string' || !name) throw new TypeError('defineProfile: name must be a non-empty string')
  if (typeof definition.identify !== 'function') throw new TypeError('defineProfile: identify must be a function')
  return Object.freeze({
    name,
    requireJti,
    identify: (claims: Claims) => ({ profile: name, ...definition.identify(readClaims(claims, name)) }),
  })
}
