import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HostKey } from '../keys'
import { scriptBundle } from '../bundle'
import { createPages, send, sendJson, type PagesMode } from '../pages'
import { signHostToken } from '../tokens'

/**
 * The demo host: a customer's app that embeds the platform. Its backend route `GET /api/token` signs a
 * JWT for the (demo) logged-in user; its page mounts the platform with `@sso-embed/core`.
 */
export interface HostOptions {
  port?: number
  key: HostKey
  /** The platform's `instanceUrl`, passed to the page. */
  instanceUrl: string
  pages?: PagesMode
}

export interface Host {
  origin: string
  /** How many tokens `/api/token` signed. */
  tokensIssued: number
  close(): Promise<void>
}

/**
 * What a Webflow or Figma Sites page holds: one script tag and the element, nothing else. The
 * `token-url` is the site's backend route that signs the JWT for the visitor's session.
 */
export function staticPage(instanceUrl: string): string {
  const escape = (value: string) => value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme CRM — a static page with the script tag</title></head>
<body>
<h1>Acme CRM on a static site</h1>
<script src="/sso-embed.js"></script>
<sso-embed instance-url="${escape(instanceUrl)}" token-url="/api/token"></sso-embed>
</body>
</html>
`
}

export async function startHost(options: HostOptions): Promise<Host> {
  const server = createServer()
  const pages = await createPages('host', '/', options.pages ?? 'static', server)
  const host: Host = {
    origin: '',
    tokensIssued: 0,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await pages.close()
    },
  }
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/api/token') {
      // a real host checks its own login here; the demo signs for whoever the query names
      const q = url.searchParams
      const ttl = Number(q.get('ttl') ?? 300)
      if (!Number.isFinite(ttl)) return sendJson(res, 400, { error: { code: 'CLAIM_INVALID', message: 'ttl must be a number of seconds' } })
      void signHostToken(options.key, {
        externalUserId: q.get('user') ?? 'ada',
        externalProjectId: q.get('project') ?? 'acme',
        firstName: q.get('firstName') ?? 'Ada',
        lastName: q.get('lastName') ?? 'Lovelace',
        projectDisplayName: q.get('projectName') ?? 'Acme',
      }, ttl).then((token) => {
        host.tokensIssued++
        sendJson(res, 200, { token })
      })
      return
    }
    if (url.pathname === '/sso-embed.js') {
      return void scriptBundle().then(
        (code) => send(res, 200, 'text/javascript; charset=utf-8', code),
        (error: Error) => send(res, 500, 'text/plain', `sso-embed.js failed to build: ${error.message}`),
      )
    }
    if (url.pathname === '/static.html') return send(res, 200, 'text/html; charset=utf-8', staticPage(options.instanceUrl))
    pages.handle(req, res, () => {
      const page = url.pathname === '/' ? 'index.html' : url.pathname.slice(1)
      if (pages.pages.includes(page)) return void pages.sendPage(req, res, { instanceUrl: options.instanceUrl }, page)
      send(res, 404, 'text/plain', 'Not found')
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, 'localhost', resolve))
  host.origin = `http://localhost:${(server.address() as AddressInfo).port}`
  return host
}
