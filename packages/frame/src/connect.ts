import { createLogger, deserializeError, ENDPOINTS, SsoEmbedError, type PlatformContract, type UntypedPlatform } from '@sso-embed/protocol'
import { createConnection, type FrameView } from './connection'
import { endpointBeside, exchangeWithEndpoint } from './exchange'
import { createHostLink } from './host-link'
import { discoverHostOrigin } from './host-origin'
import { initialFrameState, reduceFrame, type FrameAction } from './machine'
import { createFrameMethods, greetHost } from './greeting'
import { observeRoute } from './navigation'
import { validateOptions, type ConnectToHostOptions, type HostConnection } from './options'
import { observeHeight } from './resize'
import { createOutcome } from './outcome'
import { createSession } from './session'
import { createSignIn } from './sign-in'
import { createStoragePolicy } from './storage/policy'
import { takeTokenFromUrl } from './url-token'

export type { ConnectToHostOptions, HostConnection }

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
  const link = createHostLink()
  const { report } = link
  const outcome = createOutcome(options, { report, signedInOnce: () => state.signedInOnce, log })
  const view: FrameView = { hostOrigin: undefined, display: {}, storage: undefined }
  const cleanups: (() => void)[] = [link.destroy]
  let welcomed = false
  let signInAsked = false

  const session = createSession({
    refreshMargin: options.refreshMargin,
    onRefreshDue: () => void signIn.refresh(),
    onExpired() {
      dispatch({ type: 'expired' })
      report({ type: 'sessionExpired' })
    },
  })
  const storagePolicy = createStoragePolicy({
    own: options.storage,
    settings: options.storageAccess,
    popupUrl: beside(ENDPOINTS.storageAccess),
    report(next) {
      view.storage = next
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
    pull: link.pull,
    session,
    resumeUrl: options.session === false ? undefined : (options.session ?? beside(ENDPOINTS.session)),
    logoutUrl: beside(ENDPOINTS.logout),
    async cookies() {
      await storagePolicy.measure()
      return view.storage?.status !== 'cookieless'
    },
    state: () => state,
    dispatch,
    log,
    succeeded: outcome.succeeded,
    failed: (error) => outcome.failed(error),
  })

  const connection = createConnection<P>({
    ready: () => outcome.ready,
    view,
    session,
    report,
    dispatch,
    stopSignIns: () => signIn.destroy(),
    logoutUrl: beside(ENDPOINTS.logout),
    destroy() {
      if (state.status === 'destroyed') return
      dispatch({ type: 'destroyed' })
      for (const cleanup of cleanups.splice(0)) cleanup()
      session.destroy()
      signIn.destroy()
      storagePolicy.destroy()
      outcome.destroyed()
    },
  })

  if (window.parent === window) {
    outcome.failed(new SsoEmbedError('NOT_EMBEDDED', 'Not inside an iframe'), false)
    return connection
  }
  // always taken off the address; used only if the host's welcome accepts it
  const urlToken = takeTokenFromUrl()
  discovery.origin.then(
    (origin) => {
      view.hostOrigin = origin
      log?.('host origin', origin)
    },
    (error) => outcome.failed(error, false), // not the host we may talk to
  )
  if (discovery.refused) return connection
  void storagePolicy.measure() // in parallel with the handshake: a sign-in never waits for it with `auto`

  const methods = createFrameMethods(options as ConnectToHostOptions, {
    // before the welcome is handled, a sign-in the host asks for waits: the welcome's own would supersede it
    signIn: () => void (welcomed ? signIn.run('token') : (signInAsked = true)),
    display(next) {
      view.display = next
      options.onUpdate?.(next)
    },
  })
  const { origins, speakFirst, seen } = discovery
  const greeting = greetHost(methods, { origins, speakFirst, seen, urlToken, timeout, onTimeout: (error) => outcome.failed(error, false), log })
  cleanups.push(greeting.destroy)
  greeting.welcome
    .then(async ({ remote, welcome }) => {
      if (state.status === 'destroyed') return
      link.welcomed(remote)
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
      dispatch({ type: 'failed' })
      // the host already knows about its own failures (no token, a protocol it refused)
      outcome.failed(deserializeError(error, 'HANDSHAKE_TIMEOUT'))
    })

  return connection
}
