import type { Identity } from './profile'
import { LATENODE_ROLES } from './latenode'
import type { EmbedStore, StoreTransaction, StoredProject, StoredUser } from '../store/types'

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

const latenodeRoleNames = Object.fromEntries(Object.entries(LATENODE_ROLES).map(([name, id]) => [id, name])) as Record<number, string>

/** A name for a new user whose token carries none: from the email's local part, else from the id. */
function generatedName(identity: Identity): { firstName: string; lastName: string } {
  const local = identity.user.email?.split('@')[0]
  const words = (local ?? '').split(/[._+-]+/).filter(Boolean)
  const cap = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)
  if (words.length >= 2) return { firstName: cap(words[0]!), lastName: cap(words.slice(1).join(' ')) }
  if (words.length === 1) return { firstName: cap(words[0]!), lastName: '' }
  return { firstName: 'User', lastName: identity.userId.slice(0, 12) }
}

async function landInProject(tx: StoreTransaction, identity: Identity, user: StoredUser, result: ProvisionResult) {
  const { project } = identity
  if (!project) return
  const { project: stored, created } = await tx.upsertProject({
    account: identity.account,
    tenant: identity.tenant,
    externalId: project.externalId,
    personal: false,
    set: {
      name: project.name,
      tasks: project.limits?.tasks,
      aiCredits: project.limits?.aiCredits,
      piecesFilterType: project.pieces?.filterType,
      piecesTags: project.pieces?.tags,
    },
    create: { name: project.name ?? project.externalId },
  })
  const role = project.role ?? 'MEMBER'
  await tx.setMembership(stored.id, user.id, role) // the role is applied on every login
  result.project = stored
  result.role = role
  result.created.project = created
  result.projects.push(stored)
}

async function spaces(tx: StoreTransaction, identity: Identity, user: StoredUser, result: ProvisionResult) {
  /** The space with `user` as its Admin, as stored; `undefined` when it already has another Admin. */
  const claimAdmin = async (project: StoredProject) =>
    (await tx.claimAdmin(project.id, user.id)) ? { ...project, adminUserId: user.id } : undefined
  if (identity.personalSpace) {
    const { project, created } = await tx.upsertProject({
      account: identity.account,
      tenant: identity.tenant,
      externalId: `personal:${identity.userId}`,
      personal: true,
      set: {},
      create: { name: 'Personal space' },
    })
    const admin = await claimAdmin(project) // its owner's: only they are ever its Admin
    await tx.setMembership(project.id, user.id, 'ADMIN')
    result.project = admin ?? project
    result.role = 'ADMIN'
    result.created.project = created
    result.projects.push(result.project)
  }
  // spaces in a fixed order, so two logins never lock the same rows in opposite orders
  for (const grant of [...(identity.grants ?? [])].sort((a, b) => a.spaceId - b.spaceId)) {
    let { project, created } = await tx.upsertProject({
      account: identity.account,
      tenant: identity.tenant,
      externalId: String(grant.spaceId),
      personal: false,
      set: {},
      create: { name: `Space ${grant.spaceId}` },
    })
    let role = latenodeRoleNames[grant.roleId] ?? String(grant.roleId)
    if (grant.roleId === LATENODE_ROLES.ADMIN) {
      const admin = await claimAdmin(project)
      if (admin) project = admin
      else {
        role = latenodeRoleNames[LATENODE_ROLES.MANAGER]!
        result.notes.push(`Space ${grant.spaceId} already has an Admin; ${identity.userId} was made Manager instead (one Admin per space).`)
      }
    }
    await tx.setMembership(project.id, user.id, role)
    result.projects.push(project)
    if (!result.project) {
      result.project = project
      result.role = role
      result.created.project = created
    }
  }
}

/**
 * Creates the user (and project or spaces) a verified identity speaks for, or logs them in when they
 * exist — in one transaction, so a login writes all of it or nothing, and two first logins at the same
 * moment give one user. Per profile:
 * - activepieces-v3: project by `externalProjectId` (named `projectDisplayName` when given), user by
 *   `externalUserId`; role, names, limits and pieces filter applied on every login;
 * - latenode: users scoped by tenant; `plan_id` kept from the first login; a personal space unless
 *   `no_personal_space`; `grant_access` memberships; one Admin per space;
 * - raytha: user by `sub` else email; attributes left out stay as stored; `groups` replaced when given;
 *   a new user without names gets one made from the email.
 */
export async function provision(identity: Identity, store: EmbedStore): Promise<ProvisionResult> {
  return store.transaction(async (tx) => {
    const generated = identity.user.firstName === undefined && identity.user.lastName === undefined ? generatedName(identity) : {}
    const { user, created } = await tx.upsertUser({
      account: identity.account,
      tenant: identity.tenant,
      externalId: identity.userId,
      set: { ...identity.user, groups: identity.groups },
      create: { ...generated, planId: identity.planId },
    })
    const result: ProvisionResult = { user, project: null, role: null, projects: [], created: { user: created, project: false }, notes: [] }
    await landInProject(tx, identity, user, result)
    await spaces(tx, identity, user, result)
    return result
  })
}
