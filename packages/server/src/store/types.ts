import type { ReplayEntry, ReplayStore } from '../token/replay'

/**
 * Attributes a claim profile keeps on a user or project (activepieces limits, latenode plan, raytha
 * groups): plain JSON, owned by the profile that wrote it. The store only merges them.
 */
export type Attributes = Readonly<Record<string, unknown>>

/** A user as the platform stores it. Keyed on (account, tenant, externalId). */
export interface StoredUser {
  /** The platform's own id (a UUID). */
  id: string
  account: string
  tenant: string
  externalId: string
  email: string | null
  firstName: string | null
  lastName: string | null
  /** What the user's profile keeps (e.g. latenode `planId`, raytha `groups`). */
  attributes: Attributes
  /** Set by `deactivateUser()`: the user can no longer sign in, and has no session. */
  deactivatedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

/** A project (activepieces) or space (latenode). Keyed on (account, tenant, externalId). */
export interface StoredProject {
  id: string
  account: string
  tenant: string
  externalId: string
  name: string
  /** A user's personal space (latenode). */
  personal: boolean
  /** What the project's profile keeps (e.g. activepieces `tasks`, `aiCredits`, `piecesFilterType`). */
  attributes: Attributes
  /** The one Admin of a latenode space, if it has one. */
  adminUserId: string | null
  createdAt: Date
  updatedAt: Date
}

export interface StoredMembership {
  projectId: string
  userId: string
  role: string
}

/**
 * Values to write. An `undefined` field leaves the stored value as it is; `attributes` are merged
 * key by key (a key given replaces the stored one, a key left out stays).
 */
export interface UserWrite {
  tenant: string
  externalId: string
  /** Applied on every login. */
  set: { email?: string | undefined; firstName?: string | undefined; lastName?: string | undefined; attributes?: Attributes | undefined }
  /** Applied only when the user is created (a plan, generated names). */
  create: { firstName?: string | undefined; lastName?: string | undefined; attributes?: Attributes | undefined }
}

export interface ProjectWrite {
  tenant: string
  externalId: string
  personal: boolean
  set: { name?: string | undefined; attributes?: Attributes | undefined }
  create: { name: string }
}

/** A platform session as the store keeps it: bound to the account, key and host origin that made it. */
export interface StoredSession {
  id: string
  account: string
  /** The id of the key whose token opened the session. */
  kid: string
  hostOrigin: string
  userId: string
  projectId: string | null
  createdAt: Date
  expiresAt: Date
  revokedAt: Date | null
}

/** A session looked up for a request: the row and whether its user is still active. */
export interface SessionLookup extends StoredSession {
  userDeactivated: boolean
}

/**
 * The writes of one sign-in, all inside one transaction and all within ONE account: the account is
 * fixed when the transaction starts (the signing key's), so no method can reach another account's rows.
 */
export interface StoreTransaction {
  readonly account: string
  /** Creates the user, or updates it; `created` tells which. Never fails because another login created it first. */
  upsertUser(write: UserWrite): Promise<{ user: StoredUser; created: boolean }>
  upsertProject(write: ProjectWrite): Promise<{ project: StoredProject; created: boolean }>
  /** Makes `userId` the project's one Admin unless another user already is; true when `userId` is its Admin. */
  claimAdmin(projectId: string, userId: string): Promise<boolean>
  /** Ends `userId`'s role as the project's Admin (when it is); the space can get a new Admin. */
  releaseAdmin(projectId: string, userId: string): Promise<void>
  /** Sets the user's role in the project (creating the membership). Both must belong to the transaction's account. */
  setMembership(projectId: string, userId: string, role: string): Promise<void>
  /**
   * Removes the user's memberships in the account's projects of `tenant` that are neither personal nor
   * listed in `keep` (and their Admin role there); returns the ids of the projects left.
   */
  removeMemberships(userId: string, options: { tenant: string; keep: readonly string[] }): Promise<string[]>
  /** Records a new session (in the same transaction as the sign-in that opens it). */
  createSession(session: Omit<StoredSession, 'account' | 'createdAt' | 'revokedAt'>): Promise<void>
}

/** Session rows: looked up on every request, so a revocation is seen at once by every process sharing the store. */
export interface SessionStore {
  /** The session and its user's state, in one read; `undefined` when there is none. */
  find(id: string): Promise<SessionLookup | undefined>
  /** Ends one session; true when it was live. */
  revoke(id: string): Promise<boolean>
  /** Ends every live session of a user; returns how many. */
  revokeUser(userId: string): Promise<number>
  /** Ends every live session a key let in (call it when the key is revoked); returns how many. */
  revokeKey(account: string, kid: string): Promise<number>
  /** Deletes sessions that ended (expired or revoked) before `before`; returns how many. */
  prune(before?: Date): Promise<number>
}

/**
 * A whole sign-in that needs no profile-specific provisioning (the user, their project and role, the
 * session, and the token's use), for a store that can write it in one statement.
 */
export interface SignInPlan {
  account: string
  /** The token's use to record first; nothing else is written when it was used before. */
  replay?: ReplayEntry | undefined
  user: UserWrite
  project?: { write: ProjectWrite; role: string } | undefined
  session: Omit<StoredSession, 'account' | 'createdAt' | 'revokedAt' | 'userId' | 'projectId'>
}

/** What a one-statement sign-in did; `replayed` and `deactivated` wrote nothing but the token's use. */
export type SignInOutcome =
  | { status: 'ok'; user: StoredUser; project: StoredProject | null; created: { user: boolean; project: boolean } }
  | { status: 'replayed' }
  | { status: 'deactivated' }

/**
 * Where provisioning keeps users, projects, memberships, sessions and used token ids. `transaction`
 * runs its function atomically within one account: all of its writes land, or none.
 */
export interface EmbedStore {
  transaction<T>(account: string, fn: (tx: StoreTransaction) => Promise<T>): Promise<T>
  /**
   * Optional: a sign-in in ONE statement (one round trip, one commit) — the exchange uses it when the
   * profile has no provisioning step of its own and the verifier's replay store is this store's.
   */
  signIn?(plan: SignInPlan): Promise<SignInOutcome>
  /** Used token ids, for `createVerifier({ replay })`. `prune()` deletes expired ones and returns how many. */
  readonly replay: ReplayStore & { prune(): Promise<number> }
  readonly sessions: SessionStore
  /** Refuses the user's further sign-ins and ends their sessions (one transaction); false when there is no such user. */
  deactivateUser(userId: string): Promise<boolean>
  /** Lets a deactivated user sign in again (their ended sessions stay ended). */
  reactivateUser(userId: string): Promise<boolean>
  /** One user by the platform's id, for a session. */
  user(id: string): Promise<StoredUser | undefined>
  project(id: string): Promise<StoredProject | undefined>
  users(filter?: { account?: string }): Promise<StoredUser[]>
  projects(filter?: { account?: string }): Promise<StoredProject[]>
  memberships(filter?: { userId?: string; projectId?: string }): Promise<StoredMembership[]>
  close(): Promise<void>
}
