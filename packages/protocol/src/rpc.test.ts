import { describe, expect, test, vi } from 'vitest'
import { createLogger, exposeMethods, quietDeferred, readyPromise } from './rpc'
import { SsoEmbedError } from './error'

describe('exposeMethods', () => {
  test('returns values and turns thrown errors into plain coded objects', async () => {
    const methods = exposeMethods(
      {
        ok: (n: number) => n * 2,
        coded: () => {
          throw new SsoEmbedError('TOKEN_EXPIRED', 'late')
        },
        plain: async () => {
          throw new Error('oops')
        },
      },
      'EXCHANGE_FAILED',
    )
    await expect(methods.ok(21)).resolves.toBe(42)
    await expect(methods.coded()).rejects.toEqual({ name: 'SsoEmbedError', code: 'TOKEN_EXPIRED', message: 'late' })
    await expect(methods.plain()).rejects.toEqual({ name: 'SsoEmbedError', code: 'EXCHANGE_FAILED', message: 'oops' })
  })
})

test('createLogger is silent unless enabled', () => {
  const spy = vi.spyOn(console, 'debug').mockImplementation(() => {})
  expect(createLogger(false, 'host')).toBeUndefined()
  createLogger(true, 'host')?.('hello', 1)
  expect(spy).toHaveBeenCalledWith('[sso-embed host]', 'hello', 1)
  spy.mockRestore()
})

describe('readyPromise', () => {
  test('resolves with the first success; later successes change nothing', async () => {
    const ready = readyPromise<string>()
    const first = ready.promise
    ready.resolve('ada')
    ready.resolve('bob')
    ready.reject(new Error('late'))
    expect(ready.promise).toBe(first)
    await expect(first).resolves.toBe('ada')
  })

  test('a failure first rejects it (the first failure stays); a success after it makes a new, resolved promise', async () => {
    const ready = readyPromise<string>()
    const first = ready.promise
    ready.reject(new Error('denied'))
    ready.reject(new Error('again'))
    await expect(first).rejects.toThrow('denied')
    ready.resolve('ada')
    expect(ready.promise).not.toBe(first)
    await expect(ready.promise).resolves.toBe('ada')
    await expect(first).rejects.toThrow('denied') // one read earlier stays rejected
  })

  test('a rejection nobody awaits is no unhandled rejection (quietDeferred)', async () => {
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    try {
      readyPromise<string>().reject(new Error('reported elsewhere'))
      quietDeferred<string>().reject(new Error('reported elsewhere'))
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(unhandled).not.toHaveBeenCalled()
    } finally {
      process.off('unhandledRejection', unhandled)
    }
  })
})
