// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest'
import { openChannel, type Channel, type ChannelOptions } from './channel'

const A = 'https://a.example'
const B = 'https://b.example'
const penpal = (type: string, extra: object = {}) => ({ namespace: 'penpal', type, ...extra })

/** A window that records what it is sent. */
const recorder = () => ({ postMessage: vi.fn() }) as unknown as Window & { postMessage: ReturnType<typeof vi.fn> }
const post = (data: unknown, origin: string, source: unknown, ports: MessagePort[] = []) =>
  dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window, ports }))

/** Two stand-in windows whose posts arrive as message events from each other, both at origin A. */
function pair() {
  const one = {} as Window
  const two = {} as Window
  const deliver =
    (source: Window) =>
    (data: unknown, { transfer = [] }: { transfer?: MessagePort[] } = {}) =>
      post(data, A, source, transfer)
  Object.assign(one, { postMessage: vi.fn(deliver(two)) })
  Object.assign(two, { postMessage: vi.fn(deliver(one)) })
  return { one, two }
}

let open: Channel<unknown>[] = []
function start<T>(remote: Window, origins: string[], options: Partial<ChannelOptions> = {}) {
  const channel = openChannel<T>(remote, origins, { methods: {}, ...options })
  open.push(channel as Channel<unknown>)
  return channel
}
afterEach(() => {
  for (const channel of open) channel.destroy()
  open = []
})

describe('openChannel: exact origins, quiet first message', () => {
  test('takes messages only from the remote window and an allowed origin; logs the others in debug mode', () => {
    const remote = recorder()
    const log = vi.fn()
    const seen = vi.fn()
    start(remote, [A], { log, seen })
    post(penpal('SYN', { participantId: 'x' }), A, window) // another window
    post(penpal('SYN', { participantId: 'x' }), B, remote) // the right window, another origin
    post({ namespace: 'other' }, A, remote) // not penpal: not ours to log
    expect(log.mock.calls.map((call) => call[0])).toEqual(['ignored a message from another window', 'ignored a message from origin'])
    expect(seen.mock.calls).toEqual([[B]])
    expect(remote.postMessage).not.toHaveBeenCalled() // nothing answered the wrong origin
    post(penpal('SYN', { participantId: 'x' }), A, remote)
    expect(remote.postMessage.mock.calls.map((call) => call[1].targetOrigin)).toContain(A)
  })

  test('before the remote spoke nothing is posted (never "*", never a guess); knock() sends the SYN to the first origin', () => {
    const remote = recorder()
    const channel = start(remote, [A, B])
    expect(remote.postMessage).not.toHaveBeenCalled()
    channel.knock()
    post(penpal('SYN', { participantId: 'x' }), A, remote) // the document answers the knock
    remote.postMessage.mockClear()
    channel.knock() // the next load (a reload of a frame that waits for the host) knocks again
    expect(remote.postMessage.mock.calls.map(([message, options]) => [message.type, options.targetOrigin])).toEqual([['SYN', A]])
  })

  test('a document that greeted on its own since the last load is not knocked on (stock penpal would drop its port)', () => {
    const remote = recorder()
    const channel = start(remote, [A])
    post(penpal('SYN', { participantId: 'x' }), A, remote) // unasked: the frame spoke first
    remote.postMessage.mockClear()
    channel.knock() // its load event
    expect(remote.postMessage).not.toHaveBeenCalled()
    post(penpal('SYN', { participantId: 'y' }), A, remote) // a reload that greets on its own again
    channel.knock()
    expect(remote.postMessage.mock.calls.filter(([message]) => message.type === 'SYN' && message.participantId !== 'x')).toHaveLength(1) // only the answer to y's SYN
  })

  test('speakFirst (the frame, when the browser names its parent): the first SYN goes to that origin at once', () => {
    const remote = recorder()
    start(remote, [A], { speakFirst: true })
    expect(remote.postMessage.mock.calls.map(([message, options]) => [message.type, options.targetOrigin])).toEqual([['SYN', A]])
  })

  test("refuses origins that are not exact ('*', a path, a wildcard, none)", () => {
    for (const bad of [[], ['*'], [`${A}/`], ['https://*.example.com']]) expect(() => openChannel(recorder(), bad, { methods: {} })).toThrow(TypeError)
  })
})

describe("openChannel: handshake and calls on penpal's wire", () => {
  type Api = { add(a: number, b: number): number; fail(): never }
  const methods = {
    add: (a: number, b: number) => a + b,
    fail: () => {
      throw { name: 'SsoEmbedError', code: 'COMMAND_FAILED', message: 'no' }
    },
  }

  test('two channels shake hands (whoever speaks first) and call each other; errors cross coded; an unknown method is METHOD_NOT_FOUND', async () => {
    const { one, two } = pair()
    const host = start<Api>(two, [A])
    const frame = start<Api>(one, [A], { methods, speakFirst: true })
    await Promise.all([host.connected, frame.connected])
    await expect(host.remote.add(2, 3)).resolves.toBe(5)
    await expect(host.remote.fail()).rejects.toMatchObject({ code: 'COMMAND_FAILED', message: 'no' })
    await expect((host.remote as unknown as { nope(): Promise<void> }).nope()).rejects.toMatchObject({ name: 'PenpalError', code: 'METHOD_NOT_FOUND' })
  })

  test('a new document (another participant) shakes hands again: the call waiting for the old one rejects DESTROYED, the next goes to the new one', async () => {
    const { one, two } = pair()
    const host = start<Api>(two, [A])
    const stuck = { add: () => new Promise(() => {}) }
    const first = start<Api>(one, [A], { methods: stuck, speakFirst: true })
    await host.connected
    const waiting = host.remote.add(1, 1)
    await new Promise((resolve) => setTimeout(resolve, 10))
    first.destroy() // the old document is gone…
    start<Api>(one, [A], { methods, speakFirst: true }) // …and a new one greets
    await expect(waiting).rejects.toMatchObject({ code: 'DESTROYED' })
    await expect(host.remote.add(4, 4)).resolves.toBe(8)
  })

  test('destroy() rejects calls with DESTROYED and stops listening', async () => {
    const remote = recorder()
    const channel = start<Api>(remote, [A])
    const call = channel.remote.add(1, 2)
    channel.destroy()
    await expect(call).rejects.toMatchObject({ code: 'DESTROYED' })
    await expect(channel.remote.add(1, 2)).rejects.toMatchObject({ code: 'DESTROYED' })
    post(penpal('SYN', { participantId: 'x' }), A, remote)
    expect(remote.postMessage).not.toHaveBeenCalled()
  })
})
