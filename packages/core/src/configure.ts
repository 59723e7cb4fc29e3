import {
  createLogger,
  deferred,
  deserializeError,
  SsoEmbedError,
  type AuthInfo,
  type ErrorCode,
  type FrameMethods,
  type Remote,
  type PlatformContract,
  type StorageAccessReport,
  type UntypedPlatform,
} from '@sso-embed/protocol'
import type { Embed, UpdatableOptions } from './embed'
import { createEmitter } from './events'
import { createHostMethods } from './host-methods'
import { setAttributes } from './iframe'
import { createMount } from './mount'
import { failedFirst, initialState, isFinal, reduce, type EmbedState, type HostAction } from './machine'
import { MOUNT_OPTIONS, validateOptions, type EmbedOptions } from './options'
import { createTokenSource } from './token-source'
import { createStates } from './ui/states'
import { logUnheard } from './unheard'

export type { EmbedState }
export type { Embed, UpdatableOptions }

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

  const log = createLogger(opts.debug, 'host')
  const events = createEmitter()
  const tokens = createTokenSource(() => opts)
  let state = initialState
  let storage: StorageAccessReport | undefined
  let ready = deferred<AuthInfo>()
  ready.promise.catch(noop) // a rejection nobody awaits is still reported through the `error` event
  let connected = deferred<Remote<FrameMethods>>() // the first document greeted
  connected.promise.catch(noop)
  const states = createStates(container, () => opts, () => mount.iframe, () => embed.retry())
  // a call lost with a frame document that went away (a reload: DESTROYED) is no failure of the embed
  const whenConnected = (call: (remote: Remote<FrameMethods>) => unknown) =>
    void connected.promise.then(call).catch((error) => alive() && (error as { code?: string })?.code !== 'DESTROYED' && fail(error))

  const dispatch = (action: HostAction) => {
    const before = state.status
    state = reduce(state, action)
    if (state.status !== before) log?.('state', before, '→', state.status)
  }
  const alive = () => state.status !== 'destroyed'

  // deferred so a listener attached right after configure() hears what was found synchronously
  const emitSoon = (type: string, payload?: unknown) => void Promise.resolve().then(() => alive() && events.emit(type, payload))

  /** Reports an error: the `error` event, or one console error when nobody listens (a script-tag page). */
  const report = (error: SsoEmbedError) =>
    void Promise.resolve().then(() => {
      if (alive() && !events.emit('error', error)) logUnheard(error)
    })

  /** A failure: fatal (state `error`, `ready` rejected) until the first sign-in, an event after it. */
  function fail(reason: unknown, fallback: ErrorCode = 'EXCHANGE_FAILED') {
    if (isFinal(state) || failedFirst(state)) return
    const error = deserializeError(reason, fallback)
    log?.('error', error.code, error.message)
    dispatch({ type: 'failed' })
    if (failedFirst(state)) {
      mount.link?.greeted()
      ready.reject(error)
      // storage access denied: the frame's own interstitial is the way out (Try again, the popup), so the
      // host shows the frame rather than covering it
      if (error.code === 'STORAGE_ACCESS_DENIED') states.clear()
      else states.error(error)
    }
    report(error)
  }

  const { methods, handOut, welcoming } = createHostMethods({
    options: () => opts,
    state: () => state,
    dispatch,
    tokens,
    takeEarly: () => mount.takeEarly(),
    greeted() {
      mount.link?.greeted()
      mount.link?.remote.then(connected.resolve, noop)
    },
    emit(type, payload) {
      if (type === 'sessionExpired') states.error(new SsoEmbedError('SESSION_EXPIRED', 'The session ended and no fresh token came'))
      if (alive()) events.emit(type, payload)
    },
    emitSoon,
    fail,
    signedIn(auth, first) {
      states.clear()
      ready.resolve(auth)
      events.emit('authenticated', auth)
      if (first) events.emit('ready', auth)
      // setToken() during this sign-in: the frame signs in again with the queued token
      if (tokens.queued) whenConnected((remote) => remote.signIn())
    },
    refused(error) {
      if (!state.user) ready.reject(error)
      report(error)
    },
    resize(height) {
      const iframe = mount.iframe
      if (!(typeof height === 'number' && height >= 0 && height < 1e6) || !iframe) return
      if (opts.autoResize) iframe.style.height = `${Math.max(Math.ceil(height), opts.minHeight)}px`
      events.emit('resize', { height })
    },
    storage(next) {
      if (next.status === 'prompt') states.clear() // the frame asks the user: it must be seen
      events.emit('storageAccess', (storage = next))
    },
  })
  const mount = createMount({
    container,
    options: () => opts,
    methods,
    log,
    tokens,
    handOut,
    dispatch,
    alive,
    documents: () => state.documents,
    fail,
    // the channel was given up before any document greeted: calls waiting for one (send, navigate) end
    lost: (error) => connected.reject(error),
    mounted: () => states.mounted(),
  })
  states.loading()
  mount.start()

  const embed: Embed<P> = {
    get ready() {
      return ready.promise
    },
    get state() {
      return state.status
    },
    get iframe() {
      return mount.iframe
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
      // before the first greeting (or while a welcome waits for its token), the welcome carries the queued token
      if (state.documents > 0 && !welcoming()) whenConnected((remote) => remote.signIn())
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
      if (mount.iframe && changes.iframe) setAttributes(mount.iframe, changes.iframe)
      if ('ui' in changes || 'locale' in changes || 'theme' in changes) {
        const { ui, locale, theme } = opts
        whenConnected((remote) => remote.update({ ui, locale, theme }))
      }
    },
    send(name, payload) {
      if (typeof name !== 'string' || !name) throw new TypeError('send(name, payload): name must be a non-empty string')
      if (!alive()) return Promise.reject(destroyedError())
      return connected.promise
        .then((remote) => remote.command({ name, payload }))
        .catch((error) => Promise.reject(deserializeError(error, 'COMMAND_FAILED'))) as ReturnType<Embed<P>['send']>
    },
    retry() {
      if (!alive()) return
      log?.('retry')
      mount.teardown()
      state = initialState // a machine of its own for the new iframe
      connected.reject(destroyedError()) // a call still waiting for the old iframe ends
      ;(ready = deferred()).promise.catch(noop)
      ;(connected = deferred()).promise.catch(noop)
      states.loading()
      mount.start()
    },
    destroy() {
      if (!alive()) return
      log?.('destroy')
      dispatch({ type: 'destroyed' })
      mount.teardown()
      states.destroy()
      ready.reject(destroyedError())
      connected.reject(destroyedError())
      events.clear()
    },
  }
  return embed
}
