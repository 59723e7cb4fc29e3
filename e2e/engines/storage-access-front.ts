// The matrix's platform as a platform that serves the Storage Access Headers: an HTTPS front on another
// port of 127.0.0.1 (the same site, so the same cookies and storage-access grants) that forwards every
// request to the test platform, adds `storageAccessHeaders()` to its embed page — as a platform does
// where it serves that page — and records the `Sec-Fetch-Storage-Access` of every request the browser
// sends. (The test platform could serve the headers itself — startPlatform({ storageAccessHeaders }) —
// but the matrix needs both: the platform without them and, through this front, with them, on one
// stack, and a record of what the engine sent.)
// `routes` are answered by the front itself (a second embed handler, for a host's own CORS exchange).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer, request, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { requestedStoragePolicy, storageAccessHeaders, varyOnStorageAccess } from '@sso-embed/server'
import type { TestCertificate } from './tls'

/** One request as the browser sent it. */
export interface SeenRequest {
  method: string
  path: string
  /** `Sec-Fetch-Mode` (`navigate` for a document). */
  mode: string | undefined
  /** `Sec-Fetch-Storage-Access`, as sent (`undefined`: the engine sent none). */
  status: string | undefined
  /** `Activate-Storage-Access` of the answer, when there was one. */
  activated?: string
}

export interface StorageAccessFront {
  origin: string
  seen: SeenRequest[]
  close(): Promise<void>
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value)

export async function startStorageAccessFront(
  platformOrigin: string,
  tls: TestCertificate,
  routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {},
): Promise<StorageAccessFront> {
  const target = new URL(platformOrigin)
  const seen: SeenRequest[] = []
  const server: Server = createServer(tls, (req, res) => {
    const path = req.url ?? '/'
    const entry: SeenRequest = {
      method: req.method ?? 'GET',
      path,
      mode: one(req.headers['sec-fetch-mode']),
      status: one(req.headers['sec-fetch-storage-access']),
    }
    seen.push(entry)
    const own = routes[new URL(path, target).pathname]
    if (own) return own(req, res)
    const embedPage = req.method === 'GET' && /^\/embed(\/|\?|$)/.test(path)
    const upstream = request(
      new URL(path, target),
      { method: req.method, headers: { ...req.headers, host: target.host }, ca: tls.ca, agent: false },
      (answer) => {
        const headers = { ...answer.headers }
        if (embedPage) {
          const added = storageAccessHeaders(req.headers, requestedStoragePolicy(path))
          headers.vary = varyOnStorageAccess(one(headers.vary))
          if (added['activate-storage-access']) headers['activate-storage-access'] = entry.activated = added['activate-storage-access']
        }
        res.writeHead(answer.statusCode ?? 502, headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
