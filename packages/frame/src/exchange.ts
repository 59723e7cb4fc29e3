import { deserializeError, SsoEmbedError, type AuthInfo } from '@sso-embed/protocol'

/** What the platform's exchange returns: the signed-in user and project, and the platform session. */
export interface ExchangeResult extends Omit<AuthInfo, 'project' | 'expiresAt'> {
  project?: AuthInfo['project'] | undefined
  /** End of the platform session: milliseconds since the epoch, or an ISO 8601 string. */
  expiresAt: number | string
  /** Bearer token for the platform's API; the frame's `fetch` sends it (never to other origins). */
  sessionToken?: string | undefined
}

/**
 * Trades the host's JWT for a platform session. `hostOrigin` is the embedding page's origin as the
 * browser reported it; the platform checks it against the origins registered for the signing key.
 */
export type Exchange = (token: string, context: { hostOrigin: string }) => Promise<ExchangeResult>

/**
 * The default exchange: `POST url` with JSON `{ token, hostOrigin }` (credentials included, so the
 * platform can set its partitioned session cookie). A JSON error body `{ error: { code, message } }`
 * becomes an `SsoEmbedError` with that code.
 */
export function exchangeWithEndpoint(url: string): Exchange {
  return async (token, { hostOrigin }) => {
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, hostOrigin }),
      })
    } catch (cause) {
      throw new SsoEmbedError('EXCHANGE_FAILED', `${url}: ${(cause as Error).message}`, { cause })
    }
    const body = (await response.json().catch(() => null)) as (ExchangeResult & { error?: { code?: unknown; message?: string } }) | null
    if (response.ok && body?.user) return body
    throw deserializeError({ code: body?.error?.code, message: body?.error?.message ?? `${url} answered HTTP ${response.status}` }, 'EXCHANGE_FAILED')
  }
}

/**
 * The session the platform still holds for this frame (its partitioned session cookie), from a `GET`
 * endpoint answering like the exchange; `undefined` when there is none.
 */
export async function resumeFromEndpoint(url: string): Promise<ExchangeResult | undefined> {
  const response = await fetch(url, { credentials: 'include', headers: { accept: 'application/json' } })
  const body = response.ok ? ((await response.json()) as ExchangeResult) : undefined
  return body?.user ? body : undefined
}
