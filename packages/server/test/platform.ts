// A platform serving several hosts, as a real one is wired: one store, one verifier holding every host's
// key (read from a list on every token, so a test can revoke one), one handler. Each host has its own
// account, origin and key (pinned to a tenant for latenode).
import { HOST_ORIGIN_HEADER } from '@sso-embed/protocol'
import { createEmbedHandler, type EmbedHandlerOptions } from '../src/http/handler'
import { createSessions } from '../src/http/sessions'
import { generateSigningKey, type GeneratedKey } from '../src/keys/generate'
import { importPublicKey, type VerificationKey } from '../src/keys/public-key'
import { activepiecesV3, latenode, raytha } from '../src/profiles/index'
import type { ClaimProfile } from '../src/profiles/profile'
import type { EmbedStore } from '../src/store/types'
import { signEmbedToken } from '../src/token/sign'
import { createVerifier } from '../src/token/verify'

export const PLATFORM = 'https://platform.example'

/** The three seed contracts, told apart by their claims (as the playground does). */
export const anyProfile: ClaimProfile = {
  name: 'any',
  requireJti: false,
  tenantClaim: 'tenant_id',
  identify: (claims) => ('version' in claims ? activepiecesV3 : 'tenant_id' in claims ? latenode : raytha).identify(claims),
}

export interface HostSpec {
  account: string
  origin: string
  /** Pins the key to a tenant (latenode). */
  tenant?: string
  /** Leave the kid out of tokens (latenode). */
  kidless?: boolean
}

export interface TestHost extends HostSpec {
  key: GeneratedKey
  registered: VerificationKey
  sign(claims: Record<string, unknown>, options?: { kid?: string | false }): Promise<string>
}

export const SECRET = 's'.repeat(32)

/** A platform over `store` with one key per host; `keys` is the live registry (remove one to revoke it). */
export async function platformSetup(store: EmbedStore, specs: HostSpec[], options: Partial<EmbedHandlerOptions> = {}) {
  const hosts: TestHost[] = await Promise.all(
    specs.map(async (spec) => {
      const key = await generateSigningKey({ alg: 'ES256' })
      const registered = importPublicKey(key.publicPem, {
        kid: key.kid,
        account: spec.account,
        origins: [spec.origin],
        ...(spec.tenant !== undefined && { tenant: spec.tenant }),
      })
      return {
        ...spec,
        key,
        registered,
        sign: (claims, o = {}) => signEmbedToken(claims, { privateKey: key.privatePem, kid: o.kid ?? (spec.kidless ? false : key.kid) }),
      }
    }),
  )
  const keys = { list: hosts.map((h) => h.registered) }
  // tokens up to 16 KiB, so a claim of 10 KB reaches the claim check
  const verifier = createVerifier({ keys: () => keys.list, profile: anyProfile, replay: store.replay, maxTokenSize: 16 * 1024 })
  const sessions = createSessions({ secret: SECRET, store, keys: () => keys.list })
  const handler = createEmbedHandler({ verifier, store, sessions, basePath: '/api/embed', ...options })
  return { hosts, keys, verifier, sessions, handler, ...endpoints(handler) }
}

/** The embed endpoints of a handler, as the frame calls them. */
export function endpoints(handler: (request: Request) => Promise<Response>) {
  const exchange = (token: string, hostOrigin: string) =>
    handler(
      new Request(`${PLATFORM}/api/embed/exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, hostOrigin }),
      }),
    )
  const withSession = (endpoint: 'session' | 'logout', token: string, hostOrigin: string | null) =>
    handler(
      new Request(`${PLATFORM}/api/embed/${endpoint}`, {
        method: endpoint === 'session' ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, ...(hostOrigin !== null && { [HOST_ORIGIN_HEADER]: hostOrigin }) },
      }),
    )
  return {
    exchange,
    session: (token: string, hostOrigin: string | null) => withSession('session', token, hostOrigin),
    logout: (token: string, hostOrigin: string | null) => withSession('logout', token, hostOrigin),
  }
}

export const ap = (overrides: Record<string, unknown> = {}) => ({
  version: 'v3',
  externalUserId: 'ada',
  externalProjectId: 'p-1',
  firstName: 'Ada',
  lastName: 'Lovelace',
  role: 'EDITOR',
  ...overrides,
})

export const body = async (response: Response) => (await response.json()) as Record<string, any>
export const code = async (response: Response) => ((await response.json()) as { error?: { code: string } }).error?.code
