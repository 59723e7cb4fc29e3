import {
  createLogger,
  deserializeError,
  SsoEmbedError,
  type ErrorCode,
  type PlatformContract,
  type StorageAccessReport,
  type UntypedPlatform,
} from '@sso-embed/protocol'
import type { Embed, UpdatableOptions } from './embed'
import { createEmitter } from './events'
import { createHandle } from './handle'
import { createHostMethods } from './host-methods'
import { createInstance } from './instance'
import { createMount } from './mount'
import { failedFirst, isFinal, type EmbedState } from './machine'
import { validateOptions, type EmbedOptions } from './options'
import { createTokenSource } from './token-source'
import { createStates } from './ui/states'
import { logUnheard } from './unheard'

export type { EmbedState }
export type { Embed, UpdatableOptions }

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
  const instance = createInstance(log)
  const { alive, dispatch } = instance
  let storage: StorageAccessReport | undefined
  const states = createStates(
    container,
    () => opts,
    () => mount.iframe,
    () => embed.retry(),
  )

  // deferred so a listener attached right after configure() hears what was found synchronously
  const emitSoon = (type: string, payload?: unknown) => void Promise.resolve().then(() => alive() && events.emit(type, payload))

  /** Reports an error: the `error` event, or one console error when nobody listens (a script-tag page). */
  const report = (error: SsoEmbedError) =>
    void Promise.resolve().then(() => {
      if (alive() && !events.emit('error', error)) logUnheard(error)
    })

  /** A failure: fatal (state `error`, `ready` rejected) until the first sign-in, an event after it. */
  function fail(reason: unknown, fallback: ErrorCode = 'EXCHANGE_FAILED') {
    if (isFinal(instance.state) || failedFirst(instance.state)) return
    const error = deserializeError(reason, fallback)
    log?.('error', error.code, error.message)
    dispatch({ type: 'failed' })
    if (failedFirst(instance.state)) {
      mount.link?.greeted()
      instance.failed(error)
      // storage access denied: the frame's own interstitial is the way out (Try again, the popup), so the
      // host shows the frame rather than covering it
      if (error.code === 'STORAGE_ACCESS_DENIED') states.clear()
      else states.error(error)
    }
    report(error)
  }

  const { methods, handOut, welcoming } = createHostMethods({
    options: () => opts,
    state: () => instance.state,
    dispatch,
    tokens,
    takeEarly: () => mount.takeEarly(),
    greeted() {
      mount.link?.greeted()
      if (mount.link) instance.greeted(mount.link.remote)
    },
    emit(type, payload) {
      if (type === 'sessionExpired') states.error(new SsoEmbedError('SESSION_EXPIRED', 'The session ended and no fresh token came'))
      if (alive()) events.emit(type, payload)
    },
    emitSoon,
    fail,
    signedIn(auth, first) {
      states.clear()
      instance.signedIn(auth)
      events.emit('authenticated', auth)
      if (first) events.emit('ready', auth)
    },
    refused(error) {
      if (!instance.state.user) instance.failed(error)
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
    documents: () => instance.state.documents,
    fail,
    // the channel was given up before any document greeted: calls waiting for one (send, navigate) end
    lost: instance.lost,
    mounted: () => states.mounted(),
  })
  const embed = createHandle<P>({
    instance,
    options: { get: () => opts, set: (next) => void (opts = next) },
    mount,
    tokens,
    events,
    states,
    log,
    storage: () => storage,
    welcoming,
    fail,
  })
  states.loading()
  mount.start()
  return embed
}
