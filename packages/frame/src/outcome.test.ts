import { SsoEmbedError, type AuthInfo, type FrameEvent } from '@sso-embed/protocol'
import { describe, expect, test, vi } from 'vitest'
import { createOutcome } from './outcome'

const auth: AuthInfo = { user: { id: 'u1' }, project: null, expiresAt: Date.now() + 60_000 }

function setup() {
  const events: FrameEvent[] = []
  let signedIn = false
  const options = { onAuthenticated: vi.fn(), onError: vi.fn() }
  const outcome = createOutcome(options, { report: (event) => events.push(event), signedInOnce: () => signedIn, log: undefined })
  return { outcome, events, options, signIn: () => void (signedIn = true) }
}

describe('createOutcome', () => {
  test('a sign-in: the host hears it first, then ready resolves and onAuthenticated runs', async () => {
    const { outcome, events, options, signIn } = setup()
    signIn()
    outcome.succeeded(auth, 'token')
    expect(events).toEqual([{ type: 'authenticated', how: 'token', ...auth }])
    await expect(outcome.ready).resolves.toBe(auth)
    expect(options.onAuthenticated).toHaveBeenCalledWith(auth)
  })

  test('a failure first rejects ready and tells the host; a sign-in that follows makes ready a new, resolved promise', async () => {
    const { outcome, events, options, signIn } = setup()
    const first = outcome.ready
    outcome.failed(new SsoEmbedError('STORAGE_ACCESS_DENIED', 'denied'))
    await expect(first).rejects.toMatchObject({ code: 'STORAGE_ACCESS_DENIED' })
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'STORAGE_ACCESS_DENIED' }) }])
    expect(options.onError).not.toHaveBeenCalled() // before the first sign-in, ready says it
    signIn()
    outcome.succeeded(auth, 'token')
    expect(outcome.ready).not.toBe(first)
    await expect(outcome.ready).resolves.toBe(auth)
  })

  test('a failure after the first sign-in goes to onError; ready stays resolved', async () => {
    const { outcome, options, signIn } = setup()
    signIn()
    outcome.succeeded(auth, 'token')
    const ready = outcome.ready
    outcome.failed(new SsoEmbedError('EXCHANGE_FAILED', 'refresh failed'))
    expect(options.onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'EXCHANGE_FAILED' }))
    expect(outcome.ready).toBe(ready)
    await expect(ready).resolves.toBe(auth)
  })

  test('a failure the host knows about (fromHost) is not echoed back to it', () => {
    const { outcome, events } = setup()
    outcome.failed(Object.assign(new SsoEmbedError('TOKEN_UNAVAILABLE', 'no token'), { fromHost: true }))
    expect(events).toEqual([])
  })

  test('destroyed rejects a pending ready with DESTROYED', async () => {
    const { outcome } = setup()
    outcome.destroyed()
    await expect(outcome.ready).rejects.toMatchObject({ code: 'DESTROYED' })
  })
})
