// A platform whose tokens follow its own contract defines a profile with the same coded errors.
import { createVerifier, defineProfile, definedOnly } from '@sso-embed/server'

export const acmeProfile = defineProfile({
  name: 'acme',
  requireJti: true,
  identify: (read) => ({
    tenant: read.string('org'),
    userId: read.string('sub'),
    userIdClaim: 'sub',
    user: definedOnly({ email: read.optional.string('email'), firstName: read.optional.string('name') }),
    project: { externalId: read.string('workspace'), role: read.oneOf('role', ['owner', 'member']) },
  }),
})

export const verifier = createVerifier({ keys: [{ key: process.env.ACME_PUBLIC_KEY!, account: 'acme' }], profile: acmeProfile })
