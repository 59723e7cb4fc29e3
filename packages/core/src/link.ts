import { openChannel, SsoEmbedError, type FrameMethods, type HostMethods, type Logger, type Remote } from '@sso-embed/protocol'
import type { ResolvedOptions } from './options'

export interface FrameLink {
  /** The frame's methods, once a frame document shook hands. */
  readonly remote: Promise<Remote<FrameMethods>>
  /** A document greeted: the handshake timer stops. */
  greeted(): void
  destroy(): void
}

/**
 * The host's channel to its iframe (penpal's wire, exact origins only). The first message waits for
 * the frame document — the frame's own SYN, or the iframe's `load` event (then the host knocks) — so
 * nothing is ever posted to the iframe's initial `about:blank`; every `load` (a reload of a frame that
 * cannot name its parent) knocks again. `onTimeout(loaded)` runs when no document greeted in `timeout` ms.
 */
export function linkFrame(
  iframe: HTMLIFrameElement,
  origin: string,
  methods: HostMethods,
  { timeout, log, onTimeout }: { timeout: number; log: Logger; onTimeout: (loaded: boolean) => void },
): FrameLink {
  const channel = openChannel<FrameMethods>(iframe.contentWindow!, [origin], { methods, log })
  let loaded = false
  const onLoad = () => {
    loaded = true
    channel.knock()
  }
  iframe.addEventListener('load', onLoad)
  const timer = setTimeout(() => onTimeout(loaded), timeout)
  return {
    remote: channel.connected.then(() => channel.remote),
    greeted: () => clearTimeout(timer),
    destroy() {
      clearTimeout(timer)
      iframe.removeEventListener('load', onLoad)
      channel.destroy()
    },
  }
}

/** `HANDSHAKE_TIMEOUT`, saying whether the iframe ever loaded (blocked, unreachable) or loaded a page that never greeted. */
export function handshakeTimeout({ instanceUrl, timeout }: ResolvedOptions, loaded: boolean): SsoEmbedError {
  return new SsoEmbedError(
    'HANDSHAKE_TIMEOUT',
    loaded
      ? `${instanceUrl} loaded but did not greet in ${timeout} ms: does the page run connectToHost() allowing ${location.origin}?`
      : `The iframe did not load ${new URL(instanceUrl).origin} in ${timeout} ms: is the platform unreachable, or blocked by this page's CSP (frame-src)?`,
  )
}
