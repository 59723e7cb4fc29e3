import type { ReplayStore } from '../token/replay'

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
  /** Plan given on the first login (latenode `plan_id`). */
  planId: number | null
  /** Group developer names (raytha), `null` when never given. */
  groups: string[] | null
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
  limits: { tasks: number | null; aiCredits: number | null }
  pieces: { filterType: string | null; tags: string[] | null }
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

/** Values to write; an `undefined` field leaves the stored value as it is. */
export interface UserWrite {
  account: string
  tenant: string
  externalId: string
  /** Applied on every login. */
  set: { email?: string | undefined; firstName?: string | undefined; lastName?: string | undefined; groups?: string[] | undefined }
  /** Applied only when the user is created (a plan, generated names). */
  create: { firstName?: string | undefined; lastName?: string | undefined; planId?: number | undefined }
}

export interface ProjectWrite {
  account: string
  tenant: string
  externalId: string
  personal: boolean
  set: {
    name?: string | undefined
    tasks?: number | undefined
    aiCredits?: number | undefined
    piecesFilterType?: string | undefined
    piecesTags?: string[] | undefined
  }
  create: { name: string }
}

/** The writes provisioning makes, all inside one transaction. */
export interface StoreTransaction {
  /** Creates the user, or updates it; `created` tells which. Never fails because another login created it first. */
  upsertUser(write: UserWrite): Promise<{ user: StoredUser; created: boolean }>
  upsertProject(write: ProjectWrite): Promise<{ project: StoredProject; created: boolean }>
  /** Makes `userId` the project's one Admin unless another user already is; true when `userId` is its Admin. */
  claimAdmin(projectId: string, userId: string): Promise<boolean>
  /** Sets the user's role in the project (creating the membership). */
  setMembership(projectId: string, userId: string, role: string): Promise<void>
}

/**
 * Where provisioning keeps users, projects, memberships and used token ids. `transaction` runs its
 * function atomically: all of its writes land, or none.
 */
export interface EmbedStore {
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>
  /** Used token ids, for `createVerifier({ replay })`. `prune()` deletes expired ones and returns how many. */
  readonly replay: ReplayStore & { prune(): Promise<number> }
  /** One user by the platform's id, for a session. */
  user(id: string): Promise<StoredUser | undefined>
  project(id: string): Promise<StoredProject | undefined>
  users(filter?: { account?: string }): Promise<StoredUser[]>
  projects(filter?: { account?: string }): Promise<StoredProject[]>
  memberships(filter?: { userId?: string; projectId?: string }): Promise<StoredMembership[]>
  close(): Promise<void>
}
