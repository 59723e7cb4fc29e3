import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import type { AuthInfo, FrameHello, HostMethods, SignInKind } from '@sso-embed/protocol'
import { testJwt } from '../test/jwt'
import { configure, type Embed } from './configure'

/** A stand-in for the channel to the frame: each one opened is recorded so a test can play the frame's side with its methods. */
const fake = vi.hoisted(() => ({
  connections: [] as {
    methods: HostMethods
    remote: Record<'signIn' | 'navigate' | 'update' | 'command', ReturnType<typeof vi.fn>>
    destroy: ReturnType<typeof vi.fn>
    knock: ReturnType<typeof vi.fn>
  }[],
}))

vi.mock('@sso-embed/protocol', async (original) => ({
  ...(await original<object>()),
  openChannel: (_remote: Window, _origins: string[], { methods }: { methods: HostMethods }) => {
    const remote = { signIn: vi.fn(async () => {}), navigate: vi.fn(async () => {}), update: vi.fn(async () => {}), command: vi.fn(async () => 'answer') }
    const connection = { methods, remote, destroy: vi.fn(), knock: vi.fn(), connected: Promise.resolve() }
    fake.connections.push(connection)
    return connection
  },
}))

const ada: AuthInfo = { user: { id: 'u1', name: 'Ada' }, project: { id: 'p1' }, account: 'acme', expiresAt: Date.now() + 60_000 }
const instanceUrl = 'https://platform.example/embed'
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
const hello = (extra: Partial<FrameHello> = {}): FrameHello => ({ protocolVersion: 2, sdkVersion: 'test', ...extra })
const frame = (i = 0) => fake.connections[i]!
/** The frame reports a sign-in. */
const report = (how: SignInKind, auth: AuthInfo = ada, i = 0) => frame(i).methods.event({ type: 'authenticated', how, ...auth })
let container: HTMLElement
let embed: Embed | undefined

// happy-dom does not load cross-origin iframes: give a mounted iframe a stand-in window (penpal is faked anyway)
const contentWindow = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow')
beforeAll(() => {
  Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
    configurable: true,
    get(this: HTMLIFrameElement) {
      return this.isConnected ? ({ frame: this, postMessage() {} } as unknown as Window) : null
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
  vi.restoreAllMocks()
})

function recordEvents(e: Embed) {
  const seen: string[] = []
  for (const type of ['ready', 'authenticated', 'error', 'tokenExpired', 'resize', 'navigate', 'sessionExpired', 'signedOut'] as const) {
    e.on(type, (payload) => seen.push(type === 'error' ? `error:${(payload as { code: string }).code}` : type))
  }
  return seen
}

describe('configure(): the first sign-in (protocol 2)', () => {
  test('the frame greets, the welcome carries the first token, the reported sign-in makes it ready', async () => {
    const token = testJwt()
    embed = configure({ instanceUrl, container: '#embed', token })
    const seen = recordEvents(embed)
    expect(embed.state).toBe('connecting')
    const iframe = container.querySelector('iframe')!
    expect(iframe.src).toBe(`${instanceUrl}/`)
    expect(iframe.title).toBe('Embedded application')
    const welcome = await frame().methods.hello(hello())
    expect(welcome).toMatchObject({ protocolVersion: 2, transport: 'postMessage', token })
    expect(welcome.resume).toBeUndefined()
    expect(embed.state).toBe('authenticating')
    report('token')
    await expect(embed.ready).resolves.toEqual(ada)
    expect(embed.state).toBe('ready')
    expect(seen).toEqual(['authenticated', 'ready'])
  })

  test('a sign-in the host did not ask for (another stored session) is refused with UNEXPECTED_SIGN_IN', async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    const seen = recordEvents(embed)
    await frame().methods.hello(hello())
    report('resume') // nobody signed in yet: there is nothing to resume
    await expect(embed.ready).rejects.toMatchObject({ code: 'UNEXPECTED_SIGN_IN' })
    await flush()
    expect(seen).toEqual(['error:UNEXPECTED_SIGN_IN'])
    expect(embed.state).toBe('error')
  })

  test('a reload after sign-in: the welcome names the user to resume and carries no token; another user is refused', async () => {
    const getToken = vi.fn(async () => testJwt())
    embed = configure({ instanceUrl, container, getToken })
    await frame().methods.hello(hello())
    report('token')
    await embed.ready
    const seen = recordEvents(embed)
    const welcome = await frame().methods.hello(hello())
    expect(welcome).toMatchObject({ resume: { userId: 'u1', account: 'acme' } })
    expect(welcome.token).toBeUndefined()
    expect(getToken).toHaveBeenCalledTimes(1)
    report('resume', { ...ada, user: { id: 'someone-else' } })
    await flush()
    expect(seen).toEqual(['error:UNEXPECTED_SIGN_IN'])
    report('resume')
    expect(embed.state).toBe('ready')
    expect(seen).toEqual(['error:UNEXPECTED_SIGN_IN', 'authenticated'])
  })

  test('a reload during the first exchange: the new document gets a token again, never a resume', async () => {
    const token = testJwt()
    embed = configure({ instanceUrl, container, token })
    expect((await frame().methods.hello(hello())).token).toBe(token)
    const again = await frame().methods.hello(hello()) // its document reloaded before reporting
    expect(again.resume).toBeUndefined()
    expect(again.token).toBe(token) // no getToken: the same token once more (the platform decides)
    report('token')
    await expect(embed.ready).resolves.toEqual(ada)
  })

  test.each(['query', 'fragment'] as const)(
    '%s: the token rides on the URL, and only the first document with that very token may use it',
    async (transport) => {
      const token = testJwt()
      embed = configure({ instanceUrl, container, token, transport })
      await flush()
      expect(container.querySelector('iframe')!.src).toContain(transport === 'query' ? '?sso_token=' : '#sso_token=')
      const forged = await frame().methods.hello(hello({ urlToken: testJwt({ sub: 'mallory', exp: 4e9 }) }))
      expect(forged.useUrlToken).toBeUndefined()
      expect(await frame().methods.hello(hello({ urlToken: token }))).not.toHaveProperty('useUrlToken') // a second document
    },
  )

  test("query: the first document with the host's token signs in with it", async () => {
    const token = testJwt()
    embed = configure({ instanceUrl, container, token, transport: 'query' })
    await flush()
    const welcome = await frame().methods.hello(hello({ urlToken: token }))
    expect(welcome).toMatchObject({ useUrlToken: true })
    expect(welcome.token).toBeUndefined()
    frame().methods.event({ type: 'authenticated', how: 'url', ...ada })
    await expect(embed.ready).resolves.toEqual(ada)
  })

  test('a frame of another protocol: PROTOCOL_MISMATCH saying which side to upgrade', async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    await expect(frame().methods.hello(hello({ protocolVersion: 1 }))).rejects.toMatchObject({
      code: 'PROTOCOL_MISMATCH',
      message: expect.stringContaining("upgrade the platform's @sso-embed/frame"),
    })
    await expect(embed.ready).rejects.toMatchObject({ code: 'PROTOCOL_MISMATCH' })
  })

  test('getToken failing: the welcome tells the frame (tokenError), the host hears TOKEN_UNAVAILABLE once', async () => {
    embed = configure({ instanceUrl, container, getToken: async () => Promise.reject(new Error('backend down')) })
    const seen = recordEvents(embed)
    const welcome = await frame().methods.hello(hello())
    expect(welcome.tokenError).toMatchObject({ code: 'TOKEN_UNAVAILABLE', message: expect.stringContaining('backend down') })
    await expect(embed.ready).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE' })
    await flush()
    expect(seen).toEqual(['error:TOKEN_UNAVAILABLE'])
  })

  test('no answer within timeout → HANDSHAKE_TIMEOUT, reported once, telling whether the iframe ever loaded', async () => {
    vi.useFakeTimers()
    embed = configure({ instanceUrl, container, token: testJwt(), timeout: 1000 })
    const seen = recordEvents(embed)
    await vi.advanceTimersByTimeAsync(999)
    expect(embed.state).toBe('connecting')
    await vi.advanceTimersByTimeAsync(1)
    await expect(embed.ready).rejects.toMatchObject({ code: 'HANDSHAKE_TIMEOUT', message: expect.stringContaining('never loaded') })
    expect(seen).toEqual(['error:HANDSHAKE_TIMEOUT'])
    expect(frame().destroy).toHaveBeenCalled()
    // a command waiting for a frame that will never greet ends with the failure instead of waiting forever
    await expect(embed.send('anything', null)).rejects.toMatchObject({ code: 'HANDSHAKE_TIMEOUT' })

    const loaded = configure({ instanceUrl, container, token: testJwt(), timeout: 1000 })
    loaded.iframe!.dispatchEvent(new Event('load'))
    await vi.advanceTimersByTimeAsync(1000)
    await expect(loaded.ready).rejects.toMatchObject({
      code: 'HANDSHAKE_TIMEOUT',
      message: expect.stringMatching(/loaded .* but nothing greeted.*frame-ancestors.*connectToHost\(\)/),
    })
    loaded.destroy()
  })

  test('destroy() before the greeting removes the iframe, rejects ready with DESTROYED and is idempotent', async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    await flush()
    embed.destroy()
    embed.destroy()
    expect(embed.state).toBe('destroyed')
    expect(container.querySelector('iframe')).toBeNull()
    expect(frame().destroy).toHaveBeenCalledTimes(1)
    await expect(embed.ready).rejects.toMatchObject({ code: 'DESTROYED' })
    report('token') // a late report changes nothing
    expect(embed.state).toBe('destroyed')
  })

  test('an error nobody listens to is written once to the console, with its code', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    embed = configure({ instanceUrl, container, getToken: async () => Promise.reject(new Error('nope')) })
    await frame()
      .methods.hello(hello())
      .catch(() => {})
    await flush()
    expect(error).toHaveBeenCalledTimes(1)
    expect(String(error.mock.calls[0]![0])).toMatch(/^\[sso-embed\] TOKEN_UNAVAILABLE: /)
  })
})

describe('configure(): tokens', () => {
  test('setToken() before the greeting: the welcome carries the new token', async () => {
    const second = testJwt({ sub: 'second', exp: 4e9 })
    embed = configure({ instanceUrl, container, token: testJwt() })
    embed.setToken(second)
    expect((await frame().methods.hello(hello())).token).toBe(second)
  })

  test('setToken() after ready asks the frame to sign in again, and getToken() hands it the queued token', async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    await frame().methods.hello(hello())
    report('token')
    await embed.ready
    const next = testJwt({ sub: 'bob', exp: 4e9, jti: Math.random() })
    embed.setToken(next)
    await flush()
    expect(frame().remote.signIn).toHaveBeenCalledTimes(1)
    expect(await frame().methods.getToken()).toBe(next)
    report('token', { ...ada, user: { id: 'u2' } })
    expect(embed.state).toBe('ready')
  })

  test("setToken() while an earlier sign-in's report is still on its way: the frame is asked to sign in once, not twice", async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    await frame().methods.hello(hello())
    const next = testJwt({ sub: 'bob', exp: 4e9, jti: Math.random() })
    embed.setToken(next) // the first sign-in has not been reported yet
    report('token') // ... and now it is, before the frame pulled the queued token
    await flush()
    expect(frame().remote.signIn).toHaveBeenCalledTimes(1)
    expect(await frame().methods.getToken()).toBe(next)
  })

  test('setToken() while the welcome waits for getToken: the welcome carries the queued token, no second sign-in is asked', async () => {
    let resolve!: (token: string) => void
    embed = configure({ instanceUrl, container, getToken: () => new Promise<string>((r) => (resolve = r)) })
    const welcome = frame().methods.hello(hello())
    await flush()
    const next = testJwt({ sub: 'bob', exp: 4e9, jti: Math.random() })
    embed.setToken(next)
    resolve(testJwt())
    expect((await welcome).token).toBe(next)
    await flush()
    expect(frame().remote.signIn).not.toHaveBeenCalled()
  })

  test('a token queued by setToken() wins over the URL token (dropped quietly) and over a resume', async () => {
    const token = testJwt()
    embed = configure({ instanceUrl, container, token, transport: 'query' })
    await flush()
    const next = testJwt({ sub: 'bob', exp: 4e9, jti: Math.random() })
    embed.setToken(next)
    const first = await frame().methods.hello(hello({ urlToken: token }))
    expect(first).toMatchObject({ supersededUrlToken: true, token: next })
    expect(first.useUrlToken).toBeUndefined()
    report('token')
    await embed.ready
    const third = testJwt({ sub: 'carol', exp: 4e9, jti: Math.random() })
    embed.setToken(third)
    const reloaded = await frame().methods.hello(hello()) // the frame reloaded meanwhile
    expect(reloaded.resume).toBeUndefined()
    expect(reloaded.token).toBe(third)
  })

  test('two embeds with the same getToken share one call while it is pending', async () => {
    let resolve!: (token: string) => void
    const getToken = vi.fn(() => new Promise<string>((r) => (resolve = r)))
    const other = document.createElement('div')
    document.body.append(other)
    embed = configure({ instanceUrl, container, getToken })
    const second = configure({ instanceUrl, container: other, getToken })
    const welcomes = Promise.all([frame(0).methods.hello(hello()), frame(1).methods.hello(hello())])
    const token = testJwt()
    resolve(token)
    expect((await welcomes).map((w) => w.token)).toEqual([token, token])
    expect(getToken).toHaveBeenCalledTimes(1)
    second.destroy()
    other.remove()
  })

  test('a token the platform refused (TOKEN_REPLAYED) is never handed out again; without getToken the code says so', async () => {
    const token = testJwt()
    embed = configure({ instanceUrl, container, token })
    const seen = recordEvents(embed)
    await frame().methods.hello(hello())
    await expect(frame().methods.getToken({ rejected: 'TOKEN_REPLAYED' })).rejects.toMatchObject({ code: 'TOKEN_REPLAYED' })
    await flush()
    expect(seen).toEqual(['tokenExpired', 'error:TOKEN_REPLAYED'])
  })

  test('a malformed token fails at once with TOKEN_MALFORMED, before any frame greets', async () => {
    embed = configure({ instanceUrl, container, token: 'not-a-jwt' })
    await expect(embed.ready).rejects.toMatchObject({ code: 'TOKEN_MALFORMED' })
  })
})

describe('configure(): events, commands and options', () => {
  test('resize follows the content height (never below minHeight); navigate and platform events reach listeners', async () => {
    embed = configure<{ events: { saved: { id: string } }; commands: { publish: { payload: { id: string }; result: string } } }>({
      instanceUrl,
      container,
      token: testJwt(),
      minHeight: 100,
    })
    const saved = vi.fn()
    embed.on('platform:saved', saved)
    const paths: string[] = []
    embed.on('navigate', ({ path }) => paths.push(path))
    await frame().methods.hello(hello())
    frame().methods.event({ type: 'resize', height: 420.2 })
    expect(embed.iframe!.style.height).toBe('421px')
    frame().methods.event({ type: 'resize', height: 10 })
    expect(embed.iframe!.style.height).toBe('100px')
    frame().methods.event({ type: 'navigate', path: '/flows' })
    frame().methods.event({ type: 'platform', name: 'saved', payload: { id: 'f1' } })
    expect(paths).toEqual(['/flows'])
    expect(saved).toHaveBeenCalledWith({ id: 'f1' })
    await expect(embed.send('publish', { id: 'f1' })).resolves.toBe('answer')
    expect(frame().remote.command).toHaveBeenCalledWith({ name: 'publish', payload: { id: 'f1' } })
  })

  test("send() rejects coded: the frame's UNKNOWN_COMMAND, and DESTROYED after destroy()", async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    await frame().methods.hello(hello())
    frame().remote.command.mockRejectedValueOnce({ name: 'SsoEmbedError', code: 'UNKNOWN_COMMAND', message: 'no command "x"' })
    await expect(embed.send('x', null)).rejects.toMatchObject({ name: 'SsoEmbedError', code: 'UNKNOWN_COMMAND' })
    embed.destroy()
    await expect(embed.send('x', null)).rejects.toMatchObject({ code: 'DESTROYED' })
    expect(() => embed!.send('', null)).toThrow(TypeError)
  })

  test('navigate() and update() wait for the greeting; update() refuses mount options', async () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    embed.navigate('/flows')
    embed.update({ locale: 'fr' })
    expect(() => embed!.update({ transport: 'query' } as never)).toThrow('update(): transport is fixed')
    expect(() => embed!.navigate('flows')).toThrow(TypeError)
    await flush()
    expect(frame().remote.navigate).not.toHaveBeenCalled()
    await frame().methods.hello(hello())
    await flush()
    expect(frame().remote.navigate).toHaveBeenCalledWith({ path: '/flows' })
    expect(frame().remote.update).toHaveBeenCalledWith({ ui: undefined, locale: 'fr', theme: undefined })
  })

  test('on() returns the function that unsubscribes, refuses unknown events, accepts platform:<name>', () => {
    embed = configure({ instanceUrl, container, token: testJwt() })
    expect(() => embed!.on('nope' as never, () => {})).toThrow(TypeError)
    expect(() => embed!.on('platform:' as never, () => {})).toThrow(TypeError)
    const off = embed.on('platform:anything', () => {})
    expect(typeof off).toBe('function')
  })

  test('a selector that matches nothing throws CONTAINER_NOT_FOUND', () => {
    expect(() => configure({ instanceUrl, container: '#missing', token: testJwt() })).toThrow(expect.objectContaining({ code: 'CONTAINER_NOT_FOUND' }))
  })
})

describe('configure(): what the page and the developer see', () => {
  beforeAll(() => import('./ui/view')) // loaded on demand: once loaded, a view shows within a tick
  test('an error nobody listens to is one console error with the code and its docs anchor; a listener silences it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    embed = configure({ instanceUrl, container, getToken: () => Promise.reject(new Error('HTTP 404')) })
    await expect(embed.ready).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE' })
    await flush()
    expect(log).toHaveBeenCalledOnce()
    expect(log.mock.calls[0]![0]).toMatch(/^\[sso-embed\] TOKEN_UNAVAILABLE: getToken\(\) failed: HTTP 404 — see https:\/\/\S+\/errors#token-unavailable$/)
    embed.destroy()
    log.mockClear()
    const heard = configure({ instanceUrl, container, getToken: () => Promise.reject(new Error('HTTP 404')) })
    heard.on('error', () => {})
    await expect(heard.ready).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE' })
    await flush()
    expect(log).not.toHaveBeenCalled()
    heard.destroy()
  })

  test('loading until signed in; an error view after a failure; retry() calls getToken again, remounts and signs in', async () => {
    let ok = false
    let down = (_: Error) => {}
    const getToken = vi.fn(() => (ok ? Promise.resolve(testJwt()) : new Promise<string>((_, reject) => (down = reject))))
    embed = configure({ instanceUrl, container, getToken })
    embed.on('error', () => {})
    await flush()
    const view = () => container.querySelector<HTMLElement>('[data-sso-embed-state]')
    expect(view()?.dataset['ssoEmbedState']).toBe('loading')
    expect(embed.iframe!.style.visibility).toBe('hidden')
    down(new Error('down'))
    await expect(embed.ready).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE' })
    await flush()
    expect(view()?.dataset['ssoEmbedState']).toBe('error')
    ok = true
    view()!.shadowRoot!.querySelector('button')!.click()
    await flush()
    expect(getToken).toHaveBeenCalledTimes(2)
    expect(container.querySelectorAll('iframe')).toHaveLength(1)
    expect(view()?.dataset['ssoEmbedState']).toBe('loading')
    const welcome = await fake.connections.at(-1)!.methods.hello(hello())
    expect(welcome.token).toBeDefined()
    await fake.connections.at(-1)!.methods.event({ type: 'authenticated', how: 'token', ...ada })
    await expect(embed.ready).resolves.toMatchObject({ user: { id: 'u1' } })
    expect(view()).toBeNull()
  })
})
