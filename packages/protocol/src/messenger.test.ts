// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest'
import { exactOriginMessenger, type Messenger } from './messenger'

const A = 'https://a.example'
const B = 'https://b.example'
const penpal = (type: string, extra: object = {}) => ({ namespace: 'penpal', channel: undefined, type, ...extra })
const valid = (data: unknown) => (data as { namespace?: string } | null)?.namespace === 'penpal'

/** A remote window that records what it is sent. */
const remoteWindow = () => ({ postMessage: vi.fn() }) as unknown as Window & { postMessage: ReturnType<typeof vi.fn> }

const post = (data: unknown, origin: string, source: unknown, ports: MessagePort[] = []) =>
  dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window, ports }))

let open: Messenger[] = []
function start(remote: Window, origins: string[], log?: (...args: unknown[]) => void, seen?: (origin: string) => void, speakFirst = false) {
  const messenger = exactOriginMessenger(remote, origins, { log, seen, speakFirst })
  const received: unknown[] = []
  messenger.initialize({ validateReceivedMessage: valid })
  messenger.addMessageHandler((message) => received.push(message))
  open.push(messenger)
  return { messenger, received }
}
afterEach(() => {
  for (const messenger of open) messenger.destroy()
  open = []
})

describe('exactOriginMessenger', () => {
  test('takes messages only from the remote window and an allowed origin; logs the others in debug mode', () => {
    const remote = remoteWindow()
    const log = vi.fn()
    const seen = vi.fn()
    const { received } = start(remote, [A], log, seen)
    post(penpal('SYN'), A, window) // another window
    post(penpal('SYN'), B, remote) // the right window, another origin
    post({ namespace: 'other' }, A, remote) // not penpal: not ours to log
    expect(received).toEqual([])
    expect(log.mock.calls.map((call) => call[0])).toEqual(['ignored a message from another window', 'ignored a message from origin'])
    expect(seen.mock.calls).toEqual([[B]])
    post(penpal('SYN', { participantId: 'x' }), A, remote)
    expect(received).toEqual([penpal('SYN', { participantId: 'x' })])
  })

  test('before the remote spoke, a SYN waits (never "*", never a guess); the remote\'s SYN, or knock(), sends it to the one right origin', () => {
    const remote = remoteWindow()
    const { messenger } = start(remote, [A, B])
    messenger.sendMessage(penpal('SYN', { participantId: 'me' }))
    expect(remote.postMessage).not.toHaveBeenCalled()
    post(penpal('SYN'), B, remote)
    messenger.sendMessage(penpal('SYN', { participantId: 'me' }))
    messenger.sendMessage(penpal('ACK1', { methodPaths: [] }))
    expect(remote.postMessage.mock.calls.map((call) => call[1].targetOrigin)).toEqual([B, B])
  })

  test('knock() posts the latest SYN to the first origin (the host, on the iframe load event); nothing before a SYN exists', () => {
    const remote = remoteWindow()
    const { messenger } = start(remote, [A])
    messenger.knock()
    expect(remote.postMessage).not.toHaveBeenCalled()
    messenger.sendMessage(penpal('SYN', { participantId: 'me' }))
    messenger.knock()
    messenger.knock() // each load of the iframe knocks again: a frame that reloaded waits for it
    expect(remote.postMessage.mock.calls).toEqual([
      [penpal('SYN', { participantId: 'me' }), { targetOrigin: A }],
      [penpal('SYN', { participantId: 'me' }), { targetOrigin: A }],
    ])
  })

  test('speakFirst (the frame, when the browser names its parent): the first SYN goes to that origin at once', () => {
    const remote = remoteWindow()
    const { messenger } = start(remote, [A], undefined, undefined, true)
    messenger.sendMessage(penpal('SYN'))
    expect(remote.postMessage.mock.calls.map((call) => call[1].targetOrigin)).toEqual([A])
  })

  test('ACK1 before the remote spoke, or a call before the handshake, throws instead of guessing a target', () => {
    const remote = remoteWindow()
    const { messenger } = start(remote, [A])
    expect(() => messenger.sendMessage(penpal('ACK1', { methodPaths: [] }))).toThrow('not connected')
    expect(() => messenger.sendMessage(penpal('CALL', { id: '1', methodPath: ['x'], args: [] }))).toThrow('not connected')
    expect(remote.postMessage).not.toHaveBeenCalled()
  })

  test('ACK2 hands the remote a private port; calls then travel over it', async () => {
    const remote = remoteWindow()
    const { messenger, received } = start(remote, [A])
    post(penpal('SYN'), A, remote)
    messenger.sendMessage(penpal('ACK2'))
    const [message, { targetOrigin, transfer }] = remote.postMessage.mock.calls[0]!
    expect(message).toEqual(penpal('ACK2'))
    expect(targetOrigin).toBe(A)
    const port = transfer[0] as MessagePort
    port.postMessage(penpal('CALL', { id: '1' }))
    await vi.waitFor(() => expect(received).toEqual([penpal('SYN'), penpal('CALL', { id: '1' })]))
    port.close()
  })

  test("refuses origins that are not exact ('*', a path, a wildcard)", () => {
    for (const bad of [[], ['*'], [`${A}/`], ['https://*.example.com']]) {
      expect(() => exactOriginMessenger(remoteWindow(), bad)).toThrow(TypeError)
    }
  })

  test("a repeated SYN of the same participant keeps the port; a new participant's SYN (a reload) drops it", async () => {
    const remote = remoteWindow()
    const { messenger, received } = start(remote, [A])
    post(penpal('SYN', { participantId: 'p1' }), A, remote)
    const channel = new MessageChannel()
    post(penpal('ACK2'), A, remote, [channel.port2])
    post(penpal('SYN', { participantId: 'p1' }), A, remote) // penpal answering a SYN with its own
    messenger.sendMessage(penpal('CALL', { id: '1' }))
    const got = await new Promise((resolve) => (channel.port1.onmessage = (e) => resolve(e.data)))
    expect(got).toEqual(penpal('CALL', { id: '1' }))
    post(penpal('SYN', { participantId: 'p2' }), A, remote) // a new document
    expect(() => messenger.sendMessage(penpal('CALL', { id: '2' }))).toThrow('not connected')
    expect(received.filter((m) => (m as { type: string }).type === 'SYN')).toHaveLength(3)
    channel.port1.close()
  })

  test('an ACK2 without a port is ignored; destroy() stops listening', () => {
    const remote = remoteWindow()
    const { messenger, received } = start(remote, [A])
    post(penpal('SYN'), A, remote)
    post(penpal('ACK2'), A, remote)
    expect(received).toEqual([penpal('SYN')])
    messenger.destroy()
    post(penpal('SYN'), A, remote)
    expect(received).toEqual([penpal('SYN')])
  })
})
