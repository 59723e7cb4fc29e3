import { definedOnly } from './claims'
import { defineProfile, type ClaimProfile } from './profile'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * The raytha contract: `exp` and `email` required; `sub`, `given_name`, `family_name`, `groups`.
 *
 * Identity: two namespaces that never meet. A token with `sub` is the user `sub:<sub>`; a token
 * without it is the user `email:<email, lower-cased>`. A `sub` is never linked to an existing user found
 * by email (that would let whoever picks the `sub` take over the email's account): a host that starts
 * sending `sub` gets new users, and links old ones itself if it wants to.
 *
 * Attributes: one left out leaves the stored value alone; one given overrides it — `groups: []` clears
 * the groups. `requireJti: true` for schemes that demand replay protection; pin each scheme's key to a
 * tenant (`importPublicKey(pem, { account, tenant: 'scheme-name' })`) to keep schemes' users apart.
 */
export function raythaProfile(options: { requireJti?: boolean } = {}): ClaimProfile {
  return defineProfile({
    name: 'raytha',
    requireJti: options.requireJti ?? false,
    identify(read) {
      const email = read.string('email', { maxLength: 320 })
      if (!EMAIL.test(email)) read.invalid('email', 'an email address', email)
      const sub = read.optional.string('sub')
      const groups = read.optional.strings('groups')
      return {
        tenant: '',
        userId: sub === undefined ? `email:${email.toLowerCase()}` : `sub:${sub}`,
        userIdClaim: sub === undefined ? 'email' : 'sub',
        user: {
          email,
          ...definedOnly({ firstName: read.optional.string('given_name'), lastName: read.optional.string('family_name') }),
          ...(groups && { attributes: { groups } }),
        },
      }
    },
  })
}

/** {@link raythaProfile} without a required `jti` (a verifier's `requireJti` still applies). */
export const raytha = raythaProfile()
