import type { StoredProject } from '../store/types'
import { defineProfile, type ProvisionStep } from './profile'

/** latenode role ids: 1 Admin (one per space), 2 Manager, 3 No-code, 4 Read only, 5 Credential only. */
export const LATENODE_ROLES = { ADMIN: 1, MANAGER: 2, NO_CODE: 3, READ_ONLY: 4, CREDENTIAL_ONLY: 5 } as const

const roleIds = Object.values(LATENODE_ROLES)
/** The stored role name of a role id (`1` → `ADMIN`). */
const roleNames = Object.fromEntries(Object.entries(LATENODE_ROLES).map(([name, id]) => [id, name])) as Record<number, string>

/** What latenode's provisioning reads from `Identity.data`. */
interface LatenodeData {
  personalSpace: boolean
  grants: Array<{ spaceId: number; roleId: number }> | undefined
}

/**
 * latenode's provisioning: a personal space (its owner is its one Admin) unless `no_personal_space`;
 * `grant_access` is the full list of the user's spaces in the tenant — a space left out of it loses the
 * user's membership (and Admin role). One Admin per space: an Admin grant for a space that has another
 * Admin is kept as Manager, and an Admin demoted by a later token releases the space for a new Admin.
 */
const provisionSpaces: ProvisionStep = async ({ tx, identity, user, result }) => {
  const { personalSpace, grants } = identity.data as unknown as LatenodeData
  /** The space with `user` as its Admin, as stored; `undefined` when it already has another Admin. */
  const claimAdmin = async (project: StoredProject) => ((await tx.claimAdmin(project.id, user.id)) ? { ...project, adminUserId: user.id } : undefined)
  if (personalSpace) {
    const { project, created } = await tx.upsertProject({
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
  if (grants === undefined) return // no grant_access claim: memberships stay as they are
  const granted: string[] = []
  // spaces in a fixed order, so two logins never lock the same rows in opposite orders
  for (const grant of [...grants].sort((a, b) => a.spaceId - b.spaceId)) {
    let { project, created } = await tx.upsertProject({
      tenant: identity.tenant,
      externalId: String(grant.spaceId),
      personal: false,
      set: {},
      create: { name: `Space ${grant.spaceId}` },
    })
    let role = roleNames[grant.roleId]!
    if (grant.roleId === LATENODE_ROLES.ADMIN) {
      const admin = await claimAdmin(project)
      if (admin) project = admin
      else {
        role = roleNames[LATENODE_ROLES.MANAGER]!
        result.notes.push(`Space ${grant.spaceId} already has an Admin; ${identity.userId} was made Manager instead (one Admin per space).`)
      }
    } else if (project.adminUserId === user.id) {
      await tx.releaseAdmin(project.id, user.id) // demoted: the space may get a new Admin
      project = { ...project, adminUserId: null }
    }
    await tx.setMembership(project.id, user.id, role)
    granted.push(project.id)
    result.projects.push(project)
    if (!result.project) {
      result.project = project
      result.role = role
      result.created.project = created
    }
  }
  const removed = await tx.removeMemberships(user.id, { tenant: identity.tenant, keep: granted })
  if (removed.length) result.notes.push(`${identity.userId} lost access to ${removed.length} space(s) no longer in grant_access.`)
}

/**
 * The latenode contract: `tenant_id` (number) and `user_id` (string) required; `plan_id` (applied on the
 * first login only), `no_personal_space`, and `grant_access: [{ space_id, role_id }]` — the full list of
 * the user's spaces, required when `no_personal_space` is true. Tokens carry no `kid`: register one key
 * per tenant, pinned to it (`importPublicKey(pem, { account, tenant: '1042' })`), and the verifier picks
 * the key by `tenant_id`.
 */
export const latenode = defineProfile({
  name: 'latenode',
  tenantClaim: 'tenant_id',
  identify(read) {
    const tenant = read.integer('tenant_id', { min: 0 })
    const noPersonalSpace = read.optional.boolean('no_personal_space') ?? false
    const grants = read.optional.array('grant_access', (value, path) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) read.invalid(path, 'an object { space_id, role_id }', value)
      const item = value as Record<string, unknown>
      const spaceId = item['space_id']
      const roleId = item['role_id']
      if (spaceId === undefined) read.missing(`${path}.space_id`, 'every grant names a space')
      if (typeof spaceId !== 'number' || !Number.isSafeInteger(spaceId) || spaceId < 0) read.invalid(`${path}.space_id`, 'a non-negative integer', spaceId)
      if (roleId === undefined) read.missing(`${path}.role_id`, 'every grant names a role')
      if (!roleIds.includes(roleId as never))
        read.invalid(`${path}.role_id`, `a role id ${roleIds.join(', ')} (1 Admin, 2 Manager, 3 No-code, 4 Read only, 5 Credential only)`, roleId)
      return { spaceId: spaceId as number, roleId: roleId as number }
    })
    if (grants && new Set(grants.map((g) => g.spaceId)).size !== grants.length)
      read.invalid('grant_access', 'a list naming each space once', read.claims['grant_access'])
    if (noPersonalSpace && !grants?.length) read.missing('grant_access', 'it is required when no_personal_space is true (the user needs at least one space)')
    const planId = read.optional.integer('plan_id', { min: 0, max: 2_147_483_647 })
    const data: LatenodeData = { personalSpace: !noPersonalSpace, grants }
    return {
      tenant: String(tenant),
      userId: read.string('user_id'),
      userIdClaim: 'user_id',
      user: planId === undefined ? {} : { createAttributes: { planId } },
      data: data as unknown as Readonly<Record<string, unknown>>,
    }
  },
  provision: provisionSpaces,
})
