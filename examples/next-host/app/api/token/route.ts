// The host backend: signs a token for the logged-in user with the host's key. A route handler, so it
// runs on the server for every request (never cached). Environment: HOST_PRIVATE_KEY (PEM), HOST_KID.
import { signEmbedToken } from '@sso-embed/server'
import { connection } from 'next/server'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

/** Your app's signed-in user: replace with your auth library (`cookies()` and your session store, Auth.js's `auth()`, …). */
async function currentUser(): Promise<{ id: string; firstName: string; lastName: string } | undefined> {
  return { id: 'ada', firstName: 'Ada', lastName: 'Lovelace' } // the example has one user, always signed in
}

export async function GET(): Promise<Response> {
  // per request, never prerendered at build (with cacheComponents a GET that reads nothing could be)
  await connection()
  const user = await currentUser()
  // no session, no token: a token is a login to the platform as this user
  if (!user) return new Response('Not signed in', { status: 401, headers: { 'cache-control': 'no-store' } })
  const token = await signEmbedToken(
    { version: 'v3', externalUserId: user.id, externalProjectId: 'team-1', firstName: user.firstName, lastName: user.lastName, role: 'EDITOR' },
    { privateKey: env('HOST_PRIVATE_KEY'), kid: env('HOST_KID'), alg: 'RS256', expiresIn: '5m' },
  )
  return new Response(token, { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } })
}
