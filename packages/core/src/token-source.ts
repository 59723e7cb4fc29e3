import { SsoEmbedError, type ErrorCode } from '@sso-embed/protocol'
import { fetchToken, isExpired } from './token'

/** Where an embed's tokens come from: its own `token` / `setToken()`, else `getToken` / `tokenUrl`. */
export interface TokenOrigin {
  token?: string | undefined
  getToken?: (() => Promise<string>) | undefined
  tokenUrl?: string | undefined
}

// Tokens this page handed to a frame (`sent`), and those known to be used up (`spent`: a sign-in with it
// succeeded, or the platform refused it). Platforms may accept a token once (single-use `jti`).
const remember = (set: Set<string>, token: string) => {
  set.delete(token)
  set.add(token)
  if (set.size > 50) set.delete(set.values().next().value!)
  return token
}
const sent = new Set<string>()
const spent = new Set<string>()
const usable = (token: string | undefined): token is string => token !== undefined && !spent.has(token) && !isExpired(token)

// One getToken() call in flight per page: embeds with the same getToken function (or tokenUrl) share it.
// A call that never settles would leave the embed loading forever: it fails after TOKEN_TIMEOUT.
export const TOKEN_TIMEOUT = 30_000
const inFlight = new Map<unknown, Promise<string>>()

function fetchShared(key: unknown, fetcher: () => Promise<string>): Promise<string> {
  let pending = inFlight.get(key)
  if (!pending) {
    pending = (async () => {
      let token: unknown
      let timer: ReturnType<typeof setTimeout> | undefined
      try {
        const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${TOKEN_TIMEOUT / 1000} s`)), TOKEN_TIMEOUT)))
        token = await Promise.race([fetcher(), late])
      } catch (cause) {
        throw new SsoEmbedError('TOKEN_UNAVAILABLE', `getToken() failed: ${(cause as Error)?.message ?? cause}`, { cause })
      } finally {
        clearTimeout(timer)
      }
      if (typeof token !== 'string') throw new SsoEmbedError('TOKEN_UNAVAILABLE', 'getToken() gave no string')
      if (isExpired(token)) throw new SsoEmbedError('TOKEN_EXPIRED', 'getToken() gave an expired token')
      return token
    })().finally(() => inFlight.delete(key))
    inFlight.set(key, pending)
  }
  return pending
}

/**
 * One embed's token source. `next()` hands out the queued token (the `token` option, `setToken()`) while
 * it is valid and unspent, else a fresh one from `getToken` / `tokenUrl`, whose call is shared with every
 * embed of the page asking at the same time. A token the page already sent is not sent again when a
 * fresh one can be had; without `getToken`, the last one is sent once more to a frame that reloaded
 * before it could tell whether it used it (the platform then answers, `TOKEN_REPLAYED` at worst).
 */
export function createTokenSource(origin: () => TokenOrigin) {
  let queued = origin().token
  let handed: string | undefined
  const hand = (token: string) => remember(sent, (handed = token))
  return {
    /** A token for the next sign-in (`setToken()`); the frame pulls it with `next()`. */
    queue(token: string): void {
      queued = token
    },
    get queued(): boolean {
      return queued !== undefined
    },
    /** The last token handed out signed the frame in: it is used up. */
    used(): void {
      if (handed !== undefined) remember(spent, handed)
    },
    /**
     * The token for the next sign-in; `rejected`: the platform refused the last one with this code. Fails
     * with `TOKEN_UNAVAILABLE` / `TOKEN_EXPIRED` / `rejected` (with `missing: true` when only `setToken()` can help).
     */
    async next(rejected?: string): Promise<string> {
      if (rejected) this.used()
      const token = queued
      queued = undefined
      const { getToken, tokenUrl } = origin()
      const fetcher = getToken ?? (tokenUrl === undefined ? undefined : () => fetchToken(tokenUrl))
      if (usable(token) && !(fetcher && sent.has(token))) return hand(token)
      if (fetcher) {
        const key = getToken ?? tokenUrl
        let fetched = await fetchShared(key, fetcher)
        // the backend answered a token this page already used (a cache, a slow clock): ask once more
        if (spent.has(fetched)) fetched = await fetchShared(key, fetcher)
        if (spent.has(fetched))
          throw new SsoEmbedError('TOKEN_REPLAYED', 'getToken() gave a token that was already used: sign a new one (with a new jti) each time')
        return hand(fetched)
      }
      if (usable(handed)) return hand(handed)
      const code = rejected ?? (token === undefined && handed === undefined ? 'TOKEN_UNAVAILABLE' : 'TOKEN_EXPIRED')
      throw Object.assign(
        new SsoEmbedError(
          code as ErrorCode,
          `${rejected ? `The platform refused the token (${rejected})` : code === 'TOKEN_EXPIRED' ? 'The token was used or has expired' : 'No token'}: give getToken or call setToken()`,
        ),
        {
          missing: true,
        },
      )
    },
  }
}

export type TokenSource = ReturnType<typeof createTokenSource>
