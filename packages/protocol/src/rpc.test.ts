import { describe, expect, test, vi } from 'vitest'
import { createLogger, exposeMethods } from './rpc'
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
