import type { Attributes, StoreTransaction, StoredProject, StoredUser } from '../store/types'
import { readClaims, type ClaimReader, type Claims } from './claims'

// #region identity
/**
 * Who a verified token speaks for, in one shape for every claim profile: what provisioning needs to
 * find or create the user and their project. A field a token left out is absent (and provisioning
 * leaves the stored value as it was). What only one profile needs (latenode's spaces) is in `data`,
 * read by that profile's own `provision` step.
 */
export interface Identity {
  /**
   * The host account the signing key was registered for (`importPublicKey(…, { account })`, required).
   * Users and projects of two accounts never mix, even with equal external ids: no claim can change it.
   */
  account: string
  /** The profile that read the token, e.g. `"activepieces-v3"`. */
  profile: string
  /**
   * Namespace of `userId` within the account: latenode's `tenant_id`, or the tenant the key is pinned to
   * (`importPublicKey(…, { tenant })`, e.g. a raytha scheme); `""` otherwise.
   */
  tenant: string
  /** The user's id in the host's software (unique within `tenant`); raytha's is `sub:…` or `email:…`. */
  userId: string
  /** The claim `userId` came from (`externalUserId`, `user_id`, `sub` or `email`). */
  userIdClaim: string
  user: {
    email?: string
    firstName?: string
    lastName?: string
    /** Profile attributes applied on every login (a key given replaces the stored one, e.g. raytha `groups`). */
    attributes?: Attributes
    /** Profile attributes applied only when the user is created (e.g. latenode `planId`). */
    createAttributes?: Attributes
  }
  /** The project (workspace) the login lands in, with the user's role there. */
  project?: {
    externalId: string
    name?: string
    role?: string
    /** Profile attributes of the project, applied on every login (activepieces `tasks`, `aiCredits`, pieces filter). */
    attributes?: Attributes
  }
  /** Data only the profile's own `provision` step reads (latenode: personal space and grants). */
  data?: Readonly<Record<string, unknown>>
}
// #endregion identity

/** What a login did: the user, the project the session lands in, and what was created. */
export interface ProvisionResult {
  user: StoredUser
  /** The project the session lands in: activepieces' project, latenode's personal space (else the first granted space), none for raytha. */
  project: StoredProject | null
  /** The user's role in `project`. */
  role: string | null
  /** Every project or space the login touched (personal space and granted spaces). */
  projects: StoredProject[]
  created: { user: boolean; project: boolean }
  /** Things provisioning decided that the platform may want to log (e.g. an Admin grant kept as Manager). */
  notes: string[]
}

/**
 * A profile's own provisioning step: runs in the sign-in's transaction after the user is written, and
 * lands the user in their projects (writing `result.project`, `role`, `projects`, `created.project`).
 * `tx` can only reach the key's account.
 */
export type ProvisionStep = (context: { tx: StoreTransaction; identity: Identity; user: StoredUser; result: ProvisionResult }) => Promise<void>

/**
 * A claim contract: which claims a token must carry, their types and enumerations, how they map to an
 * {@link Identity}, and (optionally) how a login lands in projects. `identify` throws `CLAIM_MISSING` /
 * `CLAIM_INVALID` (use the reader it receives).
 */
export interface ClaimProfile {
  readonly name: string
  /** Tokens must carry a `jti` (and it is never accepted twice when the verifier has a replay store). */
  readonly requireJti: boolean
  /**
   * The claim that names the tenant (latenode `tenant_id`): a key pinned to a tenant refuses tokens naming
   * another (`CLAIM_INVALID`), and picks kid-less tokens by it. Without one, a key's pinned tenant becomes
   * the identity's `tenant`.
   */
  readonly tenantClaim?: string | undefined
  identify(claims: Claims): ProfileIdentity
  /** The profile's provisioning; default: the identity's `project`, with its role. */
  readonly provision?: ProvisionStep | undefined
}

/** An {@link Identity} as a profile reads it from the claims alone (the verifier adds the key's `account`). */
export type ProfileIdentity = Omit<Identity, 'account'>

export interface ProfileDefinition {
  name: string
  requireJti?: boolean
  tenantClaim?: string
  /** Maps the claims to an identity; `read` gives typed claims and throws coded errors naming the claim. */
  identify(read: ClaimReader): Omit<Identity, 'profile' | 'account'>
  provision?: ProvisionStep
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
  const { name, requireJti = false, tenantClaim, provision } = definition
  if (typeof name !== 'string' || !name) throw new TypeError('defineProfile: name must be a non-empty string')
  if (typeof definition.identify !== 'function') throw new TypeError('defineProfile: identify must be a function')
  if (provision !== undefined && typeof provision !== 'function') throw new TypeError('defineProfile: provision must be a function')
  return Object.freeze({
    name,
    requireJti,
    tenantClaim,
    provision,
    identify: (claims: Claims) => ({ profile: name, ...definition.identify(readClaims(claims, name)) }),
  })
}
