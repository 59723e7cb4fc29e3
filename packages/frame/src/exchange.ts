import { deserializeError, ENDPOINTS, SsoEmbedError, type EmbedProject, type ErrorBody, type ExchangeRequest, type ExchangeResponse } from '@sso-embed/protocol'

/** What an exchange returns: the protocol's `ExchangeResponse` (a custom exchange may leave `project` out). */
export type ExchangeResult = Omit<ExchangeResponse, 'project'> & { project?: EmbedProject | null | undefined }

/**
 * Trades the host's JWT for a platform session. `hostOrigin` is the embedding page's origin as the
 * browser reported it; the platform checks it against the origins registered for the signing key.
 */
export type Exchange = (token: string, context: { hostOrigin: string }) => Promise<ExchangeResult>

/** An error worth retrying later: the network or the platform failed, not the token. */
export const isRetryable = (error: unknown): boolean => (error as { retryable?: boolean } | null)?.retryable === true

/** `fetch` whose network failure (and 5xx answer) becomes a retryable `EXCHANGE_FAILED`; an `ErrorBody` becomes its coded error. */
async function call(url: string, init: RequestInit): Promise<Response> {
  let response: Response
  try {
    response = await fetch(url, { credentials: 'include', ...init })
  } catch (cause) {
    throw Object.assign(new SsoEmbedError('EXCHANGE_FAILED', `${url}: ${(cause as Error).message}`, { cause }), { retryable: true })
  }
  if (response.ok) return response
  const body = (await response.json().catch(() => null)) as ErrorBody | null
  const error = deserializeError({ code: body?.error?.code, message: body?.error?.message ?? `${url} answered HTTP ${response.status}` }, 'EXCHANGE_FAILED')
  throw Object.assign(error, { status: response.status, retryable: response.status >= 500 })
}

/** The URL of another embed endpoint beside a URL exchange (`…/exchange` → `…/session`), if it has that shape. */
export function endpointBeside(exchange: unknown, name: string): string | undefined {
  if (typeof exchange !== 'string' || !exchange.endsWith(`/${ENDPOINTS.exchange}`)) return undefined
  return new URL(exchange.slice(0, -ENDPOINTS.exchange.length) + name, location.href).href
}

/**
 * The default exchange: `POST url` with the protocol's JSON `ExchangeRequest` (credentials included, so
 * the platform can set its partitioned session cookie). An `ErrorBody` answer becomes an `SsoEmbedError`
 * with that code.
 */
export function exchangeWithEndpoint(url: string): Exchange {
  return async (token, { hostOrigin }) => {
    const request: ExchangeRequest = { token, hostOrigin }
    const response = await call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) })
    const body = (await response.json().catch(() => null)) as ExchangeResult | null
    if (!body?.user) throw new SsoEmbedError('EXCHANGE_FAILED', `${url} answered without a user`)
    return body
  }
}

/**
 * The session the platform still holds for this frame (its partitioned session cookie), bound to the
 * host origin in `headers`; `undefined` when there is none.
 */
export async function resumeFromEndpoint(url: string, headers: Record<string, string>): Promise<ExchangeResult | undefined> {
  const response = await call(url, { headers: { accept: 'application/json', ...headers } }).catch(() => undefined)
  const body = (await response?.json().catch(() => null)) as ExchangeResult | null | undefined
  return body?.user ? body : undefined
}

/** Ends the session at the platform (`POST …/logout`): it is revoked and its cookie cleared. */
export async function logoutAtEndpoint(url: string, headers: Record<string, string>): Promise<void> {
  await call(url, { method: 'POST', headers })
}
