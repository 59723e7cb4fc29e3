import {
  deserializeError,
  exposeMethods,
  openChannel,
  PROTOCOL_VERSION,
  SDK_VERSION,
  serializeError,
  SsoEmbedError,
  type DisplayOptions,
  type FrameMethods,
  type HostMethods,
  type HostWelcome,
  type Logger,
  type Channel,
  type Remote,
} from '@sso-embed/protocol'
import type { ConnectToHostOptions } from './options'
import { pushRoute } from './navigation'

/** What the frame answers the host: `signIn` after `setToken`, routes, display options, the platform's commands. */
export function createFrameMethods(options: ConnectToHostOptions, hooks: { signIn(): void; display(next: DisplayOptions): void }): FrameMethods {
  const methods: FrameMethods & { hello(): never } = {
    signIn: hooks.signIn,
    navigate({ path }) {
      if (typeof path !== 'string' || path[0] !== '/') throw new TypeError('navigate(): path must start with "/"')
      if (options.onNavigate) options.onNavigate(path)
      else pushRoute((options.basePath ?? '') + path)
    },
    update: hooks.display,
    async command({ name, payload }) {
      const handler = options.commands && Object.hasOwn(options.commands, name) ? options.commands[name] : undefined
      if (typeof handler !== 'function') throw new SsoEmbedError('UNKNOWN_COMMAND', `The platform has no command "${name}"`)
      try {
        return await handler(payload as never)
      } catch (error) {
        throw serializeError(error, 'COMMAND_FAILED')
      }
    },
    // a host of protocol 1 starts with hello(): tell it which side to upgrade
    hello() {
      throw new SsoEmbedError(
        'PROTOCOL_MISMATCH',
        `The platform's frame speaks protocol ${PROTOCOL_VERSION} (sdk ${SDK_VERSION}): upgrade @sso-embed/core on the host page`,
      )
    },
  }
  return methods
}

/** Where and how {@link greetHost} looks for the host. */
export interface GreetingOptions {
  origins: readonly string[]
  /** The host's origin is known (the browser named it): speak first rather than wait. */
  speakFirst: boolean
  seen(origin: string): void
  urlToken: string | undefined
  /** Milliseconds for the host to answer the channel before `onTimeout`. */
  timeout: number
  onTimeout(error: SsoEmbedError): void
  log: Logger
}

/**
 * Connects to the host and greets it once: a channel on penpal's wire, exact origins only (the parent's origin
 * first where the browser names it, else the allowed ones, waiting for the host to speak first), then
 * `hello` with the URL token, if any. `welcome` resolves with the host's methods and its welcome;
 * `destroy()` closes the channel.
 */
export function greetHost(
  methods: FrameMethods,
  { origins, speakFirst, seen, urlToken, timeout, onTimeout, log }: GreetingOptions,
): { welcome: Promise<{ remote: Remote<HostMethods>; welcome: HostWelcome }>; destroy(): void } {
  const connection: Channel<HostMethods> = openChannel<HostMethods>(parent, origins, {
    methods: exposeMethods(methods, 'EXCHANGE_FAILED'),
    log,
    seen,
    speakFirst,
  })
  const timer = setTimeout(() => onTimeout(new SsoEmbedError('HANDSHAKE_TIMEOUT', `No handshake from the host in ${timeout} ms`)), timeout)
  connection.connected.then(
    () => clearTimeout(timer),
    () => {},
  )
  const { remote } = connection
  const welcome = connection.connected.then(async () => {
    const answer = await remote
      .hello({ protocolVersion: PROTOCOL_VERSION, sdkVersion: SDK_VERSION, ...(urlToken !== undefined && { urlToken }) })
      .catch((error) => {
        const reason = deserializeError(error, 'PROTOCOL_MISMATCH')
        // a host of protocol 1 has no hello(): penpal's METHOD_NOT_FOUND
        throw reason.code === 'PROTOCOL_MISMATCH' && /not found/i.test(reason.message)
          ? new SsoEmbedError('PROTOCOL_MISMATCH', `The host page's @sso-embed/core speaks an older protocol than this frame (${PROTOCOL_VERSION}): upgrade it`)
          : Object.assign(reason, { fromHost: true }) // the host refused the greeting: it knows why
      })
    if (answer?.protocolVersion !== PROTOCOL_VERSION)
      throw new SsoEmbedError('PROTOCOL_MISMATCH', `Host protocol ${answer?.protocolVersion}, frame ${PROTOCOL_VERSION}: align SDK versions`)
    return { remote, welcome: answer }
  })
  return {
    welcome,
    destroy() {
      clearTimeout(timer)
      connection.destroy()
    },
  }
}
