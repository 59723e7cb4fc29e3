import { SsoEmbedError, type AuthInfo, type FrameMethods, type Remote } from '@sso-embed/protocol'
import { describe, expect, test, vi } from 'vitest'
import { createInstance } from './instance'

const auth: AuthInfo = { user: { id: 'u1' }, project: null, expiresAt: Date.now() + 60_000 }
const remote = { signIn: vi.fn(async () => {}) } as unknown as Remote<FrameMethods>

describe('createInstance', () => {
  test('ready resolves with the first sign-in', async () => {
    const instance = createInstance(undefined)
    instance.signedIn(auth)
    await expect(instance.ready).resolves.toBe(auth)
  })

  test('a sign-in after a failure makes ready a new, resolved promise (the rejected one stays rejected)', async () => {
    const instance = createInstance(undefined)
    const first = instance.ready
    instance.failed(new SsoEmbedError('STORAGE_ACCESS_DENIED', 'denied'))
    await expect(first).rejects.toMatchObject({ code: 'STORAGE_ACCESS_DENIED' })
    instance.signedIn(auth)
    expect(instance.ready).not.toBe(first)
    await expect(instance.ready).resolves.toBe(auth)
  })

  test('a later sign-in keeps the resolved ready', () => {
    const instance = createInstance(undefined)
    instance.signedIn(auth)
    const first = instance.ready
    instance.signedIn({ ...auth, user: { id: 'u1' } })
    expect(instance.ready).toBe(first)
  })

  test('whenConnected calls the frame once it greeted; a DESTROYED call is no failure, another one is', async () => {
    const instance = createInstance(undefined)
    const fail = vi.fn()
    const call = vi.fn(async () => 'ok')
    instance.whenConnected(call, fail)
    expect(call).not.toHaveBeenCalled()
    instance.greeted(Promise.resolve(remote))
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith(remote))
    instance.whenConnected(() => Promise.reject(new SsoEmbedError('DESTROYED', 'reloaded')), fail)
    instance.whenConnected(() => Promise.reject(new SsoEmbedError('COMMAND_FAILED', 'boom')), fail)
    await vi.waitFor(() => expect(fail).toHaveBeenCalledTimes(1))
    expect(fail.mock.calls[0]?.[0]).toMatchObject({ code: 'COMMAND_FAILED' })
  })

  test('lost() ends the calls waiting for a frame that never greeted', async () => {
    const instance = createInstance(undefined)
    instance.lost(new SsoEmbedError('HANDSHAKE_TIMEOUT', 'no frame'))
    await expect(instance.connected).rejects.toMatchObject({ code: 'HANDSHAKE_TIMEOUT' })
  })

  test('reset() starts over: calls waiting for the old iframe end with DESTROYED, a new ready and a new machine', async () => {
    const instance = createInstance(undefined)
    instance.dispatch({ type: 'mounted' })
    const oldConnected = instance.connected
    const oldReady = instance.ready
    instance.reset()
    await expect(oldConnected).rejects.toMatchObject({ code: 'DESTROYED' })
    expect(instance.ready).not.toBe(oldReady)
    expect(instance.state.status).toBe('mounting')
    instance.greeted(Promise.resolve(remote))
    await expect(instance.connected).resolves.toBe(remote)
  })

  test('end() is final: ready and waiting calls reject with DESTROYED, and nothing is called after it', async () => {
    const instance = createInstance(undefined)
    const fail = vi.fn()
    instance.end()
    expect(instance.alive()).toBe(false)
    await expect(instance.ready).rejects.toMatchObject({ code: 'DESTROYED' })
    await expect(instance.connected).rejects.toMatchObject({ code: 'DESTROYED' })
    instance.whenConnected(async () => {}, fail)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(fail).not.toHaveBeenCalled()
  })
})
