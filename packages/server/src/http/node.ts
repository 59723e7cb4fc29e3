import type { IncomingMessage, ServerResponse } from 'node:http'

export interface NodeListenerOptions {
  /**
   * The platform's public origin (e.g. `https://platform.example`): request URLs are built on it. The
   * `Host` header is never used to build or route a URL (a client can put anything in it). Default
   * `http://localhost`, which only matters to a handler that reads the URL's origin (ours reads paths).
   */
  origin?: string
  /** Called with unexpected failures of the adapter itself (not with clients that went away). */
  onError?: (error: unknown) => void
  /**
   * Largest request body the adapter reads into memory before handing the request over; a larger one
   * is a 400 `REQUEST_INVALID`. Default 1 MiB (the handler applies its own, smaller, limit).
   */
  maxBodyBytes?: number
}

/** The body of `req`, read whole (faster than a web stream for small JSON bodies); `undefined` when over `max`. */
function readNodeBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? '0')
  if (declared > max) return Promise.resolve(undefined)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > max) {
        req.removeAllListeners('data')
        req.resume()
        resolve(undefined)
      } else chunks.push(chunk)
    })
    req.once('end', () => resolve(Buffer.concat(chunks)))
    req.once('error', reject)
    req.once('close', () => (req.readableEnded ? undefined : reject(new Error('the client went away'))))
  })
}

/** A Host header that is a host name, IPv4 or bracketed IPv6 address, with an optional port. It is only checked, never used. */
const HOST = /^(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

const badRequest = (res: ServerResponse, message: string) => {
  if (res.headersSent || res.destroyed) return void res.destroy()
  const body = JSON.stringify({ error: { code: 'REQUEST_INVALID', message } })
  res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), connection: 'close' })
  res.end(body)
}

/**
 * Adapts a fetch-style handler (`createEmbedHandler`) to Node's `http` server:
 * `http.createServer(toNodeListener(handler, { origin: 'https://platform.example' }))`, or as a route in
 * Express / Fastify / Koa. Only an origin-form request target (`/path?query`) is accepted; an absolute
 * or authority-form target, or headers the fetch API cannot carry, get a 400 `REQUEST_INVALID`. A client
 * that goes away mid-request is not an error.
 */
export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
  options: NodeListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const base = new URL(options.origin ?? 'http://localhost')
  const maxBody = options.maxBodyBytes ?? 1024 * 1024
  if (base.origin === 'null' || base.pathname !== '/' || base.search || base.hash) {
    throw new TypeError(`toNodeListener: origin must be an origin like "https://platform.example" (got ${JSON.stringify(options.origin)})`)
  }
  return (req, res) => {
    let gone = false
    res.once('close', () => {
      gone = !res.writableFinished
    })
    void (async () => {
      const target = req.url ?? ''
      // origin-form only: "/" then no "//" prefix (a protocol-relative URL would name another host)
      if (!/^\/(?!\/)[\x21-\x7e]*$/.test(target)) return badRequest(res, 'The request target must be a path (origin-form, e.g. "/api/embed/exchange").')
      const host = req.headers.host
      if (host !== undefined && !HOST.test(host)) return badRequest(res, 'The Host header is not a host name or address (with an optional port).')
      let request: Request
      try {
        const url = new URL(target, base)
        if (url.origin !== base.origin) return badRequest(res, 'The request target must be a path on this server.')
        decodeURIComponent(url.pathname) // a malformed escape ("%zz") is refused here
        const headers = new Headers()
        for (const [name, value] of Object.entries(req.headers)) {
          if (value === undefined) continue
          for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
        }
        const method = req.method ?? 'GET'
        request = new Request(url, { method, headers })
      } catch {
        return badRequest(res, 'The request could not be read (its target or headers are not valid).')
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        let body: Buffer | undefined
        try {
          body = await readNodeBody(req, maxBody)
        } catch {
          return // the client went away mid-body: nobody to answer, nothing wrong here
        }
        if (body === undefined) return badRequest(res, `The body is over ${maxBody} bytes.`)
        request = new Request(request, { body: body as Uint8Array<ArrayBuffer> })
      }
      const response = await handler(request)
      if (gone || res.destroyed) return
      const out: Record<string, string | string[]> = {}
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') out[name] = value
      })
      const cookies = response.headers.getSetCookie()
      if (cookies.length) out['set-cookie'] = cookies
      res.writeHead(response.status, out)
      res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined)
    })().catch((error: unknown) => {
      if (gone || res.destroyed) return // the client went away: nobody to answer, nothing wrong here
      try {
        options.onError?.(error)
      } catch {
        // the answer is sent anyway
      }
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(JSON.stringify({ error: { code: 'EXCHANGE_FAILED', message: 'The platform could not answer; try again.' } }))
    })
  }
}
