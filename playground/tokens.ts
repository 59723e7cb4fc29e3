import { SignJWT } from 'jose'
import type { HostKey } from './keys'

/** The claims of the activepieces-v3 profile the demo uses. */
export interface DemoClaims {
  externalUserId: string
  externalProjectId: string
  firstName?: string
  lastName?: string
  projectDisplayName?: string
  role?: 'EDITOR' | 'VIEWER' | 'ADMIN'
}

/** Signs a host JWT as a customer's backend would (RS256, `kid` header, short `exp`). */
export function signHostToken(key: HostKey, claims: DemoClaims, ttlSeconds = 300): Promise<string> {
  return new SignJWT({ version: 'v3', role: 'EDITOR', ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key.privateKey)
}
