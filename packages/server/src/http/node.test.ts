// The Node adapter with what a client can put on the wire: junk Host headers and request targets are a
// 400 with a coded JSON body (never a 500, never another route), and a client that goes away is not an error.
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exchangeSetup } from '../../test/exchange'
import { createMemoryStore } from '../store/memory'
import { toNodeListener } from './node'

let server: Server
let port: number
const errors: unknown[] = []
const seen: string[] = []

beforeAll(async () => {
  const { handler } = await exchangeSetup(createMemoryStore(), 'acme', { onError: (error) => errors.push(error) })
  const listener = toNodeListener(
    async (request) => {
      seen.push(request.url)
      return handler(request)
    },
    { origin: 'https://platform.example', onError: (error) => errors.push(error) },
  )
  server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as { port: number }).port
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

/** Sends raw bytes and reads the whole answer: status code and JSON body. */
function raw(text: string): Promise<{ status: number; body: any; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let out = ''
    socket.on('data', (chunk) => (out += chunk))
    socket.on('end', () => {
      const at = out.indexOf('\r\n\r\n')
      const head = out.slice(0, at)
      let body = out.slice(at + 4)
      if (/transfer-encoding: chunked/i.test(head)) {
        let decoded = ''
        for (let rest = body; ; ) {
          const line = rest.indexOf('\r\n')
          const size = parseInt(rest.slice(0, line), 16)
          if (!size) break
          decoded += rest.slice(line + 2, line + 2 + size)
          rest = rest.slice(line + 2 + size + 2)
        }
        body = decoded
      }
      try {
        resolve({ status: Number(head.split(' ')[1]), head, body: /application\/json/i.test(head) && body ? JSON.parse(body) : body })
      } catch (error) {
        reject(error)
      }
    })
    socket.on('error', reject)
  })
}
const get = (target: string, host: string | null = 'platform.example') =>
  raw(`GET ${target} HTTP/1.1\r\n${host === null ? '' : `Host: ${host}\r\n`}Connection: close\r\n\r\n`)

describe('toNodeListener', () => {
  it.each(['a b', '[::1', '%zz', 'evil.example/api', 'user@evil.example', 'x:99999999'])(
    'Host: %s → 400 REQUEST_INVALID (JSON), the handler never runs',
    async (host) => {
      const before = seen.length
      const { status, body, head } = await get('/api/embed/storage-access', host)
      expect(status).toBe(400)
      expect(head).toMatch(/content-type: application\/json/i)
      expect(body).toEqual({ error: { code: 'REQUEST_INVALID', message: expect.stringContaining('Host') } })
      expect(seen.length).toBe(before)
    },
  )

  it.each(['http://evil.example/api/embed/storage-access', '//evil.example/api/embed/storage-access', '*', '/api/embed/%zz'])(
    'request target %s → 400 REQUEST_INVALID (JSON)',
    async (target) => {
      const { status, body } = await get(target)
      expect(status).toBe(400)
      expect(body.error.code).toBe('REQUEST_INVALID')
    },
  )

  it('builds the URL on the configured origin, whatever the Host header says', async () => {
    const { status } = await get('/api/embed/storage-access', 'other.example:8080')
    expect(status).toBe(200)
    expect(seen.at(-1)).toBe('https://platform.example/api/embed/storage-access')
    expect((await raw('GET /api/embed/storage-access HTTP/1.0\r\n\r\n')).status).toBe(200) // HTTP/1.0 without Host
  })

  it('a client that goes away mid-body is not an error (no onError, no 500 logged, no half request handled)', async () => {
    const before = errors.length
    const handled = seen.length
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('POST /api/embed/exchange HTTP/1.1\r\nHost: platform.example\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"token":"')
        setTimeout(() => {
          socket.destroy()
          resolve()
        }, 50)
      })
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(seen.length).toBe(handled)
    expect(errors.slice(before)).toEqual([])
  })

  it('a body over maxBodyBytes is a 400 before the handler runs', async () => {
    const small = createServer(toNodeListener(async () => new Response('handled'), { maxBodyBytes: 10 }))
    await new Promise<void>((resolve) => small.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(small.address() as { port: number }).port}/x`
      const over = await fetch(url, { method: 'POST', body: 'x'.repeat(11) })
      expect(over.status).toBe(400)
      expect(((await over.json()) as { error: { code: string } }).error.code).toBe('REQUEST_INVALID')
      expect(await (await fetch(url, { method: 'POST', body: 'x'.repeat(10) })).text()).toBe('handled')
    } finally {
      await new Promise((resolve) => small.close(resolve))
    }
  })

  it('refuses a base that is not an origin', () => {
    expect(() => toNodeListener(async () => new Response(), { origin: 'https://platform.example/path' })).toThrow(TypeError)
  })
})
