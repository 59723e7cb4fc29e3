// Which failures a retry (a fresh token, a new iframe) can cure. Eager and tiny: the default error view
// and the wrappers' custom error slots both ask it.

/** Failures no retry changes: the page, the platform's setup or the user must change first. */
const PERMANENT =
  /^(FRAME_BLOCKED_BY_CSP|HOST_ORIGIN_OPAQUE|ORIGIN_NOT_ALLOWED|PROTOCOL_MISMATCH|USER_DEACTIVATED|URL_TOKEN_REFUSED|CONTAINER_NOT_FOUND|BROWSER_REQUIRED|DESTROYED|KEY_REJECTED)$/
/** Failures of the token itself: a retry helps only when it can fetch a new one. */
const TOKEN = /^(TOKEN_|SESSION_|BAD_SIGNATURE|UNKNOWN_KEY|ALG_NOT_ALLOWED|LIFETIME_TOO_LONG|CLAIM_)/

/**
 * Whether a *Retry* (calling `getToken` / `tokenUrl` again and remounting) can help after `code`:
 * never for a page or platform that must be configured differently; for a token failure only when the
 * embed can fetch a fresh token (`fetches`); for the rest (a timeout, a failed exchange) always.
 */
export function canRetry(code: string, fetches: boolean): boolean {
  return !PERMANENT.test(code) && (fetches || !TOKEN.test(code))
}
