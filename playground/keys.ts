import { generateSigningKey } from '@sso-embed/server'

/** A host's (customer's) RS256 signing key: the host keeps `privatePem`, the platform registers `publicPem` under `kid`. */
export interface HostKey {
  kid: string
  privatePem: string
  publicPem: string
}

export async function generateHostKey(kid?: string): Promise<HostKey> {
  const key = await generateSigningKey({ alg: 'RS256' })
  return { kid: kid ?? key.kid, privatePem: key.privatePem, publicPem: key.publicPem }
}
