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
