import type { ClaimProfile } from './profile'
import { activepiecesV3 } from './activepieces'
import { latenode } from './latenode'
import { raytha } from './raytha'

/** The built-in claim profiles by name (`rantir` is activepieces-v3 under another name). */
export const profiles: Readonly<Record<string, ClaimProfile>> = Object.freeze({
  'activepieces-v3': activepiecesV3,
  rantir: activepiecesV3,
  latenode,
  raytha,
})

/** A built-in profile by name, or a TypeError listing the names. */
export function getProfile(name: string): ClaimProfile {
  const profile = Object.hasOwn(profiles, name) ? profiles[name] : undefined
  if (!profile)
    throw new TypeError(`Unknown claim profile ${JSON.stringify(name)}; use one of ${Object.keys(profiles).join(', ')}, or defineProfile() for your own.`)
  return profile
}

export { activepiecesV3, ACTIVEPIECES_ROLES } from './activepieces'
export { latenode, LATENODE_ROLES } from './latenode'
export { raytha, raythaProfile } from './raytha'
