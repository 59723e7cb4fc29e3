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

/**
 * A penpal 7 messenger between this window and `remote` that only ever talks to exact origins: what
 * penpal's `WindowMessenger` does with exact `allowedOrigins`, on the same wire (either side may use
 * penpal's own), minus two things. The handshake's first message goes to each allowed origin instead
 * of `'*'`, and there is no penpal 6 compatibility, no `'*'` and no RegExp origins.
 *
 * A message counts only from `remote` and from one of `origins`; in debug mode (`log`) the others are
 * logged, since they are ignored silently otherwise. `seen` hears the origin of every penpal message
 * from `remote`, allowed or not (the frame learns its host's origin from it where the browser has no
 * `location.ancestorOrigins`). After the handshake, calls travel over a private `MessageChannel`.
 */
export function exactOriginMessenger(remote: Window, origins: readonly string[], log: Logger, seen?: (origin: string) => void): Messenger {
  if (!origins.every(isExactOrigin)) throw new TypeError(`exactOriginMessenger: origins must be exact origins, not ${JSON.stringify(origins)}`)
  const handlers = new Set<Handler>()
  let valid: (data: unknown) => boolean = () => false
  let port: MessagePort | undefined
  let peer: string | undefined // the remote document's origin, from its last SYN
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
      // a new document in the remote window (a reload) starts a new handshake
      usePort(undefined)
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
      // a SYN before the remote spoke goes to every allowed origin: the browser delivers it only to the right one
      const targets = peer ? [peer] : type === 'SYN' ? origins : []
      if (!targets.length) throw new Error('penpal: not connected')
      for (const targetOrigin of targets) remote.postMessage(message, { targetOrigin, transfer })
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
