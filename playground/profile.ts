import { activepiecesV3, latenode, raytha, type ClaimProfile } from '@sso-embed/server'

/**
 * The demo platform accepts the three seed contracts, told apart by their claims: `version` →
 * activepieces-v3, `tenant_id` → latenode, else raytha. A platform with one contract uses that profile.
 */
export const playgroundProfile: ClaimProfile = {
  name: 'playground',
  requireJti: false,
  tenantClaim: 'tenant_id', // latenode tokens carry no kid: a key pinned to a tenant is chosen by it
  identify: (claims) => ('version' in claims ? activepiecesV3 : 'tenant_id' in claims ? latenode : raytha).identify(claims),
}

export type ProfileName = 'activepieces-v3' | 'latenode' | 'raytha'

/** The claims a host signs for a demo user under each profile. */
export function demoClaims(
  profile: ProfileName,
  user: { id: string; firstName: string; lastName: string; project: string; projectName?: string | undefined; role: string },
): Record<string, unknown> {
  if (profile === 'latenode') {
    const roleId = { ADMIN: 1, EDITOR: 3, VIEWER: 4 }[user.role] ?? 4
    return { tenant_id: 1, user_id: user.id, plan_id: 1, no_personal_space: true, grant_access: [{ space_id: 100, role_id: roleId }] }
  }
  if (profile === 'raytha') {
    return { sub: user.id, email: `${user.id}@acme.example`, given_name: user.firstName, family_name: user.lastName, groups: [user.role.toLowerCase()] }
  }
  return {
    version: 'v3',
    externalUserId: user.id,
    externalProjectId: user.project,
    projectDisplayName: user.projectName ?? user.project,
    firstName: user.firstName,
    lastName: user.lastName,
    role: user.role,
  }
}
