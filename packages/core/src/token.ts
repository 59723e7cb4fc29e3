import { decodeJwt } from 'jose'
import { SsoEmbedError } from '@sso-embed/protocol'

/**
 * Decodes `token` (without verifying it: only the platform can) and tells whether its `exp` has passed.
 * Throws `TOKEN_MALFORMED` for anything that is not a compact JWT.
 */
export function isExpired(token: string, now = Date.now()): boolean {
  let exp: number | undefined
  try {
    exp = decodeJwt(token).exp
  } catch (cause) {
    throw new SsoEmbedError(
      'TOKEN_MALFORMED',
      `Not a JWT: ${(cause as Error).message}`,
      { cause },
    )
  }
  return exp !== undefined && exp * 1000 <= now
}

/** Fetches a JWT from the host's backend for the `tokenUrl` option. */
export async function fetchToken(url: string): Promise<string> {
  const response = await fetch(url, { credentials: 'include' })
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`)
  const text = (await response.text()).trim()
  return text[0] === '{' ? (JSON.parse(text) as { token: string }).token : text
}

// Tokens this page already handed to a frame (most recent last). Platforms accept each token once, so
// a second embed (a wrapper remounting with the same prop) asks getToken for a fresh one instead.
const sent = new Set<string>()

export function markSent(token: string): void {
  sent.delete(token)
  sent.add(token)
  if (sent.size > 50) sent.delete(sent.values().next().value!)
}

export const wasSent = (token: string): boolean => sent.has(token)
