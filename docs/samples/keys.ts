// Generate a signing key pair (run once, e.g. `npx tsx keys.ts`): register the public key with the
// platform, keep the private key in your secret store.
import { generateSigningKey } from '@sso-embed/server'

const { kid, publicPem, privatePem } = await generateSigningKey({ alg: 'RS256' })
console.log(JSON.stringify({ kid, publicPem, privatePem }))
