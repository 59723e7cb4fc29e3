import { SsoEmbedError } from '@sso-embed/protocol'
import type { EmbedStore, ProjectWrite, SignInPlan, StoreTransaction, UserWrite } from '../store/types'
import type { ClaimProfile, Identity, ProvisionResult, ProvisionStep } from './profile'
import { profiles } from './index'

export type { ProvisionResult } from './profile'

/** A name for a new user whose token carries none: from the email's local part, else from the id. */
function generatedName(identity: Identity): { firstName: string; lastName: string } {
  const local = identity.user.email?.split('@')[0]
  const words = (local ?? '').split(/[._+-]+/).filter(Boolean)
  const cap = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)
  if (words.length >= 2) return { firstName: cap(words[0]!), lastName: cap(words.slice(1).join(' ')) }
  if (words.length === 1) return { firstName: cap(words[0]!), lastName: '' }
  return { firstName: 'User', lastName: identity.userId.replace(/^(sub|email):/, '').slice(0, 12) }
}

/** The user's write of a sign-in: names and attributes on every login, generated names and create-only attributes on the first. */
function userWrite(identity: Identity): UserWrite {
  const generated = identity.user.firstName === undefined && identity.user.lastName === undefined ? generatedName(identity) : {}
  const { email, firstName, lastName, attributes, createAttributes } = identity.user
  return {
    tenant: identity.tenant,
    externalId: identity.userId,
    set: { email, firstName, lastName, attributes },
    create: { ...generated, attributes: createAttributes },
  }
}

/** The identity's project write and the user's role there (the default provisioning), if it names a project. */
function projectWrite(identity: Identity): { write: ProjectWrite; role: string } | undefined {
  const { project } = identity
  if (!project) return undefined
  return {
    write: {
      tenant: identity.tenant,
      externalId: project.externalId,
      personal: false,
      set: { name: project.name, attributes: project.attributes },
      create: { name: project.name ?? project.externalId },
    },
    role: project.role ?? 'MEMBER',
  }
}

/** The default provisioning step: the identity's project (if any), with the user's role there, applied on every login. */
export const landInProject: ProvisionStep = async ({ tx, identity, user, result }) => {
  const planned = projectWrite(identity)
  if (!planned) return
  const { project: stored, created } = await tx.upsertProject(planned.write)
  const { role } = planned
  await tx.setMembership(stored.id, user.id, role)
  result.project = stored
  result.role = role
  result.created.project = created
  result.projects.push(stored)
}

/** The sign-in of a user the platform deactivated: refused, and nothing is written. Code `USER_DEACTIVATED`. */
export class UserDeactivatedError extends SsoEmbedError {
  override name = 'UserDeactivatedError'
  constructor() {
    super('USER_DEACTIVATED', 'This user has been deactivated on the platform and cannot sign in.')
  }
}

/**
 * The sign-in's writes inside a transaction `tx` already bound to the key's account: the user, then the
 * profile's own step (its projects or spaces). Throws {@link UserDeactivatedError} for a deactivated user.
 */
export async function provisionIn(tx: StoreTransaction, identity: Identity, profile?: ClaimProfile): Promise<ProvisionResult> {
  if (identity.account !== tx.account) throw new TypeError('provision: the identity belongs to another account than the transaction')
  const { user, created } = await tx.upsertUser(userWrite(identity))
  if (user.deactivatedAt) throw new UserDeactivatedError()
  const result: ProvisionResult = { user, project: null, role: null, projects: [], created: { user: created, project: false }, notes: [] }
  await (provisionStep(identity, profile) ?? landInProject)({ tx, identity, user, result })
  return result
}

/**
 * The profile's own provisioning step: the verifier's profile's, else (a profile that delegates to the
 * built-in ones) the built-in profile's that read the claims; `undefined` for the default (its project).
 */
export function provisionStep(identity: Identity, profile?: ClaimProfile): ProvisionStep | undefined {
  const builtin = Object.hasOwn(profiles, identity.profile) ? profiles[identity.profile] : undefined
  return profile?.provision ?? builtin?.provision
}

/**
 * A sign-in with the default provisioning as one plan, for a store that writes it in one statement
 * (`EmbedStore.signIn`): the same writes as {@link provisionIn} and a session, after the token's use.
 */
export function signInPlan(identity: Identity, session: SignInPlan['session'], replay?: SignInPlan['replay']): SignInPlan {
  return { account: identity.account, replay, user: userWrite(identity), project: projectWrite(identity), session }
}

/** The {@link ProvisionResult} of a one-statement sign-in. */
export function signInResult(identity: Identity, outcome: Extract<Awaited<ReturnType<NonNullable<EmbedStore['signIn']>>>, { status: 'ok' }>): ProvisionResult {
  const { project } = outcome
  return {
    user: outcome.user,
    project,
    role: project ? (identity.project?.role ?? 'MEMBER') : null,
    projects: project ? [project] : [],
    created: outcome.created,
    notes: [],
  }
}

/**
 * Creates the user (and project or spaces) a verified identity speaks for, or logs them in when they
 * exist — in one transaction bound to the identity's account, so a login writes all of it or nothing,
 * reaches no other account's rows, and two first logins at the same moment give one user. The
 * profile's own `provision` step lands the user in projects (`profile`, else the built-in profile
 * named by `identity.profile`, else the identity's `project`):
 * - activepieces-v3: project by `externalProjectId`, role, names, limits and pieces filter on every login;
 * - latenode: users scoped by tenant; `plan_id` kept from the first login; a personal space unless
 *   `no_personal_space`; `grant_access` is the full list of the user's spaces; one Admin per space;
 * - raytha: user by `sub:` or `email:`; attributes left out stay as stored; `groups` replaced when given.
 */
export async function provision(identity: Identity, store: EmbedStore, profile?: ClaimProfile): Promise<ProvisionResult> {
  return store.transaction(identity.account, (tx) => provisionIn(tx, identity, profile))
}
