import { signEmbedToken } from '@sso-embed/server'
import type { HostKey } from './keys'

/** The claims of the activepieces-v3 profile the demo uses. */
export interface DemoClaims {
  externalUserId: string
  externalProjectId: string
  firstName: string
  lastName: string
  projectDisplayName?: string
  role?: 'EDITOR' | 'VIEWER' | 'ADMIN'
}

/**
 * Signs a host JWT as a customer's backend would, with `@sso-embed/server` (RS256, `kid` header, short
 * `exp`, random `jti`). A `ttlSeconds` of 0 or less signs a token that is already expired (for tests).
 */
export function signHostToken(key: HostKey, claims: DemoClaims, ttlSeconds = 300): Promise<string> {
  return signClaims(key, { version: 'v3', role: 'EDITOR', ...claims }, { ttlSeconds, profile: 'activepieces-v3' })
}

/**
 * Signs any claims with the host's key. With `profile`, the claims are checked first (what a real host
 * backend should do); the token workbench leaves it out so that it can show the platform's refusal.
 */
export function signClaims(key: HostKey, claims: Record<string, unknown>, options: { ttlSeconds?: number; profile?: string } = {}): Promise<string> {
  const ttlSeconds = options.ttlSeconds ?? 300
  const expired = ttlSeconds <= 0
  return signEmbedToken(claims, {
    privateKey: key.privatePem,
    kid: key.kid,
    ...(options.profile && { profile: options.profile }),
    expiresIn: expired ? 60 : ttlSeconds,
    ...(expired && { now: () => Date.now() + (ttlSeconds - 60) * 1000 }),
  })
}
