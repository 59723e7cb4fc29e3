import { describe, expect, test, vi } from 'vitest'
import { connectToHost } from './connect'

const exchange = async () => ({ user: { id: 'u' }, expiresAt: Date.now() + 1000 })

describe('connectToHost() arguments', () => {
  test.each([
    [{ exchange }, 'allowedHostOrigins must be exact origins like "https://app.example.com", not undefined'],
    [{ allowedHostOrigins: [], exchange }, 'not []'],
    [{ allowedHostOrigins: ['*'], exchange }, 'not ["*"]'],
    [{ allowedHostOrigins: ['https://app.example.com/'], exchange }, 'not ["https://app.example.com/"]'],
    [{ allowedHostOrigins: ['https://a.example', 'https://*.example.com'], exchange }, 'not ["https://a.example","https://*.example.com"]'],
    [{ allowedHostOrigins: [42], exchange }, 'not [42]'],
    [{ allowedHostOrigins: ['https://app.example.com'] }, 'exchange must be a function or URL'],
  ])('refuses %j with a TypeError', (options, message) => {
    expect(() => connectToHost(options as never)).toThrow(TypeError)
    expect(() => connectToHost(options as never)).toThrow(message)
  })

  test('a page that is not in an iframe rejects ready with NOT_EMBEDDED and installs nothing', async () => {
    const listen = vi.spyOn(window, 'addEventListener')
    const post = vi.spyOn(window, 'postMessage')
    const url = location.href
    try {
      const connection = connectToHost({ allowedHostOrigins: ['https://app.example.com'], exchange })
      await expect(connection.ready).rejects.toMatchObject({ name: 'SsoEmbedError', code: 'NOT_EMBEDDED' })
      expect(connection.auth).toBeUndefined()
      connection.destroy()
      connection.destroy()
      expect(listen).not.toHaveBeenCalled()
      expect(post).not.toHaveBeenCalled()
      expect(location.href).toBe(url)
    } finally {
      listen.mockRestore()
      post.mockRestore()
    }
  })
})
