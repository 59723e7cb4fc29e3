import { TOKEN_PARAM } from '@sso-embed/protocol'

// TOKEN_PARAM in the fragment, with the `&` that joins it to the rest
const inHash = new RegExp(`(^|&)${TOKEN_PARAM}=([^&]*)&?`)

/**
 * Takes the token the host put on the frame URL (`?sso_token=` or `#sso_token=`) and removes it from the
 * address with `history.replaceState`, so it stays out of history, the Referer of later requests and
 * the platform's analytics.
 */
export function takeTokenFromUrl(): string | undefined {
  const url = new URL(location.href)
  let token = url.searchParams.get(TOKEN_PARAM) ?? undefined
  // only touch the query when the token is in it: deleting re-serialises it (`%20` → `+`)
  if (url.searchParams.has(TOKEN_PARAM)) url.searchParams.delete(TOKEN_PARAM)
  const hash = url.hash.slice(1)
  const match = inHash.exec(hash)
  if (match) {
    token ??= decodeURIComponent(match[2]!)
    url.hash = hash.replace(inHash, '$1').replace(/&$/, '')
  }
  if (url.href !== location.href) history.replaceState(history.state, '', url.href.replace(/#$/, ''))
  return token || undefined
}
