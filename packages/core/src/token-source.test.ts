import { afterEach, describe, expect, test, vi } from 'vitest'
import { testJwt } from '../test/jwt'
import { createTokenSource, TOKEN_TIMEOUT } from './token-source'

afterEach(() => vi.useRealTimers())

describe('createTokenSource', () => {
  test('a getToken() that never settles fails with TOKEN_UNAVAILABLE after TOKEN_TIMEOUT, and the next call asks again', async () => {
    vi.useFakeTimers()
    let calls = 0
    const getToken = () => (++calls === 1 ? new Promise<string>(() => {}) : Promise.resolve(testJwt()))
    const tokens = createTokenSource(() => ({ getToken }))
    const first = tokens.next()
    const settled = vi.fn()
    first.then(settled, settled)
    await vi.advanceTimersByTimeAsync(TOKEN_TIMEOUT - 1)
    expect(settled).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    await expect(first).rejects.toMatchObject({ code: 'TOKEN_UNAVAILABLE', message: expect.stringContaining('no answer in 30 s') })
    await expect(tokens.next()).resolves.toMatch(/^ey/)
    expect(calls).toBe(2)
  })

  test('a getToken() that answers in time leaves no timer behind', async () => {
    vi.useFakeTimers()
    const tokens = createTokenSource(() => ({ getToken: async () => testJwt() }))
    await tokens.next()
    expect(vi.getTimerCount()).toBe(0)
  })
})
