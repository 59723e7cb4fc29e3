import { HOST_ORIGIN_HEADER, SsoEmbedError, type AuthInfo } from '@sso-embed/protocol'
import type { ExchangeResult } from './exchange'

// setTimeout fires at once past 2^31-1 ms (about 24.8 days): cap the delay; a negative one runs at once
const later = (fn: () => void, ms: number) => setTimeout(fn, Math.min(Math.max(ms, 0), 2 ** 31 - 1))

export interface SessionHooks {
  /** Milliseconds before the end to refresh; default a quarter of the session, at most 60 s. */
  refreshMargin?: number | undefined
  /** The session is about to end (or the page woke up past its refresh time): get a fresh token. */
  onRefreshDue(): void
  /** The session ended without a refresh. */
  onExpired(): void
}

/**
 * The frame's platform session: who is signed in and until when, the bearer token for the platform's
 * API, and the timers that refresh it. Timers do not run while a laptop sleeps, so the session is also
 * checked when the page becomes visible again and when the network comes back.
 */
export function createSession(hooks: SessionHooks) {
  let auth: AuthInfo | undefined
  let bearer: string | undefined
  let refreshTimer: ReturnType<typeof setTimeout> | undefined
  let expiryTimer: ReturnType<typeof setTimeout> | undefined
  const margin = (lifetime: number) => hooks.refreshMargin ?? Math.min(60_000, lifetime / 4)
  let lifetime = 0

  const stop = () => {
    clearTimeout(refreshTimer)
    clearTimeout(expiryTimer)
  }
  const expire = () => {
    if (!auth) return
    stop()
    auth = bearer = undefined
    hooks.onExpired()
  }
  /** What the sleeping timers missed: an ended session, or one inside its refresh margin. */
  const check = () => {
    if (!auth || document.visibilityState === 'hidden') return
    const left = auth.expiresAt - Date.now()
    if (left <= 0) expire()
    if (left <= margin(lifetime)) hooks.onRefreshDue()
  }
  let watching = false

  return {
    get auth() {
      return auth
    },
    get bearer() {
      return bearer
    },
    /** Validates a platform answer into the current sign-in and schedules its refresh. */
    set(result: ExchangeResult): AuthInfo {
      const expiresAt = new Date(result.expiresAt).getTime() // epoch ms or ISO 8601
      if (!result.user?.id || !(expiresAt > Date.now())) throw new SsoEmbedError('EXCHANGE_FAILED', 'The exchange gave no user.id or a past expiresAt')
      stop()
      if (!watching) {
        watching = true
        addEventListener('online', check)
        document.addEventListener('visibilitychange', check)
      }
      auth = { user: result.user, project: result.project ?? null, ...(result.account !== undefined && { account: result.account }), expiresAt }
      bearer = result.sessionToken
      lifetime = expiresAt - Date.now()
      refreshTimer = later(hooks.onRefreshDue, lifetime - margin(lifetime))
      expiryTimer = later(expire, lifetime)
      return auth
    },
    /** Forgets the session (logout) without reporting an expiry. */
    clear() {
      stop()
      auth = bearer = undefined
    },
    /** Checks now what sleeping timers may have missed. */
    check,
    /** The headers that carry the session to the platform's own origin. */
    headers(hostOrigin: string | undefined): Record<string, string> {
      return { ...(bearer && { authorization: `Bearer ${bearer}` }), ...(hostOrigin && { [HOST_ORIGIN_HEADER]: hostOrigin }) }
    },
    /** `fetch` with the session: its headers go to this page's own origin only, never elsewhere. */
    fetch(input: RequestInfo | URL, init: RequestInit | undefined, hostOrigin: string | undefined): Promise<Response> {
      // no cookie before the sign-in: whatever the cookie jar holds then is not this host's user
      const request = new Request(input, { credentials: auth ? 'include' : 'omit', ...init })
      if (new URL(request.url).origin === location.origin) {
        for (const [name, value] of Object.entries(this.headers(hostOrigin))) if (!request.headers.has(name)) request.headers.set(name, value)
      }
      return fetch(request)
    },
    destroy() {
      stop()
      removeEventListener('online', check)
      document.removeEventListener('visibilitychange', check)
    },
  }
}

export type Session = ReturnType<typeof createSession>
