import {
  isExactOrigin,
  type AuthInfo,
  type DisplayOptions,
  type PlatformContract,
  type SsoEmbedError,
  type StorageAccessReport,
  type StoragePolicy,
  type UntypedPlatform,
} from '@sso-embed/protocol'
import type { Exchange } from './exchange'
import type { StorageAccessSettings } from './storage/require'

export interface ConnectToHostOptions<P extends PlatformContract = UntypedPlatform> {
  /** Exact origins of the host pages allowed to embed this platform, e.g. `["https://app.customer.com"]`. */
  allowedHostOrigins: readonly string[]
  /** The platform's token exchange: a function, or the URL of an endpoint that takes `{ token, hostOrigin }`. */
  exchange: Exchange | string
  /** Path prefix of the embedded app (e.g. `/embed`): removed from reported routes, added to the host's `navigate()`. */
  basePath?: string
  /** Follows the host's `navigate(path)`; default `history.pushState` plus a `popstate` event. */
  onNavigate?: (path: string) => void
  /** Receives `ui`, `locale` and `theme` from the host, on connection and on every `update()`. */
  onUpdate?: (options: DisplayOptions) => void
  /** Called after every successful exchange (first sign-in and refreshes). */
  onAuthenticated?: (auth: AuthInfo) => void
  /** Called for failures after the first sign-in (e.g. a refresh that failed); they are also reported to the host. */
  onError?: (error: SsoEmbedError) => void
  /** Milliseconds before the session ends to ask the host for a fresh token. Default: a quarter of the session, at most 60 s. */
  refreshMargin?: number
  /** Content height to report; default the root element's height. */
  measureHeight?: () => number
  /** Milliseconds to wait for the host's handshake before `HANDSHAKE_TIMEOUT`. Default `10000`. */
  timeout?: number
  /** Log the protocol to the console, including messages that were ignored. */
  debug?: boolean
  /**
   * How the platform uses storage when third-party cookies are blocked. `auto`: never prompt; use a
   * cookieless session (bearer token in memory plus the partitioned cookie). `require`: ask the user
   * for storage access (a "Continue" interstitial, then a popup if the browser refuses) before signing
   * in. Default: what the host asks for, else `auto`.
   */
  storage?: StoragePolicy
  /** The `require` flow: the platform's name in the texts, the texts, a class for theming, the browser's answer timeout (default 5000 ms), the popup page (default: the exchange URL's sibling `storage-access`). */
  storageAccess?: StorageAccessSettings
  /**
   * Endpoint that answers the current session from the session cookie, so a reloaded frame stays signed
   * in (`GET`, like `@sso-embed/server`'s `…/session`). Default: the exchange URL's sibling `session`;
   * `false` to always ask the host for a fresh token instead.
   */
  session?: string | false
  /** Every storage report: the measured status, and each step of the `require` flow. */
  onStorageAccess?: (report: StorageAccessReport) => void
  /**
   * Handlers of the platform's own commands (`embed.send(name, payload)` on the host): the value or
   * promise returned answers the host; a throw rejects it (`COMMAND_FAILED`, or the error's own code).
   */
  commands?: { [K in keyof P['commands']]?: (payload: P['commands'][K]['payload']) => P['commands'][K]['result'] | Promise<P['commands'][K]['result']> }
}

/** The platform page's side of the connection, returned by {@link connectToHost}. */
export interface HostConnection<P extends PlatformContract = UntypedPlatform> {
  /**
   * Resolves on the first successful sign-in; rejects with an `SsoEmbedError` if a failure comes first. A
   * sign-in that still follows (the interstitial's *Try again*) makes `ready` a new, resolved promise; one
   * read earlier stays rejected, so use `onAuthenticated` to hear every sign-in.
   */
  readonly ready: Promise<AuthInfo>
  /** The current sign-in, if any. */
  readonly auth: AuthInfo | undefined
  /** The host page's origin, once the browser has reported it. */
  readonly hostOrigin: string | undefined
  /** The latest `ui`, `locale` and `theme` from the host. */
  readonly display: DisplayOptions
  /** What the frame measured about its storage (and the latest step of the `require` flow). */
  readonly storage: StorageAccessReport | undefined
  /** `fetch` that sends the platform session as a bearer token to this page's own origin (never elsewhere). */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /** Reports a route change the automatic detection cannot see (e.g. a router that does not use `history`). */
  navigated(path: string): void
  /** Sends one of the platform's own events to the host (`embed.on('platform:<name>')`). */
  emit<K extends keyof P['events'] & string>(name: K, payload: P['events'][K]): void
  /** Ends the platform session (revoked at the platform, cookie cleared) and tells the host (`signedOut`). */
  logout(): Promise<void>
  /** Disconnects from the host and stops every listener, observer and timer. */
  destroy(): void
}

export function validateOptions(options: ConnectToHostOptions): void {
  const origins = options?.allowedHostOrigins
  if (!Array.isArray(origins) || !origins.length || !origins.every(isExactOrigin)) {
    throw new TypeError(`connectToHost(): allowedHostOrigins must be exact origins like "https://app.example.com", not ${JSON.stringify(origins)}`)
  }
  if (typeof options.exchange !== 'function' && typeof options.exchange !== 'string') {
    throw new TypeError('connectToHost(): exchange must be a function or URL')
  }
}
