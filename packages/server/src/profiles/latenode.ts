import { defineProfile } from './profile'

/** latenode role ids: 1 Admin (one per space), 2 Manager, 3 No-code, 4 Read only, 5 Credential only. */
export const LATENODE_ROLES = { ADMIN: 1, MANAGER: 2, NO_CODE: 3, READ_ONLY: 4, CREDENTIAL_ONLY: 5 } as const

const roleIds = Object.values(LATENODE_ROLES)

/**
 * The latenode contract: `tenant_id` (number) and `user_id` (string) required; `plan_id` (applied on the
 * first login only), `no_personal_space`, and `grant_access: [{ space_id, role_id }]`, which is required
 * when `no_personal_space` is true. Tokens carry no `kid`: register one key per tenant.
 */
export const latenode = defineProfile({
  name: 'latenode',
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
      if (!roleIds.includes(roleId as never)) read.invalid(`${path}.role_id`, `a role id ${roleIds.join(', ')} (1 Admin, 2 Manager, 3 No-code, 4 Read only, 5 Credential only)`, roleId)
      return { spaceId: spaceId as number, roleId: roleId as number }
    })
    if (grants && new Set(grants.map((g) => g.spaceId)).size !== grants.length) read.invalid('grant_access', 'a list naming each space once', read.claims['grant_access'])
    if (noPersonalSpace && !grants?.length) read.missing('grant_access', 'it is required when no_personal_space is true (the user needs at least one space)')
    const planId = read.optional.integer('plan_id', { min: 0, max: 2_147_483_647 })
    return {
      tenant: String(tenant),
      userId: read.string('user_id'),
      userIdClaim: 'user_id',
      user: {},
      personalSpace: !noPersonalSpace,
      ...(planId !== undefined && { planId }),
      ...(grants && { grants }),
    }
  },
})
