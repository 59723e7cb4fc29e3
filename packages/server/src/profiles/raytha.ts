import { definedOnly } from './claims'
import { defineProfile, type ClaimProfile } from './profile'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * The raytha contract: `exp` and `email` required; `sub` (the preferred identity; without it the email
 * is the identity), `given_name`, `family_name`, `groups`. An attribute left out leaves the stored value
 * alone; one given overrides it. `requireJti: true` for schemes that demand replay protection.
 */
export function raythaProfile(options: { requireJti?: boolean } = {}): ClaimProfile {
  return defineProfile({
    name: 'raytha',
    requireJti: options.requireJti ?? false,
    identify(read) {
      const email = read.string('email', { maxLength: 320 })
      if (!EMAIL.test(email)) read.invalid('email', 'an email address', email)
      const sub = read.optional.string('sub')
      return {
        tenant: '',
        userId: sub ?? email.toLowerCase(),
        userIdClaim: sub === undefined ? 'email' : 'sub',
        user: { email, ...definedOnly({ firstName: read.optional.string('given_name'), lastName: read.optional.string('family_name') }) },
        ...definedOnly({ groups: read.optional.strings('groups') }),
      }
    },
  })
}

/** {@link raythaProfile} without a required `jti` (a verifier's `requireJti` still applies). */
export const raytha = raythaProfile()
