import { connect, type Connection, type RemoteProxy } from 'penpal'
import {
  createLogger,
  deferred,
  deserializeError,
  exactOriginMessenger,
  exposeMethods,
  isExactOrigin,
  PROTOCOL_VERSION,
  SDK_VERSION,
  serializeError,
  SsoEmbedError,
  type AuthInfo,
  type DisplayOptions,
  type FrameEvent,
  type FrameMethods,
  type HostMethods,
  type StorageAccessReport,
  type StoragePolicy,
} from '@sso-embed/protocol'
import { exchangeWithEndpoint, resumeFromEndpoint, type Exchange, type ExchangeResult } from './exchange'
import { observeRoute, pushRoute } from './navigation'
import { observeHeight } from './resize'
import { takeTokenFromUrl } from './url-token'
import { detectStorage } from './storage/detect'
import type { StorageAccessSettings } from './storage/require'

export interface ConnectToHostOptions {
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
}

/** The platform page's side of the connection, returned by {@link connectToHost}. */
export interface HostConnection {
  /** Resolves on the first successful sign-in; rejects with an `SsoEmbedError`. */
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
  /** Disconnects from the host and stops every listener, observer and timer. */
  destroy(): void
}

const maxDelay = 2 ** 31 - 1
const noop = () => {}

function validate(options: ConnectToHostOptions): void {
  const origins = options?.allowedHostOrigins
  if (!Array.isArray(origins) || !origins.length || !origins.every(isExactOrigin)) {
    throw new TypeError(`connectToHost(): allowedHostOrigins must be exact origins like "https://app.example.com", not ${JSON.stringify(origins)}`)
  }
  if (typeof options.exchange !== 'function' && typeof options.exchange !== 'string') {
    throw new TypeError('connectToHost(): exchange must be a function or URL')
  }
}

/**
 * Connects the platform page (running inside the host's iframe) to the host page: receives the JWT,
 * exchanges it for a platform session, refreshes it before it ends, and reports height and routes.
 */
export function connectToHost(options: ConnectToHostOptions): HostConnection {
  validate(options)
  if (typeof window === 'undefined') throw new SsoEmbedError('BROWSER_REQUIRED', 'connectToHost() needs a browser')
  const { allowedHostOrigins: allowed, basePath = '', timeout = 10_000 } = options
  const log = createLogger(options.debug, 'frame')
  const exchange = typeof options.exchange === 'string' ? exchangeWithEndpoint(options.exchange) : options.exchange
  // sibling endpoints of a URL exchange (`…/exchange` → `…/session`, `…/storage-access`)
  const sibling = (name: string) =>
    typeof options.exchange === 'string' && /\/exchange$/.test(options.exchange) ? new URL(options.exchange.replace(/exchange$/, name), location.href).href : undefined
  const sessionUrl = options.session === false ? undefined : (options.session ?? sibling('session'))
  const cleanups: (() => void)[] = []
  // setTimeout fires at once past 2^31-1 ms (about 24.8 days): cap the delay; a negative one runs at once
  const later = (fn: () => void, ms: number) => setTimeout(fn, Math.min(ms, maxDelay))
  let penpal: Connection<HostMethods> | undefined
  let destroyed = false
  let auth: AuthInfo | undefined
  let sessionToken: string | undefined
  let hostOrigin: string | undefined
  let display: DisplayOptions = {}
  let storage: StorageAccessReport | undefined
  let refreshTimer: ReturnType<typeof setTimeout> | undefined
  let expiryTimer: ReturnType<typeof setTimeout> | undefined
  let handshakeTimer: ReturnType<typeof setTimeout> | undefined
  const { promise: ready, resolve: resolveReady, reject: rejectReady } = deferred<AuthInfo>()
  ready.catch(noop)
  const { promise: host, resolve: resolveHost } = deferred<RemoteProxy<HostMethods>>()

  const connection: HostConnection = {
    ready,
    get auth() {
      return auth
    },
    get hostOrigin() {
      return hostOrigin
    },
    get display() {
      return display
    },
    get storage() {
      return storage
    },
    fetch(input, init) {
      const request = new Request(input, { credentials: 'include', ...init })
      if (sessionToken && new URL(request.url).origin === location.origin && !request.headers.has('authorization')) {
        request.headers.set('authorization', `Bearer ${sessionToken}`)
      }
      return fetch(request)
    },
    navigated(path) {
      host.then((remote) => remote.navigated({ path })).catch(noop)
    },
    destroy() {
      if (destroyed) return
      destroyed = true
      penpal?.destroy()
      for (const cleanup of cleanups.splice(0)) cleanup()
      for (const id of [refreshTimer, expiryTimer, handshakeTimer]) clearTimeout(id)
      rejectReady(new SsoEmbedError('DESTROYED', 'Destroyed'))
    },
  }

  if (window.parent === window) {
    rejectReady(new SsoEmbedError('NOT_EMBEDDED', 'Not inside an iframe'))
    return connection
  }

  const urlToken = takeTokenFromUrl()
  // the host page's origin as the browser reports it, never as the host states it: location.ancestorOrigins
  // where the browser has it, else the origin of the parent's first penpal message (Firefox)
  const origin = deferred<string>()
  origin.promise.then((value) => {
    hostOrigin = value
    log?.('host origin', value)
  }, rejectReady)
  const ancestor = location.ancestorOrigins?.[0]
  const seen = (candidate: string) => {
    if (allowed.includes(candidate)) origin.resolve(candidate)
    else origin.reject(new SsoEmbedError('ORIGIN_NOT_ALLOWED', `Embedded by ${candidate}, not in allowedHostOrigins`))
  }
  if (ancestor) seen(ancestor)
  // a parent the browser names and that is not allowed: ready is rejected (ORIGIN_NOT_ALLOWED), nothing to talk to
  if (ancestor && !allowed.includes(ancestor)) return connection

  const report = (event: FrameEvent) => {
    host.then((remote) => remote.event(event)).catch(noop)
  }
  const askHostForToken = async () => {
    try {
      return await (await host).getToken()
    } catch (error) {
      throw deserializeError(error, 'TOKEN_UNAVAILABLE')
    }
  }

  const scheduleRefresh = (expiresAt: number) => {
    clearTimeout(refreshTimer)
    clearTimeout(expiryTimer)
    const lifetime = expiresAt - Date.now()
    const margin = options.refreshMargin ?? Math.min(60_000, lifetime / 4)
    refreshTimer = later(refresh, lifetime - margin)
    expiryTimer = later(() => {
      auth = undefined
      sessionToken = undefined
      report({ type: 'sessionExpired' })
    }, lifetime)
  }

  // the storage policy: the platform's own, else the host's (from hello, or attached() after a reload)
  const { promise: policy, resolve: setPolicy } = deferred<StoragePolicy>()
  if (options.storage) setPolicy(options.storage)
  const reportStorage = (next: StorageAccessReport) => {
    storage = next
    options.onStorageAccess?.(next)
    report({ type: 'storageAccess', ...next })
  }
  const measureStorage = async (policy: StoragePolicy) => {
    let measured = await detectStorage()
    if (policy === 'require' && measured.status !== 'unpartitioned') {
      const { requireForConnection } = await import('./storage/require')
      const flow = new AbortController()
      cleanups.push(() => flow.abort()) // destroy() removes the interstitial and stops watching the popup
      const granted = await requireForConnection(
        options.storageAccess,
        sibling('storage-access'),
        (status) => reportStorage({ ...measured, status }),
        flow.signal,
        // granted on a later try, after sign-in gave up: sign in now
        () => {
          storageChecked = Promise.resolve()
          void detectStorage().then(reportStorage).then(refresh)
        },
      )
      if (!granted) throw new SsoEmbedError('STORAGE_ACCESS_DENIED', 'Storage access was not granted; this platform needs its cookies')
      measured = await detectStorage()
    }
    reportStorage(measured)
  }
  let storageChecked: Promise<void> | undefined
  const storageReady = () => (storageChecked ??= policy.then(measureStorage))

  // sign-ins may overlap (a new host token while the last exchange runs): the latest one started wins
  let signIns = 0

  /** Takes a session from the platform (an exchange, or a resumed one) as the current sign-in, unless a later sign-in (`turn`) superseded it. */
  const apply = (result: ExchangeResult, turn?: number): AuthInfo => {
    if (destroyed) throw new SsoEmbedError('DESTROYED', 'Destroyed')
    const expiresAt = new Date(result.expiresAt).getTime() // epoch ms or ISO 8601
    if (!result.user?.id || !(expiresAt > Date.now())) {
      throw new SsoEmbedError('EXCHANGE_FAILED', 'exchange() gave no user.id or a past expiresAt')
    }
    const next: AuthInfo = { user: result.user, project: result.project ?? null, expiresAt }
    if (turn !== undefined && turn !== signIns) return next // superseded: the later sign-in decides the session
    auth = next
    sessionToken = result.sessionToken
    scheduleRefresh(expiresAt)
    log?.('signed in', auth)
    resolveReady(auth)
    options.onAuthenticated?.(auth)
    return auth
  }

  const signIn = async (token: string, retried = false, turn = ++signIns): Promise<AuthInfo> => {
    // the parent must be an allowed host before anything happens for it (the storage flow's interstitial too)
    const hostOrigin = await origin.promise
    await storageReady()
    let result
    try {
      result = await exchange(token, { hostOrigin })
    } catch (error) {
      const reason = deserializeError(error, 'EXCHANGE_FAILED')
      // the token may have expired on the way: ask the host for a fresh one, once
      if (reason.code !== 'TOKEN_EXPIRED' || retried) throw reason
      return signIn(await askHostForToken(), true, turn)
    }
    return apply(result, turn)
  }

  /** A reloaded document: the session cookie's session if the platform still has it, else a fresh host token. */
  const resume = async (): Promise<AuthInfo> => {
    await storageReady()
    const resumed = sessionUrl && (await resumeFromEndpoint(sessionUrl).catch(() => undefined))
    const signedIn = resumed ? apply(resumed) : await signIn(await askHostForToken())
    report({ type: 'authenticated', ...signedIn })
    return signedIn
  }

  async function refresh() {
    try {
      report({ type: 'authenticated', ...(await signIn(await askHostForToken())) })
    } catch (error) {
      const reason = deserializeError(error, 'EXCHANGE_FAILED')
      log?.('refresh failed', reason)
      options.onError?.(reason)
      reportFailure(reason)
    }
  }
  const reportFailure = (reason: SsoEmbedError) => report({ type: 'error', error: serializeError(reason, 'EXCHANGE_FAILED') })

  /** The sign-in the host's authenticate() answers with; until the first one succeeds, its failure rejects `ready`. */
  let signingIn: Promise<AuthInfo> | undefined
  const track = (next: Promise<AuthInfo>) => {
    signingIn = next
    next.catch((error) => rejectReady(deserializeError(error, 'EXCHANGE_FAILED')))
    return next
  }
  // query/fragment transport: start the exchange at once, the host's authenticate() joins it
  if (urlToken !== undefined) track(signIn(urlToken))

  const frameMethods: FrameMethods = {
    hello({ protocolVersion, options: hostDisplay, storage: hostPolicy }) {
      if (protocolVersion !== PROTOCOL_VERSION) {
        throw new SsoEmbedError('PROTOCOL_MISMATCH', `Host protocol ${protocolVersion}, frame ${PROTOCOL_VERSION}: align SDK versions`)
      }
      setPolicy(hostPolicy ?? 'auto')
      frameMethods.update(hostDisplay ?? {})
      return { protocolVersion: PROTOCOL_VERSION, sdkVersion: SDK_VERSION }
    },
    authenticate({ token }) {
      if (token !== undefined) track(signIn(token))
      if (!signingIn) throw new SsoEmbedError('TOKEN_UNAVAILABLE', 'No token from the host or the URL')
      return signingIn
    },
    navigate({ path }) {
      if (typeof path !== 'string' || path[0] !== '/') throw new TypeError('navigate(): path must start with "/"')
      if (options.onNavigate) options.onNavigate(path)
      else pushRoute(basePath + path)
    },
    update(next) {
      display = next
      options.onUpdate?.(next)
    },
  }

  penpal = connect<HostMethods>({
    // where the browser names the parent's origin, only that one is talked to
    messenger: exactOriginMessenger(parent, ancestor ? [ancestor] : allowed, log, seen),
    methods: exposeMethods(frameMethods, 'EXCHANGE_FAILED'),
    ...(log && { log }),
  })
  handshakeTimer = later(() => {
    rejectReady(new SsoEmbedError('HANDSHAKE_TIMEOUT', `No handshake from the host in ${timeout} ms`))
  }, timeout)
  penpal.promise.then((remote) => {
    if (destroyed) return
    clearTimeout(handshakeTimer)
    resolveHost(remote)
    // a document loaded into an iframe the host already signed in (a reload, a link to another page)
    // gets no authenticate() call: it resumes the session itself
    remote.attached().then(
      ({ authenticated, storage: hostPolicy, options: hostDisplay }) => {
        if (!authenticated || signingIn || destroyed) return
        setPolicy(hostPolicy ?? 'auto')
        if (hostDisplay) frameMethods.update(hostDisplay) // the host's ui, locale and theme, which hello() brought the first document
        // no authenticate() call waits for it: the host hears a failure as an event
        track(resume()).catch((error) => reportFailure(deserializeError(error, 'EXCHANGE_FAILED')))
      },
      noop, // a host SDK without attached(): nothing to resume
    )
    cleanups.push(
      observeHeight((height) => void remote.resized({ height }).catch(noop), options.measureHeight),
      observeRoute(basePath, (path) => void remote.navigated({ path }).catch(noop)),
    )
  }, (error) => rejectReady(deserializeError(error, 'HANDSHAKE_TIMEOUT')))

  return connection
}
