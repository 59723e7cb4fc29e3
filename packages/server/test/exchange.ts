// An exchange endpoint wired as a platform would wire it, for the handler and concurrency tests.
import { HOST_ORIGIN_HEADER } from '@sso-embed/protocol'
import { generateSigningKey } from '../src/keys/generate'
import { createEmbedHandler, type EmbedHandlerOptions } from '../src/http/handler'
import { importPublicKey } from '../src/keys/public-key'
import { createSessions } from '../src/http/sessions'
import { signEmbedToken } from '../src/token/sign'
import type { EmbedStore } from '../src/store/types'
import { createVerifier } from '../src/token/verify'

export const HOST = 'http://localhost:5173'
export const PLATFORM = 'http://127.0.0.1:5174'

/** The frame's exchange request: `POST /api/embed/exchange` with `{ token, hostOrigin }` (the host is {@link HOST}). */
export const exchangeRequest = (token: string) =>
  new Request(`${PLATFORM}/api/embed/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, hostOrigin: HOST }),
  })

export async function exchangeSetup(store: EmbedStore, account = 'acme', options: Partial<EmbedHandlerOptions> = {}) {
  const key = await generateSigningKey({ alg: 'ES256' })
  const registered = importPublicKey(key.publicPem, { kid: key.kid, origins: [HOST], account })
  const verifier = createVerifier({ keys: [registered], profile: 'activepieces-v3', replay: store.replay })
  const sessions = createSessions({ secret: 'x'.repeat(32), store })
  const handler = createEmbedHandler({ verifier, store, sessions, origins: [HOST], ...options })
  const sign = (claims: Record<string, unknown> = {}) =>
    signEmbedToken(
      { version: 'v3', externalUserId: 'u-1', externalProjectId: 'p-1', firstName: 'Ada', lastName: 'Lovelace', role: 'EDITOR', ...claims },
      { privateKey: key.privatePem, kid: key.kid },
    )
  const post = (body: unknown, init: { headers?: Record<string, string>; method?: string; path?: string } = {}) =>
    handler(
      new Request(`${PLATFORM}${init.path ?? '/api/embed/exchange'}`, {
        method: init.method ?? 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        ...((init.method ?? 'POST') === 'POST' && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    )
  /** `GET …/session` (or `POST …/logout`) with a bearer token and the host-origin header (`null` leaves it out). */
  const withSession = (endpoint: 'session' | 'logout', token: string | undefined, hostOrigin: string | null = HOST) =>
    handler(
      new Request(`${PLATFORM}/api/embed/${endpoint}`, {
        method: endpoint === 'session' ? 'GET' : 'POST',
        headers: { ...(token && { authorization: `Bearer ${token}` }), ...(hostOrigin !== null && { [HOST_ORIGIN_HEADER]: hostOrigin }) },
      }),
    )
  return { key, registered, verifier, sessions, handler, sign, post, withSession }
}
