import { describe, expect, test } from 'vitest'
import { connectToHost } from './connect'

const exchange = async () => ({ user: { id: 'u' }, expiresAt: Date.now() + 1000 })

describe('connectToHost() arguments', () => {
  test.each([
    [{ exchange }, 'allowedHostOrigins must be a non-empty array'],
    [{ allowedHostOrigins: [], exchange }, 'allowedHostOrigins must be a non-empty array'],
    [{ allowedHostOrigins: ['*'], exchange }, '"*" is not an exact origin'],
    [{ allowedHostOrigins: ['https://app.example.com/'], exchange }, 'is not an exact origin'],
    [{ allowedHostOrigins: ['https://*.example.com'], exchange }, 'is not an exact origin'],
    [{ allowedHostOrigins: ['https://app.example.com'] }, 'exchange must be a function or URL'],
  ])('refuses %j with a TypeError', (options, message) => {
    expect(() => connectToHost(options as never)).toThrow(TypeError)
    expect(() => connectToHost(options as never)).toThrow(message)
  })

  test('a page that is not in an iframe rejects ready with NOT_EMBEDDED and installs nothing', async () => {
    const connection = connectToHost({ allowedHostOrigins: ['https://app.example.com'], exchange })
    await expect(connection.ready).rejects.toMatchObject({ name: 'SsoEmbedError', code: 'NOT_EMBEDDED' })
    expect(connection.auth).toBeUndefined()
    connection.destroy()
    connection.destroy()
  })
})
