import { connect, type Connection, type RemoteProxy } from 'penpal'
import {
  createLogger,
  deferred,
  deserializeError,
  exactOriginMessenger,
  PROTOCOL_VERSION,
  SDK_VERSION,
  serializeError,
  SsoEmbedError,
  type AuthInfo,
  type ErrorCode,
  type FrameMethods,
  type HostMethods,
  type StorageAccessReport,
} from '@sso-embed/protocol'
import { createEmitter, type EmbedEventName, type EmbedEvents, type Listener } from './events'
import { createIframe, frameUrl, setAttributes } from './iframe'
import { MOUNT_OPTIONS, validateOptions, type EmbedOptions } from './options'
import { fetchToken, isExpired, markSent, wasSent } from './token'

export type EmbedState = 'mounting' | 'connecting' | 'authenticating' | 'ready' | 'error' | 'destroyed'

/** Options that {@link Embed.update} accepts: everything but what decides where and how the iframe is mounted. */
export type UpdatableOptions = Partial<Omit<EmbedOptions, (typeof MOUNT_OPTIONS)[number]>>

/** A mounted embed, returned by {@link configure}. */
export interface Embed {
  /** Resolves with the user and project once signed in; rejects with an `SsoEmbedError` if that fails first. */
  readonly ready: Promise<AuthInfo>
  readonly state: EmbedState
  /** The iframe, once mounted. */
  readonly iframe: HTMLIFrameElement | undefined
  /** The frame's latest storage report (`status`: unpartitioned, partitioned or cookieless, or a step of the `require` flow). */
  readonly storage: StorageAccessReport | undefined
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends EmbedEventName>(type: K, listener: Listener<K>): () => void
  /** Signs in again with a new JWT, without reloading the iframe. */
  setToken(token: string): void
  /** Moves the platform to `path` (relative to `instanceUrl`). */
  navigate(path: string): void
  /** Changes options after mounting: `ui`, `locale` and `theme` go to the frame; `token` and `path` as above. */
  update(options: UpdatableOptions): void
  /** Removes the iframe, every listener and timer, and tells the frame. Safe to call more than once. */
  destroy(): void
}

const noop = () => {}

/**
 * Mounts the platform in an iframe inside `options.container` and signs the user in with a JWT.
 * Throws only for programming errors (`TypeError` for bad options, `CONTAINER_NOT_FOUND`,
 * `BROWSER_REQUIRED`); every later failure rejects `ready` and is emitted as an `error` event.
 */
export function configure(options: EmbedOptions): Embed {
  let opts = validateOptions(options)
  if (typeof document === 'undefined') {
    throw new SsoEmbedError('BROWSER_REQUIRED', 'configure() needs a browser DOM (not SSR)')
  }
  const container = typeof opts.container === 'string' ? document.querySelector(opts.container) : opts.container
  if (!container) throw new SsoEmbedError('CONTAINER_NOT_FOUND', `No element matches ${opts.container}`)

  const origin = new URL(opts.instanceUrl).origin
  const log = createLogger(opts.debug, 'host')
  const events = createEmitter()
  let state: EmbedState = 'mounting'
  let iframe: HTMLIFrameElement | undefined
  let connection: Connection<FrameMethods> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let pendingToken = opts.token
  let authenticatedOnce = false
  let storage: StorageAccessReport | undefined
  const { promise: ready, resolve: resolveReady, reject: rejectReady } = deferred<AuthInfo>()
  ready.catch(noop) // a rejection nobody awaits is still reported through the `error` event
  const { promise: connected, resolve: resolveConnected } = deferred<RemoteProxy<FrameMethods>>()
  /** Runs `call` once the frame is connected; a failure is reported like any other. */
  const whenConnected = (call: (remote: RemoteProxy<FrameMethods>) => unknown) => void connected.then(call).catch(fail)

  const display = () => ({ ui: opts.ui, locale: opts.locale, theme: opts.theme })
  const alive = () => state !== 'destroyed'
  const setState = (next: EmbedState) => {
    if (!alive()) return
    log?.('state', state, '→', next)
    state = next
  }

  // deferred so a listener attached right after configure() hears what was found synchronously
  const emitSoon = <K extends EmbedEventName>(type: K, payload: EmbedEvents[K]) =>
    void Promise.resolve().then(() => alive() && events.emit(type, payload))

  /** Reports a failure: fatal (state `error`, `ready` rejected) until the first sign-in, an event after it. */
  const fail = (reason: unknown, fallback: ErrorCode = 'EXCHANGE_FAILED') => {
    if (!alive() || (state === 'error' && !authenticatedOnce)) return // already failed
    const error = deserializeError(reason, fallback)
    log?.('error', error.code, error.message)
    if (!authenticatedOnce) {
      clearTimeout(timer)
      setState('error')
      rejectReady(error)
    }
    emitSoon('error', error)
  }

  const authenticated = (auth: AuthInfo) => {
    if (!alive()) return
    resend = undefined
    setState('ready')
    const first = !authenticatedOnce
    authenticatedOnce = true
    resolveReady(auth)
    events.emit('authenticated', auth)
    if (first) events.emit('ready', auth)
  }

  /** The next token to send: the pending one if it is still valid, else a fresh one from `getToken`. */
  const nextToken = async (): Promise<string> => {
    let token = pendingToken ?? resend
    pendingToken = resend = undefined
    const getToken = opts.getToken ?? (opts.tokenUrl === undefined ? undefined : () => fetchToken(opts.tokenUrl!))
    // a token this page already sent (a wrapper remounting with the same prop) is used up: get a fresh one when we can
    if (token !== undefined && !isExpired(token) && !(getToken && wasSent(token))) return token
    if (!getToken) {
      emitSoon('tokenExpired', undefined)
      const none = token === undefined
      throw new SsoEmbedError(none ? 'TOKEN_UNAVAILABLE' : 'TOKEN_EXPIRED', `${none ? 'No token' : 'Token expired'}: give getToken or call setToken()`)
    }
    try {
      token = await getToken()
    } catch (cause) {
      throw new SsoEmbedError('TOKEN_UNAVAILABLE', `getToken() failed: ${(cause as Error)?.message ?? cause}`, { cause })
    }
    if (typeof token !== 'string') throw new SsoEmbedError('TOKEN_UNAVAILABLE', 'getToken() gave no string')
    if (isExpired(token)) throw new SsoEmbedError('TOKEN_EXPIRED', 'getToken() gave an expired token')
    return token
  }

  const hostMethods: HostMethods = {
    // the one host method that fails on purpose: its error crosses as a plain coded object (penpal
    // would send an Error without its code); the others' failures reach the frame as penpal errors
    getToken: () => nextToken().catch((error) => Promise.reject(serializeError(error, 'TOKEN_UNAVAILABLE'))),
    resized({ height }) {
      if (!(typeof height === 'number' && height >= 0 && height < 1e6) || !iframe) return
      if (opts.autoResize) iframe.style.height = `${Math.max(Math.ceil(height), opts.minHeight)}px`
      events.emit('resize', { height })
    },
    navigated({ path }) {
      events.emit('navigate', { path: String(path) })
    },
    event({ type, ...payload }) {
      if (type === 'authenticated') authenticated(payload as AuthInfo)
      else if (type === 'error') fail((payload as { error: unknown }).error)
      else if (type === 'sessionExpired') events.emit(type, undefined)
      else if (type === 'storageAccess') events.emit(type, (storage = payload as StorageAccessReport))
    },
    // a reloaded frame document resumes the session itself once this iframe was signed in
    attached: () => {
      // a second document before the first sign-in finished: the frame reloaded or navigated during the
      // first exchange, and the first document's hello or sign-in went with it
      const again = ++documents > 1 && !authenticatedOnce
      if (again && lastSent === undefined) {
        // nothing was sent yet (a reload during hello): this document gets hello and the token
        connection?.promise.then((remote) => greetAndSignIn(remote, helloToken)).catch(fail)
      } else if (again) {
        // a token was sent and its exchange may have finished: the document resumes like a reload after
        // sign-in (the session cookie's session, else a token from getToken: a new one when there is
        // getToken, else the same one again); no hello for it, so the handshake timer ends here
        resend = lastSent
        greetings++ // an earlier greeting still waiting (its document is gone) stops
        clearTimeout(timer)
        connection?.promise.then(resolveConnected)
      }
      const resume = authenticatedOnce || (again && lastSent !== undefined)
      return { authenticated: resume, options: display(), ...(opts.storage && { storage: opts.storage }) }
    },
  }
  let documents = 0
  let lastSent: string | undefined
  /** The token a document reloaded mid-exchange may get again (without getToken), until a sign-in succeeds. */
  let resend: string | undefined
  let first: Promise<string> | undefined

  // overlapping sign-ins (setToken during an exchange): the latest one started wins
  let signIns = 0
  const signIn = async (remote: RemoteProxy<FrameMethods>, token: string | undefined) => {
    const turn = ++signIns
    if (token !== undefined) markSent((lastSent = token))
    const auth = await remote.authenticate({ ...(token !== undefined && { token }) })
    if (turn === signIns) authenticated(auth)
  }

  const start = async () => {
    // check (or fetch) the first token at once: a bad one fails before the handshake
    first = nextToken()
    first.catch(fail)
    // query/fragment: the token is part of the iframe URL, so it must be known before mounting
    const urlToken = opts.transport === 'postMessage' ? undefined : await first
    if (!alive()) return
    if (urlToken !== undefined) markSent((lastSent = urlToken))
    iframe = createIframe(frameUrl(opts, urlToken), opts)
    container.append(iframe)
    const remoteWindow = iframe.contentWindow
    if (!remoteWindow) throw new SsoEmbedError('CONTAINER_NOT_FOUND', 'The container is not in the document')
    setState('connecting')
    timer = setTimeout(() => {
      connection?.destroy()
      fail(new SsoEmbedError('HANDSHAKE_TIMEOUT', `No handshake from ${origin} in ${opts.timeout} ms: does the page run connectToHost() allowing ${location.origin}?`))
    }, opts.timeout)
    connection = connect<FrameMethods>({
      messenger: exactOriginMessenger(remoteWindow, [origin], log),
      methods: hostMethods,
      ...(log && { log }),
    })
    const remote = await connection.promise
    await greetAndSignIn(remote, helloToken)
  }

  /**
   * The token to sign in with after hello: one from setToken() during the handshake wins; else the first
   * one, unless the iframe URL already carried it (query/fragment, sent before mounting).
   */
  const helloToken = async () => (pendingToken !== undefined ? nextToken() : lastSent === undefined ? first : undefined)

  /**
   * `hello` (protocol version, display options, storage policy), then a sign-in with the token from
   * `token()`. Only the latest call goes on: an earlier one still waiting (its document reloaded) stops.
   */
  let greetings = 0
  const greetAndSignIn = async (remote: RemoteProxy<FrameMethods>, token: () => Promise<string | undefined>) => {
    const greeting = ++greetings
    const hello = await remote.hello({
      protocolVersion: PROTOCOL_VERSION,
      sdkVersion: SDK_VERSION,
      transport: opts.transport,
      options: display(),
      ...(opts.storage && { storage: opts.storage }),
    })
    if (!alive() || state === 'error' || greeting !== greetings) return
    if (hello?.protocolVersion !== PROTOCOL_VERSION) {
      throw new SsoEmbedError('PROTOCOL_MISMATCH', `Frame protocol ${hello?.protocolVersion}, host ${PROTOCOL_VERSION}: align SDK versions`)
    }
    clearTimeout(timer)
    resolveConnected(remote)
    setState('authenticating')
    const next = await token()
    if (greeting === greetings) await signIn(remote, next)
  }
  start().catch(fail)

  const embed: Embed = {
    ready,
    get state() {
      return state
    },
    get iframe() {
      return iframe
    },
    get storage() {
      return storage
    },
    on: events.on,
    setToken(token) {
      if (typeof token !== 'string') throw new TypeError('setToken(): token must be a string')
      if (!alive()) return
      pendingToken = token
      // during the handshake start() takes the pending token first, and this finds none left
      whenConnected(async (remote) => {
        if (pendingToken === undefined) return
        if (!authenticatedOnce) setState('authenticating')
        await signIn(remote, await nextToken())
      })
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
    destroy() {
      if (!alive()) return
      log?.('destroy')
      state = 'destroyed'
      clearTimeout(timer)
      connection?.destroy()
      iframe?.remove()
      rejectReady(new SsoEmbedError('DESTROYED', 'Destroyed'))
      events.clear()
    },
  }
  return embed
}
