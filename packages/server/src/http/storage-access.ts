// The Storage Access Headers (https://privacycg.github.io/storage-access-headers/): the browser tells the
// platform, on a cross-site request from the host's page, whether the user has granted the platform
// storage access there (`Sec-Fetch-Storage-Access`); the platform can ask it to use that grant at once
// (`Activate-Storage-Access`) instead of a script calling `requestStorageAccess()`.
import { STORAGE_PARAM } from '@sso-embed/protocol'

/** The request header the browser sends (Chrome 133+, Firefox with `dom.storage_access.headers.enabled`). */
export const STORAGE_ACCESS_STATUS_HEADER = 'Sec-Fetch-Storage-Access'
/** The response header that activates a grant the user already gave. */
export const ACTIVATE_STORAGE_ACCESS_HEADER = 'Activate-Storage-Access'

/**
 * What `Sec-Fetch-Storage-Access` says: `none` — the user has not granted the platform storage access
 * under this top-level site; `inactive` — granted, but not in use for this request (the platform's
 * own, unpartitioned cookies were not sent); `active` — in use (they were sent).
 */
export type StorageAccessStatus = 'none' | 'inactive' | 'active'

/** Request headers as a fetch `Request`, `Headers`, or Node's `req.headers`. */
export type RequestHeaders = Request | Headers | Readonly<Record<string, string | readonly string[] | undefined>>

function header(source: RequestHeaders, name: string): string | undefined {
  const headers = source instanceof Request ? source.headers : source
  if (headers instanceof Headers) return headers.get(name) ?? undefined
  const value = (headers as Record<string, string | readonly string[] | undefined>)[name.toLowerCase()]
  // a header sent twice is not one value: treat it as absent
  return typeof value === 'string' ? value : undefined
}

/** The request's `Sec-Fetch-Storage-Access` status; `undefined` when absent or not one of the three values (the spec says to ignore others). */
export function storageAccessStatus(request: RequestHeaders): StorageAccessStatus | undefined {
  const value = header(request, STORAGE_ACCESS_STATUS_HEADER)?.trim()
  return value === 'none' || value === 'inactive' || value === 'active' ? value : undefined
}

/** Adds `Sec-Fetch-Storage-Access` and `Sec-Fetch-Mode` (what the embed page's answer depends on) to a `Vary` value (each kept once; `*` stays `*`). */
export function varyOnStorageAccess(vary: string | undefined | null): string {
  const names = (vary ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  if (names.includes('*')) return '*'
  for (const needed of [STORAGE_ACCESS_STATUS_HEADER, 'Sec-Fetch-Mode']) {
    if (!names.some((name) => name.toLowerCase() === needed.toLowerCase())) names.push(needed)
  }
  return names.join(', ')
}

/** The storage policy an embed page runs: `require` asks for (and may activate) storage access; `auto` never does. */
export type EmbedStoragePolicy = 'auto' | 'require'

/**
 * The storage policy the embed page at `url` runs, decided as the frame decides it: the platform's own
 * (`own`: what its `connectToHost({ storage })` sets, if it sets one) wins; else what the host asked for
 * in the iframe URL (`?storage=require`, set by `@sso-embed/core` for `storage: 'require'`); else `auto`.
 */
export function requestedStoragePolicy(url: string | URL, own?: EmbedStoragePolicy): EmbedStoragePolicy {
  if (own) return own
  return new URL(url, 'http://x').searchParams.get(STORAGE_PARAM) === 'require' ? 'require' : 'auto'
}

/**
 * The headers to add to the platform's **embed page** (the HTML document the host's iframe loads), so a
 * returning user who granted storage access before gets the platform's own cookies from the first
 * script on, with no interstitial, no click and no `requestStorageAccess()` call — where the embed runs
 * the `require` policy:
 *
 * ```ts
 * // Node http
 * const policy = requestedStoragePolicy(req.url ?? '/')
 * for (const [name, value] of Object.entries(storageAccessHeaders(req.headers, policy))) res.setHeader(name, value)
 * // fetch-style
 * return new Response(html, { headers: { 'content-type': 'text/html', ...storageAccessHeaders(request, requestedStoragePolicy(request.url)) } })
 * ```
 *
 * - always `Vary: Sec-Fetch-Storage-Access, Sec-Fetch-Mode` (the page is not the same for every
 *   status; if you send a `Vary` of your own, merge them with {@link varyOnStorageAccess});
 * - with `policy` `require`, `Activate-Storage-Access: load` when the request is a navigation
 *   (`Sec-Fetch-Mode: navigate`) and its status is `inactive` or `active`: the browser loads the document
 *   with storage access active, as `requestStorageAccess()` would have made it.
 *
 * What it grants: nothing new, and only where it was asked for. `load` can only activate a grant the
 * user gave to the platform's site under this host's site; the browser ignores it for `none` (no grant)
 * and on anything but a document (Safari, which does not send the status, never gets it). With `auto`
 * (the default policy) it never activates: an `auto` embed keeps to its own partitioned session and
 * never sees the user's own first-party platform login, even where a `require` embed of the same host
 * once got a grant. Serve it only with a `frame-ancestors` policy that names the hosts allowed to frame
 * the page ({@link frameAncestors}).
 */
export function storageAccessHeaders(request: RequestHeaders, policy: EmbedStoragePolicy): Record<string, string> {
  const headers: Record<string, string> = { vary: varyOnStorageAccess(undefined) }
  const status = storageAccessStatus(request)
  if (policy === 'require' && (status === 'inactive' || status === 'active') && header(request, 'Sec-Fetch-Mode') === 'navigate') {
    headers['activate-storage-access'] = 'load'
  }
  return headers
}

/** An origin as an RFC 8941 string (an origin has no quote or backslash; escaped anyway). */
const sfString = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`

/**
 * `Activate-Storage-Access: retry; allowed-origin="<Origin>"` for a request whose status is `inactive`
 * and whose `Origin` is exactly one of `allowedOrigins`; otherwise `undefined`. The browser then sends
 * the same request again (body included) with storage access active — the platform's first-party
 * cookies included. Never reflects an origin that is not in the list, and never answers `*`.
 *
 * Answer it **before** doing anything with the request: the browser repeats it whole, so a request
 * that has had an effect (a token spent) would run twice.
 */
export function storageAccessRetry(request: RequestHeaders, allowedOrigins: readonly string[]): string | undefined {
  if (storageAccessStatus(request) !== 'inactive') return undefined
  const origin = header(request, 'Origin')
  if (!origin || origin === 'null' || !allowedOrigins.includes(origin) || /[^\x21-\x7e]/.test(origin)) return undefined
  return `retry; allowed-origin=${sfString(origin)}`
}
