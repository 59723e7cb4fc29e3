import { SsoEmbedError } from './error'
import { isExactOrigin } from './origin'
import { deferred, type Logger } from './rpc'

type Methods = Record<string, (...args: never[]) => unknown>

/** The other side's methods, each returning a promise of its answer. */
export type Remote<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never }

export interface ChannelOptions {
  /** The methods this side answers. */
  methods: Methods
  log?: Logger | undefined
  /** Hears the origin of every penpal message from the remote window, allowed or not. */
  seen?: ((origin: string) => void) | undefined
  /**
   * `true`: the remote window is known to hold a document of `origins[0]` (the frame, when the browser
   * names its parent in `location.ancestorOrigins`), so the first SYN goes there at once. Otherwise it
   * waits for the remote to speak first, or for {@link Channel.knock}.
   */
  speakFirst?: boolean | undefined
}

export interface Channel<T> {
  /** Calls the remote's methods; a call waits for the handshake, and rejects `DESTROYED` if its document goes away first. */
  readonly remote: Remote<T>
  /** Resolves when a remote document first completed the handshake. */
  readonly connected: Promise<void>
  /**
   * The host calls it on every `load` of the iframe: a document of `origins[0]` now exists. Unless that
   * document already greeted on its own (its SYN came unasked since the last load), the host sends it its
   * SYN — a frame that cannot name its parent (Firefox) waits for it. A document that did greet is not
   * knocked on: stock penpal drops its port on every SYN, even one it already answered.
   */
  knock(): void
  /** Stops listening, rejects pending calls with `DESTROYED` and tells the remote (penpal's `DESTROY`). */
  destroy(): void
}

interface Message {
  namespace: 'penpal'
  channel?: undefined
  type: 'SYN' | 'ACK1' | 'ACK2' | 'CALL' | 'REPLY' | 'DESTROY'
  [key: string]: unknown
}

const gone = () => new SsoEmbedError('DESTROYED', 'The other document went away (a reload, or destroy())')
const newId = () => globalThis.crypto?.randomUUID?.() ?? `${Math.random()}`.slice(2) + Date.now()

/**
 * A penpal 7 connection (its handshake, calls and wire format, so either side may be stock penpal) between
 * this window and `remote` that only ever talks to exact origins, never to `'*'` and never to a window
 * that does not hold the remote document yet. A message counts only from `remote` and one of `origins`
 * (with `log`, the others are logged). After the handshake, calls travel over a private `MessageChannel`.
 * A new document in `remote` (a reload) shakes hands again: calls still waiting for the old one reject
 * with `DESTROYED`, later calls go to the new one.
 */
export function openChannel<T>(remote: Window, origins: readonly string[], { methods, log, seen, speakFirst }: ChannelOptions): Channel<T> {
  if (!origins.length || !origins.every(isExactOrigin)) throw new TypeError(`openChannel: origins must be exact origins, not ${JSON.stringify(origins)}`)
  const me = newId()
  const syn: Message = { namespace: 'penpal', type: 'SYN', participantId: me }
  const pending = new Map<string, { resolve(value: unknown): void; reject(reason: unknown): void }>()
  const first = deferred<void>()
  let open = deferred<MessagePort>()
  let port: MessagePort | undefined
  let peer: string | undefined = speakFirst ? origins[0] : undefined // where the remote document is known to be
  let remoteId: unknown
  let closed = false
  let knocked = false // a knock since the last load: the next SYN answers it
  let greetedUnasked = false // a new document's SYN came on its own since the last load

  const post = (message: Message, transfer: Transferable[] = []) => peer && remote.postMessage(message, { targetOrigin: peer, transfer })
  const send = (message: Message) => port?.postMessage(message)
  const fail = (reason: unknown) => {
    for (const call of pending.values()) call.reject(reason)
    pending.clear()
  }
  const usePort = (next: MessagePort | undefined) => {
    port?.close()
    port = next
    if (!next) return
    // a call is answered on the port it came in on, never on a newer document's
    next.onmessage = (e) => void fromPort(e.data as Message, next)
    open.resolve(next)
    first.resolve()
  }

  async function fromPort(message: Message, from: MessagePort) {
    if (message?.namespace !== 'penpal') return
    if (message.type === 'REPLY') {
      const call = pending.get(message['callId'] as string)
      pending.delete(message['callId'] as string)
      const { value, isError, isSerializedErrorInstance } = message as unknown as {
        value: { penpalCode?: string }
        isError?: boolean
        isSerializedErrorInstance?: boolean
      }
      if (!isError) return call?.resolve(value)
      return call?.reject(isSerializedErrorInstance ? { ...value, code: value.penpalCode } : value)
    }
    if (message.type === 'DESTROY') return fail(gone())
    if (message.type !== 'CALL') return
    const { id: callId, methodPath, args } = message as unknown as { id: string; methodPath: string[]; args: never[] }
    const name = methodPath.join('.')
    const method = methodPath.length === 1 && Object.hasOwn(methods, name) ? methods[name] : undefined
    log?.('call', name)
    let reply: Record<string, unknown>
    try {
      if (!method) throw Object.assign(new Error(`Method \`${name}\` is not found.`), { name: 'PenpalError', penpalCode: 'METHOD_NOT_FOUND' })
      reply = { value: await method(...args) }
    } catch (error) {
      const { name, message, penpalCode } = error as { name: string; message: string; penpalCode?: string }
      reply =
        error instanceof Error ? { isError: true, isSerializedErrorInstance: true, value: { name, message, penpalCode } } : { isError: true, value: error }
    }
    if (from === port) from.postMessage({ namespace: 'penpal', type: 'REPLY', callId, ...reply })
  }

  const fromWindow = (e: MessageEvent) => {
    const data = e.data as Message | null
    if (data?.namespace !== 'penpal' || closed) return
    if (e.source !== remote) return log?.('ignored a message from another window', e.origin, data)
    seen?.(e.origin)
    if (!origins.includes(e.origin)) return log?.('ignored a message from origin', e.origin, data)
    if (data.channel !== undefined) return
    if (data.type === 'SYN') {
      peer = e.origin
      // the same participant's SYN again (penpal answers a SYN with its own) changes nothing
      if (data['participantId'] === remoteId) return
      // a new document in the remote window (a reload): calls waiting for the old one will never be answered
      remoteId = data['participantId']
      if (!knocked) greetedUnasked = true
      fail(gone())
      if (port) open = deferred<MessagePort>()
      usePort(undefined)
      post(syn)
      if (me > String(remoteId)) post({ namespace: 'penpal', type: 'ACK1', methodPaths: Object.keys(methods).map((name) => [name]) })
    } else if (data.type === 'ACK1') {
      const { port1, port2 } = new MessageChannel()
      post({ namespace: 'penpal', type: 'ACK2' }, [port2])
      usePort(port1)
    } else if (data.type === 'ACK2') {
      if (!e.ports[0]) return log?.('ignored an ACK2 without a MessagePort', e.origin, data)
      usePort(e.ports[0])
    }
  }
  addEventListener('message', fromWindow)
  post(syn) // only where the remote document is known to be (speakFirst); else the remote or knock() starts

  const call = async (name: string, args: unknown[]) => {
    if (closed) throw gone()
    const to = await open.promise
    return new Promise((resolve, reject) => {
      const id = newId()
      pending.set(id, { resolve, reject })
      to.postMessage({ namespace: 'penpal', type: 'CALL', id, methodPath: [name], args })
    })
  }
  return {
    remote: new Proxy({} as Remote<T>, { get: (_, name) => (name === 'then' ? undefined : (...args: unknown[]) => call(String(name), args)) }),
    connected: first.promise,
    knock() {
      knocked = !closed && !greetedUnasked
      greetedUnasked = false
      if (knocked) remote.postMessage(syn, { targetOrigin: origins[0]! })
    },
    destroy() {
      if (closed) return
      send({ namespace: 'penpal', type: 'DESTROY' })
      closed = true
      removeEventListener('message', fromWindow)
      open.reject(gone())
      open.promise.catch(() => {})
      usePort(undefined)
      fail(gone())
    },
  }
}
