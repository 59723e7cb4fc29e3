import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { inspectToken } from '@sso-embed/server'
import { scriptBundle } from '../bundle'
import { checkRequest, loopbackOrigins, ownNames, refuse } from '../guard'
import { generateHostKey, type HostKey } from '../keys'
import { createPages, readJson, send, sendJson, type PagesMode } from '../pages'
import { adminFetch, type AdminAccess } from '../platform/admin'
import { demoClaims, type ProfileName } from '../profile'
import { signClaims } from '../tokens'

/**
 * The demo host: a customer's app that embeds the platform. Its backend route `GET /api/token` signs a
 * JWT for the (demo) logged-in user with `@sso-embed/server`; its pages mount the platform with core,
 * React, Vue, the `<sso-embed>` element and the script tag; `/workbench.html` signs and checks tokens.
 * Its `/api/*` routes answer only its own pages (`Host`, `Origin`, JSON bodies: see `../guard`), so
 * neither another site nor a DNS-rebinding page can have it sign a token.
 */
export interface HostOptions {
  port?: number
  /** The host's signing key. Without one, the host bootstraps one with the platform (see `bootstrapKey`). */
  key?: HostKey
  /** The platform's `instanceUrl`, passed to the pages. */
  instanceUrl: string
  /** The platform's admin secret, for the key bootstrap and the workbench's check (both ask the platform's admin API). */
  platformAdminSecret?: string
  /** Where the bootstrapped key is kept (`host-key.json`), so restarts reuse it. */
  dataDir?: string
  /** More origins to register for the key (e.g. a tunnel), besides the host's own. */
  extraOrigins?: string[]
  pages?: PagesMode
  /** HTML put before the scripts of every page it serves (tests: a console collector). */
  head?: string
  /** Serve over HTTPS with this key and certificate (PEM); the origin is then `https://localhost:PORT`. */
  tls?: { key: string; cert: string }
}

export interface Host {
  origin: string
  /** How many tokens `/api/token` signed. */
  tokensIssued: number
  key: HostKey
  close(): Promise<void>
}

/**
 * What a Webflow or Figma Sites page holds: one script tag and the element, nothing else. The
 * `token-url` is the site's backend route that signs the JWT for the visitor's session.
 */
export function staticPage(instanceUrl: string): string {
  const attribute = (value: string) => value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme CRM — a static page with the script tag</title></head>
<body>
<h1>Acme CRM on a static site</h1>
<script src="/sso-embed.js"></script>
<sso-embed instance-url="${attribute(instanceUrl)}" token-url="/api/token"></sso-embed>
</body>
</html>
`
}

/**
 * The first run: ask the platform (its admin API) to generate a signing key for this host's origin, and
 * keep the private key it returns (shown once) in `dataDir`. Later runs reuse it while the platform
 * still has it.
 */
export async function bootstrapKey(admin: AdminAccess, origins: string[], dataDir?: string): Promise<HostKey> {
  const file = dataDir && join(dataDir, 'host-key.json')
  const listed = await adminFetch(admin, '/admin/api/keys')
  if (!listed.ok) throw new Error(`The platform's admin API refused the host's key bootstrap: ${listed.status} ${await listed.text()}`)
  const known = (await listed.json()) as { keys: Array<{ kid: string; revokedAt?: string }> }
  if (file && existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as HostKey
    if (known.keys.some((key) => key.kid === saved.kid && !key.revokedAt)) {
      // the host may run on another port than last time: register its origins again
      const registered = await adminFetch(admin, `/admin/api/keys/${encodeURIComponent(saved.kid)}/origins`, { origins })
      if (!registered.ok) throw new Error(`The platform's admin API refused the host's origins: ${registered.status} ${await registered.text()}`)
      return saved
    }
  }
  const response = await adminFetch(admin, '/admin/api/keys', { name: 'Acme CRM (demo host)', account: 'acme', origins })
  if (!response.ok) throw new Error(`The platform's admin API refused a key for the host: ${response.status} ${await response.text()}`)
  const { key, privatePem } = (await response.json()) as { key: { kid: string }; privatePem: string }
  const hostKey: HostKey = { kid: key.kid, privatePem, publicPem: '' }
  if (file) {
    mkdirSync(dataDir!, { recursive: true })
    writeFileSync(file, `${JSON.stringify(hostKey, null, 2)}\n`, { mode: 0o600 })
  }
  return hostKey
}

const profiles: ProfileName[] = ['activepieces-v3', 'latenode', 'raytha']
let wrongKey: Promise<HostKey> | undefined

/** docs/csp.md's host policy: the platform in frame-src, the page's own origin for scripts, styles, fetches. */
export const strictHostCsp = (platformOrigin: string, nonce: string) =>
  `default-src 'none'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src ${platformOrigin}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`

export async function startHost(options: HostOptions): Promise<Host> {
  const server = options.tls ? createTlsServer(options.tls) : createServer()
  const pages = await createPages('host', options.pages ?? 'static', server, options.head)
  const platformOrigin = new URL(options.instanceUrl).origin
  const admin: AdminAccess = { origin: platformOrigin, secret: options.platformAdminSecret ?? '' }
  // its own names, once the port is known (below): localhost, and the extra origins (e.g. a tunnel)
  let own = ownNames([])
  const host: Host = {
    origin: '',
    tokensIssued: 0,
    key: options.key!,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await pages.close()
    },
  }
  const fail = (res: Parameters<typeof sendJson>[0]) => (error: Error) =>
    sendJson(res, 400, { error: { code: (error as { code?: string }).code ?? 'REQUEST_INVALID', message: error.message } })

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const refusal = url.pathname.startsWith('/api/') ? checkRequest(req, own) : undefined
    if (refusal) return refuse(res, refusal)
    if (url.pathname === '/api/token') {
      // a real host checks its own login here; the demo signs for whoever the query names
      const q = url.searchParams
      const ttl = Number(q.get('ttl') ?? 300)
      if (!Number.isFinite(ttl)) return sendJson(res, 400, { error: { code: 'CLAIM_INVALID', message: 'ttl must be a number of seconds' } })
      const profile = (q.get('profile') ?? 'activepieces-v3') as ProfileName
      if (!profiles.includes(profile))
        return sendJson(res, 400, { error: { code: 'REQUEST_INVALID', message: `profile must be one of ${profiles.join(', ')}` } })
      const claims = demoClaims(profile, {
        id: q.get('user') ?? 'ada',
        firstName: q.get('firstName') ?? 'Ada',
        lastName: q.get('lastName') ?? 'Lovelace',
        project: q.get('project') ?? 'acme',
        projectName: q.get('projectName') ?? 'Acme',
        role: q.get('role') ?? 'EDITOR',
      })
      // the playground's "wrong key" switch: a key the platform never registered
      const key = q.get('key') === 'wrong' ? (wrongKey ??= generateHostKey('playground-unregistered')) : Promise.resolve(host.key)
      return void key
        .then((signer) => signClaims(signer, claims, { ttlSeconds: ttl, profile }))
        .then((token) => {
          host.tokensIssued++
          sendJson(res, 200, { token })
        }, fail(res))
    }
    if (url.pathname === '/api/workbench/templates') {
      // the workbench starts from the claims the demo login signs, for each profile
      const ada = { id: 'ada', firstName: 'Ada', lastName: 'Lovelace', project: 'acme', projectName: 'Acme', role: 'EDITOR' }
      return sendJson(res, 200, Object.fromEntries(profiles.map((profile) => [profile, demoClaims(profile, ada)])))
    }
    if (url.pathname === '/api/workbench/sign' && req.method === 'POST') {
      // signs whatever claims the workbench gives (no profile check), so the platform's verdict shows
      return void readJson(req)
        .then((body) => {
          const { claims, ttl } = body as { claims?: unknown; ttl?: unknown }
          if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new TypeError('claims must be a JSON object')
          const { iat: _iat, exp: _exp, ...rest } = claims as Record<string, unknown>
          const ttlSeconds = Number(ttl ?? 300)
          if (!Number.isFinite(ttlSeconds)) throw new TypeError('ttl must be a number of seconds')
          return signClaims(host.key, rest, { ttlSeconds })
        })
        .then((token) => sendJson(res, 200, { token }), fail(res))
    }
    if (url.pathname === '/api/workbench/check' && req.method === 'POST') {
      // decodes the token and warns like `sso-embed token inspect`, then asks the platform what its
      // exchange would say, from this host's origin
      return void readJson(req)
        .then(async (body) => {
          const token = String((body as { token?: unknown }).token ?? '')
          let inspection: unknown
          try {
            inspection = inspectToken(token)
          } catch (error) {
            inspection = { error: { code: (error as { code?: string }).code, message: (error as Error).message } }
          }
          const response = await adminFetch(admin, '/admin/api/verify', { token, origin: host.origin })
          sendJson(res, 200, { inspection, verdict: await response.json() })
        })
        .catch(fail(res))
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
      if (!pages.pages.includes(page)) return send(res, 404, 'text/plain', 'Not found')
      // the playground's "strict CSP" switch: the policy docs/csp.md recommends for a host page
      const nonce = url.searchParams.get('csp') === 'strict' ? randomBytes(16).toString('base64') : undefined
      if (nonce) res.setHeader('content-security-policy', strictHostCsp(platformOrigin, nonce))
      void pages.sendPage(req, res, { instanceUrl: options.instanceUrl }, page, nonce)
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, 'localhost', resolve))
  host.origin = `${options.tls ? 'https' : 'http'}://localhost:${(server.address() as AddressInfo).port}`
  own = ownNames([...loopbackOrigins(host.origin), ...(options.extraOrigins ?? [])])
  host.key ??= await bootstrapKey(admin, [host.origin, ...(options.extraOrigins ?? [])], options.dataDir)
  return host
}
