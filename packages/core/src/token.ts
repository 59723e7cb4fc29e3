import { SsoEmbedError } from '@sso-embed/protocol'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The claims of a compact JWS, decoded without verifying it (only the platform can). As strict as jose's
 * `decodeJwt` (a test holds the two side by side): three parts, a base64url payload without padding or
 * whitespace, strict UTF-8, a JSON object. Throws an `Error` that says what is wrong.
 */
export function decodeClaims(token: string): { exp?: unknown } {
  const parts = token.split('.')
  if (parts.length !== 3) throw new Error(parts.length === 5 ? 'an encrypted JWT (JWE) cannot be read here' : 'a JWT has three dot-separated parts')
  const payload = parts[1]!
  if (!/^[\w-]+$/.test(payload) || payload.length % 4 === 1) throw new Error('the payload is not base64url')
  const claims: unknown = JSON.parse(utf8.decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))))
  if (Object.prototype.toString.call(claims) !== '[object Object]') throw new Error('the claims are not a JSON object')
  return claims as { exp?: unknown }
}

/**
 * Decodes `token` and tells whether its `exp` has passed. Throws `TOKEN_MALFORMED` for anything that is
 * not a compact JWT.
 */
export function isExpired(token: string, now = Date.now()): boolean {
  let exp: unknown
  try {
    exp = decodeClaims(token).exp
  } catch (cause) {
    throw new SsoEmbedError('TOKEN_MALFORMED', `Not a JWT: ${(cause as Error).message}`, { cause })
  }
  return typeof exp === 'number' && exp * 1000 <= now
}

/** Fetches a JWT from the host's backend for the `tokenUrl` option. */
export async function fetchToken(url: string): Promise<string> {
  const response = await fetch(url, { credentials: 'include', cache: 'no-store' })
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
