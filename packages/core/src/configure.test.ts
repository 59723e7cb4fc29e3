import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import type { HostMethods } from '@sso-embed/protocol'
import { testJwt } from '../test/jwt'
import { configure, type Embed } from './configure'

/** A stand-in for penpal: each connect() is recorded so a test can play the frame's side. */
const fake = vi.hoisted(() => ({
  connections: [] as {
    methods: HostMethods
    remote: Record<'hello' | 'authenticate' | 'navigate' | 'update', ReturnType<typeof vi.fn>>
    open(): void
    destroy: ReturnType<typeof vi.fn>
    promise: Promise<unknown>
  }[],
}))

vi.mock('penpal', () => ({
  connect: ({ methods }: { methods: HostMethods }) => {
    let open!: () => void
    const remote = {
      hello: vi.fn(async () => ({ protocolVersion: 1, sdkVersion: '0.1.0' })),
      authenticate: vi.fn(async () => auth),
      navigate: vi.fn(async () => {}),
      update: vi.fn(async () => {}),
    }
    const promise = new Promise((resolve) => (open = () => resolve(remote)))
    const connection = { methods, remote, open, destroy: vi.fn(), promise }
    fake.connections.push(connection)
    return connection
  },
}))

const auth = { user: { id: 'u1', name: 'Ada' }, project: { id: 'p1' }, expiresAt: Date.now() + 60_000 }
const instanceUrl = 'https://platform.example/embed'
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
let container: HTMLElement
let embed: Embed | undefined

// happy-dom does not load cross-origin iframes: give a mounted iframe a stand-in window (penpal is faked anyway)
const contentWindow = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow')
beforeAll(() => {
  Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
    configurable: true,
    get(this: HTMLIFrameElement) {
      return this.isConnected ? ({ frame: this } as unknown as Window) : null
    },
  })
})
afterAll(() => {
  if (contentWindow) Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', contentWindow)
})

beforeEach(() => {
  fake.connections.length = 0
  container = document.createElement('div')
  container.id = 'embed'
  document.body.append(container)
})
afterEach(() => {
  embed?.destroy()
  container.remove()
  vi.useRealTimers()
})

function recordEvents(e: Embed) {
  const seen: string[] = []
  for (const type of ['ready', 'authenticated', 'error', 'tokenExpired', 'resize', 'navigate', 'sessionExpired'] as const) {
    e.on(type, (payload) => seen.push(type === 'error' ? `error:${(payload as { code: string }).code}` : type))
  }
  return seen
}

describe('configure() state transitions', () => {
  test('connecting → authenticating → ready, with the iframe mounted at once', async () => {
    const token = testJwt()
    embed = configure({ instanceUrl, container: '#embed', token })
    const seen = recordEvents(embed)
    expect(embed.state).toBe('connecting')
    const iframe = container.querySelector('iframe')!
    expect(iframe.src).toBe(`${instanceUrl}/`)
    expect(iframe.title).toBe('Embedded application')
    expect(iframe.style.height).toBe('150px')

    const connection = fake.connections[0]!
    connection.open()
    await expect(embed.ready).resolves.toEqual(auth)
    expect(embed.state).toBe('ready')
    expect(connection.remote.hello).toHaveBeenCalledWith(expect.objectContaining({ protocolVersion: 1, transport: 'postMessage' }))
    expect(connection.remote.authenticate).toHaveBeenCalledWith({ token })
    expect(seen).toEqual(['authenticated', 'ready'])
  })

  test('destroy() before the handshake removes the iframe, rejects ready with DESTROYED and is idempotent', async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    embed.destroy()
    embed.destroy()
    expect(embed.state).toBe('destroyed')
    expect(container.querySelector('iframe')).toBeNull()
    expect(fake.connections[0]!.destroy).toHaveBeenCalledTimes(1)
    await expect(embed.ready).rejects.toMatchObject({ code: 'DESTROYED' })
    fake.connections[0]!.open() // a late handshake changes nothing
    await flush()
    expect(embed.state).toBe('destroyed')
    expect(fake.connections[0]!.remote.authenticate).not.toHaveBeenCalled()
  })

  test('no answer within timeout → HANDSHAKE_TIMEOUT, reported once', async () => {
    vi.useFakeTimers()
    embed = configure({ instanceUrl, container, token: testJwt(), timeout: 1000 })
    const seen = recordEvents(embed)
    await vi.advanceTimersByTimeAsync(999)
    expect(embed.state).toBe('connecting')
    await vi.advanceTimersByTimeAsync(1)
    await expect(embed.ready).rejects.toMatchObject({ name: 'SsoEmbedError', code: 'HANDSHAKE_TIMEOUT' })
    expect(embed.state).toBe('error')
    expect(seen).toEqual(['error:HANDSHAKE_TIMEOUT'])
    expect(fake.connections[0]!.destroy).toHaveBeenCalled()
  })

  test('a frame document reloaded during hello (nothing sent yet) gets hello and the token again', async () => {
    const token = testJwt()
    embed = configure({ instanceUrl, container, token })
    const connection = fake.connections[0]!
    connection.remote.hello.mockReturnValueOnce(new Promise(() => {})) // lost with the first document
    await connection.methods.attached()
    connection.open()
    await flush()
    expect(await connection.methods.attached()).toMatchObject({ authenticated: false })
    await expect(embed.ready).resolves.toEqual(auth)
    expect(connection.remote.hello).toHaveBeenCalledTimes(2)
    expect(connection.remote.authenticate.mock.calls).toEqual([[{ token }]])
  })

  test('a frame document reloaded during the first exchange resumes: its session, else the token again', async () => {
    const token = testJwt()
    embed = configure({ instanceUrl, container, token })
    const connection = fake.connections[0]!
    connection.remote.authenticate.mockReturnValueOnce(new Promise(() => {})) // lost with the first document
    await connection.methods.attached()
    connection.open()
    await flush()
    expect(embed.state).toBe('authenticating')
    // told to resume (the exchange may have finished): no second hello or authenticate from the host
    expect(await connection.methods.attached()).toMatchObject({ authenticated: true })
    // the platform had no session for it: the frame asks for a token, and gets the same one (no getToken)
    await expect(connection.methods.getToken()).resolves.toBe(token)
    connection.methods.event({ type: 'authenticated', ...auth })
    await expect(embed.ready).resolves.toEqual(auth)
    expect(connection.remote.hello).toHaveBeenCalledTimes(1)
    expect(connection.remote.authenticate).toHaveBeenCalledTimes(1)
    // once signed in, a reloaded document resumes by itself as before
    expect(await connection.methods.attached()).toMatchObject({ authenticated: true })
  })

  test('after such a document resumed from its session, a refresh never gets the possibly spent token', async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    const connection = fake.connections[0]!
    connection.remote.authenticate.mockReturnValueOnce(new Promise(() => {}))
    await connection.methods.attached()
    connection.open()
    await flush()
    await connection.methods.attached() // reloaded; it finds its session cookie and signs in by itself
    connection.methods.event({ type: 'authenticated', ...auth })
    await expect(embed.ready).resolves.toEqual(auth)
    await expect(connection.methods.getToken()).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE' })
  })

  test('a reload while the first token is still being fetched: getToken once, the token sent once', async () => {
    let resolveToken!: (token: string) => void
    const getToken = vi.fn(() => new Promise<string>((resolve) => (resolveToken = resolve)))
    embed = configure({ instanceUrl, container, getToken })
    const connection = fake.connections[0]!
    await connection.methods.attached()
    connection.open()
    await flush() // hello answered; the first greeting waits for getToken
    await connection.methods.attached() // reloaded: a second greeting
    await flush()
    resolveToken(testJwt({ sub: 'once' }))
    await expect(embed.ready).resolves.toEqual(auth)
    expect(getToken).toHaveBeenCalledTimes(1)
    expect(connection.remote.authenticate).toHaveBeenCalledTimes(1)
  })

  test('setToken() during the handshake, then a reload during hello: only the new token is sent', async () => {
    const first = testJwt({ sub: 'first' })
    const replaced = testJwt({ sub: 'replaced' })
    embed = configure({ instanceUrl, container, token: first })
    const connection = fake.connections[0]!
    connection.remote.hello.mockReturnValueOnce(new Promise(() => {}))
    embed.setToken(replaced)
    await connection.methods.attached()
    connection.open()
    await flush()
    await connection.methods.attached()
    await expect(embed.ready).resolves.toEqual(auth)
    await flush()
    expect(connection.remote.authenticate.mock.calls).toEqual([[{ token: replaced }]])
  })

  test('a frame on another protocol version → PROTOCOL_MISMATCH', async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    fake.connections[0]!.remote.hello.mockResolvedValue({ protocolVersion: 99, sdkVersion: '9.0.0' })
    fake.connections[0]!.open()
    await expect(embed.ready).rejects.toMatchObject({ code: 'PROTOCOL_MISMATCH' })
  })

  test("the frame's coded error rejects ready with that code", async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    const seen = recordEvents(embed)
    fake.connections[0]!.remote.authenticate.mockRejectedValue({ name: 'SsoEmbedError', code: 'BAD_SIGNATURE', message: 'bad' })
    fake.connections[0]!.open()
    await expect(embed.ready).rejects.toMatchObject({ code: 'BAD_SIGNATURE', message: 'bad' })
    await flush()
    expect(embed.state).toBe('error')
    expect(seen).toEqual(['error:BAD_SIGNATURE'])
  })
})

describe('tokens', () => {
  test('a malformed token fails at once with TOKEN_MALFORMED, heard by a listener added after configure()', async () => {
    embed = configure({ instanceUrl, container, token: 'nope' })
    const seen = recordEvents(embed)
    await expect(embed.ready).rejects.toMatchObject({ code: 'TOKEN_MALFORMED' })
    await flush()
    expect(seen).toEqual(['error:TOKEN_MALFORMED'])
  })

  test('an expired token without getToken → TOKEN_EXPIRED and tokenExpired', async () => {
    embed = configure({ instanceUrl, container, token: testJwt({ exp: 1 }) })
    const seen = recordEvents(embed)
    await expect(embed.ready).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' })
    await flush()
    expect(seen).toEqual(['tokenExpired', 'error:TOKEN_EXPIRED'])
  })

  test('an expired token with getToken: the fresh token is sent', async () => {
    const fresh = testJwt({ exp: Math.floor(Date.now() / 1000) + 60, n: 2 })
    const getToken = vi.fn(async () => fresh)
    embed = configure({ instanceUrl, container, token: testJwt({ exp: 1 }), getToken })
    fake.connections[0]!.open()
    await embed.ready
    expect(getToken).toHaveBeenCalledTimes(1)
    expect(fake.connections[0]!.remote.authenticate).toHaveBeenCalledWith({ token: fresh })
  })

  test('getToken failing or giving a non-string → TOKEN_UNAVAILABLE', async () => {
    embed = configure({ instanceUrl, container, getToken: async () => Promise.reject(new Error('backend down')) })
    await expect(embed.ready).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE', message: 'getToken() failed: backend down' })
    embed.destroy()
    embed = configure({ instanceUrl, container, getToken: async () => 42 as never })
    await expect(embed.ready).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE' })
  })

  test("the frame's getToken() calls the host's getToken every time", async () => {
    const getToken = vi.fn(async () => testJwt())
    embed = configure({ instanceUrl, container, getToken })
    fake.connections[0]!.open()
    await embed.ready
    await fake.connections[0]!.methods.getToken()
    await fake.connections[0]!.methods.getToken()
    expect(getToken).toHaveBeenCalledTimes(3)
  })

  test("without getToken, the frame's request fails with TOKEN_UNAVAILABLE and the host hears tokenExpired", async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    const seen = recordEvents(embed)
    fake.connections[0]!.open()
    await embed.ready
    await expect(fake.connections[0]!.methods.getToken()).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE' })
    expect(seen).toContain('tokenExpired')
  })

  test('query transport puts the token on the URL and authenticates without sending it again', async () => {
    const token = testJwt()
    embed = configure({ instanceUrl, container, token, transport: 'query', path: '/flows' })
    await flush()
    expect(container.querySelector('iframe')!.src).toBe(`${instanceUrl}/flows?sso_token=${token}`)
    fake.connections[0]!.open()
    await embed.ready
    expect(fake.connections[0]!.remote.authenticate).toHaveBeenCalledWith({})
  })

  test('fragment transport keeps an existing hash route', async () => {
    const token = testJwt()
    embed = configure({ instanceUrl, container, token, transport: 'fragment', path: '/#/flows' })
    await flush()
    expect(container.querySelector('iframe')!.src).toBe(`${instanceUrl}/#/flows&sso_token=${token}`)
  })

  test('setToken() after ready signs in again without a new iframe', async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    const seen = recordEvents(embed)
    fake.connections[0]!.open()
    await embed.ready
    const next = testJwt({ exp: Math.floor(Date.now() / 1000) + 120, n: 3 })
    embed.setToken(next)
    await flush()
    expect(fake.connections[0]!.remote.authenticate).toHaveBeenLastCalledWith({ token: next })
    expect(seen).toEqual(['authenticated', 'ready', 'authenticated'])
    expect(fake.connections).toHaveLength(1)
    expect(() => embed!.setToken(42 as never)).toThrow(TypeError)
  })
})

describe('frame reports and host commands', () => {
  test('resized() follows the content height, never below minHeight', async () => {
    embed = configure({ instanceUrl, container, token: testJwt(), minHeight: 100 })
    const { methods } = fake.connections[0]!
    methods.resized({ height: 640.4 })
    expect(embed.iframe!.style.height).toBe('641px')
    methods.resized({ height: 20 })
    expect(embed.iframe!.style.height).toBe('100px')
    methods.resized({ height: Number.NaN })
    expect(embed.iframe!.style.height).toBe('100px')
  })

  test('autoResize: false leaves the height alone but still reports resize', () => {
    embed = configure({ instanceUrl, container, token: testJwt(), autoResize: false })
    const seen = recordEvents(embed)
    fake.connections[0]!.methods.resized({ height: 900 })
    expect(embed.iframe!.style.height).toBe('150px')
    expect(seen).toEqual(['resize'])
  })

  test('navigate() waits for the connection; update() refuses fixed options and forwards display options', async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    embed.navigate('/flows')
    expect(() => embed!.navigate('flows')).toThrow(TypeError)
    expect(() => embed!.update({ transport: 'query' } as never)).toThrow('update(): transport is fixed')
    expect(() => embed!.update({ minHeight: -5 })).toThrow(TypeError)
    embed.update({ ui: { hideSidebar: true }, locale: 'fr' })
    const { remote, open } = fake.connections[0]!
    expect(remote.navigate).not.toHaveBeenCalled()
    open()
    await embed.ready
    expect(remote.navigate).toHaveBeenCalledWith({ path: '/flows' })
    expect(remote.update).toHaveBeenCalledWith({ ui: { hideSidebar: true }, locale: 'fr', theme: undefined })
  })

  test('a listener that throws does not stop the others', async () => {
    const reportError = vi.fn()
    vi.stubGlobal('reportError', reportError)
    embed = configure({ instanceUrl, container, token: testJwt() })
    const second = vi.fn()
    embed.on('resize', () => {
      throw new Error('listener bug')
    })
    embed.on('resize', second)
    fake.connections[0]!.methods.resized({ height: 300 })
    expect(second).toHaveBeenCalledWith({ height: 300 })
    expect(reportError).toHaveBeenCalled()
    vi.unstubAllGlobals()
  })

  test('on() returns the function that unsubscribes, and refuses unknown events', () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    const listener = vi.fn()
    const off = embed.on('resize', listener)
    off()
    fake.connections[0]!.methods.resized({ height: 300 })
    expect(listener).not.toHaveBeenCalled()
    expect(() => embed!.on('load' as never, () => {})).toThrow(TypeError)
    expect(() => embed!.on('toString' as never, () => {})).toThrow(TypeError)
  })
})

describe('mount errors', () => {
  test('a selector that matches nothing throws CONTAINER_NOT_FOUND', () => {
    expect(() => configure({ instanceUrl, container: '#missing', token: testJwt() })).toThrow(expect.objectContaining({ code: 'CONTAINER_NOT_FOUND' }))
  })

  test('several embeds are independent', async () => {
    const other = document.createElement('div')
    document.body.append(other)
    embed = configure({ instanceUrl, container, token: testJwt() })
    const second = configure({ instanceUrl, container: other, token: testJwt() })
    embed.destroy()
    fake.connections[1]!.open()
    await expect(second.ready).resolves.toEqual(auth)
    expect(other.querySelector('iframe')).not.toBeNull()
    second.destroy()
    other.remove()
  })
})

describe('tokens and overlapping sign-ins', () => {
  test('a token this page already sent is not sent again when getToken can give a fresh one (a wrapper remounting)', async () => {
    const token = testJwt({ exp: Math.floor(Date.now() / 1000) + 300 })
    const first = configure({ instanceUrl, container, token })
    fake.connections[0]!.open()
    await first.ready
    first.destroy()
    const fresh = testJwt({ exp: Math.floor(Date.now() / 1000) + 300, n: 2 })
    const getToken = vi.fn(async () => fresh)
    embed = configure({ instanceUrl, container, token, getToken })
    fake.connections[1]!.open()
    await embed.ready
    expect(getToken).toHaveBeenCalledOnce()
    expect(fake.connections[1]!.remote.authenticate).toHaveBeenCalledWith({ token: fresh })
  })

  test('when two sign-ins overlap, the one started last decides, even if the first answers later', async () => {
    const slow = { ...auth, user: { id: 'first' } }
    const quick = { ...auth, user: { id: 'second' } }
    embed = configure({ instanceUrl, container, token: testJwt({ exp: Math.floor(Date.now() / 1000) + 300, n: 3 }) })
    const connection = fake.connections[0]!
    connection.open()
    await embed.ready
    let finishSlow!: (value: unknown) => void
    connection.remote.authenticate.mockImplementationOnce(() => new Promise((resolve) => (finishSlow = resolve)))
    connection.remote.authenticate.mockImplementationOnce(async () => quick)
    const seen: string[] = []
    embed.on('authenticated', ({ user }) => seen.push(user.id))
    embed.setToken(testJwt({ exp: Math.floor(Date.now() / 1000) + 300, n: 4 }))
    await flush()
    embed.setToken(testJwt({ exp: Math.floor(Date.now() / 1000) + 300, n: 5 }))
    await flush()
    finishSlow(slow)
    await flush()
    expect(seen).toEqual(['second'])
  })
})
