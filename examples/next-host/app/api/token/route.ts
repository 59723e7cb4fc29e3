// The host backend: signs a token for the logged-in user with the host's key. A route handler, so it
// runs on the server for every request (never cached). Environment: HOST_PRIVATE_KEY (PEM), HOST_KID.
import { signEmbedToken } from '@sso-embed/server'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

export async function GET(): Promise<Response> {
  // your session decides who this is (cookies(), your auth library); the example has one user
  const token = await signEmbedToken(
    { version: 'v3', externalUserId: 'ada', externalProjectId: 'team-1', firstName: 'Ada', lastName: 'Lovelace', role: 'EDITOR' },
    { privateKey: env('HOST_PRIVATE_KEY'), kid: env('HOST_KID'), alg: 'RS256', expiresIn: '5m' },
  )
  return new Response(token, { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } })
}
