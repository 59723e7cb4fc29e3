// Platform: verify a host's token against its registered public key.
import { createVerifier, EmbedTokenError } from '@sso-embed/server'

export const verifier = createVerifier({
  keys: [{ key: process.env.ACME_PUBLIC_KEY!, kid: 'acme-2026', account: 'acme', origins: ['https://app.acme.com'] }],
  profile: 'activepieces-v3',
  maxLifetime: '1h',
})

export async function whoIs(token: string, hostOrigin: string) {
  try {
    const { identity } = await verifier.verify(token, { origin: hostOrigin })
    return identity
  } catch (error) {
    if (error instanceof EmbedTokenError) console.warn(error.code, error.claim, error.message)
    throw error
  }
}
