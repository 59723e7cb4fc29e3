import {
  createLogger,
  deferred,
  deserializeError,
  ENDPOINTS,
  serializeError,
  SsoEmbedError,
  type AuthInfo,
  type DisplayOptions,
  type ErrorCode,
  type FrameEvent,
  type HostMethods,
  type Channel,
  type Remote,
  type PlatformContract,
  type StorageAccessReport,
  type UntypedPlatform,
} from '@sso-embed/protocol'
import { endpointBeside, exchangeWithEndpoint, logoutAtEndpoint } from './exchange'
import { discoverHostOrigin } from './host-origin'
import { initialFrameState, reduceFrame, type FrameAction } from './machine'
import { createFrameMethods, greetHost } from './greeting'
import { observeRoute } from './navigation'
import { validateOptions, type ConnectToHostOptions, type HostConnection } from './options'
import { observeHeight } from './resize'
import { createSession } from './session'
import { createSignIn } from './sign-in'
import { createStoragePolicy } from './storage/policy'
import { takeTokenFromUrl } from './url-token'

export type { ConnectToHostOptions, HostConnection }

const noop = () => {}

/**
 * Connects the platform page (running inside the host's iframe) to the host page: greets it, signs in
 * with what its welcome allows, refreshes the session before it ends, and reports sign-ins, height and
 * routes as events.
 */
export function connectToHost<P extends PlatformContract = UntypedPlatform>(options: ConnectToHostOptions<P>): HostConnection<P> {
  validateOptions(options as ConnectToHostOptions)
  if (typeof window === 'undefined') throw new SsoEmbedError('BROWSER_REQUIRED', 'connectToHost() needs a browser')
  const { allowedHostOrigins: allowed, basePath = '', timeout = 10_000 } = options
  const log = createLogger(options.debug, 'frame')
  const exchange = typeof options.exchange === 'string' ? exchangeWithEndpoint(options.exchange) : options.exchange
  const beside = (name: string) => endpointBeside(options.exchange, name)
  let state = initialFrameState
  const dispatch = (action: FrameAction) => void (state = reduceFrame(state, action))
  const ready = deferred<AuthInfo>()
  ready.promise.catch(noop)
  const host = deferred<Remote<HostMethods>>()
  host.promise.catch(noop)
  const cleanups: (() => void)[] = []
  let penpal: Channel<HostMethods> | undefined
  let hostOrigin: string | undefined
  let display: DisplayOptions = {}
  let storage: StorageAccessReport | undefined
  let handshakeTimer: ReturnType<typeof setTimeout> | undefined
  let welcomed = false
  let signInAsked = false

  // a document going away (a reload) aborts its fetches: those failures are not the host's to hear
  let leaving = false
  const report = (event: FrameEvent) => void (leaving || host.promise.then((remote) => remote.event(event)).catch(noop))
  /** A failure: `ready` rejects (before the first sign-in), `onError` hears it (after), and the host is told. */
  const fail = (error: SsoEmbedError, tellHost: boolean) => {
    log?.('failed', error.code, error.message)
    if (state.signedInOnce) options.onError?.(error)
    ready.reject(error)
    if (tellHost) report({ type: 'error', error: serializeError(error, 'EXCHANGE_FAILED') })
  }
  const session = createSession({
    refreshMargin: options.refreshMargin,
    onRefreshDue: () => void signIn.refresh(),
    onExpired() {
      dispatch({ type: 'expired' })
      report({ type: 'sessionExpired' })
    },
  })
  const pull = async (rejected?: ErrorCode) => {
    try {
      return await (await host.promise).getToken(rejected ? { rejected } : undefined)
    } catch (error) {
      // the host could not give a token: it reported that itself
      throw Object.assign(deserializeError(error, 'TOKEN_UNAVAILABLE'), { fromHost: true })
    }
  }
  const storagePolicy = createStoragePolicy({
    own: options.storage,
    settings: options.storageAccess,
    popupUrl: beside(ENDPOINTS.storageAccess),
    report(next) {
      storage = next
      options.onStorageAccess?.(next)
      report({ type: 'storageAccess', ...next })
    },
    onLateGrant: () => void signIn.run('token'),
  })
  const discovery = discoverHostOrigin(allowed)
  const signIn = createSignIn({
    exchange,
    hostOrigin: discovery.origin,
    gate: storagePolicy.gate,
    pull,
    session,
    resumeUrl: options.session === false ? undefined : (options.session ?? beside(ENDPOINTS.session)),
    logoutUrl: beside(ENDPOINTS.logout),
    async cookies() {
      await storagePolicy.measure()
      return storage?.status !== 'cookieless'
    },
    state: () => state,
    dispatch,
    log,
    succeeded(auth, how) {
      log?.('signed in', how, auth)
      // the host hears it first: a platform hook that throws changes nothing the host knows
      report({ type: 'authenticated', how, ...auth })
      ready.resolve(auth)
      try {
        options.onAuthenticated?.(auth)
      } catch (error) {
        reportError(error)
      }
    },
    failed: (error) => fail(error, !(error as { fromHost?: boolean }).fromHost),
  })

  const connection: HostConnection<P> = {
    ready: ready.promise,
    get auth() {
      return session.auth
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
      // no cookie before the sign-in: whatever the cookie jar holds then is not this host's user
      const request = new Request(input, { credentials: session.auth ? 'include' : 'omit', ...init })
      if (new URL(request.url).origin === location.origin) {
        for (const [name, value] of Object.entries(session.headers(hostOrigin))) if (!request.headers.has(name)) request.headers.set(name, value)
      }
      return fetch(request)
    },
    navigated: (path) => report({ type: 'navigate', path }),
    emit(name, payload) {
      if (typeof name !== 'string' || !name) throw new TypeError('emit(name, payload): name must be a non-empty string')
      report({ type: 'platform', name, payload })
    },
    async logout() {
      const headers = session.headers(hostOrigin)
      const url = beside(ENDPOINTS.logout)
      session.clear()
      signIn.destroy() // no refresh retry signs the user back in
      dispatch({ type: 'signedOut' })
      report({ type: 'signedOut' })
      if (url) await logoutAtEndpoint(url, headers)
    },
    destroy() {
      if (state.status === 'destroyed') return
      dispatch({ type: 'destroyed' })
      penpal?.destroy()
      for (const cleanup of cleanups.splice(0)) cleanup()
      clearTimeout(handshakeTimer)
      session.destroy()
      signIn.destroy()
      storagePolicy.destroy()
      ready.reject(new SsoEmbedError('DESTROYED', 'Destroyed'))
    },
  }

  if (window.parent === window) {
    ready.reject(new SsoEmbedError('NOT_EMBEDDED', 'Not inside an iframe'))
    return connection
  }
  const onPageHide = () => void (leaving = true)
  addEventListener('pagehide', onPageHide)
  cleanups.push(() => removeEventListener('pagehide', onPageHide))
  // always taken off the address; used only if the host's welcome accepts it
  const urlToken = takeTokenFromUrl()
  discovery.origin.then(
    (origin) => {
      hostOrigin = origin
      log?.('host origin', origin)
    },
    (error) => fail(error, false), // not the host we may talk to
  )
  if (discovery.refused) return connection
  void storagePolicy.measure() // in parallel with the handshake: a sign-in never waits for it with `auto`

  const methods = createFrameMethods(options as ConnectToHostOptions, {
    // before the welcome is handled, a sign-in the host asks for waits: the welcome's own would supersede it
    signIn: () => void (welcomed ? signIn.run('token') : (signInAsked = true)),
    display(next) {
      display = next
      options.onUpdate?.(next)
    },
  })
  const greeting = greetHost(methods, { origins: discovery.ancestor ? [discovery.ancestor] : allowed, speakFirst: !!discovery.ancestor, seen: discovery.seen, urlToken, log })
  penpal = greeting.connection
  handshakeTimer = setTimeout(() => fail(new SsoEmbedError('HANDSHAKE_TIMEOUT', `No handshake from the host in ${timeout} ms`), false), timeout)
  void greeting.connected.then(() => clearTimeout(handshakeTimer), noop)
  greeting.welcome
    .then(async ({ remote, welcome }) => {
      if (state.status === 'destroyed') return
      host.resolve(remote)
      methods.update(welcome.options ?? {})
      storagePolicy.hostAsks(welcome.storage)
      cleanups.push(
        observeHeight((height) => report({ type: 'resize', height }), options.measureHeight),
        observeRoute(basePath, (path) => report({ type: 'navigate', path })),
      )
      const started = signIn.start(welcome, urlToken)
      welcomed = true
      if (signInAsked) void signIn.run('token')
      await started
    })
    .catch((error) => {
      const reason = deserializeError(error, 'HANDSHAKE_TIMEOUT')
      dispatch({ type: 'failed' })
      // the host already knows about its own failures (no token, a protocol it refused)
      fail(reason, !(reason as { fromHost?: boolean }).fromHost)
    })

  return connection
}
