import type { RemoteProxy } from 'penpal'
import {
  createLogger,
  deferred,
  deserializeError,
  PROTOCOL_VERSION,
  SDK_VERSION,
  serializeError,
  SsoEmbedError,
  type AuthInfo,
  type ErrorCode,
  type FrameEvent,
  type FrameMethods,
  type HostMethods,
  type HostWelcome,
  type PlatformContract,
  type SerializedError,
  type StorageAccessReport,
  type UntypedPlatform,
} from '@sso-embed/protocol'
import { createEmitter, type AllEvents } from './events'
import { createIframe, frameUrl, setAttributes } from './iframe'
import { linkFrame, type FrameLink } from './link'
import { failedFirst, initialState, isFinal, reduce, type EmbedState, type HostAction } from './machine'
import { MOUNT_OPTIONS, validateOptions, type EmbedOptions } from './options'
import { createTokenSource } from './token-source'

export type { EmbedState }

/** Options that {@link Embed.update} accepts: everything but what decides where and how the iframe is mounted. */
export type UpdatableOptions = Partial<Omit<EmbedOptions, (typeof MOUNT_OPTIONS)[number]>>

/** A mounted embed, returned by {@link configure}; `P` types the platform's own events and commands. */
export interface Embed<P extends PlatformContract = UntypedPlatform> {
  /** Resolves with the user and project once signed in; rejects with an `SsoEmbedError` if that fails first. */
  readonly ready: Promise<AuthInfo>
  readonly state: EmbedState
  /** The iframe, once mounted. */
  readonly iframe: HTMLIFrameElement | undefined
  /** The frame's latest storage report (`status`: unpartitioned, partitioned or cookieless, or a step of the `require` flow). */
  readonly storage: StorageAccessReport | undefined
  /** Subscribes to an event (`platform:<name>` for the platform's own); returns the function that unsubscribes. */
  on<K extends keyof AllEvents<P> & string>(type: K, listener: (payload: AllEvents<P>[K]) => void): () => void
  /** Queues a new JWT and asks the frame to sign in again with it, without reloading the iframe. */
  setToken(token: string): void
  /** Moves the platform to `path` (relative to `instanceUrl`). */
  navigate(path: string): void
  /** Changes options after mounting: `ui`, `locale` and `theme` go to the frame; `token` and `path` as above. */
  update(options: UpdatableOptions): void
  /** Runs a command the platform defined; rejects with `UNKNOWN_COMMAND`, `COMMAND_FAILED` or `DESTROYED`. */
  send<K extends keyof P['commands'] & string>(name: K, payload: P['commands'][K]['payload']): Promise<P['commands'][K]['result']>
  /** Removes the iframe, every listener and timer, and tells the frame. Safe to call more than once. */
  destroy(): void
}

const noop = () => {}
const destroyedError = () => new SsoEmbedError('DESTROYED', 'Destroyed')

/**
 * Mounts the platform in an iframe inside `options.container` and signs the user in with a JWT.
 * Throws only for programming errors (`TypeError` for bad options, `CONTAINER_NOT_FOUND`,
 * `BROWSER_REQUIRED`); every later failure rejects `ready` and is emitted as an `error` event.
 */
export function configure<P extends PlatformContract = UntypedPlatform>(options: EmbedOptions): Embed<P> {
  let opts = validateOptions(options)
  if (typeof document === 'undefined') throw new SsoEmbedError('BROWSER_REQUIRED', 'configure() needs a browser DOM (not SSR)')
  const container = typeof opts.container === 'string' ? document.querySelector(opts.container) : opts.container
  if (!container) throw new SsoEmbedError('CONTAINER_NOT_FOUND', `No element matches ${opts.container}`)

  const origin = new URL(opts.instanceUrl).origin
  const log = createLogger(opts.debug, 'host')
  const events = createEmitter()
  const tokens = createTokenSource(() => opts)
  let state = initialState
  let iframe: HTMLIFrameElement | undefined
  let link: FrameLink | undefined
  let storage: StorageAccessReport | undefined
  const ready = deferred<AuthInfo>()
  ready.promise.catch(noop) // a rejection nobody awaits is still reported through the `error` event
  const connected = deferred<RemoteProxy<FrameMethods>>() // the first document greeted
  connected.promise.catch(noop)
  const whenConnected = (call: (remote: RemoteProxy<FrameMethods>) => unknown) => void connected.promise.then(call).catch(fail)

  const dispatch = (action: HostAction) => {
    const before = state.status
    state = reduce(state, action)
    if (state.status !== before) log?.('state', before, '→', state.status)
  }
  const alive = () => state.status !== 'destroyed'
  const display = () => ({ ui: opts.ui, locale: opts.locale, theme: opts.theme })

  // deferred so a listener attached right after configure() hears what was found synchronously
  const emitSoon = (type: string, payload?: unknown) => void Promise.resolve().then(() => alive() && events.emit(type, payload))

  /** Reports an error: the `error` event, or one console error when nobody listens (a script-tag page). */
  const report = (error: SsoEmbedError) =>
    void Promise.resolve().then(() => {
      if (alive() && !events.emit('error', error)) console.error(`[sso-embed] ${error.code}: ${error.message} — see the error codes in the sso-embed docs`)
    })

  /** A failure: fatal (state `error`, `ready` rejected) until the first sign-in, an event after it. */
  function fail(reason: unknown, fallback: ErrorCode = 'EXCHANGE_FAILED') {
    if (isFinal(state) || failedFirst(state)) return
    const error = deserializeError(reason, fallback)
    log?.('error', error.code, error.message)
    dispatch({ type: 'failed' })
    if (failedFirst(state)) {
      link?.greeted()
      ready.reject(error)
    }
    report(error)
  }

  /** A token for frame document `document`; a failure is reported here and crosses to the frame coded. */
  const handOut = async (document: number, pending: Promise<string> = tokens.next()) => {
    try {
      const token = await pending
      dispatch({ type: 'tokenHandedOut', document })
      return token
    } catch (error) {
      if ((error as { missing?: boolean }).missing) emitSoon('tokenExpired')
      fail(error, 'TOKEN_UNAVAILABLE')
      throw serializeError(error, 'TOKEN_UNAVAILABLE')
    }
  }
  // postMessage: the first token is fetched while the iframe loads, and the first welcome carries it
  let early: Promise<string> | undefined

  const signedIn = ({ how, type: _, ...auth }: Extract<FrameEvent, { type: 'authenticated' }>) => {
    const first = !state.user
    dispatch({ type: 'signedIn', auth, how })
    if (state.lastSignIn === 'refused') {
      const error = new SsoEmbedError('UNEXPECTED_SIGN_IN', `The frame signed in as user ${auth.user?.id} (${how}) though the host did not ask for it: refused`)
      if (!state.user) ready.reject(error)
      return report(error)
    }
    if (how === 'token' || how === 'refresh' || how === 'url') tokens.used()
    ready.resolve(auth)
    events.emit('authenticated', auth)
    if (first) events.emit('ready', auth)
  }

  const hostMethods: HostMethods = {
    async hello({ protocolVersion, sdkVersion, urlToken }) {
      if (protocolVersion !== PROTOCOL_VERSION) {
        const older = !(protocolVersion > PROTOCOL_VERSION)
        const error = new SsoEmbedError(
          'PROTOCOL_MISMATCH',
          `The platform's frame speaks protocol ${protocolVersion} (sdk ${sdkVersion}), this page ${PROTOCOL_VERSION} (sdk ${SDK_VERSION}): upgrade ${older ? "the platform's @sso-embed/frame" : '@sso-embed/core on this page'}`,
        )
        fail(error)
        throw serializeError(error, 'PROTOCOL_MISMATCH')
      }
      link?.greeted()
      dispatch({ type: 'greeted', urlToken })
      link?.remote.then(connected.resolve, noop)
      const { documents, allowed } = state
      const welcome: HostWelcome = {
        protocolVersion: PROTOCOL_VERSION,
        sdkVersion: SDK_VERSION,
        transport: opts.transport,
        options: display(),
        ...(opts.storage && { storage: opts.storage }),
        ...(allowed.resume && { resume: allowed.resume }),
        ...(allowed.url && { useUrlToken: true }),
      }
      if (!allowed.resume && !allowed.url) {
        const pending = early && !tokens.queued ? early : undefined
        early = undefined
        try {
          welcome.token = await handOut(documents, pending)
        } catch (error) {
          welcome.tokenError = error as SerializedError
        }
      }
      return welcome
    },
    getToken: (params) => handOut(state.documents, tokens.next(params?.rejected)),
    event(event) {
      if (!alive()) return
      switch (event.type) {
        case 'authenticated':
          return signedIn(event)
        case 'error':
          return fail(event.error)
        case 'storageAccess': {
          const { type: _, ...report } = event
          return void events.emit('storageAccess', (storage = report))
        }
        case 'resize': {
          const { height } = event
          if (!(typeof height === 'number' && height >= 0 && height < 1e6) || !iframe) return
          if (opts.autoResize) iframe.style.height = `${Math.max(Math.ceil(height), opts.minHeight)}px`
          return void events.emit('resize', { height })
        }
        case 'navigate':
          return void events.emit('navigate', { path: String(event.path) })
        case 'platform':
          return void (typeof event.name === 'string' && events.emit(`platform:${event.name}`, event.payload))
        case 'sessionExpired':
        case 'signedOut':
          return void events.emit(event.type, undefined)
      }
    },
  }

  const start = async () => {
    // query/fragment: the token is part of the iframe URL, so it must be known before mounting
    const urlToken = opts.transport === 'postMessage' ? undefined : await handOut(0)
    if (urlToken === undefined) (early = tokens.next()).catch((error) => handOut(0, Promise.reject(error)).catch(noop))
    if (!alive()) return
    iframe = createIframe(frameUrl(opts, urlToken), opts)
    container.append(iframe)
    if (!iframe.contentWindow) throw new SsoEmbedError('CONTAINER_NOT_FOUND', 'The container is not in the document')
    dispatch({ type: 'mounted', urlToken })
    link = linkFrame(iframe, origin, hostMethods, {
      timeout: opts.timeout,
      log,
      onTimeout(loaded) {
        link?.destroy()
        fail(
          new SsoEmbedError(
            'HANDSHAKE_TIMEOUT',
            loaded
              ? `${opts.instanceUrl} loaded but did not greet in ${opts.timeout} ms: does the page run connectToHost() allowing ${location.origin}?`
              : `The iframe did not load ${origin} in ${opts.timeout} ms: is the platform unreachable, or blocked by this page's CSP (frame-src)?`,
          ),
        )
      },
    })
  }
  start().catch((error) => fail(error, 'TOKEN_UNAVAILABLE'))

  const embed: Embed<P> = {
    ready: ready.promise,
    get state() {
      return state.status
    },
    get iframe() {
      return iframe
    },
    get storage() {
      return storage
    },
    on: events.on as Embed<P>['on'],
    setToken(token) {
      if (typeof token !== 'string') throw new TypeError('setToken(): token must be a string')
      if (isFinal(state)) return
      tokens.queue(token)
      dispatch({ type: 'authenticating' })
      // before the first greeting, the welcome carries the queued token
      if (state.documents > 0) whenConnected((remote) => remote.signIn())
    },
    navigate(path) {
      if (typeof path !== 'string' || path[0] !== '/') throw new TypeError('navigate(path): path must start with "/"')
      if (alive()) whenConnected((remote) => remote.navigate({ path }))
    },
    update(changes) {
      const bad = Object.keys(changes ?? {}).find((key) => (MOUNT_OPTIONS as readonly string[]).includes(key))
      if (bad) throw new TypeError(`update(): ${bad} is fixed; configure() a new embed`)
      opts = validateOptions({ ...opts, ...changes }, 'update()')
      if (!alive()) return
      if (changes.token !== undefined) embed.setToken(changes.token)
      if (changes.path !== undefined) embed.navigate(changes.path)
      if (iframe && changes.iframe) setAttributes(iframe, changes.iframe)
      if ('ui' in changes || 'locale' in changes || 'theme' in changes) {
        const next = display()
        whenConnected((remote) => remote.update(next))
      }
    },
    send(name, payload) {
      if (typeof name !== 'string' || !name) throw new TypeError('send(name, payload): name must be a non-empty string')
      if (!alive()) return Promise.reject(destroyedError())
      return connected.promise
        .then((remote) => remote.command({ name, payload }))
        .catch((error) => Promise.reject(deserializeError(error, 'COMMAND_FAILED'))) as ReturnType<Embed<P>['send']>
    },
    destroy() {
      if (!alive()) return
      log?.('destroy')
      dispatch({ type: 'destroyed' })
      link?.destroy()
      iframe?.remove()
      ready.reject(destroyedError())
      connected.reject(destroyedError())
      events.clear()
    },
  }
  return embed
}
