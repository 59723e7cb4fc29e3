import { isExactOrigin } from './origin'
import type { Logger } from './rpc'

/** The envelope of every penpal 7 message. */
interface PenpalMessage {
  namespace: string
  channel?: string | undefined
  type: string
}
type Handler = (message: never) => void

/** What penpal's `connect()` needs of a messenger (penpal's `Messenger` type, written out so this package needs no penpal). */
export interface Messenger {
  initialize(options: { validateReceivedMessage: (data: unknown) => boolean }): void
  sendMessage(message: PenpalMessage, transfer?: Transferable[]): void
  addMessageHandler(handler: Handler): void
  removeMessageHandler(handler: Handler): void
  destroy(): void
}

/** What an {@link exactOriginMessenger} does before the remote window has spoken. */
export interface MessengerOptions {
  log?: Logger | undefined
  /** Hears the origin of every penpal message from the remote window, allowed or not. */
  seen?: ((origin: string) => void) | undefined
  /**
   * `true`: the remote window is known to hold a document of `origins[0]` (the frame, when the browser
   * names its parent in `location.ancestorOrigins`), so the first SYN goes there at once. Otherwise the
   * first SYN waits for the remote to speak first, or for {@link QuietMessenger.knock}.
   */
  speakFirst?: boolean | undefined
}

/** A messenger whose first message waits until the remote document exists. */
export interface QuietMessenger extends Messenger {
  /**
   * Sends the latest handshake SYN to `origins[0]`: the host calls it on the iframe's `load` event, when
   * the document the SYN is for exists (a frame that cannot know its parent's origin waits for it).
   */
  knock(): void
}

/**
 * A penpal 7 messenger between this window and `remote` that only ever talks to exact origins, and
 * never to a document of another origin: what penpal's `WindowMessenger` does with exact
 * `allowedOrigins`, on the same wire (either side may use penpal's own), minus three things. Its first
 * SYN is never posted to `'*'` nor to a window still holding `about:blank` (it waits, see
 * {@link MessengerOptions.speakFirst}); there is no penpal 6 compatibility; no RegExp origins.
 *
 * A message counts only from `remote` and from one of `origins`; in debug mode (`log`) the others are
 * logged, since they are ignored silently otherwise. After the handshake, calls travel over a private
 * `MessageChannel`. A new document in `remote` (a reload) shakes hands again over the same messenger.
 */
export function exactOriginMessenger(remote: Window, origins: readonly string[], { log, seen, speakFirst }: MessengerOptions = {}): QuietMessenger {
  if (!origins.length || !origins.every(isExactOrigin)) throw new TypeError(`exactOriginMessenger: origins must be exact origins, not ${JSON.stringify(origins)}`)
  const handlers = new Set<Handler>()
  let valid: (data: unknown) => boolean = () => false
  let port: MessagePort | undefined
  let peer: string | undefined = speakFirst ? origins[0] : undefined // where the remote document is known to be
  let syn: PenpalMessage | undefined // the latest SYN, for knock()
  let remoteId: unknown // the participant of the remote's last SYN
  /** Hands a message penpal's `validateReceivedMessage` accepted to every handler. */
  const deliver = (data: unknown) => {
    for (const handler of handlers) handler(data as never)
  }
  const fromPort = (e: MessageEvent) => {
    if (valid(e.data)) deliver(e.data)
  }
  const usePort = (next: MessagePort | undefined) => {
    port?.removeEventListener('message', fromPort)
    port?.close()
    port = next
    next?.addEventListener('message', fromPort)
    next?.start()
  }
  const fromWindow = (e: MessageEvent) => {
    const data = e.data as PenpalMessage | null
    if (data?.namespace !== 'penpal') return
    if (e.source !== remote) return log?.('ignored a message from another window', e.origin, data)
    seen?.(e.origin)
    if (!origins.includes(e.origin)) return log?.('ignored a message from origin', e.origin, data)
    if (!valid(data)) return
    if (data.type === 'SYN') {
      // a new document in the remote window (a reload) starts a new handshake; the same participant's
      // SYN again (penpal answers a SYN with its own) must not drop the port the handshake already set up
      const id = (data as { participantId?: unknown }).participantId
      if (id !== remoteId) usePort(undefined)
      remoteId = id
      peer = e.origin
    }
    if (data.type === 'ACK2') {
      if (!e.ports[0]) return log?.('ignored an ACK2 without a MessagePort', e.origin, data)
      usePort(e.ports[0])
    }
    deliver(data)
  }
  return {
    initialize({ validateReceivedMessage }) {
      valid = validateReceivedMessage
      addEventListener('message', fromWindow)
    },
    sendMessage(message, transfer = []) {
      const { type } = message
      if (type !== 'SYN' && type !== 'ACK1' && type !== 'ACK2') {
        if (!port) throw new Error('penpal: not connected')
        return port.postMessage(message, transfer)
      }
      if (type === 'ACK2') {
        const channel = new MessageChannel()
        usePort(channel.port1)
        transfer = [channel.port2, ...transfer]
      }
      if (type === 'SYN') syn = message
      // a SYN before the remote spoke waits (knock() or the remote's own SYN): penpal answers a SYN with its own
      if (peer) remote.postMessage(message, { targetOrigin: peer, transfer })
      else if (type !== 'SYN') throw new Error('penpal: not connected')
    },
    knock() {
      if (syn) remote.postMessage(syn, { targetOrigin: origins[0]! })
    },
    addMessageHandler: (handler) => void handlers.add(handler),
    removeMessageHandler: (handler) => void handlers.delete(handler),
    destroy() {
      removeEventListener('message', fromWindow)
      usePort(undefined)
      handlers.clear()
    },
  }
}
