import { deserializeError, HOST_ORIGIN_HEADER, type AuthInfo, type ErrorCode, type HostWelcome, type SignInKind, SsoEmbedError } from '@sso-embed/protocol'
import { isRetryable, logoutAtEndpoint, resumeFromEndpoint, type Exchange, type ExchangeResult } from './exchange'
import { isFrameFinal, type FrameAction, type FrameState } from './machine'
import type { Session } from './session'

export interface SignInDeps {
  exchange: Exchange
  /** The host's origin as the browser reported it. */
  hostOrigin: Promise<string>
  /** What every sign-in waits for first (the storage policy). */
  gate(): Promise<void>
  /** A fresh token from the host; `rejected`: the code the platform refused the last one with. */
  pull(rejected?: ErrorCode): Promise<string>
  session: Session
  /** `GET …/session`: where a stored session is read back, if the platform has one. */
  resumeUrl: string | undefined
  /** `POST …/logout`: where another user's stored session is ended before a host token signs in. */
  logoutUrl?: string | undefined
  /** Whether this frame can keep a cookie at all (else there is no stored session to ask for). */
  cookies(): Promise<boolean>
  state(): FrameState
  dispatch(action: FrameAction): void
  succeeded(auth: AuthInfo, how: SignInKind): void
  failed(error: SsoEmbedError, how: SignInKind): void
  log: ((...args: unknown[]) => void) | undefined
}

/** Codes after which one fresh token may still succeed: it expired on the way, or another embed of the page used it. */
const retryWithFreshToken = new Set<string>(['TOKEN_EXPIRED', 'TOKEN_REPLAYED'])

/**
 * The frame's sign-ins. Every one takes a token from the host (the welcome's, a pulled one, or the URL
 * token the host accepted) or resumes the stored session the host named — never anything else — and
 * only the latest one started may change the session.
 */
export function createSignIn(deps: SignInDeps) {
  const { session } = deps
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  // one exchange at a time: the sign-in started last is also the last to answer, so its session cookie
  // is the one that stays (a superseded exchange's Set-Cookie would otherwise land after it)
  let exchanging: Promise<unknown> = Promise.resolve()
  const exchangeInTurn = (token: string, hostOrigin: string) => {
    const next = exchanging.then(() => deps.exchange(token, { hostOrigin }))
    exchanging = next.catch(() => {})
    return next
  }

  /** One sign-in with `token` (or a token pulled from the host). */
  async function run(how: SignInKind, token?: string): Promise<void> {
    deps.dispatch({ type: 'signInStarted' })
    const { turn } = deps.state()
    const current = () => turn === deps.state().turn && !isFrameFinal(deps.state())
    try {
      const hostOrigin = await deps.hostOrigin
      await deps.gate()
      let result: ExchangeResult
      try {
        result = await exchangeInTurn(token ?? (await deps.pull()), hostOrigin)
      } catch (error) {
        const { code } = deserializeError(error, 'EXCHANGE_FAILED')
        if (!retryWithFreshToken.has(code)) throw error
        deps.log?.('token refused with', code, ': once more with a fresh one')
        result = await exchangeInTurn(await deps.pull(code), hostOrigin)
      }
      if (!current()) return // superseded: the later sign-in decides the session
      const auth = session.set(result)
      attempt = 0
      deps.dispatch({ type: 'signedIn', turn })
      deps.succeeded(auth, how)
    } catch (error) {
      if (!current()) return
      const reason = deserializeError(error, 'EXCHANGE_FAILED')
      if (how === 'refresh' && isRetryable(error)) {
        // the network or the platform failed, not the token: try again, later and later (at most every 30 s)
        const delay = Math.min(30_000, 1000 * 2 ** attempt++)
        deps.log?.('refresh failed, retrying in', delay, 'ms:', reason.message)
        retryTimer = setTimeout(refresh, delay)
        return
      }
      deps.dispatch({ type: 'failed', turn })
      deps.failed(reason, how)
    }
  }

  function refresh() {
    clearTimeout(retryTimer)
    return run('refresh')
  }

  return {
    run,
    refresh,
    /**
     * A new frame document after the host's welcome: the URL token when the host accepted it; the stored
     * session when the host named its user and the stored one is that very user; else a host token.
     */
    async start(welcome: HostWelcome, urlToken: string | undefined): Promise<void> {
      if (urlToken !== undefined && !welcome.useUrlToken && !welcome.supersededUrlToken) {
        throw new SsoEmbedError('URL_TOKEN_REFUSED', 'The frame URL carried a token the host did not put there for this document: refused')
      }
      if (welcome.useUrlToken && urlToken !== undefined) return run('url', urlToken)
      // the host's own failure: it knows, the frame only shows it
      if (welcome.tokenError) throw Object.assign(deserializeError(welcome.tokenError, 'TOKEN_UNAVAILABLE'), { fromHost: true })
      const expected = welcome.resume
      if (!expected) return run('token', welcome.token)
      // a resume is a sign-in like the others: a later one (setToken) or destroy() supersedes it
      deps.dispatch({ type: 'signInStarted' })
      const { turn } = deps.state()
      const current = () => turn === deps.state().turn && !isFrameFinal(deps.state())
      await deps.gate()
      const hostOrigin = await deps.hostOrigin
      // where no cookie can be kept there is no stored session to ask for
      const stored = deps.resumeUrl && (await deps.cookies()) && (await resumeFromEndpoint(deps.resumeUrl, session.headers(hostOrigin)))
      if (!current()) return
      const same = stored && stored.user.id === expected.userId && (expected.account === undefined || stored.account === expected.account)
      if (!same) {
        deps.log?.(stored ? 'the stored session is another user: signing in with a host token' : 'no stored session: signing in with a host token')
        // another user's session stays in no cookie, whatever the next sign-in does
        if (stored && deps.logoutUrl) await logoutAtEndpoint(deps.logoutUrl, { [HOST_ORIGIN_HEADER]: hostOrigin }).catch(() => {})
        return run('token')
      }
      let auth: AuthInfo
      try {
        auth = session.set(stored)
      } catch {
        return run('token') // a stored session that is not valid (ended): a host token instead
      }
      deps.dispatch({ type: 'signedIn', turn })
      deps.succeeded(auth, 'resume')
    },
    /** Stops the refresh retries (logout, destroy). */
    destroy: () => clearTimeout(retryTimer),
  }
}
