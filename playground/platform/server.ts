import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createEmbedHandler,
  createMemoryStore,
  createSessions,
  createVerifier,
  importPublicKey,
  toNodeListener,
  verifySession,
  type EmbedStore,
  type VerificationKey,
} from '@sso-embed/server'
import { createPages, send, sendJson, type PagesMode } from '../pages'

/**
 * The test platform: a small stand-in for a SaaS platform that embeds with sso-embed. It serves the
 * embedded app under `/embed/`, and `POST /api/exchange` is `@sso-embed/server`'s exchange handler
 * (activepieces-v3 profile, single-use tokens, provisioning into `store`).
 */
export interface PlatformOptions {
  port?: number
  /** Signing keys registered by hosts: public PEM, kid and the host origins allowed to use it. */
  keys: Array<{ kid: string; publicPem: string; origins: string[] }>
  /** Where users and projects go. Default: in memory. */
  store?: EmbedStore
  /** Lifetime of the platform session the exchange hands out. Default 8 h. */
  sessionTtlMs?: number
  pages?: PagesMode
}

export interface Platform {
  origin: string
  /** `origin + '/embed'`: the `instanceUrl` hosts use. */
  instanceUrl: string
  /** Every request URL the server received (path and query), in order. */
  requests: string[]
  /** Number of successful exchanges. */
  exchanges: number
  sessionTtlMs: number
  store: EmbedStore
  /** Fault knobs for tests: the next `expireNext` exchanges answer `TOKEN_EXPIRED`. */
  faults: { expireNext: number }
  /** Registers a host's public key (replacing the one with the same kid); it applies to the next exchange. */
  register(key: { kid: string; publicPem: string; origins: string[] }): void
  close(): Promise<void>
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const server = createServer()
  const pages = await createPages('platform', '/embed/', options.pages ?? 'static', server)
  const store = options.store ?? createMemoryStore()
  let keys: VerificationKey[] = []
  const register: Platform['register'] = (key) => {
    keys = [...keys.filter((known) => known.kid !== key.kid), importPublicKey(key.publicPem, { kid: key.kid, origins: key.origins })]
  }
  options.keys.forEach(register)
  const sessionTtlMs = options.sessionTtlMs ?? 8 * 3600_000
  const sessions = createSessions({ secret: crypto.getRandomValues(new Uint8Array(32)), ttl: sessionTtlMs / 1000 })
  const platform: Platform = {
    origin: '',
    instanceUrl: '',
    requests: [],
    exchanges: 0,
    sessionTtlMs,
    store,
    faults: { expireNext: 0 },
    register,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await pages.close()
      await store.close()
    },
  }
  const allowedHostOrigins = () => [...new Set(keys.flatMap((key) => key.origins))]
  const exchange = toNodeListener(
    createEmbedHandler({
      verifier: createVerifier({ keys: () => keys, profile: 'activepieces-v3', replay: store.replay }),
      store,
      sessions,
      basePath: '/api',
      onExchange: () => void platform.exchanges++,
      onError: (error) => console.error('[platform] exchange failed:', error),
    }),
  )

  async function me(req: IncomingMessage, res: ServerResponse) {
    let session
    try {
      session = verifySession(req.headers, sessions)
    } catch (error) {
      const { code, message } = error as { code: string; message: string }
      return sendJson(res, 401, { error: { code, message } })
    }
    const user = (await store.users()).find((candidate) => candidate.id === session.userId)
    const project = (await store.projects()).find((candidate) => candidate.id === session.projectId)
    const name = [user?.firstName, user?.lastName].filter(Boolean).join(' ')
    sendJson(res, 200, { user: { id: session.userId, name }, project: project && { id: project.id, name: project.name }, via: /^Bearer /i.test(req.headers.authorization ?? '') ? 'bearer' : 'cookie' })
  }

  server.on('request', (req, res) => {
    platform.requests.push(req.url ?? '')
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const fail = (error: unknown) => sendJson(res, 500, { error: { code: 'EXCHANGE_FAILED', message: (error as Error).message } })
    if (path === '/api/session' || path === '/api/storage-access') return exchange(req, res)
    if (path === '/api/exchange') {
      if (req.method === 'POST' && platform.faults.expireNext > 0) {
        platform.faults.expireNext--
        return sendJson(res, 401, { error: { code: 'TOKEN_EXPIRED', message: 'The token has expired (fault injected by the test platform)' } })
      }
      return exchange(req, res)
    }
    if (req.method === 'GET' && path === '/api/me') return void me(req, res).catch(fail)
    if (path === '/bare') {
      // a platform page that never loads the frame SDK
      return send(res, 200, 'text/html; charset=utf-8', '<!doctype html><title>Bare platform page</title><p>No SDK here.</p>')
    }
    pages.handle(req, res, () => {
      if (path === '/embed' || path.startsWith('/embed/')) {
        return void pages.sendPage(req, res, { allowedHostOrigins: allowedHostOrigins() }).catch(fail)
      }
      send(res, 404, 'text/plain', 'Not found')
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  platform.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  platform.instanceUrl = `${platform.origin}/embed`
  return platform
}
