import { createServer } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import {
  createEmbedHandler,
  createMemoryStore,
  createSessions,
  createVerifier,
  frameAncestors,
  requestedStoragePolicy,
  storageAccessHeaders,
  toNodeListener,
  type EmbedStore,
  type Sessions,
} from '@sso-embed/server'
import { loopbackOrigins, newAdminSecret, ownNames } from '../guard'
import { createPages, send, sendJson, type PagesMode } from '../pages'
import { playgroundProfile } from '../profile'
import { createAdmin } from './admin'
import { createFlows } from './flows'
import { createKeyRegistry, DEMO_ACCOUNT, type KeyRegistry } from './registry'
import { createUserApi } from './user-api'

/**
 * The demo platform: a small "builder" SaaS that embeds with sso-embed. `/embed/*` is the embedded app
 * (flows list and editor, built with `@sso-embed/frame`); `/api/exchange`, `/api/session` and
 * `/api/logout`, `/api/storage-access` are `@sso-embed/server`'s embed handler (the three seed claim
 * profiles, single-use tokens, provisioning into `store`, sessions in `store`); `/embed/admin` manages
 * signing keys (each for one account), host origins, users and sessions, for whoever holds this run's
 * admin secret (`adminUrl`; see `./admin`).
 *
 * The embed page names its account in the URL, `/embed/?account=<account>`: it is then served with that
 * account's `frame-ancestors` and `allowedHostOrigins` only (an unknown account gets a 404 that no page
 * may frame). Without `?account=` it allows every registered origin (one-host platforms, older hosts).
 */
export interface PlatformOptions {
  port?: number
  /** Public keys to register at start (tests); the admin page adds more. `account` defaults to the demo host's, `acme`. */
  keys?: Array<{ kid: string; publicPem: string; origins: string[]; account?: string }>
  /** Where users and projects go. Default: in memory. */
  store?: EmbedStore
  /** Directory for the key registry and the flows (kept across restarts). Default: in memory. */
  dataDir?: string
  /** Lifetime of the platform session the exchange hands out. Default 8 h. */
  sessionTtlMs?: number
  /** Each token's `jti` is accepted once (and required). Default true; tests turn it off to try reusable tokens. */
  singleUseTokens?: boolean
  pages?: PagesMode
  /** HTML put before the scripts of every page it serves (tests: a console collector). */
  head?: string
  /** Serve over HTTPS with this key and certificate (PEM); the origin is then `https://127.0.0.1:PORT`. */
  tls?: { key: string; cert: string }
  /** The admin API's secret. Default: a new random one each run (tests may pass their own). */
  adminSecret?: string
  /**
   * Answer the browser's `Sec-Fetch-Storage-Access` on the embed page (`storageAccessHeaders()`): in an
   * embed whose host asked for `storage: 'require'` (`?storage=require`), a returning user whose
   * storage-access grant is not active yet gets `Activate-Storage-Access: load`, and the page starts with
   * its first-party cookies, no interstitial and no click. Default false (tests of the script path);
   * `pnpm playground` turns it on.
   */
  storageAccessHeaders?: boolean
}

export interface Platform {
  origin: string
  /** `origin + '/embed'`: the `instanceUrl` hosts use. */
  instanceUrl: string
  /** This run's admin secret: the admin API answers only requests that carry it (`Authorization: Bearer …`). */
  adminSecret: string
  /** The admin page's link with the secret in its fragment (never sent to a server): what the start banner prints. */
  adminUrl: string
  /** Every request URL the server received (path and query), in order. */
  requests: string[]
  /** Number of successful exchanges. */
  exchanges: number
  sessionTtlMs: number
  store: EmbedStore
  sessions: Sessions
  keys: KeyRegistry
  /** Fault knobs for tests: the next `expireNext` exchanges answer `TOKEN_EXPIRED`. */
  faults: { expireNext: number }
  /** Registers a host's public key (replacing the one with the same kid) for `account` (default `acme`); it applies to the next exchange. */
  register(key: { kid: string; publicPem: string; origins: string[]; account?: string }): void
  close(): Promise<void>
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const server = options.tls ? createTlsServer(options.tls) : createServer()
  const pages = await createPages('platform', options.pages ?? 'static', server, options.head)
  const store = options.store ?? createMemoryStore()
  // a revoked key's sessions end at once (the sessions' `keys` check), and their rows are marked revoked
  const keys = createKeyRegistry(options.dataDir && join(options.dataDir, 'platform-keys.json'), {
    onRevoke: (key) => store.sessions.revokeKey(key.account, key.kid),
  })
  const flows = createFlows(options.dataDir && join(options.dataDir, 'platform-flows.json'))
  const sessionTtlMs = options.sessionTtlMs ?? 8 * 3600_000
  const sessions = createSessions({ secret: crypto.getRandomValues(new Uint8Array(32)), ttl: sessionTtlMs / 1000, store, keys: () => keys.active() })
  const verifier = createVerifier({ keys: () => keys.active(), profile: playgroundProfile, ...(options.singleUseTokens !== false && { replay: store.replay }) })
  const adminSecret = options.adminSecret ?? newAdminSecret()
  const platform: Platform = {
    origin: '',
    instanceUrl: '',
    adminSecret,
    adminUrl: '',
    requests: [],
    exchanges: 0,
    sessionTtlMs,
    store,
    sessions,
    keys,
    faults: { expireNext: 0 },
    register: (key) => void keys.register({ ...key, account: key.account ?? DEMO_ACCOUNT, name: key.kid }),
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await pages.close()
      await store.close()
    },
  }
  for (const key of options.keys ?? []) platform.register(key)
  /** The origins the embed page allows: the named account's, else (no `?account=`) every registered one. */
  const allowedHostOrigins = (account: string | null) =>
    account === null ? [...new Set(keys.active().flatMap((key) => key.origins))] : keys.originsFor(account)
  const userApi = createUserApi({ store, sessions, flows })
  // made once the port is known (below), before any request is read
  let admin: ReturnType<typeof createAdmin>
  const embed = toNodeListener(
    createEmbedHandler({
      verifier,
      store,
      sessions,
      basePath: '/api',
      onExchange: () => void platform.exchanges++,
      onRejected: (error, { endpoint, hostOrigin }) =>
        console.warn(`[platform] ${endpoint} refused (${hostOrigin ?? 'no host origin'}): ${error.code} ${error.message}`),
      onError: (error) => console.error('[platform] exchange failed:', error),
    }),
  )

  server.on('request', (req, res) => {
    platform.requests.push(req.url ?? '')
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const fail = (error: unknown) => sendJson(res, 500, { error: { code: 'EXCHANGE_FAILED', message: (error as Error).message } })
    if (path === '/api/session' || path === '/api/logout' || path === '/api/storage-access') return embed(req, res)
    if (path === '/api/exchange') {
      if (req.method === 'POST' && platform.faults.expireNext > 0) {
        platform.faults.expireNext--
        return sendJson(res, 401, { error: { code: 'TOKEN_EXPIRED', message: 'The token has expired (fault injected by the test platform)' } })
      }
      return embed(req, res)
    }
    if (req.method === 'GET' && path === '/api/me') return void userApi.me(req, res).catch(fail)
    if (path === '/api/flows' || path.startsWith('/api/flows/')) return void userApi.flows(req, res, path).catch(fail)
    if (path.startsWith('/admin/api/')) return void admin.api(req, res, path).catch(fail)
    // before Vite's dev server, which would answer a request that is not a document's with admin.ts
    if (path === '/embed/admin') return void admin.page(req, res, pages).catch(fail)
    if (path === '/' || path === '/admin') {
      res.writeHead(302, { location: path === '/admin' ? '/embed/admin' : '/embed/' })
      return res.end()
    }
    if (path === '/bare') {
      // a platform page that never loads the frame SDK
      return send(res, 200, 'text/html; charset=utf-8', '<!doctype html><title>Bare platform page</title><p>No SDK here.</p>')
    }
    pages.handle(req, res, () => {
      if (path === '/embed' || path.startsWith('/embed/')) {
        // only the account's registered host origins may frame the embedded app
        const account = new URL(req.url ?? '/', 'http://x').searchParams.get('account')
        if (account !== null && !keys.hasAccount(account)) {
          res.setHeader('content-security-policy', "frame-ancestors 'none'")
          return send(res, 404, 'text/plain', 'No such account')
        }
        const origins = allowedHostOrigins(account)
        res.setHeader('content-security-policy', frameAncestors(origins))
        if (options.storageAccessHeaders) {
          for (const [name, value] of Object.entries(storageAccessHeaders(req.headers, requestedStoragePolicy(req.url ?? '/')))) res.setHeader(name, value)
        }
        return void pages.sendPage(req, res, { allowedHostOrigins: origins }).catch(fail)
      }
      send(res, 404, 'text/plain', 'Not found')
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  platform.origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`
  platform.instanceUrl = `${platform.origin}/embed`
  platform.adminUrl = `${platform.origin}/embed/admin#secret=${adminSecret}`
  // the admin API's token check: the exchange's rules, without the replay store (checking must not use a token up)
  const checker = createVerifier({ keys: () => keys.active(), profile: playgroundProfile })
  admin = createAdmin({ keys, store, checker, secret: adminSecret, own: ownNames(loopbackOrigins(platform.origin)) })
  return platform
}
