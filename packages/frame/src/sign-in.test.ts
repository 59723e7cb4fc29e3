import { afterEach, describe, expect, test, vi } from 'vitest'
import { SsoEmbedError, type AuthInfo, type HostWelcome, type SignInKind } from '@sso-embed/protocol'
import { initialFrameState, reduceFrame, type FrameState } from './machine'
import { createSession } from './session'
import { createSignIn, type SignInDeps } from './sign-in'

const welcome = (extra: Partial<HostWelcome> = {}): HostWelcome => ({ protocolVersion: 2, sdkVersion: 't', transport: 'postMessage', options: {}, ...extra })
const answer = (id: string, account = 'acme') => ({ user: { id }, project: null, account, expiresAt: Date.now() + 60_000 })

function setup(overrides: Partial<SignInDeps> = {}) {
  let state: FrameState = initialFrameState
  const signedIn: [SignInKind, AuthInfo][] = []
  const failed: string[] = []
  const session = createSession({ onRefreshDue: () => {}, onExpired: () => {}, refreshMargin: 1000 })
  const deps: SignInDeps = {
    exchange: vi.fn(async (token: string) => answer(`user-of-${token}`)),
    hostOrigin: Promise.resolve('https://host.example'),
    gate: async () => {},
    pull: vi.fn(async () => 'pulled'),
    session,
    resumeUrl: undefined,
    cookies: async () => true,
    state: () => state,
    dispatch: (action) => void (state = reduceFrame(state, action)),
    succeeded: (auth, how) => void signedIn.push([how, auth]),
    failed: (error) => void failed.push(error.code),
    log: undefined,
    ...overrides,
  }
  const signIn = createSignIn(deps)
  return { signIn, deps, signedIn, failed, session, state: () => state }
}

afterEach(() => vi.unstubAllGlobals())

describe('sign-in: what a new frame document may sign in with', () => {
  test("the welcome's token, reported as a token sign-in", async () => {
    const { signIn, signedIn, deps } = setup()
    await signIn.start(welcome({ token: 'T' }), undefined)
    expect(deps.exchange).toHaveBeenCalledWith('T', { hostOrigin: 'https://host.example' })
    expect(signedIn.map(([how, auth]) => [how, auth.user.id])).toEqual([['token', 'user-of-T']])
  })

  test('a URL token the host did not accept is refused (URL_TOKEN_REFUSED) and never exchanged', async () => {
    const { signIn, deps } = setup()
    await expect(signIn.start(welcome({ token: 'T' }), 'from-a-link')).rejects.toMatchObject({ code: 'URL_TOKEN_REFUSED' })
    expect(deps.exchange).not.toHaveBeenCalled()
  })

  test('the URL token, when the host accepted it for this document', async () => {
    const { signIn, signedIn } = setup()
    await signIn.start(welcome({ useUrlToken: true }), 'U')
    expect(signedIn.map(([how, auth]) => [how, auth.user.id])).toEqual([['url', 'user-of-U']])
  })

  test('the host could give no token: its error, nothing exchanged', async () => {
    const { signIn, deps } = setup()
    await expect(signIn.start(welcome({ tokenError: { name: 'SsoEmbedError', code: 'TOKEN_EXPIRED', message: 'expired' } }), undefined)).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
    })
    expect(deps.exchange).not.toHaveBeenCalled()
  })

  test("resume: the stored session only if it is the user the host named; another user's → a host token instead", async () => {
    const stored = vi.fn(async () => new Response(JSON.stringify(answer('ada')), { headers: { 'content-type': 'application/json' } }))
    vi.stubGlobal('fetch', stored)
    const same = setup({ resumeUrl: 'https://platform.example/api/embed/session' })
    await same.signIn.start(welcome({ resume: { userId: 'ada', account: 'acme' } }), undefined)
    expect(same.signedIn.map(([how, auth]) => [how, auth.user.id])).toEqual([['resume', 'ada']])
    expect(same.deps.exchange).not.toHaveBeenCalled()
    // the session is asked for under the host origin it must be bound to
    expect(new Headers(((stored.mock.calls[0] as unknown[])[1] as RequestInit).headers).get('sso-embed-host-origin')).toBe('https://host.example')

    const other = setup({ resumeUrl: 'https://platform.example/api/embed/session' })
    await other.signIn.start(welcome({ resume: { userId: 'bob', account: 'acme' } }), undefined)
    expect(other.signedIn.map(([how, auth]) => [how, auth.user.id])).toEqual([['token', 'user-of-pulled']])

    const account = setup({ resumeUrl: 'https://platform.example/api/embed/session' })
    await account.signIn.start(welcome({ resume: { userId: 'ada', account: 'other' } }), undefined)
    expect(account.signedIn[0]![0]).toBe('token')
  })
})

describe('sign-in: retries and overlaps', () => {
  test.each(['TOKEN_EXPIRED', 'TOKEN_REPLAYED'] as const)('%s: once more with a fresh token, telling the host why', async (code) => {
    const exchange = vi
      .fn()
      .mockRejectedValueOnce(new SsoEmbedError(code, 'no'))
      .mockImplementation(async (token: string) => answer(token))
    const { signIn, deps, signedIn } = setup({ exchange })
    await signIn.run('token', 'T')
    expect(deps.pull).toHaveBeenCalledWith(code)
    expect(signedIn.map(([, auth]) => auth.user.id)).toEqual(['pulled'])
  })

  test('a token refused for another reason fails at once', async () => {
    const { signIn, failed, deps } = setup({ exchange: vi.fn().mockRejectedValue(new SsoEmbedError('BAD_SIGNATURE', 'no')) })
    await signIn.run('token', 'T')
    expect(failed).toEqual(['BAD_SIGNATURE'])
    expect(deps.pull).not.toHaveBeenCalled()
  })

  test('overlapping sign-ins: one exchange at a time, the one started last decides (and answers last, so its cookie stays)', async () => {
    let first!: (value: unknown) => void
    const exchange = vi
      .fn()
      .mockImplementationOnce(() => new Promise((resolve) => (first = resolve)))
      .mockImplementation(async () => answer('second'))
    const { signIn, signedIn, session } = setup({ exchange })
    const a = signIn.run('token', 'A')
    const b = signIn.run('token', 'B')
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(exchange).toHaveBeenCalledTimes(1) // B waits for A's answer
    first(answer('first'))
    await Promise.all([a, b])
    expect(exchange.mock.calls.map((call) => call[0])).toEqual(['A', 'B'])
    expect(signedIn.map(([, auth]) => auth.user.id)).toEqual(['second'])
    expect(session.auth?.user.id).toBe('second')
  })

  test('a resume that answers after a newer sign-in started changes nothing', async () => {
    let stored!: (response: Response) => void
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise<Response>((resolve) => (stored = resolve))),
    )
    const { signIn, signedIn } = setup({ resumeUrl: 'https://platform.example/api/embed/session' })
    const resuming = signIn.start(welcome({ resume: { userId: 'ada', account: 'acme' } }), undefined)
    await new Promise((resolve) => setTimeout(resolve, 10))
    await signIn.run('token', 'B') // setToken() while the stored session is read
    stored(new Response(JSON.stringify(answer('ada')), { headers: { 'content-type': 'application/json' } }))
    await resuming
    expect(signedIn.map(([how, auth]) => [how, auth.user.id])).toEqual([['token', 'user-of-B']])
  })

  test('a refresh that fails for the network is retried with backoff, silently; a token refused is reported', async () => {
    vi.useFakeTimers()
    const network = Object.assign(new SsoEmbedError('EXCHANGE_FAILED', 'offline'), { retryable: true })
    const exchange = vi
      .fn()
      .mockRejectedValueOnce(network)
      .mockRejectedValueOnce(network)
      .mockImplementation(async () => answer('ada'))
    const { signIn, failed, signedIn } = setup({ exchange })
    await signIn.refresh()
    expect(failed).toEqual([])
    await vi.advanceTimersByTimeAsync(1000)
    expect(exchange).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1999)
    expect(exchange).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(signedIn.map(([how]) => how)).toEqual(['refresh'])
    signIn.destroy()
    vi.useRealTimers()
  })
})

describe('session: sleeping timers', () => {
  test('a page that becomes visible past its refresh time refreshes at once; past its end, expires first', () => {
    vi.useFakeTimers()
    const due = vi.fn()
    const expired = vi.fn()
    const session = createSession({ refreshMargin: 1000, onRefreshDue: due, onExpired: expired })
    session.set(answer('ada'))
    // the laptop slept: the clock jumped, the timers did not run
    vi.setSystemTime(Date.now() + 59_500)
    document.dispatchEvent(new Event('visibilitychange'))
    expect(due).toHaveBeenCalledTimes(1)
    expect(expired).not.toHaveBeenCalled()
    vi.setSystemTime(Date.now() + 10_000)
    dispatchEvent(new Event('online'))
    expect(expired).toHaveBeenCalledTimes(1)
    expect(session.auth).toBeUndefined()
    session.destroy()
    vi.useRealTimers()
  })
})
