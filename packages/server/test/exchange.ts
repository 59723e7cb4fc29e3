// An exchange endpoint wired as a platform would wire it, for the handler and concurrency tests.
import { generateSigningKey } from '../src/keys/generate'
import { createEmbedHandler } from '../src/http/handler'
import { importPublicKey } from '../src/keys/public-key'
import { createSessions } from '../src/http/sessions'
import { signEmbedToken } from '../src/token/sign'
import type { EmbedStore } from '../src/store/types'
import { createVerifier } from '../src/token/verify'

export const HOST = 'http://localhost:5173'
export const PLATFORM = 'http://127.0.0.1:5174'

export async function exchangeSetup(store: EmbedStore, account = 'acme') {
  const key = await generateSigningKey({ alg: 'ES256' })
  const verifier = createVerifier({
    keys: [importPublicKey(key.publicPem, { kid: key.kid, origins: [HOST], account })],
    profile: 'activepieces-v3',
    replay: store.replay,
  })
  const sessions = createSessions({ secret: 'x'.repeat(32) })
  const handler = createEmbedHandler({ verifier, store, sessions, origins: [HOST] })
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
  return { key, verifier, sessions, handler, sign, post }
}
