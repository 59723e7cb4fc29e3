import { deserializeError, type Logger, type PlatformContract, type StorageAccessReport } from '@sso-embed/protocol'
import type { Embed } from './embed'
import type { Emitter } from './events'
import { setAttributes } from './iframe'
import { destroyedError, type Instance } from './instance'
import { isFinal } from './machine'
import type { Mount } from './mount'
import { MOUNT_OPTIONS, validateOptions, type ResolvedOptions } from './options'
import type { TokenSource } from './token-source'
import type { States } from './ui/states'

export interface HandleDeps {
  instance: Instance
  options: { get(): ResolvedOptions; set(next: ResolvedOptions): void }
  mount: Mount
  tokens: TokenSource
  events: Emitter
  states: States
  log: Logger
  storage(): StorageAccessReport | undefined
  /** A welcome is waiting for its token (it will carry the queued one). */
  welcoming(): boolean
  fail(error: unknown): void
}

/** The {@link Embed} that `configure()` returns: the public face of one instance, its mount and its views. */
export function createHandle<P extends PlatformContract>(deps: HandleDeps): Embed<P> {
  const { instance, options, mount, tokens, events, states, log } = deps
  const call = (fn: Parameters<Instance['whenConnected']>[0]) => instance.whenConnected(fn, deps.fail)

  const embed: Embed<P> = {
    get ready() {
      return instance.ready
    },
    get state() {
      return instance.state.status
    },
    get iframe() {
      return mount.iframe
    },
    get storage() {
      return deps.storage()
    },
    on: events.on as Embed<P>['on'],
    setToken(token) {
      if (typeof token !== 'string') throw new TypeError('setToken(): token must be a string')
      if (isFinal(instance.state)) return
      tokens.queue(token)
      instance.dispatch({ type: 'authenticating' })
      // before the first greeting (or while a welcome waits for its token), the welcome carries the queued token
      if (instance.state.documents > 0 && !deps.welcoming()) call((remote) => remote.signIn())
    },
    navigate(path) {
      if (typeof path !== 'string' || path[0] !== '/') throw new TypeError('navigate(path): path must start with "/"')
      if (instance.alive()) call((remote) => remote.navigate({ path }))
    },
    update(changes) {
      const bad = Object.keys(changes ?? {}).find((key) => (MOUNT_OPTIONS as readonly string[]).includes(key))
      if (bad) throw new TypeError(`update(): ${bad} is fixed; configure() a new embed`)
      const opts = validateOptions({ ...options.get(), ...changes }, 'update()')
      options.set(opts)
      if (!instance.alive()) return
      if (changes.token !== undefined) embed.setToken(changes.token)
      if (changes.path !== undefined) embed.navigate(changes.path)
      if (mount.iframe && changes.iframe) setAttributes(mount.iframe, changes.iframe)
      if ('ui' in changes || 'locale' in changes || 'theme' in changes) {
        const { ui, locale, theme } = opts
        call((remote) => remote.update({ ui, locale, theme }))
      }
    },
    send(name, payload) {
      if (typeof name !== 'string' || !name) throw new TypeError('send(name, payload): name must be a non-empty string')
      if (!instance.alive()) return Promise.reject(destroyedError())
      return instance.connected
        .then((remote) => remote.command({ name, payload }))
        .catch((error) => Promise.reject(deserializeError(error, 'COMMAND_FAILED'))) as ReturnType<Embed<P>['send']>
    },
    retry() {
      if (!instance.alive()) return
      log?.('retry')
      mount.teardown()
      instance.reset()
      states.loading()
      mount.start()
    },
    destroy() {
      if (!instance.alive()) return
      log?.('destroy')
      instance.end()
      mount.teardown()
      states.destroy()
      events.clear()
    },
  }
  return embed
}
